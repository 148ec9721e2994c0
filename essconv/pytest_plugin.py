"""The pytest plugin: ``pytest plans/`` validates every plan file as a test item.

Registered through the ``pytest11`` entry point.  Settings (pytest.ini / pyproject.toml
``[tool.pytest.ini_options]``):

- ``essconv_plans``: glob patterns of the files to collect (default ``plan*.tsv plan*.csv
  plan*.xlsx``), matched whatever the case (``Plan 2010.XLSX``); an empty value collects nothing;
- ``essconv_convention``: a convention description (TOML, relative to the rootdir) to check the
  funder codes against, or ``default`` for the embedded one; none by default;
- ``essconv_strict``: fail on warnings too (also ``--essconv-strict``);
- ``essconv_lang``: the language of the findings listed, ``en`` (the default, as ``essconv
  validate`` lists them) or ``fr`` (worded for the committee; also ``--essconv-lang``).

Inline comments are read the way pytest users write them in ``pytest.ini``: from a ``;`` or ``#``
that follows whitespace to the end of the line (``essconv_strict = false   ; true fails on
warnings`` is ``false``).

An item fails on error findings and lists them like a compiler (file:line:column, code,
message, suggestion); warnings are shown without failing unless strict.
A plan file that is a symbolic link leading nowhere (dangling or looping), which pytest's own
walk passes over, is an item that fails saying where the link points.
"""
from __future__ import annotations

import errno
import fnmatch
import os
import re
from pathlib import Path
from typing import Any

import pytest

DEFAULT_PATTERNS = ["plan*.tsv", "plan*.csv", "plan*.xlsx"]


def pytest_addoption(parser: Any) -> None:
    parser.addini("essconv_plans", "glob patterns of financing plan files to validate",
                  type="args", default=DEFAULT_PATTERNS)
    parser.addini("essconv_convention", "convention description (TOML) or 'default'",
                  default="")
    # a string, read by _ini_flag: pytest's own bool would refuse a value with an inline comment
    parser.addini("essconv_strict", "fail plan items on warnings too", default="false")
    parser.addini("essconv_lang", "the language of the findings listed: en or fr", default="en")
    group = parser.getgroup("essconv")
    group.addoption("--essconv-strict", action="store_true", default=None,
                    help="fail plan items on warnings too")
    group.addoption("--essconv-convention", default=None,
                    help="convention description (TOML) or 'default' to check plans against")
    group.addoption("--essconv-lang", default=None, choices=("en", "fr"),
                    help="the language of the findings listed (en by default)")


# iniconfig keeps everything after `=` as the value; a `;` or `#` after whitespace (or opening the
# value) starts a comment for the reader of a pytest.ini, so it does for these settings
_INLINE_COMMENT = re.compile(r"(?:^|\s)[;#]")


def _ini_text(config: Any, name: str) -> str:
    return _INLINE_COMMENT.split(str(config.getini(name)), maxsplit=1)[0].strip()


def _ini_patterns(config: Any) -> list[str]:
    # pytest has split the value as a shell would: the comment's words are tokens after the first
    # one that opens with `;` or `#` (a TOML list has no comment inside it)
    patterns: list[str] = []
    for token in config.getini("essconv_plans"):
        if token.startswith((";", "#")):
            break
        patterns.append(token)
    return patterns


def _ini_flag(config: Any, name: str) -> bool:
    text = _ini_text(config, name).lower()
    if text in ("true", "yes", "y", "on", "1", "t"):
        return True
    if text in ("false", "no", "n", "off", "0", "f", ""):
        return False
    raise pytest.UsageError(f"{name} = {text!r}: expected true or false")


def _lang(config: Any) -> str:
    lang = config.getoption("essconv_lang") or _ini_text(config, "essconv_lang") or "en"
    if lang not in ("en", "fr"):
        raise pytest.UsageError(f"essconv_lang = {lang!r}: expected en or fr")
    return lang


def pytest_configure(config: Any) -> None:
    _lang(config)   # a language it cannot speak stops the run at once, as a usage error


def pytest_collect_file(file_path: Path, parent: Any) -> Any:
    patterns = _ini_patterns(parent.config)
    # case folded, as on Windows: "Plan 2010.xlsx" or "PLAN-2010.CSV" (Excel users' names)
    # went uncollected on Linux and macOS CI -- never validated, and the run still passed
    name = file_path.name.casefold()
    if any(fnmatch.fnmatchcase(name, p.casefold()) for p in patterns):
        return PlanFile.from_parent(parent, path=file_path)
    return None


def _broken_link(path: Path) -> tuple[str, bool] | None:
    """(where it points, whether it loops) when ``path`` is a symbolic link that leads to no
    file; None otherwise."""
    if not os.path.islink(path):
        return None
    try:
        os.stat(path)
        return None
    except OSError as exc:
        return os.readlink(path), exc.errno == errno.ELOOP


