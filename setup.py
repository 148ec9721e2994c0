"""Builds essconv._core from the C core (csrc/core, no Python.h) and its binding (csrc/python).

ESSCONV_SANITIZE=1 builds with AddressSanitizer and UndefinedBehaviorSanitizer (CI runs the whole
test suite against such a build); ESSCONV_DEBUG=1 keeps asserts and debug symbols.  Each of these
flavours builds under its own directory (build/asan, build/debug): setuptools does not track
compiler flags, so over a plain build it would find the objects and the extension up to date and
ship them unsanitized.
"""
import os
import sys
from glob import glob

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

SANITIZE = os.environ.get("ESSCONV_SANITIZE") == "1"


class build_ext_by_flavour(build_ext):
    """Rebuilds an extension that a build of the other flavour left where this one goes (in
    place: ``build_ext --inplace``, editable installs), which setuptools would find newer than
    the sources and keep, sanitized or not."""

    def run(self):
        for ext in self.extensions:
            target = self.get_ext_fullpath(ext.name)   # in the tree when inplace
            if os.path.exists(target):
                with open(target, "rb") as fh:
                    if (b"__asan_init" in fh.read()) != SANITIZE:
                        self.force = True
        super().run()


compile_args = ["-std=c11", "-Wall", "-Wextra", "-Wno-missing-field-initializers"]
# Only PyInit__core (PyMODINIT_FUNC marks it) is the module's to export: the core's functions
# hidden are called directly inside the library, not through the PLT, on the reader's hot path.
compile_args.append("-fvisibility=hidden")
link_args = []
build_base = "build"
if os.environ.get("ESSCONV_WERROR") == "1":
    compile_args.append("-Werror")
if SANITIZE:
    compile_args += ["-fsanitize=address,undefined", "-fno-sanitize-recover=undefined",
                     "-fno-omit-frame-pointer", "-g", "-O1",
                     "-DESS_POOL_POISON"]   # a reused block is filled: no reliance on zeros
    link_args += ["-fsanitize=address,undefined"]
    build_base = os.path.join("build", "asan")
elif os.environ.get("ESSCONV_DEBUG") == "1":
    compile_args += ["-g", "-O0", "-UNDEBUG"]
    build_base = os.path.join("build", "debug")
else:
    compile_args += ["-O2"]
if sys.platform == "win32":  # MSVC knows neither the GNU flags nor C11 spelled this way
    compile_args, link_args = ["/std:c11"], []

core = Extension(
    "essconv._core",
    sources=sorted(glob("csrc/core/*.c")) + sorted(glob("csrc/python/*.c")),
    include_dirs=["csrc/core", "csrc/python"],
    depends=glob("csrc/core/*.h") + glob("csrc/python/*.h"),
    extra_compile_args=compile_args,
    extra_link_args=link_args,
)

# build_temp (objects) and build_lib (the linked extension, what a wheel packs) both derive
# from build_base
setup(ext_modules=[core], cmdclass={"build_ext": build_ext_by_flavour},
      options={"build": {"build_base": build_base}})
