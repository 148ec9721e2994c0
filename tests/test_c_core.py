"""Builds and runs the C core's own unit tests (every tests/c/test_*.c), without Python.

They are built with AddressSanitizer and UndefinedBehaviorSanitizer where the compiler can
(always in CI, where CI=true makes a missing sanitizer a failure rather than a fallback).
"""
from __future__ import annotations

import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "csrc" / "core"


def _compiler() -> str:
    for cc in (os.environ.get("CC"), "cc", "gcc", "clang"):
        if cc and shutil.which(cc):
            return cc
    pytest.skip("no C compiler on this machine")


def _flags(sanitize: bool, test: str) -> list[str]:
    # the allocation sweep reaches a chunk that stops indexing its labels in a tiny file
    switch = ["-DDICT_UNINDEX_AT=2"] if test == "test_alloc" else []
    cmd = [_compiler(), "-std=c11", "-Wall", "-Wextra", "-Werror", "-g", "-O1", *switch, f"-I{CORE}"]
    if sanitize:
        cmd[1:1] = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all",
                    "-fno-omit-frame-pointer"]
    return cmd


def _compile(cmd: list[str]) -> None:
    # the compiler is not under test: in the ASan run it would inherit the preloaded libasan
    # (every allocation of cc1 intercepted), which only slows the build down
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)


#: the core's objects, compiled once per set of flags for the whole session and linked into each
#: test program: every test used to compile every core file again with the same flags (11 times
#: per run, ~30 s each under ASan's run), for the same objects
_CORE_OBJECTS: dict[tuple[str, ...], list[Path]] = {}


def _core_objects(tmp_factory, flags: list[str]) -> list[Path]:
    key = tuple(flags)
    if key not in _CORE_OBJECTS:
        folder = tmp_factory.mktemp("core-objects")
        sources = sorted(CORE.glob("*.c"))
        objects = [folder / (source.stem + ".o") for source in sources]
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            list(pool.map(_compile, ([*flags, "-c", str(s), "-o", str(o)]
                                     for s, o in zip(sources, objects))))
        _CORE_OBJECTS[key] = objects
    return _CORE_OBJECTS[key]


def _build(tmp: Path, sanitize: bool, test: str = "test_core", tmp_factory=None) -> Path:
    """The test program: every core file (compiled once per flags, see _core_objects) and
    tests/c/<test>.c, built with the same flags."""
    exe = tmp / (test + ("_san" if sanitize else ""))
    flags = _flags(sanitize, test)
    _compile([*flags, *map(str, _core_objects(tmp_factory, flags)),
              str(ROOT / f"tests/c/{test}.c"), "-o", str(exe)])
    return exe


def _run(exe: Path) -> str:
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=1",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
    env.pop("LD_PRELOAD", None)
    proc = subprocess.run([str(exe)], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


# Every tests/c/test_*.c is a unit-test program printing "N passed, N failed"; the allocation
# sweep prints more and has its own test below.
UNIT_TESTS = sorted(p.stem for p in (ROOT / "tests" / "c").glob("test_*.c") if p.stem != "test_alloc")


@pytest.mark.parametrize("test", UNIT_TESTS)
def test_core_unit_tests(tmp_path, tmp_path_factory, test):
    out = _run(_build(tmp_path, sanitize=False, test=test, tmp_factory=tmp_path_factory))
    passed, failed = out.strip().splitlines()[-1].split(" passed, ")
    assert int(passed) > (50 if test == "test_core" else 10) and failed.startswith("0 failed")


@pytest.mark.parametrize("test", UNIT_TESTS)
def test_core_unit_tests_under_sanitizers(tmp_path, tmp_path_factory, test):
    try:
        exe = _build(tmp_path, sanitize=True, test=test, tmp_factory=tmp_path_factory)
    except subprocess.CalledProcessError as exc:
        if os.environ.get("CI") == "true":
            raise AssertionError("the sanitizer build failed in CI:\n" + exc.stderr) from None
        pytest.skip("this compiler cannot build with ASan/UBSan: " + exc.stderr[-200:])
    out = _run(exe)
    assert out.strip().endswith("0 failed")


def test_every_allocation_failure_is_clean(tmp_path, tmp_path_factory):
    """Each allocation of the plan, ledger and convention paths fails in turn: ESS_ENOMEM every
    time, nothing leaked (LeakSanitizer where the compiler has it), then success."""
    try:
        exe = _build(tmp_path, sanitize=True, test="test_alloc", tmp_factory=tmp_path_factory)
    except subprocess.CalledProcessError as exc:
        if os.environ.get("CI") == "true":
            raise AssertionError("the sanitizer build failed in CI:\n" + exc.stderr) from None
        exe = _build(tmp_path, sanitize=False, test="test_alloc", tmp_factory=tmp_path_factory)
    out = _run(exe)
    sites = int(next(l for l in out.splitlines() if l.startswith("allocation failure sites")).split()[-1])
    assert sites > 300 and out.strip().endswith(" 0 failed")


@pytest.mark.skipif(shutil.which("valgrind") is None or os.environ.get("ESSCONV_ASAN_RUN") == "1",
                    reason="valgrind is not installed, or this is the ASan run")
def test_core_under_valgrind_memcheck(tmp_path, tmp_path_factory):
    """The unit tests and the allocation sweep under memcheck: no invalid read or write, no
    use of uninitialised memory, nothing definitely lost."""
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    exes = [_build(tmp_path, sanitize=False, test=test, tmp_factory=tmp_path_factory)
            for test in (*UNIT_TESTS, "test_alloc")]

    def memcheck(exe):
        return subprocess.run(["valgrind", "--error-exitcode=99", "--leak-check=full",
                               "--errors-for-leak-kinds=definite", "-q", str(exe)],
                              capture_output=True, text=True, timeout=900, env=env)

    # one program under memcheck per core (each is single-threaded; the six took ~150 s one
    # after another), every result checked as before, in order
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for exe, proc in zip(exes, pool.map(memcheck, exes)):
            assert proc.returncode == 0, f"{exe.name}: " + proc.stderr[-3000:]
            assert proc.stdout.strip().endswith(" 0 failed"), exe.name


def test_core_has_no_python_h():
    for source in CORE.glob("*.[ch]"):
        assert "Python.h" not in source.read_text(encoding="utf-8"), source
