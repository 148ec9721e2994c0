"""The way in, as a new user takes it: the README's commands in a fresh clone, and the README's
pytest.ini snippet copied as it is."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import essconv

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]


def test_python_m_essconv_in_the_clone_root_uses_the_installed_extension(tmp_path: Path) -> None:
    # `pip install . && python -m essconv` in the root of a clone: the source folder essconv/
    # (sources only, no built extension) comes first on sys.path, the installed copy after it.
    package = Path(essconv.__file__).parent
    clone, site = tmp_path / "clone", tmp_path / "site-packages"
    shutil.copytree(package, clone / "essconv",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd"))
    shutil.copytree(package, site / "essconv", ignore=shutil.ignore_patterns("__pycache__"))
    assert not list((clone / "essconv").glob("_core*.so"))
    # -S: no site-packages, no editable-install finder; only the clone (the current directory of
    # `python -m`) and the "installed" copy on PYTHONPATH after it
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-S", "-m", "essconv"], cwd=clone, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == essconv.default().title
    assert "Traceback" not in done.stderr


def _readme_block(language: str) -> str:
    """The first fenced block of README.md in that language, exactly as a user copies it."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"```{language}\n") + len(f"```{language}\n")
    return text[start:text.index("```", start)]


def test_the_readme_pytest_ini_works_copied_as_it_is(pytester) -> None:
    snippet = _readme_block("ini")
    assert "; " in snippet                         # the inline comments are part of the copy
    (pytester.path / "pytest.ini").write_text(snippet, encoding="utf-8")
    from conftest import annex_lines
    # the fixed Annex passes with a warning (strict is off); the Annex as printed fails
    pytester.makefile(".tsv", **{"plans/plan-2009": _fixed_annex()})
    pytester.makefile(".csv", **{"plans/plan-2010": "\n".join(annex_lines()) + "\n"})
    result = pytester.runpytest("plans", "-rA")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*warning?unknown-funder?*ESE*"])   # essconv_convention = default
    assert "UsageError" not in result.stdout.str() + result.stderr.str()
    strict = pytester.runpytest("plans", "--essconv-strict")
    strict.assert_outcomes(failed=2)


def _fixed_annex() -> str:
    """Annex 1 with its two wrong figures fixed: no error, one warning with the default
    convention (funder ESE is no party of it)."""
    from conftest import annex_lines
    annex = "\n".join(annex_lines()) + "\n"
    fixed = annex.replace("\tObservatoire CRESS\t13\t10\t18\t\t", "\tObservatoire CRESS\t13\t10\t18\t10\t")
    return fixed.replace("1 2618", "1 261")


def test_ini_values_keep_what_precedes_an_inline_comment(pytester) -> None:
    (pytester.path / "pytest.ini").write_text(
        "[pytest]\nessconv_plans = p-*.tsv # plan files, not plan-*\n"
        "essconv_convention = default # the embedded one\n"
        "essconv_strict = yes ; fail on warnings\n", encoding="utf-8")
    pytester.makefile(".tsv", **{"plans/p-2009": _fixed_annex(), "plans/plan-2010": _fixed_annex()})
    result = pytester.runpytest("plans")
    result.assert_outcomes(failed=1)               # strict: the unknown-funder warning fails it
    result.stdout.fnmatch_lines(["*p-2009.tsv*warning?unknown-funder?*ESE*"])


def test_a_strict_value_that_is_not_a_boolean_is_a_usage_error(pytester) -> None:
    (pytester.path / "pytest.ini").write_text("[pytest]\nessconv_strict = maybe ; or not\n",
                                              encoding="utf-8")
    pytester.makefile(".tsv", **{"plans/plan-2009": _fixed_annex()})
    result = pytester.runpytest("plans")
    assert "essconv_strict = 'maybe': expected true or false" in result.stdout.str() + result.stderr.str()
