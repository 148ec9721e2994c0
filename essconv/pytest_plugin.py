"""The pytest plugin: ``pytest plans/`` validates every plan file as a test item.

Registered through the ``pytest11`` entry point.  Settings (pytest.ini / pyproject.toml
``[tool.pytest.ini_options]``):

- ``essconv_plans``: glob patterns of the files to collect (default ``plan*.tsv plan*.csv
  plan*.xlsx``); an empty value collects nothing;
- ``essconv_convention``: a convention description (TOML, relative to the rootdir) to check the
  funder codes against, or ``default`` for the embedded one; none by default;
- ``essconv_strict``: fail on warnings too (also ``--essconv-strict``).

An item fails on error findings and lists them like a compiler (file:line:column, code,
message, suggestion); warnings are shown without failing unless strict.
"""
from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any

import pytest

DEFAULT_PATTERNS = ["plan*.tsv", "plan*.csv", "plan*.xlsx"]


def pytest_addoption(parser: Any) -> None:
    parser.addini("essconv_plans", "glob patterns of financing plan files to validate",
                  type="args", default=DEFAULT_PATTERNS)
    parser.addini("essconv_convention", "convention description (TOML) or 'default'",
                  default="")
    parser.addini("essconv_strict", "fail plan items on warnings too", type="bool",
                  default=False)
    group = parser.getgroup("essconv")
    group.addoption("--essconv-strict", action="store_true", default=None,
                    help="fail plan items on warnings too")
    group.addoption("--essconv-convention", default=None,
                    help="convention description (TOML) or 'default' to check plans against")


def pytest_collect_file(file_path: Path, parent: Any) -> Any:
    patterns = parent.config.getini("essconv_plans")
    if any(fnmatch.fnmatch(file_path.name, p) for p in patterns):
        return PlanFile.from_parent(parent, path=file_path)
    return None


class PlanCheckFailed(Exception):
    """Raised by a plan item; carries the text to show."""


_CONVENTIONS: dict[str, Any] = {}


def _convention(config: Any) -> Any:
    name = config.getoption("essconv_convention") or config.getini("essconv_convention")
    if not name:
        return None
    if name not in _CONVENTIONS:
        import essconv
        if name == "default":
            _CONVENTIONS[name] = essconv.default()
        else:
            path = Path(name)
            if not path.is_absolute():
                path = Path(config.rootpath) / path
            _CONVENTIONS[name] = essconv.load(path)
    return _CONVENTIONS[name]


class PlanFile(pytest.File):
    def collect(self) -> Any:
        yield PlanItem.from_parent(self, name="validate")


class PlanItem(pytest.Item):
    def runtest(self) -> None:
        import essconv
        from essconv.testing import format_findings
        try:
            plan = essconv.read_plan(self.path)
        except essconv.PlanFormatError as exc:
            raise PlanCheckFailed(str(exc)) from None
        report = plan.validate(_convention(self.config))
        strict = self.config.getoption("essconv_strict")
        if strict is None:
            strict = self.config.getini("essconv_strict")
        failing = report.errors + (report.warnings if strict else [])
        text = format_findings(report)
        if failing:
            raise PlanCheckFailed(f"{len(report.errors)} error(s), {len(report.warnings)} "
                                  f"warning(s) in {self.path.name}\n{text}")
        if report.warnings:
            self.add_report_section("call", "essconv warnings", text)

    def repr_failure(self, excinfo: Any, style: Any = None) -> Any:
        if isinstance(excinfo.value, PlanCheckFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Any, int, str]:
        return self.path, 0, f"plan {self.path.name}"
