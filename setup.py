"""Builds essconv._core from the C core (csrc/core, no Python.h) and its binding (csrc/python).

ESSCONV_SANITIZE=1 builds with AddressSanitizer and UndefinedBehaviorSanitizer (CI runs the whole
test suite against such a build); ESSCONV_DEBUG=1 keeps asserts and debug symbols.
"""
import os
import sys
from glob import glob

from setuptools import Extension, setup

compile_args = ["-std=c11", "-Wall", "-Wextra", "-Wno-missing-field-initializers"]
link_args = []
if os.environ.get("ESSCONV_WERROR") == "1":
    compile_args.append("-Werror")
if os.environ.get("ESSCONV_SANITIZE") == "1":
    compile_args += ["-fsanitize=address,undefined", "-fno-sanitize-recover=undefined",
                     "-fno-omit-frame-pointer", "-g", "-O1"]
    link_args += ["-fsanitize=address,undefined"]
elif os.environ.get("ESSCONV_DEBUG") == "1":
    compile_args += ["-g", "-O0", "-UNDEBUG"]
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

setup(ext_modules=[core])