@pytest.hookimpl(hookwrapper=True)   # (the old style: pluggy before 1.2 knows no other)
def pytest_make_collect_report(collector: Any) -> Any:
    """pytest's directory walk passes over a symbolic link that leads nowhere (dangling, or
    looping): a plan file named as the patterns say but so linked was silently never validated,
    and the run passed.  Each such link of a directory walked becomes a plan item that fails
    saying where it points.  (pytest 8 and later: pytest 7 has no directory nodes to hook.)"""
    outcome = yield
    report = outcome.get_result()
    directory = getattr(pytest, "Directory", None)
    if directory is not None and isinstance(collector, directory) and report.outcome == "passed":
        patterns = _ini_patterns(collector.config)
        try:
            entries = sorted(os.scandir(collector.path), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            name = entry.name.casefold()
            path = Path(entry.path)
            if not any(fnmatch.fnmatchcase(name, p.casefold()) for p in patterns) or \
                    _broken_link(path) is None or \
                    collector.ihook.pytest_ignore_collect(collection_path=path,
                                                          config=collector.config):
                continue
            report.result.append(PlanFile.from_parent(collector, path=path))


class PlanCheckFailed(Exception):
    """Raised by a plan item; carries the text to show."""


_CONVENTIONS: dict[str, Any] = {}


def _convention(config: Any) -> Any:
    """The configured convention, loaded once; a description it refuses is raised again (the
    same essconv.Error) for every plan checked against it, never loaded twice."""
    name = config.getoption("essconv_convention") or _ini_text(config, "essconv_convention")
    if not name:
        return None
    if name != "default":
        path = Path(name)
        if not path.is_absolute():
            path = Path(config.rootpath) / path
        name = str(path)   # one cache entry a file: two projects' "conv.toml" are two files
    key: Any = name
    if name != "default":
        try:   # and a file changed (a run in the same process after an edit) is read again
            key = (name, os.stat(name).st_mtime_ns)
        except OSError:
            pass   # essconv.load says what is wrong with it
    if key not in _CONVENTIONS:
        import essconv
        try:
            if name == "default":
                _CONVENTIONS[key] = essconv.default()
            else:
                _CONVENTIONS[key] = essconv.load(name)
        except (essconv.Error, OSError) as exc:
            _CONVENTIONS[key] = exc
    if isinstance(_CONVENTIONS[key], BaseException):
        raise _CONVENTIONS[key]
    return _CONVENTIONS[key]


def _reading_warnings(kept: list, path: str, lang: str) -> list[str]:
    """The warnings given while a plan was read, each one line as a finding is listed:
    ``plan.csv:3:12: warning: mostly UTF-8, but 1 byte ...``, in the findings' language."""
    from essconv.messages import language
    words = language(lang)
    lines = []
    for warning in kept:
        name = getattr(warning, "path", None) or path
        place = ":".join([name] + [str(n) for n in (getattr(warning, "line", 0),
                                                      getattr(warning, "column", 0)) if n])
        said = words.warning(warning, path=path)
        if said.startswith(place + words.colon):
            said = said[len(place + words.colon):]
        lines.append(f"{place}{words.colon}{words.severity('warning')}{words.colon}{said}")
    return lines


class PlanFile(pytest.File):
    def collect(self) -> Any:
        yield PlanItem.from_parent(self, name="validate")


class PlanItem(pytest.Item):
    def runtest(self) -> None:
        import essconv
        from essconv.testing import failure_headline, format_findings
        from essconv.errors import warnings_kept_aside
        lang = _lang(self.config)
        broken = _broken_link(self.path)
        if broken is not None:   # a link leading nowhere: said as such, not "no such file"
            from essconv.messages import broken_link_said
            english, french = broken_link_said(self.path.name, *broken)
            raise PlanCheckFailed(french if lang == "fr" else english)
        try:
            # the reader's warnings (a CP1252 byte in a UTF-8 file...) are the plan's: kept
            # aside and listed with its findings, failing it under strict -- given as Python
            # warnings they went to pytest's summary in English, passed a strict run, and
            # under `filterwarnings = error` raised through essconv's internals
            with warnings_kept_aside() as read_warnings:
                plan = essconv.read_plan(self.path)
        except essconv.Error as exc:
            # every refusal of a plan file (a corrupt .xlsx is a ParseError, not a
            # PlanFormatError) is one line naming the file, never an internal traceback; in the
            # findings' language (a broken table's head was English under essconv_lang = fr)
            from essconv.messages import language
            text = language(lang).refusal(exc)
            raise PlanCheckFailed(text if self.path.name in text else f"{self.path}: {text}") from None
        except OSError as exc:
            # a plan the system will not give when its item runs (removed since collection,
            # become a directory, unreadable): one line naming it, in the findings' language,
            # as a description refused below -- it was a page of internals and "[Errno 2]"
            from essconv.messages import language
            if exc.filename is None:
                exc.filename = str(self.path)
            raise PlanCheckFailed(language(lang).os_refusal(exc)) from None
        try:
            convention = _convention(self.config)
        except (essconv.Error, OSError) as exc:
            # a description it refuses (a key missing, an inline plan whose `unit` contradicts
            # its table's header...) fails each plan in one line naming the description, in
            # the findings' language: it was a traceback of essconv's internals, in English
            # under essconv_lang = fr
            from essconv.messages import language
            words = language(lang)
            raise PlanCheckFailed(words.refusal(exc) if isinstance(exc, essconv.Error)
                                  else words.os_refusal(exc)) from None
        try:
            report = plan.validate(convention)
        except essconv.MoneyOverflowError:
            # a compiler-like line naming the sums at fault, not the core's traceback, in the
            # findings' language
            from essconv.testing import overflow_text
            raise PlanCheckFailed(overflow_text(plan, lang)) from None
        strict = self.config.getoption("essconv_strict")
        if strict is None:
            strict = _ini_flag(self.config, "essconv_strict")
        read_said = _reading_warnings(read_warnings, str(self.path), lang)
        failing = report.errors + (report.warnings + read_said if strict else [])
        text = "\n".join(t for t in [*read_said, format_findings(
            report, lang=lang, plan=plan, convention=convention)] if t)
        if failing:
            headline = failure_headline(report, self.path.name, lang, trailing=True,
                                        more_warnings=len(read_said))
            raise PlanCheckFailed(f"{headline}\n{text}")
        if report.warnings or read_said:
            self.add_report_section("call", "essconv warnings", text)

    def repr_failure(self, excinfo: Any, style: Any = None) -> Any:
        if isinstance(excinfo.value, PlanCheckFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Any, int, str]:
        return self.path, 0, f"plan {self.path.name}"
