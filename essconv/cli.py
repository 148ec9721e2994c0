"""The command line: ``essconv`` and ``python -m essconv``.

    essconv                         report on the embedded 2009–2013 convention
    essconv report [--convention FILE.toml] [--plan FILE] [--grants FILE] [--format text|json]
                   [--html OUT.html] [--lang fr|en]
    essconv validate FILE... [--lang fr|en]   exit 1 when a finding is an error, 0 when clean, 2 on
                                    unusable input (English compiler-style listing without --lang)
    essconv aggregate FILE --by funder,axis   (a plan; a ledger with --amount; an SCDL file)
                   [--sort sum] [--top 10 [--others]] [--share] [--cumulative] [--total]
                   [--to csv|xlsx -o OUT] [--lang fr|en]
    essconv aggregate FILE --by 'year(dateConvention)' --where 'nomBeneficiaire~insertion'
    essconv aggregate FILE --by annee --amount montant --ints annee [--dates dateConvention]
    essconv convert FILE --to csv|tsv|json|xlsx [-o OUT] [--no-formula-guard]
    essconv calendar [--year 2010] [--ics] [--lang fr|en]
"""
from __future__ import annotations

import argparse
import datetime as _dt
import functools
import json
import operator
import os
import re
import shlex
import sys
import warnings
from typing import Sequence

from .errors import (ConditionError, Error, EssconvWarning, InputClosedError,
                     NoLineColumnWarning, NothingMatchedWarning, OutputClosedError, ParseError,
                     MoneyOverflowError, UnknownColumnError,
                     UnknownLabelWarning, give_warning, names_listed, warnings_kept_aside)
from .messages import LANGUAGES, language, read_line, shown as _shown, view_label   # a label as a terminal shows it
from .money import INT64_CENTS_EN, INT64_CENTS_FR, INT64_FLOOR_CENTS_EN, INT64_FLOOR_CENTS_FR


#: the exit status when the reader of the standard output left (`essconv ... | head -1`)
EXIT_BROKEN_PIPE = 141


def _write_out(text: str, chunk: int = 1 << 16) -> None:
    """``text`` on the standard output, in pieces: one write of megabytes that a reader leaving
    cut short returned a partial count without raising (CPython's buffered writer), so that
    `essconv aggregate ... --to csv | head -1` exited 0 having written a part of its output."""
    for start in range(0, len(text), chunk):
        sys.stdout.write(text[start:start + chunk])


def _usage(message: str) -> SystemExit:
    """A command line that cannot run as given: the message on stderr and exit status 2, as
    argparse's own usage errors and an unusable file (SystemExit(message) exited 1, the status
    `validate` gives a plan with an error finding)."""
    print(message, file=sys.stderr)
    return SystemExit(2)


def _convention(path: str | None):
    from .description import default, load
    return load(path) if path else default()


def _needs(args: argparse.Namespace, pairs) -> None:
    """Options that only change what another option does, given without it: each was ignored
    without a word (--others with no --top printed no others line, and the analyst took the
    table for the whole), refused now in the command's language, exit 2.  ``pairs``: (the
    option's dest, as written, the dest it needs, as written)."""
    words = language(args.lang)
    for dest, option, needed, needed_option in pairs:
        given = getattr(args, dest)
        if given not in (None, False) and getattr(args, needed) in (None, False):
            raise _usage(words.say(f"essconv: {option} va avec {needed_option}, qui manque",
                                   f"essconv: {option} goes with {needed_option}, which is "
                                   f"not given"))


def _refuse_unguarded_without_csv(args: argparse.Namespace, delimited: tuple[str, ...]) -> None:
    """--no-formula-guard changes a delimited export alone (csv, tsv): the terminal's table, an
    .xlsx (every label a text cell, never a formula) and JSON take none, and the option was
    ignored without a word there, the analyst believing the cells verbatim.  Refused, exit 2,
    in the command's language, before the file is read."""
    if args.formula_guard or args.to in delimited:
        return
    wanted = " ou ".join(f"--to {d}" for d in delimited)
    wanted_en = " or ".join(f"--to {d}" for d in delimited)
    why = {"xlsx": (" (un .xlsx tient chaque libellé en texte, jamais en formule)",
                    " (an .xlsx holds every label as text, never a formula)"),
           "json": (" (un JSON n'a pas de formule)", " (JSON has no formula)")}
    fr, en = why.get(args.to, ("", ""))
    raise _usage(language(args.lang).say(
        f"essconv: --no-formula-guard va avec {wanted}"
        + (f", pas --to {args.to}{fr}" if args.to else ", qui manque"),
        f"essconv: --no-formula-guard goes with {wanted_en}"
        + (f", not --to {args.to}{en}" if args.to else ", which is not given")))


def _is_workbook(path: str) -> bool:
    """Is FILE an .xlsx plan (by its name, else by its first bytes: standard input, a workbook
    named otherwise)?  A file that cannot be opened is left to the reader to refuse."""
    if path.lower().endswith((".xlsx", ".xlsm")):
        return True
    try:
        if path == "-":
            return bytes(_source(path)[:4]) == b"PK\x03\x04"
        with open(path, "rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return True


def _refuse_sheet_without_workbook(args: argparse.Namespace, paths: Sequence[str]) -> None:
    """--sheet chooses an .xlsx plan's sheet: given where no .xlsx plan is read (a text plan,
    a ledger), it would change nothing, and is refused as the options that change nothing are
    (_needs), exit 2, in the command's language, before anything is read."""
    if args.sheet is None or any(_is_workbook(p) for p in paths):
        return
    words = language(args.lang or ("en" if args.command == "validate" else "fr"))
    sheet = shlex.quote(args.sheet)
    raise _usage(words.say(
        f"essconv: --sheet {sheet} choisit la feuille d'un plan .xlsx, et aucun plan .xlsx "
        f"n'est lu ici",
        f"essconv: --sheet {sheet} chooses the sheet of an .xlsx plan, and no .xlsx plan is "
        f"read here"))


def _plan_sheet(args: argparse.Namespace, path: str) -> "str | None":
    """The sheet= of FILE: --sheet for a workbook, none for a text plan beside it."""
    return args.sheet if args.sheet is not None and _is_workbook(path) else None


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import render_json, render_text
    _needs(args, (("plan_year", "--plan-year", "plan", "--plan FILE"),
                  ("sheet", "--sheet", "plan", "--plan FILE")))
    _refuse_sheet_without_workbook(args, args.plan or [])
    words = language(args.lang)   # the report's language, for its refusals too
    if args.html and args.format == "json":
        # the dashboard was written and --format json dropped without a word
        raise _usage(words.say(
            "essconv: --html écrit le tableau de bord, --format json le rapport en JSON : l'un "
            "ou l'autre",
            "essconv: --html writes the dashboard, --format json the report as JSON: one or "
            "the other"))
    conv = _convention(args.convention)
    given: dict[int, str] = {}   # the --plan file that gave each year
    for plan_path in args.plan or []:
        from .plan import read_plan
        plan = _read(read_plan, plan_path, decimal=args.decimal,   # "-": standard input
                     sheet=_plan_sheet(args, plan_path), dash_is_zero=args.dash_is_zero)
        if args.plan_year is not None and plan.year not in (None, args.plan_year):
            # two years for one plan: neither taken silently
            raise _usage(words.say(
                f"essconv: {plan_path} : son nom ou son titre dit {plan.year}, --plan-year "
                f"dit {args.plan_year}",
                f"essconv: {plan_path}: its name or title says {plan.year}, --plan-year says "
                f"{args.plan_year}"))
        if plan.year is None and args.plan_year is not None:
            # a plan on standard input has no name to take its year from (nor one whose name
            # and title say none): --plan-year gives it, as a name such as plan-2010.csv does
            plan.year = args.plan_year
        if plan.year is None:
            raise _usage(words.say(
                f"essconv: {plan_path} : ni son nom ni son titre ne donnent l'année du plan ; "
                f"dites-la avec --plan-year ANNÉE (une année de la convention : "
                f"{', '.join(map(str, conv.years))})",
                f"essconv: {plan_path}: neither its name nor its title gives the plan's year; "
                f"say it with --plan-year YEAR (a year of the convention: "
                f"{', '.join(map(str, conv.years))})"))
        if plan.year in given:
            # one plan per year: the second replaced the first without a word, and the report
            # spoke of one file of the two
            raise _usage(words.say(
                f"essconv: {plan_path} : le plan {plan.year} est déjà donné par "
                f"{given[plan.year]} ; un seul plan par année",
                f"essconv: {plan_path}: the {plan.year} plan is already given by "
                f"{given[plan.year]}; one plan a year"))
        given[plan.year] = plan_path
        # a file given for a year the description already has a plan for (the embedded 2009
        # Annex 1) is the one the user wants reported: it takes that plan's place, while two
        # files for one year are refused above
        conv.add_plan(plan, replace=True)
    executions = []
    for grants in args.grants or []:
        from .report import execution_notes, nothing_matched_reasons
        from .scdl import read_scdl
        ledger = _read(read_scdl, grants, decimal=args.decimal, dash_is_zero=args.dash_is_zero)
        for year in conv.plans:
            with warnings.catch_warnings(record=True) as said:   # said once, plainly
                warnings.simplefilter("always", EssconvWarning)
                ex = conv.execution(year, ledger)
            executions.append(ex)
            for w in said:   # in the report's language: a French report warned in English
                if isinstance(w.message, NothingMatchedWarning):
                    text = (words.text("nothing_matched", year=year) + words.colon
                            + words.say(" ; ", "; ").join(nothing_matched_reasons(ex, words))
                            + ".")
                elif isinstance(w.message, NoLineColumnWarning):
                    text = " ".join(execution_notes(ex, words))
                else:
                    text = str(w.message)
                print(f"essconv{words.colon}{words.severity('warning')}{words.colon}{grants}"
                      f"{words.colon}{text}", file=sys.stderr)
    if args.html:
        from .dashboard import render
        with open(args.html, "w", encoding="utf-8") as fh:
            fh.write(render(conv, executions=executions, lang=args.lang))
        print(language(args.lang).say(f"tableau de bord écrit : {args.html}",
                                      f"dashboard written to {args.html}"))
        return 0
    if args.format == "json":   # one JSON document, the executions in it
        data = json.loads(render_json(conv, lang=args.lang))
        if executions:
            data["executions"] = [ex.to_dict(lang=args.lang) for ex in executions]
        _write_out(json_text(data))
        return 0
    _write_out(render_text(conv, lang=args.lang))
    from .report import execution_lines
    for ex in executions:   # a blank line before it, as before every section of the report
        _write_out("\n" + "\n".join(execution_lines(ex, language(args.lang))) + "\n")
    return 0


_STDIN: list[bytes] = []


def _source(path: str) -> "str | bytes":
    """What a reader takes for FILE: its path, or for ``-`` the bytes of standard input, read
    once (``... | essconv validate -``: "- : fichier ou dossier introuvable")."""
    if path != "-":
        return path
    if not _STDIN:
        if sys.stdin is None:   # started with its standard input closed (`<&-`): a traceback
            raise InputClosedError("standard input closed", path="-", reason=("stdin-closed",))
        _STDIN.append(sys.stdin.buffer.read())
    return _STDIN[0]


#: the FILE being read (its warnings name it when they carry no name: standard input's bytes)
_READING: list[str] = []
#: the warnings said so far, each said once (two readings of one file warned twice)
_SAID: set = set()


def _say_warning(warning: EssconvWarning, lang: str) -> None:
    """A warning of essconv as the command line's other messages: one line on stderr, in the
    output's language, naming the file (and line:column where it knows them), said once.
    Python's warning display printed it in English whatever --lang said, with a line of
    essconv's source under it, and a second time when a file was read twice."""
    words = language(lang)
    said = words.warning(warning, path=_READING[-1] if _READING else None)
    key = (type(warning), said)
    if key in _SAID:
        return
    _SAID.add(key)
    print(_shown_lines(f"essconv{words.colon}{words.severity('warning')}{words.colon}{said}"),
          file=sys.stderr)


def _read(reader, path: str, **options):
    """``reader(FILE, **options)`` for a FILE of the command line, standard input named ``-``
    in what it says: read as bytes, which carry no name, it was ":1:1:" in a refusal, "<plan>"
    in a plan's findings, "<table>" under a broken plan, "<scdl>" in a grant file's report, while
    its rows set aside said "-:2:3:", the name the command line was given."""
    _READING.append(path)
    try:
        result = reader(_source(path), **options)
    except Error as exc:
        if path == "-" and not getattr(exc, "path", None):
            exc.path = "-"
        raise
    finally:
        _READING.pop()
    if path == "-" and getattr(result, "path", "-") is None:
        result.path = "-"   # a plan's findings and a grant file's report take it from here
        findings = getattr(result, "findings", None)
        if isinstance(findings, list):   # a grant file's findings carry their own (frozen)
            import dataclasses
            result.findings = [dataclasses.replace(f, path="-") if f.path is None else f
                               for f in findings]
    return result


def _is_grant_file(path: str) -> bool:
    """Does the file's header look like an SCDL grant file's (any of its column spellings)?"""
    from .scdl import header_of, is_scdl_header
    if path.lower().endswith((".xlsx", ".xlsm", ".toml")):
        return False
    from .files import open_packed
    if path == "-":
        head = _source(path)[:1 << 16]
    else:
        with open_packed(path) as packed:   # grants.csv.gz: the header of its content
            if packed is not None:
                head = packed.stream.read(1 << 16)
            else:
                with open(path, "rb") as fh:
                    head = fh.read(1 << 16)
    try:
        return is_scdl_header(header_of(head))
    except Error:
        return False


def _plain(text: str) -> str:
    """Plain spaces for a terminal's aligned table (French typography's no-break ones)."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def _shown_lines(text: str) -> str:
    """A message of one or more lines (a refusal and the problems listed under it) as a
    terminal shows it: each line's control characters escaped as :func:`_shown` does, the
    line ends between them kept.  A label or a cell quoted in a message reached the terminal as
    it is: "\x1b[2J" cleared the screen, U+202E turned the rest of the line backwards."""
    return "\n".join(_shown(line) for line in text.split("\n"))


# the Python argument a message names ("dites-le avec decimal=','"), where the command line
# has an option of its own to say it
_DECIMAL_ARGUMENT = re.compile(r"decimal=(['\"])([.,])\1")


#: the Python call a workbook's refusal names to choose its sheet ("read_plan(..., sheet='Plan')")
_SHEET_ARGUMENT = re.compile(r"read_plan\(\.\.\., sheet=('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\)")


def _sheet_said(match: "re.Match[str]") -> str:
    """``read_plan(..., sheet='Plan 2021')`` as the option that does it here, quoted for a
    shell: ``--sheet 'Plan 2021'``."""
    import ast
    return f"--sheet {shlex.quote(ast.literal_eval(match.group(1)))}"


def _with_cli_options(text: str) -> str:
    """A reader's message as the command line says it: ``decimal=','``, the Python argument
    the message names, is ``--decimal ,`` here, ``read_plan(..., sheet='Plan')`` (a
    workbook's sheet with no plan) is ``--sheet Plan``, and ``dash_is_zero=True`` (a dash alone
    in a plan's cell or a ledger's amount) is ``--dash-is-zero``, the options that do the same
    on every command reading a plan or a ledger (the message sent the analyst looking for an
    option the CLI does not have).  Every output of the command line names them so: its text
    listing, its refusals and its JSON.  So is ``short_rows="blank"`` (rows Excel wrote short
    of their blank last cells), ``--short-rows blank``."""
    text = _SHEET_ARGUMENT.sub(_sheet_said, text)
    text = _DECIMAL_ARGUMENT.sub(lambda m: f"--decimal {m.group(2)}", text)
    text = text.replace('short_rows="blank"', "--short-rows blank")
    return text.replace("dash_is_zero=True", "--dash-is-zero")


def json_text(data) -> str:
    """JSON as essconv writes it, invisible characters escaped (:func:`essconv.report.json_text`,
    the one function the Python API's ``render_json`` uses too), imported when a command writes
    JSON."""
    from .report import json_text as written
    return written(data)


def _print_table(headers: list[str], rows: list[list[str]], numeric_from: int) -> None:
    """Columns aligned, labels on the left and every figure column (from ``numeric_from`` on)
    on the right, units and decimal marks under one another: what a person reads in a
    terminal (only the last column was right-aligned: a share's figures ragged under a sum's).
    A label's line break reads as a space, as in the report; other control characters are
    shown, never obeyed (:func:`essconv.messages.read_line`)."""
    # a label past 80 characters as its first 79 and « … » (a name pasted with its address
    # pushed the figures off the terminal), the figures whole
    # and each label guarded as `convert --to tsv` guards it (guard_label, the one rule):
    # redirected to a file, a line starting "=HYPERLINK(...)", "@SUM(A1)", "+1" or "-1+2" (a
    # key, or a column's name heading the table) ran as a formula in the spreadsheet opening it
    from .export import guard_label
    headers = [guard_label(read_line(view_label(h))) for h in headers]
    rows = [[guard_label(read_line(view_label(c))) if k < numeric_from else read_line(c)
             for k, c in enumerate(r)] for r in rows]
    widths = [max(len(h), *(len(r[k]) for r in rows)) if rows else len(h)
              for k, h in enumerate(headers)]
    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if k >= numeric_from else c.ljust(w)
                         for k, (c, w) in enumerate(zip(cells, widths))).rstrip()
    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))


_WHERE = re.compile(r"^\s*([^~^!=<>]+?)\s*(~|\^=|!=|<=|>=|=|<|>)\s*(.*?)\s*$")
# the tests that bound an int, date or amount column: >= and <= keep their value, > and < start
# one unit past it (a cent, a day, one), so that every test of a column is one inclusive range
_BOUNDS = ("<", "<=", ">", ">=")


def _where_conditions(wheres: list[str], ledger, words=None) -> dict:
    """``--where`` tests as ``Ledger.filter`` keywords: on a label column ``~`` contains and
    ``^=`` starts with (both ignoring case and accents), ``=`` and ``!=`` compare whole labels;
    on another column ``=`` is its value (``annee=2017``, ``dateConvention=2017-03-04`` or
    ``dateConvention=04/03/2017``, in the order the file writes its dates, as ``Ledger.filter``
    reads it); nothing after ``=`` is the records with no value (after ``!=``, on a label
    column, those with one).  ``>=``, ``<=``, ``>`` and ``<`` bound an int, date or amount
    column (``montant>=23000``, ``dateConvention<2018-01-01``), its bounds one range.  The
    tests of one column all hold (and).  A test it cannot read is refused in ``words``'s
    language (the output's)."""
    from . import conditions
    words = words or language("en")
    by_column: dict[str, list] = {}
    bounds: dict[str, list] = {}   # column -> [lowest units kept or None, highest or None]
    for where in wheres:
        match = _WHERE.match(where)
        if match is None:
            raise ConditionError(words.say(
                f"--where {words.quote(where)} : écrivez COLONNE~TEXTE (contient), COLONNE^=TEXTE "
                f"(commence par), COLONNE=VALEUR, COLONNE!=VALEUR ou une borne COLONNE>=VALEUR "
                f"(et <=, >, <)",
                f"--where {where!r}: write COLUMN~TEXT (contains), COLUMN^=TEXT "
                f"(starts with), COLUMN=VALUE, COLUMN!=VALUE or a bound COLUMN>=VALUE "
                f"(and <=, >, <)"))
        column, op, value = match.groups()
        if column not in ledger.columns:
            raise UnknownColumnError(f"no column {column!r}; the ledger's columns: "
                                     f"{names_listed(ledger.columns)}",
                                     column=column, columns=ledger.columns)
        if value == "" and op in ("~", "^=") and ledger.kinds[column] == "label":
            # the text forgotten: every label contains "", so the test kept every record with a
            # label and left out those without one, silently (a total that looked whole)
            raise ConditionError(words.say(
                f"--where {words.quote(where)} : aucun texte après {op} ; ce test garderait "
                f"tout enregistrement portant un libellé et écarterait sans le dire ceux "
                f"« (vide) » : écrivez le texte cherché, ou {column}= pour les enregistrements "
                f"sans valeur",
                f"--where {where!r}: no text after {op}; this test would keep every record "
                f"holding a label and silently leave out the \"(blank)\" ones: write the text "
                f"sought, or {column}= for the records with no value"))
        if value == "" and op in ("=", "!="):
            # nothing after the sign is the records with no value, those the listing shows
            # « (vide) »: 'idRAE=' keeps them (it warned "no label ''" and kept nothing, and
            # on a date column was refused), 'idRAE!=' the others; an amount is never
            # missing, and a blank one is refused below, saying so
            if ledger.kinds[column] in ("int", "date") and op == "=" and column not in by_column:
                by_column[column] = [None]
                continue
            if ledger.kinds[column] == "label":
                test = conditions.one_of([None])
                by_column.setdefault(column, []).append(test if op == "=" else ~test)
                continue
        if op in _BOUNDS:
            _add_bound(bounds, where, column, op, value, ledger, words,
                       equal=column in by_column)
            continue
        if ledger.kinds[column] != "label":
            if op != "=" or column in by_column or column in bounds:
                raise ConditionError(words.say(
                    f"--where {words.quote(where)} : {words.quote(column)} ne contient pas de "
                    f"libellés : seul un test {column}=VALEUR, ou des bornes {column}>=BAS et "
                    f"{column}<=HAUT (> et < exclues), s'y applique",
                    f"--where {where!r}: {column!r} holds no labels: only one "
                    f"{column}=VALUE, or bounds {column}>=LOW and {column}<=HIGH (> and < "
                    f"exclusive), applies to it"))
            by_column[column] = [value]
            continue
        test = {"~": lambda: conditions.contains(value, ignore_case=True, ignore_accents=True),
                "^=": lambda: conditions.startswith(value, ignore_case=True, ignore_accents=True),
                "=": lambda: conditions.one_of([value]),
                "!=": lambda: ~conditions.one_of([value])}[op]()
        by_column.setdefault(column, []).append(test)
    for column, (low, high) in bounds.items():
        by_column[column] = [_bounds_kept(column, low, high, wheres, ledger, words)]
    return {column: tests[0] if len(tests) == 1 else functools.reduce(operator.and_, tests)
            for column, tests in by_column.items()}


def _add_bound(bounds: dict[str, list], where: str, column: str, op: str, value: str, ledger,
               words, equal: bool) -> None:
    """``COLUMN>=VALUE`` (or <=, >, <) narrowing the column's range in ``bounds``, in its own
    units: ``montant>23000`` keeps from 23 000,01 € on, ``dateConvention<2018-01-01`` up to
    31 December 2017.  A value the column cannot hold is refused as ``filter`` refuses it."""
    kind = ledger.kinds[column]
    if kind == "label":   # "2017" < "9": labels have no order a test could mean
        raise ConditionError(words.say(
            f"--where {words.quote(where)} : {words.quote(column)} contient des libellés : "
            f"{op} compare des entiers, des dates ou des montants ; écrivez {column}=LIBELLÉ, "
            f"{column}~TEXTE ou {column}^=TEXTE",
            f"--where {where!r}: {column!r} holds labels: {op} compares ints, dates or "
            f"amounts; write {column}=LABEL, {column}~TEXT or {column}^=TEXT"))
    if value == "":
        raise ConditionError(words.say(
            f"--where {words.quote(where)} : aucune valeur après {op}",
            f"--where {where!r}: no value after {op}"))
    if equal:   # an =, then a bound: one of them says nothing, or the two keep nothing
        raise ConditionError(words.say(
            f"--where {words.quote(where)} : {words.quote(column)} a déjà un test "
            f"{column}=VALEUR : des bornes ne s'y ajoutent pas",
            f"--where {where!r}: {column!r} already has a {column}=VALUE test: bounds do not "
            f"add to it"))
    from .ledger import column_units
    units = column_units(ledger, column, value)
    low, high = bounds.setdefault(column, [None, None])
    if op in (">", ">="):
        units += op == ">"
        bounds[column][0] = units if low is None else max(low, units)
    else:
        units -= op == "<"
        bounds[column][1] = units if high is None else min(high, units)


def _bounds_kept(column: str, low, high, wheres: list[str], ledger, words) -> tuple:
    """The pair ``Ledger.filter`` takes for a column's bounds; bounds that no value meets
    (``montant>100`` and ``montant<50``, or past what the column holds) are refused: they
    would print a total of 0 € for a filter written wrong."""
    from .ledger import column_value

    def keeps_nothing() -> ConditionError:
        mine = [w for w in wheres
                if (m := _WHERE.match(w)) and m.group(1) == column and m.group(2) in _BOUNDS]
        return ConditionError(words.say(
            " ".join(f"--where {words.quote(w)}" for w in mine) + f" : aucune valeur de "
            f"{words.quote(column)} ne passe ces bornes : ce filtre ne garderait aucun "
            f"enregistrement",
            " ".join(f"--where {w!r}" for w in mine) + f": no value of {column!r} meets these "
            f"bounds: this filter would keep no record"))
    if (low is not None and high is not None and low > high) or \
            any(u is not None and not -(2**63) <= u < 2**63 for u in (low, high)):
        raise keeps_nothing()   # (one past int64's ends: a strict bound at an end)
    try:
        return (None if low is None else column_value(ledger, column, low),
                None if high is None else column_value(ledger, column, high))
    except OverflowError:   # a day past 9999-12-31
        raise keeps_nothing() from None


def _say_unknown_labels(wheres: list[str], ledger, words, path: str = "-") -> None:
    """A ``--where COLUMN=LABEL`` naming a label the column never held (a typo, a missing
    accent) kept no record and printed a total of 0 € without a word: said on stderr in the
    listing's language, with the closest labels the column holds.  A ``COLUMN!=LABEL`` naming
    one is said too: it kept every record without a word (a typo for the grants to leave out,
    still in the total), where ``Ledger.filter(COLUMN=~one_of([LABEL]))`` warns."""
    for where in wheres:
        match = _WHERE.match(where)
        if match is None or match.group(2) not in ("=", "!="):
            continue
        column, op, value = match.groups()
        if value == "" or column not in ledger.columns or ledger.kinds[column] != "label" or \
                ledger.has_label(column, value):   # nothing after the sign: no value
            continue
        close = ", ".join(words.quote(c) for c in ledger.close_labels(column, value))
        # a label only rows set aside (or left out) held was read: said so, as the ledger's
        # UnknownLabelWarning says it, not "no label"
        read = value in ledger.dictionary(column)   # the dictionary keeps every label read
        # the label asked and the close ones, as a terminal shows them (they come from the
        # file, or the command line, and may hold an escape sequence or a line break)
        # as every warning of the command line: "essconv: warning: FILE: ..." (it said
        # "attention, COLUMN" and named no file)
        print(_shown(words.say(f"essconv : avertissement : {path} : --where {column} : "
                        + (f"aucune ligne ne porte le libellé {words.quote(value)} (seules des "
                           f"lignes écartées à la lecture ou laissées de côté par un filtre le "
                           f"portaient)" if read else f"aucun libellé {words.quote(value)}")
                        + (f" (proche : {close})" if close else "")
                        + (" ; ce test ne retient aucun enregistrement" if op == "=" else
                           " ; ce test n'écarte aucun enregistrement"),
                        f"essconv: warning: {path}: --where {column}: "
                        + (f"no row holds the label {words.quote(value)} (only rows set aside "
                           f"when read or left out by a filter did)" if read
                           else f"no label {words.quote(value)}")
                        + (f" (close: {close})" if close else "")
                        + ("; this test keeps no record" if op == "=" else
                           "; this test sets no record aside"))), file=sys.stderr)


def _say_days_no_record_holds(wheres: list[str], ledger, words, path: str = "-") -> set[str]:
    """A ``--where COLUMN=DAY`` on a date column that keeps no record printed 0 € without a
    word, and a ``10/05/2019`` is read in the order the file writes its dates (month first in
    some files): the day read is said on stderr, as ISO, with the order that read it and the
    other reading when both orders read the text, in the listing's language."""
    import datetime as _dt

    import essconv._core as _core
    said_columns = set()
    for where in wheres:
        match = _WHERE.match(where)
        if match is None or match.group(2) != "=":
            continue
        column, _, value = match.groups()
        if value == "" or column not in ledger.columns or ledger.kinds[column] != "date":
            continue
        order = ledger.date_orders[column]
        # the text read as the filter reads it (the reader's own rule, in the file's order
        # when both orders read it); a text it does not read is refused by the filter below
        readings = {}
        for way in ("d", "m"):
            try:
                readings[way] = _dt.date(1970, 1, 1) + _dt.timedelta(
                    days=_core.parse_date(value, way))
            except ValueError:
                pass
        said = {"dmy": "d", "mdy": "m"}.get(order)
        if said in readings:
            day = readings[said]
        elif len(set(readings.values())) == 1:
            day = next(iter(readings.values()))
        else:
            continue
        try:   # the text itself, as the filter below takes it or refuses it
            with warnings_kept_aside():   # its own NothingMatchedWarning: said below, as read
                if len(ledger.filter(**{column: value})):
                    continue
        except Error:
            continue
        said_columns.add(column)
        other = next((d for d in readings.values() if d != day), None)
        print(_shown(words.say(
            f"essconv : avertissement : {path} : --where {column} : aucun enregistrement daté du "
            f"{day.isoformat()}"
            + (f" ({words.quote(value)} lu {'jour' if order == 'dmy' else 'mois'} d'abord, comme "
               f"le fichier écrit ses dates ; écrivez {other.isoformat()} pour l'autre lecture)"
               if other else "") + " ; ce test ne retient aucun enregistrement",
            f"essconv: warning: {path}: --where {column}: no record dated {day.isoformat()}"
            + (f" ({words.quote(value)} read {'day' if order == 'dmy' else 'month'} first, as "
               f"the file writes its dates; write {other.isoformat()} for the other reading)"
               if other else "") + "; this test keeps no record")), file=sys.stderr)
    return said_columns


def _say_set_aside(ledger, args: argparse.Namespace, out) -> None:
    """The rows ``--bad-rows collect`` set aside, out of every sum: how many, then the first
    ten at their line:column, in the output's language."""
    if not ledger.bad_rows:
        return
    words = language(args.lang)
    print(words.counted("cli_set_aside", len(ledger.bad_rows)), file=out)   # 1 011, grouped
    for bad in ledger.bad_rows[:10]:   # its reason in the listing's language too
        # the cell quoted as a terminal shows it, and the option of the command line named
        print(_shown(_with_cli_options(f"  {args.file}:{bad.line}:{bad.column}: "
                                       f"{words.problem(bad)}")), file=out)
    if len(ledger.bad_rows) > 10:
        print("  " + words.counted("acc_more", len(ledger.bad_rows) - 10), file=out)


def _say_unread_plan_cells(plan, args: argparse.Namespace) -> None:
    """The cells under a plan's funders that print no amount ("n.c.", a dash, "à confirmer"),
    said on stderr at their line:column in the output's language: the sums of ``aggregate``
    count them as nothing, as a blank, and said nothing of it -- a funder's sum with an amount
    missing read as the plan's (validate and report name them as errors).  A table printing
    no unit, read in euros, is said there too."""
    places = {plan.cell_place(i, j) for i in range(len(plan.lines))
              for j in range(len(plan.funders))}
    words = language(args.lang)
    for problem in plan.problems:
        reason = getattr(problem, "reason", ())
        # a table printing no unit: its sums are in euros, which an annex in k€ copied
        # without its header's unit is not -- said as validate says it
        euros = bool(reason) and reason[0] == "plan-unit-assumed-euros"
        if not euros and (not reason or reason[0] != "plan-bad-amount"
                          or (problem.line, problem.column) not in places):
            continue   # a stated total is in no sum; another problem is no missing amount
        said = (f"{args.file}:{problem.line}:{problem.column}{words.colon}"
                f"{words.problem(problem)}"
                + ("" if euros else
                   words.say(' ; compté pour rien dans ces sommes',
                             '; counted as nothing in these sums')))
        print(_shown_lines(_with_cli_options(
            f"essconv{words.colon}{words.severity('warning')}{words.colon}{said}")),
            file=sys.stderr)


def _dimension(text: str):
    """A ``--by`` dimension: a column name, or year(...), quarter(...), month(...),
    period_start(...), period_end(...) of one (nested: ``year(period_end(datesPeriodeVersement))``)."""
    from . import conditions
    match = re.fullmatch(r"\s*(year|quarter|month|period_start|period_end)\((.+)\)\s*", text)
    if match is None:
        return text
    inner = _dimension(match.group(2))
    return getattr(conditions, match.group(1))(inner)


def _cmd_aggregate(args: argparse.Namespace) -> int:
    """Sums of a plan (by funder, line, axis, party) or of a ledger (by its columns)."""
    try:
        return _aggregate(args)
    except MoneyOverflowError as exc:
        said = (_group_sum_refusal(exc, args) or _others_sum_refusal(exc, args)
                or _running_sum_refusal(exc, args))
        if said is None:
            raise
        print(f"essconv: {_shown_lines(said)}", file=sys.stderr)
        return 2


#: a --by dimension that is a column itself (not year(COLUMN), period_start(COLUMN)...): a
#: group's key part is a value --where can name ('f=A')
_PLAIN_COLUMN = re.compile(r"[^()]+")


def _group_sum_refusal(exc: MoneyOverflowError, args: argparse.Namespace) -> str | None:
    """A group's sum past int64 cents as the command line says it: the group named, its side,
    and what the options of ``essconv aggregate`` do about it -- where the Python refusal ends
    with the API's calls ("sum() needs it ... group_by(...).count()"), which a command-line
    user cannot type.  None for another overflow (said as the library says it)."""
    reason = getattr(exc, "reason", ())
    if tuple(reason[:2]) != ("overflow", "group-sum") or len(reason) < 4:
        return None
    words = language(args.lang)
    key, more = reason[2], reason[3]
    if words.code == "en":
        # the refusal's head (the group, its side); its last clause names the Python calls
        # that need the sum and read the count, and holds no "; " (a label may)
        said = str(exc).rsplit("; ", 1)[0]
    else:
        said = words.refusal(exc)
    said += words.say(" ; vérifiez les montants de ce groupe (un code collé ? une unité "
                      "appliquée deux fois ?)",
                      "; check this group's amounts (a code pasted? a unit applied twice?)")
    dims = [d.strip() for d in args.by.split(",") if d.strip()]
    if len(dims) != len(key) or not all(_PLAIN_COLUMN.fullmatch(d) for d in dims):
        return said   # a date's dimension: its value is no condition --where takes as is

    def value(part) -> str:   # as --where reads it: nothing for a missing key, ISO dates
        return "" if part is None else part.isoformat() if isinstance(part, _dt.date) else str(part)
    def quoted(test: str) -> str:   # as the help writes them, quoted whatever they hold
        return "'" + test.replace("'", "'\\''") + "'"
    keep = " ".join(f"--where {quoted(f'{d}={value(k)}')}" for d, k in zip(dims, key))
    said += words.say(f" : {keep} n'en garde que les enregistrements",
                      f": {keep} keeps its records alone")
    if len(dims) == 1 and not more:
        # one group past the limit: the others are listed without it
        leave = f"--where {quoted(f'{dims[0]}!={value(key[0])}')}"
        said += words.say(f", {leave} liste les autres groupes",
                          f", {leave} lists the other groups")
    return said


def _cents_limit(words, below: bool) -> str:
    """The end of int64 cents a sum leaves by, in parentheses as the refusals of the listing
    say it: "(… € au moins)" under the floor -- a huge negative sum is no huge positive one."""
    if below:
        return words.say(f"({INT64_FLOOR_CENTS_FR}{words.unit_space}€ au moins)",
                         f"(at least {INT64_FLOOR_CENTS_EN}{words.unit_space}€)")
    return words.say(f"({INT64_CENTS_FR}{words.unit_space}€ au plus)",
                     f"(at most {INT64_CENTS_EN}{words.unit_space}€)")


def _others_sum_refusal(exc: MoneyOverflowError, args: argparse.Namespace) -> str | None:
    """The groups ``--top N`` leaves out whose sum is past int64 cents, as the command line
    says it: the option that needs that sum (``--others``'s line, or ``--share``, whose shares
    count them), the side the sum left by and what still reads -- where the library's refusal,
    said as is, had neither (and no side in English).  Each group's sum fits (one that does
    not is refused first, named); None for another overflow."""
    if tuple(getattr(exc, "reason", ())[:2]) != ("overflow", "others"):
        return None
    words = language(args.lang)
    limit = _cents_limit(words, getattr(exc, "below", False))
    option = "--others" if args.others else "--share"
    # both given: the listing reads without both (the shares count those groups too)
    without = (words.say("--others et --share", "--others and --share")
               if args.others and args.share else option)
    top = words.say("le premier groupe" if args.top == 1 else f"les {args.top} premiers groupes",
                    "the top group" if args.top == 1 else f"the top {args.top} groups")
    need = words.say(
        "la somme des groupes non affichés" if args.others else
        "les parts comptent les groupes non affichés, dont la somme",
        "the sum of the groups not shown" if args.others else
        "the shares count the groups not shown, whose sum")
    return words.say(
        f"{option} : {need} dépasse ce qu'un montant en centimes peut tenir {limit}, alors que "
        f"celle de chaque groupe tient ; vérifiez les montants de ces groupes (un code collé ? "
        f"une unité appliquée deux fois ?) ; sans {without}, la liste montre {top}",
        f"{option}: {need} does not fit int64 cents {limit}, while each group's sum does; "
        f"check these groups' amounts (a code pasted? a unit applied twice?); without "
        f"{without}, the listing shows {top}")


def _running_sum_refusal(exc: MoneyOverflowError, args: argparse.Namespace) -> str | None:
    """``--cumulative`` whose running sum leaves int64 cents while each group's sum and their
    total fit: the option, the side and what reads without it -- the library's refusal, said
    as is, was English in a French run, with no side.  None for another overflow."""
    if tuple(getattr(exc, "reason", ())[:2]) != ("overflow", "cumulative"):
        return None
    words = language(args.lang)
    limit = _cents_limit(words, getattr(exc, "below", False))
    return words.say(
        f"--cumulative : le cumul dépasse ce qu'un montant en centimes peut tenir {limit}, "
        f"alors que la somme de chaque groupe tient ; sans --cumulative, la liste montre les "
        f"groupes",
        f"--cumulative: the running sum does not fit int64 cents {limit}, while each group's "
        f"sum does; without --cumulative, the listing shows the groups")


def _aggregate(args: argparse.Namespace) -> int:
    from .plan import read_plan
    dims = [d.strip() for d in args.by.split(",") if d.strip()]
    if not dims:   # "--by ''": group_by's "needs at least one column" was English in French
        raise _usage(language(args.lang).say("essconv: --by ne nomme aucune colonne",
                                             "essconv: --by names no column"))
    _needs(args, (("others", "--others", "top", "--top N"),
                  ("ascending", "--ascending", "sort", "--sort COLUMN")))
    _refuse_unguarded_without_csv(args, ("csv",))
    if args.output and not args.to:
        # -o alone was ignored: the table went to the terminal and no file was written, the
        # analyst left to look for OUT; said before the file is read
        raise _usage(language(args.lang).say(
            f"essconv: -o {args.output} écrit l'export de --to, qui n'est pas dit : "
            f"--to csv ou --to xlsx",
            f"essconv: -o {args.output} writes --to's export, which is not given: --to csv "
            f"or --to xlsx"))
    grants = _is_grant_file(args.file)
    if not grants:   # a plan's columns are its funders: --ints and --dates type a ledger's
        _needs(args, (("ints", "--ints", "amount", "--amount COLUMN"),
                      ("dates", "--dates", "amount", "--amount COLUMN")))
    ints, dates = _typed_columns(args, "--ints"), _typed_columns(args, "--dates")
    # a ledger (a grant file, --amount) has no sheet to choose: read as a plan's it is refused
    _refuse_sheet_without_workbook(args, [] if args.amount or grants else [args.file])
    if args.amount or grants:
        from .ledger import Ledger
        if args.convention:
            # a ledger's groups are its labels as read: the convention was opened by nothing,
            # so a mistyped path, or a description whose [relabel] the analyst counted on,
            # printed the unmerged groups, exit 0; its spellings merge on request in Python
            words = language(args.lang)
            raise _usage(words.say(
                f"essconv: --convention {args.convention} ne sert qu'à un plan (--by party) : "
                f"un registre est agrégé par ses libellés tels que lus ; pour fusionner ses "
                f"graphies selon la description, conv.relabel(ledger) en Python",
                f"essconv: --convention {args.convention} serves a plan only (--by party): a "
                f"ledger is aggregated by its labels as read; to merge its spellings as the "
                f"description says, conv.relabel(ledger) in Python"))
        if grants and args.amount and args.amount.casefold() != "montant":
            # a grant file's amount is its montant column: --amount naming another was
            # ignored, and montant summed under the table as if it were the column asked
            words = language(args.lang)
            raise _usage(words.say(
                f"essconv: {args.file} est un fichier de subventions SCDL : son montant est la "
                f"colonne montant, pas {words.quote(args.amount)} (--amount montant, ou sans "
                f"--amount)",
                f"essconv: {args.file} is an SCDL grant file: its amount is the montant column, "
                f"not {words.quote(args.amount)} (--amount montant, or no --amount)"))
        if grants and (ints or dates):
            # a grant file's columns are typed by its schema (read_scdl takes no ints=): the
            # option would change nothing
            words = language(args.lang)
            option = "--ints" if ints else "--dates"
            raise _usage(words.say(
                f"essconv: {args.file} est un fichier de subventions SCDL, dont le schéma dit "
                f"le type des colonnes : {option} n'y change rien",
                f"essconv: {args.file} is an SCDL grant file, whose schema types its columns: "
                f"{option} changes nothing there"))
        if grants:   # the schema's names, as read_scdl gives them to Python
            from .scdl import read_scdl
            ledger = _read(read_scdl, args.file, decimal=args.decimal,
                           dash_is_zero=args.dash_is_zero)
        else:   # collected, then refused below: the error says how to set such rows aside
            ledger = _read(Ledger.read_csv, args.file, amount=args.amount, bad_rows="collect",
                           decimal=args.decimal, dash_is_zero=args.dash_is_zero, ints=ints,
                           dates=dates, short_rows=args.short_rows)
        if ledger.bad_rows and args.bad_rows == "raise":
            # in the language of the output it stops, as the listing of --bad-rows collect
            words = language(args.lang)
            bad, others = ledger.bad_rows[0], len(ledger.bad_rows) - 1
            # the others counted (in line order, all below it): unsaid, the analyst fixed one
            # row to meet the next -- and a file of several total rows lost the count the
            # library's refusal gives
            more = "" if not others else words.say(
                f" ; {words.noun(others, 'autre ligne illisible', 'autres lignes illisibles')} "
                f"plus bas",
                f"; {words.noun(others, 'more unreadable row', 'more unreadable rows')} below")
            raise ParseError(words.problem(bad) + more + words.say(
                " (--bad-rows collect écarte de telles lignes)",
                " (--bad-rows collect sets such rows aside)"),
                path=args.file, line=bad.line, column=bad.column)
        # the rows set aside are the file's: a filter's result holds only the records it
        # kept, and with --where the listing below said none was set aside
        read = ledger
        if args.where:
            _say_unknown_labels(args.where, ledger, language(args.lang), args.file)
            days_said = _say_days_no_record_holds(args.where, ledger, language(args.lang),
                                                  args.file)
            with warnings_kept_aside() as kept:
                ledger = ledger.filter(**_where_conditions(args.where, ledger,
                                                           language(args.lang)))
            for w in kept:   # the unknown labels and the days no record holds said above, once
                if not (isinstance(w, UnknownLabelWarning) or
                        getattr(w, "nothing", ("",))[0] in days_said):
                    give_warning(w)
        grouped = ledger.group_by(*(_dimension(d) for d in dims)).sum()
        try:
            agg, total_beyond = _report(grouped, args), False
        except MoneyOverflowError as exc:
            # every group's sum fits, their total does not: listed, the total said in words
            agg, refused = _report_total_beyond(grouped, ledger, args, exc)
            if refused:   # exit 2, as a refusal of the file (an Error) is
                print(f"essconv: {_shown_lines(refused)}", file=sys.stderr)
                return 2
            total_beyond = True
        if args.to:
            status = _write_report(agg, args)
            # the export holds the groups of the rows read: the rows set aside are said beside
            # it (on stderr, so that a CSV on stdout stays a CSV), or its total read as the file's
            _say_set_aside(read, args, sys.stderr)
            return status
        # one language per output: the table printed English words ("total: ... over 3
        # record(s)") with French figures whatever --lang said
        words = language(args.lang)
        extra = [c for c in ("share", "cumulative") if c in agg.report_columns]
        values = {c: list(agg.to_dict(c).values()) for c in extra}
        rows, sums = [], agg.to_dict("sum")
        # one column, one number of decimals ("-5 €" stood under "1 000,50 €"); the total
        # line below is read against the sum column: its decimals too ("1 013 €" under cents)
        # a total past int64 cents whose groups each fit is said in words, as the pages say
        # it: the groups are listed (the CSV lists them), where the whole table was refused
        below = False   # the side a total past int64 cents left by
        try:
            total = ledger.total()
        except MoneyOverflowError as exc:
            total, below = None, exc.below
        shown_sums = list(map(_plain, words.column([*sums.values()] + (
            [total] if total is not None else []))))
        shown_total = shown_sums.pop() if total is not None else _plain(words.beyond_cents(below))
        # a share of no total (a file of no record) is none: left blank, as the CSV and the
        # HTML leave it ("None %" was printed)
        shown = {c: ([_plain(words.percent(v)) if v is not None else "" for v in values[c]]
                     if c == "share"
                     else [_plain(t) for t in words.column(values[c])]) for c in extra}
        from .export import missing_key_word
        blank = missing_key_word((k for key in sums if getattr(key, "name", None) is None
                                  for k in (key if isinstance(key, tuple) else (key,))),
                                 args.lang)
        for i, key in enumerate(sums):
            merged = getattr(key, "name", None)   # the others and total lines
            keys = key if isinstance(key, tuple) else (key,)
            # a date key the listing's way (02/12/2009 in French), as its CSV and HTML show it:
            # str() gave the ISO form whatever --lang said
            rows.append([*([f"({words.text('agg_' + merged)})"] + [""] * (len(dims) - 1) if merged
                           else [blank if k is None else words.date(k)
                                 if isinstance(k, _dt.date) else str(k) for k in keys]),
                         shown_sums[i], *(shown[c][i] for c in extra)])
        if total_beyond:   # the Total line --total asks for, its figure past int64 cents in words
            rows.append([f"({words.text('agg_total')})"] + [""] * (len(dims) - 1)
                        + [_plain(words.beyond_cents(below))])   # its side, as the line under it
        _print_table(dims + [words.text(f"agg_{c}") for c in ["sum", *extra]], rows,
                     numeric_from=len(dims))
        from .export import hidden_groups, shares_footnote
        hidden = hidden_groups(agg)
        if hidden:   # a --top without --others: its lines must not seem to add to its total
            print(words.counted("agg_more_counted" if args.total else "agg_more", hidden))
        footnote = shares_footnote(agg, args.lang, shares=values.get("share"))
        if footnote is not None:   # --share's shares, rounded one by one, miss 100 %
            print(_plain(footnote))
        # the records of a ledger run to millions: "sur 12 345 678 enregistrements"
        print(words.counted("cli_total_over", len(ledger), total=shown_total))
        _say_set_aside(read, args, sys.stdout)
        return 0
    if any((args.sort, args.top is not None, args.others, args.share, args.cumulative,
            args.total, args.to)):
        raise _usage(language(args.lang).say(
            "essconv: --sort, --top, --others, --share, --cumulative, --total et --to portent "
            "sur les groupes d'un registre (un fichier de subventions, ou --amount)",
            "essconv: --sort, --top, --others, --share, --cumulative, --total and "
            "--to report on a ledger's groups (a grant file, or --amount)"))
    if args.where:
        raise ConditionError(language(args.lang).say(
            "--where filtre les enregistrements d'un registre ; un plan n'en a pas",
            "--where filters the records of a ledger; a plan has none"))
    unknown = [d for d in dims if d not in _DIMS_FR]
    words = language(args.lang)
    # said before the file is read as a plan: a ledger given without --amount was refused for
    # the plan it is not ("no header row", "a column of codes after the line labels"), never
    # pointed to the option that reads it
    ledger_hint = words.say(
        " ; pour sommer les enregistrements d'un registre par ses colonnes, donnez sa colonne "
        "des montants : --amount COLONNE",
        "; to sum a ledger's records by its columns, give its amount column: --amount COLUMN"
    ) if unknown else ""
    if len(dims) == 2:
        # the pivot crosses lines (under their axes' sub-totals) with funders (and their
        # parties' margins): a pair naming anything else, or two of one side, is refused rather
        # than answered with a table that is not the one asked
        rows, columns = {"line", "axis"}, {"funder", "party"}
        if not (dims[0] in rows and dims[1] in columns or dims[0] in columns and dims[1] in rows):
            raise _usage(words.say(
                f"essconv: --by croise pour un plan une ligne ou un axe avec un financeur ou une "
                f"partie (line,funder ; axis,party…), pas {', '.join(words.quote(d) for d in dims)}",
                f"essconv: for a plan, --by crosses a line or axis with a funder or party "
                f"(line,funder; axis,party...), not {', '.join(repr(d) for d in dims)}")
                + ledger_hint)
    elif unknown:
        raise _usage(words.say(
            f"essconv: --by prend funder, line, axis ou party pour un plan, pas "
            f"{', '.join(words.quote(d) for d in unknown)}",
            f"essconv: --by takes funder, line, axis or party for a plan, not "
            f"{', '.join(repr(d) for d in unknown)}") + ledger_hint)
    conv = _convention(args.convention) if "party" in dims or args.convention else None
    # by party, "Région" beside "CR-NPDC" was added into one party twice: the convention that
    # groups the columns says which are one party's, and such a plan is refused
    plan = _read(read_plan, args.file, decimal=args.decimal, sheet=_plan_sheet(args, args.file),
                 convention=conv, dash_is_zero=args.dash_is_zero)
    _say_unread_plan_cells(plan, args)
    if len(dims) == 2:   # its heading and figures in --lang (they were French whatever it said)
        # a plan's labels shown as the ledger's table shows them: "\x1b[2J" in a funder's
        # heading cleared the screen over the pivot
        _write_out(_shown_lines(plan.pivot(conv).text(args.lang)) + "\n")
        return 0
    for dim in dims:
        if dim == "party":
            parts = plan.by_party(conv)
        elif dim in ("funder", "line", "axis"):
            parts = {"funder": plan.by_funder, "line": plan.by_line, "axis": plan.by_axis}[dim]()
        else:
            raise _usage(language(args.lang).say(
                f"essconv: --by prend funder, line, axis ou party pour un plan, pas "
                f"{language(args.lang).quote(dim)}",
                f"essconv: --by takes funder, line, axis or party for a plan, not {dim!r}"))
        # one language per output: --lang en printed French figures ("1 327,5") under an
        # English heading, and French ones under it too
        words = language(args.lang)
        print(words.say(f"# par {_DIMS_FR[dim]} ({plan.unit})", f"# by {dim} ({plan.unit})"))
        # one column, one number of decimals: a € plan's "1 001,5" lost its cent digit and
        # stood over "7" (plain spaces: a TSV)
        shown = words.column(list(parts.values()), plan.unit, with_unit=False)
        from .export import guard_label
        # a label's controls shown (a tab or a line break kept its row whole), and guarded as
        # `convert --to tsv` guards it: redirected to a .tsv, a key "=HYPERLINK(...)", "@SUM",
        # "+1" or "-1+2" ran as a formula in the spreadsheet that opened it
        for key, text in zip(parts, shown):
            print(f"{guard_label(_shown(str(key)))}\t{_plain(text)}")
    return 0


_DIMS_FR = {"funder": "financeur", "line": "ligne", "axis": "axe", "party": "partie"}


def _count(text: str, speech: "_Speech") -> int:
    """--top's N: a whole number of groups, 0 or more (argparse says so, exit 2, in the
    command's language)."""
    if not text.strip().isascii() or not text.strip().isdigit():
        words = speech.words
        raise argparse.ArgumentTypeError(words.say(
            f"un nombre de groupes (0 ou plus), pas {words.quote(text)}",
            f"a number of groups (0 or more), not {words.quote(text)}"))
    return int(text)


def _year(text: str, speech: "_Speech") -> int:
    """--year and --plan-year: a year written in digits ("2010"); argparse's own int() said
    "invalid int value: 'abc'" in English in a French command."""
    if not re.fullmatch(r"\s*[0-9]{1,4}\s*", text):
        words = speech.words
        raise argparse.ArgumentTypeError(words.say(
            f"une année en chiffres (2010 par exemple), pas {words.quote(text)}",
            f"a year in digits (2010 for instance), not {words.quote(text)}"))
    return int(text)


def _report(agg, args: argparse.Namespace):
    """The aggregate as the options ask: sorted, its top n (with the others line), shares,
    running sums, a total line -- in that order, whatever the order of the options."""
    if args.sort:
        agg = agg.sort(args.sort, descending=not args.ascending)
    if args.top is not None:
        agg = agg.top(args.top, by=args.sort or "sum", others=args.others)
        if args.sort and args.ascending:
            agg = agg.sort(args.sort, descending=False)
    if args.share:
        agg = agg.share()
    if args.cumulative:
        agg = agg.cumulative()
    if args.total:
        agg = agg.with_total()
    return agg


def _report_total_beyond(grouped, ledger, args: argparse.Namespace, exc: MoneyOverflowError):
    """``(report, None)``: the report without its Total line when the groups' total is past
    int64 cents while each group's sum fits (a few records near 9e16 €); the listing shows the
    groups and says that total in words, "au-delà de 92 233 720 368 547 758,07 €" ("beyond
    ..."), exit 0, as it does without --total -- where the whole table was refused.
    ``(None, refusal)`` when an option needs that total as a number: the shares (of it), a
    running sum (which reaches it), an export's Total row; said with why and what still reads,
    exit 2.  ``exc`` is raised again when the total fits: another sum is past the limit (the
    others line, a running sum)."""
    try:
        ledger.total()
    except MoneyOverflowError as beyond:
        below = beyond.below   # a total under the floor is no huge positive one
    else:
        raise exc
    words = language(args.lang)
    limit = _cents_limit(words, below)
    if args.share:
        return None, words.say(
            f"--share : les parts sont celles du total des groupes, et la somme dépasse ce "
            f"qu'un montant en centimes peut tenir {limit}, alors que celle de chaque groupe "
            f"tient ; sans --share, la liste montre les groupes et ce total en mots",
            f"--share: the shares are of the groups' total, and the sum does not fit int64 "
            f"cents {limit}, while each group's sum does; without --share, the listing shows "
            f"the groups and that total in words")
    if args.cumulative:
        return None, words.say(
            f"--cumulative : le cumul atteint le total des groupes, qui dépasse ce qu'un "
            f"montant en centimes peut tenir {limit}, alors que la somme de chaque groupe "
            f"tient ; sans --cumulative, la liste montre les groupes et ce total en mots",
            f"--cumulative: the running sum reaches the total of the groups, which does not "
            f"fit int64 cents {limit}, while each group's sum does; without --cumulative, the "
            f"listing shows the groups and that total in words")
    if args.to and args.total:
        return None, words.say(
            f"--total avec --to : le total des groupes dépasse ce qu'un montant en centimes "
            f"peut tenir {limit}, alors que la somme de chaque groupe tient ; la ligne Total "
            f"d'un export porte un nombre : exportez sans --total, ou lisez la liste (sans "
            f"--to), qui dit ce total en mots",
            f"--total with --to: the total of the groups does not fit int64 cents {limit}, "
            f"while each group's sum does; an export's Total row holds a number: export "
            f"without --total, or read the listing (without --to), which says that total in "
            f"words")
    if not args.total:
        raise exc
    return _report(grouped, argparse.Namespace(**{**vars(args), "total": False})), None


def _written(path: str, lang: str) -> str:
    """The line that says where an output went, in the output's language."""
    return language(lang).say(f"écrit : {path}", f"written {path}")


def _write_report(agg, args: argparse.Namespace) -> int:
    if args.to == "xlsx":
        if not args.output:
            raise _usage(language(args.lang).say("essconv: --to xlsx demande -o SORTIE.xlsx",
                                                  "essconv: --to xlsx needs -o OUT.xlsx"))
        agg.to_xlsx(args.output, lang=args.lang)
    elif args.output:
        agg.to_csv(args.output, lang=args.lang, formula_guard=args.formula_guard)
    else:
        _write_out(agg.to_csv(lang=args.lang, formula_guard=args.formula_guard))
        return 0
    print(_written(args.output, args.lang))
    return 0


def _cmd_convert(args: argparse.Namespace) -> int:
    from .plan import read_plan
    _refuse_unguarded_without_csv(args, ("csv", "tsv"))
    if _is_grant_file(args.file):
        # convert reads a financing plan: an SCDL file read as one listed every cell of every
        # record as "not an amount" (hundreds of lines) and never said what to run instead
        words = language(args.lang)
        raise _usage(words.say(
            f"essconv: {args.file} est un fichier de subventions SCDL, et convert lit un plan "
            f"de financement ; pour exporter ses sommes : essconv aggregate {args.file} --by "
            f"nomBeneficiaire --to csv (ou --to xlsx -o SORTIE.xlsx)",
            f"essconv: {args.file} is an SCDL grant file, and convert reads a financing plan; "
            f"to export its sums: essconv aggregate {args.file} --by nomBeneficiaire --to csv "
            f"(or --to xlsx -o OUT.xlsx)"))
    _refuse_sheet_without_workbook(args, [args.file])
    plan = _read(read_plan, args.file, decimal=args.decimal, sheet=_plan_sheet(args, args.file),
                 dash_is_zero=args.dash_is_zero)
    out = args.output
    if args.to == "xlsx":
        from .xlsx import write_plan_xlsx
        if not out:
            raise _usage(language(args.lang).say("essconv: --to xlsx demande -o SORTIE.xlsx",
                                                  "essconv: --to xlsx needs -o OUT.xlsx"))
        write_plan_xlsx(plan, out, plan.validate(), lang=args.lang)
        print(_written(out, args.lang))
        return 0
    if args.to == "json":
        text = json_text(plan.to_dict())
    else:
        from .export import plan_delimited
        text = plan_delimited(plan, ";" if args.to == "csv" else "\t",
                              formula_guard=args.formula_guard, lang=args.lang)
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text)
        print(_written(out, args.lang))   # as --to xlsx and aggregate's -o say it (it said nothing)
    else:
        _write_out(text)
    return 0


def _cmd_calendar(args: argparse.Namespace) -> int:
    conv = _convention(args.convention)
    if args.ics:
        from .calendar import to_ics
        _write_out(to_ics(conv, args.year, lang=args.lang))
        return 0
    from .calendar import agenda
    from .messages import language
    colon = language(args.lang).colon
    for item in agenda(conv, args.year, lang=args.lang):
        # a milestone's label or a body's name: its line break read as a space, an escape
        # sequence shown escaped, as in the report: one item, one line, nothing obeyed
        print(read_line(f"{item.when}{colon}{item.what}"))
    return 0


def _validate_grants(path: str, args: argparse.Namespace, results: list) -> int:
    """An SCDL grant file, validated as one: 1 when a finding is an error, else 0."""
    from .scdl import validate_scdl
    report = _read(validate_scdl, path)
    lang = args.lang or "en"   # as a plan's listing: English unless --lang says otherwise
    if args.format == "json":
        # counts are of every finding; not_kept, those beyond max_findings of their code
        results.append({"file": path, "kind": "scdl", "ok": report.ok, "records": report.records,
                        "counts": report.counts(), "not_kept": report.not_kept, "findings": [
                            {"code": f.code, "severity": f.severity, "field": f.field,
                             "row": f.row, "column": f.column, "value": f.value,
                             "message": _with_cli_options(f.text(lang)),
                             "suggestion": f.suggestion} for f in report]})
    else:
        _write_out(_shown_lines(report.summary(lang=lang)) + "\n")   # values quoted from the file
    return 0 if report.ok else 1


def _cmd_validate(args: argparse.Namespace) -> int:
    from .messages import language
    from .plan import read_plan
    if args.sheet is not None:   # a grant file has no sheet; one missing is refused below
        def plan_file(path: str) -> bool:
            try:
                return not _is_grant_file(path)
            except OSError:
                return True
        _refuse_sheet_without_workbook(args, [p for p in args.files if plan_file(p)])
    conv = _convention(args.convention) if args.convention or args.against_default else None
    status = 0
    results = []

    def refused(path: str, exc: "Error | OSError") -> None:
        # compiler-style like the findings: "FILE: what is wrong" (an OSError printed
        # itself as "[Errno 2] No such file or directory: 'FILE'")
        words = language(args.lang or "en")
        said = words.os_refusal(exc) if isinstance(exc, OSError) and \
            not isinstance(exc, Error) else words.refusal(exc)
        said = _with_cli_options(said)   # --decimal, not the Python argument
        print(_shown_lines(said), file=sys.stderr)
        results.append({"file": path, "error": said})

    for path in args.files:
        try:
            if _is_grant_file(path):
                status = max(status, _validate_grants(path, args, results))
                continue
            # checked against a convention, two columns of one of its parties are refused
            plan = _read(read_plan, path, decimal=args.decimal, sheet=_plan_sheet(args, path),
                         convention=conv, dash_is_zero=args.dash_is_zero)
        except BrokenPipeError:   # `validate ... | head`: the reader left, no file is at fault
            raise
        except (Error, OSError) as exc:
            refused(path, exc)
            status = 2
            continue
        try:
            report = plan.validate(conv)
        except MoneyOverflowError as exc:
            # a plan whose sums pass int64 cents cannot be checked: it is refused as an
            # unreadable file is, and the files after it are still validated (it stopped the
            # run, the JSON listing unwritten)
            refused(path, exc)
            status = 2
            continue
        if not report.ok and status == 0:
            status = 1
        # the findings' messages are English (Finding.message, numbers the English way); with
        # --lang fr each is worded in French from its fields, as the report words it
        words = language(args.lang or "en")
        def said(f):
            return f.message if words.code == "en" else words.finding(f, plan, conv)
        if args.format == "json":
            results.append({"file": path, "ok": report.ok,
                            # the command line's output: its options named, as the listing
                            "findings": [f.to_dict(_with_cli_options(said(f)))
                                         for f in report]})
        elif words.code == "en":   # the compiler-style listing, as scripts read it
            for f in report:   # a label quoted from the file as a terminal shows it
                print(_shown_lines(_with_cli_options(str(f))))
        else:
            for f in report:
                print(_shown_lines(_with_cli_options(
                    f"{f.where()}: {words.severity(f.severity)}[{f.code}]: {said(f)}")))
        if args.format != "json":   # "1 suggestion", not "1 suggestions"
            counts = ", ".join(words.count(len(found), severity) for found, severity in
                               ((report.errors, "error"), (report.warnings, "warning"),
                                (report.suggestions, "info")))
            verdict = "ok" if report.ok else words.say("ÉCHEC", "FAILED")
            print(f"{path}{words.colon}{verdict} ({counts})")
    if args.format == "json":
        _write_out(json_text(results))
    return status


class _Speech:
    """The language a command line speaks, known from its words before argparse reads them
    (:func:`_argv_language`), so that argparse's refusals and the ``type=`` checks say it in
    the language of the command's other messages."""

    def __init__(self, code: str = "fr") -> None:
        self.code = code
        self.refused_lang = False   # --lang itself names no language essconv speaks

    @property
    def words(self):
        return language(self.code)


_COMMANDS = ("report", "validate", "aggregate", "convert", "calendar")


def _argv_language(argv: Sequence[str]) -> "tuple[str, bool]":
    """The language of a command line as it will run: its --lang (or an abbreviation argparse
    accepts, --la en, --lang=en), else English for `validate` (its compiler-style listing),
    else French; and whether a --lang named a language essconv does not speak."""
    asked, refused, command = None, False, None
    tokens = list(argv)
    for k, token in enumerate(tokens):
        if token == "--":
            break
        if command is None and token in _COMMANDS:
            command = token
        name, eq, value = token.partition("=")
        if len(name) >= 3 and "--lang".startswith(name):
            if not eq:
                value = tokens[k + 1] if k + 1 < len(tokens) else ""
            if value in LANGUAGES:
                asked, refused = value, False
            else:
                refused = True
    return asked or ("en" if command == "validate" else "fr"), refused


# argparse's own refusals (the texts it passes through gettext, as Python 3.10-3.13 word them),
# each said again in the command's language from its parts
_ARGUMENT = re.compile(r"argument (?P<name>.+?): (?P<message>.*)", re.S)
_CHOICE = re.compile(r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)", re.S)
_TYPED = re.compile(r"invalid (?P<type>\S+) value: (?P<value>.*)", re.S)
_IGNORED = re.compile(r"ignored explicit argument (?P<value>.*)", re.S)
_REQUIRED = re.compile(r"the following arguments are required: (?P<names>.*)", re.S)
_UNKNOWN = re.compile(r"unrecognized arguments: (?P<names>.*)", re.S)
_AMBIGUOUS = re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<matches>.*)", re.S)


def _unrepr(text: str) -> str:
    """A value as argparse quoted it with repr() ('abc'), back to what was typed."""
    import ast
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, str) else text


def _argparse_said(message: str, words) -> str:
    """argparse's refusal ``message`` worded in ``words``' language, naming the option and the
    value; a text argparse may come to say that is none of these stays as argparse says it."""
    def quoted(value: str) -> str:
        return words.quote(_unrepr(value))
    said = _ARGUMENT.fullmatch(message)
    if said:
        name, inner = said["name"], said["message"]
        if name == "command":   # the sub-command itself: "essconv frob"
            choice = _CHOICE.fullmatch(inner)
            if choice:
                return words.say(
                    f"commande inconnue : {quoted(choice['value'])} (les commandes : "
                    f"{', '.join(_COMMANDS)})",
                    f"unknown command: {quoted(choice['value'])} (the commands: "
                    f"{', '.join(_COMMANDS)})")
        choice, typed, ignored = (_CHOICE.fullmatch(inner), _TYPED.fullmatch(inner),
                                  _IGNORED.fullmatch(inner))
        if choice:
            choices = ", ".join(words.quote(_unrepr(c.strip()))
                                for c in choice["choices"].split(", "))
            inner = words.say(f"{quoted(choice['value'])} n'est pas un choix possible (choix : "
                              f"{choices})",
                              f"{quoted(choice['value'])} is not one of the choices ({choices})")
        elif typed:
            inner = words.say(f"valeur invalide : {quoted(typed['value'])}",
                              f"not a valid value: {quoted(typed['value'])}")
        elif ignored:
            inner = words.say(f"cette option ne prend pas de valeur, pas {quoted(ignored['value'])}",
                              f"this option takes no value, not {quoted(ignored['value'])}")
        elif inner == "expected one argument":
            inner = words.say("il lui faut une valeur", "it needs a value")
        elif inner == "expected at least one argument":
            inner = words.say("il lui faut au moins une valeur", "it needs at least one value")
        return f"{name}{words.colon}{inner}"
    required, unknown, ambiguous = (_REQUIRED.fullmatch(message), _UNKNOWN.fullmatch(message),
                                    _AMBIGUOUS.fullmatch(message))
    if required:
        return words.say(f"il manque : {required['names']} (obligatoire)",
                         f"missing: {required['names']} (required)")
    if unknown:
        return words.say(f"option ou argument inconnu : {unknown['names']}",
                         f"unknown option or argument: {unknown['names']}")
    if ambiguous:
        return words.say(f"option ambiguë : {ambiguous['option']} peut être "
                         f"{ambiguous['matches']}",
                         f"ambiguous option: {ambiguous['option']} could be "
                         f"{ambiguous['matches']}")
    return message


class _Parser(argparse.ArgumentParser):
    """argparse's parser, its refusals said in the command's language (French by default,
    English for `validate` without --lang, as the command's other messages): the usage line,
    then ``essconv CMD : erreur : --option : what is wrong with the value``, exit status 2 as
    argparse gives.  argparse worded them in English whatever --lang said."""

    def __init__(self, *args, speech: "_Speech", whole: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.speech = speech
        self.whole = whole   # the parser of the whole command line, not a command's

    def parse_known_args(self, args=None, namespace=None):
        if self.whole:   # the whole command line: its language before argparse reads it
            given = sys.argv[1:] if args is None else args
            self.speech.code, self.speech.refused_lang = _argv_language(given)
        return super().parse_known_args(args, namespace)

    def error(self, message: str):
        words = self.speech.words
        usage = self.format_usage()
        if words.code == "fr":
            usage = re.sub(r"^usage: ", "utilisation\u00a0: ", usage)
        said = (f"{self.prog}{words.colon}{words.severity('error')}{words.colon}"
                f"{_argparse_said(message, words)}")
        if self.speech.refused_lang and words.code == "fr":
            # --lang named no language essconv speaks: the reader may not read French, so the
            # refusal is said in English too
            said += f"\n{self.prog}: error: {message}"
        self.exit(2, usage + _shown_lines(said) + "\n")


def _output_options(parser: argparse.ArgumentParser, *, lang: str, guard: str) -> None:
    """-o, --lang and --no-formula-guard: what every command writing a file for a committee takes."""
    parser.add_argument("-o", "--output", metavar="OUT")
    parser.add_argument("--lang", choices=LANGUAGES, default="fr", help=lang)
    parser.add_argument("--no-formula-guard", dest="formula_guard", action="store_false",
                        help=guard)


def _decimal_option(parser: argparse.ArgumentParser) -> None:
    """--decimal: what a refusal of an undecided amount ("12.500") tells the analyst to give,
    for a plan as for a ledger (a plan's refusal named the Python argument, decimal=',', on
    commands that had no way to say it)."""
    # the choices written one by one: argparse's own {,,.} joined the comma, a choice, with
    # the commas between choices
    parser.add_argument("--decimal", choices=(",", "."), metavar="{','|'.'}",
                        help="the decimal mark of the amounts, a plan's or a ledger's, when they "
                             "cannot say it themselves ('12.500' among whole amounts): ',' a "
                             "comma (12,50), '.' a point (12.50)")


def _dash_option(parser: argparse.ArgumentParser) -> None:
    """--dash-is-zero: what a plan's cell or a ledger's amount holding a dash alone ("-", "—")
    tells the analyst to give when the dash means zero; the Python readers' dash_is_zero=True
    (read_plan, Ledger.read_csv, read_scdl), which the command line had no way to say."""
    parser.add_argument("--dash-is-zero", action="store_true",
                        help="read a dash alone in a plan's cell or a ledger's amount ('-', "
                             "'—') as zero (by default it is no amount: an error at its cell)")


def _short_rows_option(parser: argparse.ArgumentParser) -> None:
    """--short-rows: Ledger.read_csv's ``short_rows``, which a short row's message names: rows
    Excel wrote short of their blank last cells (no delimiter for them past a sheet's 16th
    line) are set aside by default, read with those cells blank when the analyst says so."""
    parser.add_argument("--short-rows", choices=("aside", "blank"), default="aside",
                        help="with --amount: a row with fewer cells than the header is set "
                             "aside (aside, the default: its cells may have shifted) or read "
                             "with its missing last cells blank (blank: Excel leaves out the "
                             "delimiters of blank cells at a row's end)")


def _typed_columns_options(parser: argparse.ArgumentParser) -> None:
    """--ints and --dates: the Python reader's ``ints=`` and ``dates=`` (Ledger.read_csv), which
    the command line had no way to say: a year column was read as a label, its groups in the
    order the file first showed them (2017 above 2015), never ascending."""
    parser.add_argument("--ints", metavar="COL[,COL]",
                        help="with --amount: comma-separated columns read as integers (a year, "
                             "an exercise number), their groups in ascending order; a cell "
                             "that is no integer is refused at its line and column")
    parser.add_argument("--dates", metavar="COL[,COL]",
                        help="with --amount: comma-separated columns read as dates (25/03/2017, "
                             "2017-03-25), for year(COL), month(COL) and bounds in --where")


def _typed_columns(args: argparse.Namespace, option: str) -> list[str]:
    """The columns of --ints or --dates ("annee, exercice"); "--ints ''" names none and is
    refused, as "--by ''" is, rather than read as no column asked."""
    given = getattr(args, option.lstrip("-"))
    if given is None:
        return []
    columns = [c.strip() for c in given.split(",") if c.strip()]
    if not columns:
        raise _usage(language(args.lang).say(f"essconv: {option} ne nomme aucune colonne",
                                             f"essconv: {option} names no column"))
    return columns


def _sheet_argument(parser: argparse.ArgumentParser) -> None:
    """--sheet: what a workbook's refusal (its active sheet holds no plan) tells the analyst
    to give; the Python reader's sheet=, which the command line had no way to say."""
    parser.add_argument("--sheet", metavar="NAME",
                        help="the sheet of an .xlsx plan to read (by default its active sheet, "
                             "or the first visible one); refused when no .xlsx plan is read")


def build_parser() -> argparse.ArgumentParser:
    speech = _Speech()
    parser = _Parser(
        speech=speech, whole=True, prog="essconv",
        description="Framework conventions and their financing plans: report, validate.")
    sub = parser.add_subparsers(dest="command",
                               parser_class=functools.partial(_Parser, speech=speech))
    rep = sub.add_parser("report", help="report on a convention (the embedded one by default)")
    rep.add_argument("--convention", metavar="FILE.toml", help="a convention description")
    rep.add_argument("--plan", action="append", metavar="FILE",
                     help="a plan file to add (its year from its name)")
    rep.add_argument("--grants", action="append", metavar="FILE",
                     help="an SCDL grant file: planned versus paid")
    rep.add_argument("--plan-year", type=functools.partial(_year, speech=speech), metavar="YEAR",
                     help="the year of a --plan whose name and title give none: a plan on "
                          "standard input (--plan -)")
    _decimal_option(rep)
    _sheet_argument(rep)
    _dash_option(rep)
    rep.add_argument("--format", choices=("text", "json"), default="text")
    rep.add_argument("--html", metavar="OUT.html", help="write the dashboard (self-contained HTML)")
    rep.add_argument("--lang", choices=LANGUAGES, default="fr",
                     help="the language of the report and the dashboard (French by default)")
    rep.set_defaults(func=_cmd_report)
    val = sub.add_parser("validate", help="validate plan files and SCDL grant files; exit 1 on "
                         "an error finding")
    val.add_argument("files", nargs="+", metavar="FILE")
    val.add_argument("--convention", metavar="FILE.toml",
                     help="check funder codes against this convention")
    val.add_argument("--against-default", action="store_true",
                     help="check funder codes against the embedded convention")
    _decimal_option(val)
    _sheet_argument(val)
    _dash_option(val)
    val.add_argument("--format", choices=("text", "json"), default="text")
    val.add_argument("--lang", choices=LANGUAGES, default=None,
                     help="the language of the findings, a plan's or a grant file's: fr words "
                          "them for the committee; without it, the English compiler-style "
                          "listing (as --lang en)")
    val.set_defaults(func=_cmd_validate)
    agg = sub.add_parser("aggregate", help="sums of a plan or a ledger file")
    agg.add_argument("file", metavar="FILE")
    agg.add_argument("--by", required=True, help="comma-separated: funder, line, axis, party "
                     "(a plan) or column names (a ledger, with --amount), or a date's "
                     "year(COLUMN), quarter(COLUMN), month(COLUMN) and a payment period's "
                     "period_start(COLUMN), period_end(COLUMN): 'year(dateConvention)'")
    agg.add_argument("--amount", help="the amount column: read FILE as a ledger of records "
                     "(an SCDL grant file is recognised: its amount is montant, its columns "
                     "the schema's names)")
    agg.add_argument("--bad-rows", choices=("raise", "collect"), default="raise",
                     help="collect: set unreadable rows aside and list them (default: stop)")
    _decimal_option(agg)
    _sheet_argument(agg)
    _dash_option(agg)
    _short_rows_option(agg)
    _typed_columns_options(agg)
    agg.add_argument("--convention", metavar="FILE.toml",
                     help="a convention description, for a plan's --by party (refused with a "
                     "ledger, whose groups are its labels as read)")
    agg.add_argument("--sort", metavar="COLUMN", help="order the groups by sum, count, mean or "
                     "a --by column, largest first (--ascending: smallest first)")
    agg.add_argument("--ascending", action="store_true", help="with --sort: smallest first")
    agg.add_argument("--top", type=functools.partial(_count, speech=speech), metavar="N", help="only the N largest groups (by "
                     "--sort's column, else by sum), shown in --sort's order")
    agg.add_argument("--others", action="store_true", help="with --top: one more line adding "
                     "up every group left out")
    agg.add_argument("--share", action="store_true", help="each line's share of the total, "
                     "in percent, adding up to exactly 100.00")
    agg.add_argument("--cumulative", action="store_true", help="the running sum down the lines")
    agg.add_argument("--total", action="store_true", help="a last line: every group's total")
    agg.add_argument("--to", choices=("csv", "xlsx"), help="write the groups for a spreadsheet "
                     "(csv to standard output without -o)")
    _output_options(agg, lang="the language of --to's headings and numbers (French by default)",
                    guard="csv: write labels verbatim, even those a spreadsheet would run as a "
                          "formula")
    agg.add_argument("--where", action="append", metavar="TEST",
                     help="keep the records that pass (a ledger; repeat for and): "
                          "'nomBeneficiaire~insertion' contains, 'nomBeneficiaire^=asso' starts "
                          "with (both ignoring case and accents), 'nature=aide en nature' and "
                          "'nature!=aide en nature' the whole label, 'annee=2017' an int or "
                          "date column's value (a date 2017-03-25, or 25/03/2017 read in the order the "
                          "file writes its dates: day first unless month first); nothing after = "
                          "('idRAE=') the records with no value, after != those with one; "
                          "'montant>=23000', 'dateConvention<2018-01-01' (and <=, >) bound an "
                          "int, date or amount column")
    agg.set_defaults(func=_cmd_aggregate)
    con = sub.add_parser("convert", help="a plan file to csv, tsv, json or xlsx")
    con.add_argument("file", metavar="FILE")
    con.add_argument("--to", required=True, choices=("csv", "tsv", "json", "xlsx"))
    _decimal_option(con)
    _sheet_argument(con)
    _dash_option(con)
    _output_options(con, lang="the language of the findings written into an .xlsx (French by "
                              "default)",
                    guard="csv/tsv: write text cells verbatim, even those a spreadsheet would run "
                          "as a formula (= + - @ at the start; by default they get a leading ')")
    con.set_defaults(func=_cmd_convert)
    cal = sub.add_parser("calendar", help="governance meetings and milestones")
    cal.add_argument("--year", type=functools.partial(_year, speech=speech), metavar="YEAR")
    cal.add_argument("--ics", action="store_true", help="as iCalendar, for a calendar app")
    cal.add_argument("--lang", choices=LANGUAGES, default="fr",
                     help="the language of the listing (French by default)")
    cal.add_argument("--convention", metavar="FILE.toml")
    cal.set_defaults(func=_cmd_calendar)
    parser.add_argument("--format", choices=("text", "json"), default=None, dest="top_format",
                        help="the report's format (text by default); before a command, that "
                             "command's --format")
    parser.add_argument("--lang", choices=LANGUAGES, default=None, dest="top_lang",
                        help="the report's language (French by default); before a command, "
                             "that command's --lang")
    return parser


def _top_options(parser: argparse.ArgumentParser, args: argparse.Namespace,
                 argv: list[str]) -> None:
    """--lang or --format written before the command is the command's own, unless it is given
    after the command too: `essconv --lang en aggregate ...` printed French, the option taken
    and dropped without a word.  A command without that option refuses it."""
    after = argv[argv.index(args.command) + 1:] if args.command in argv else []
    for option, top, dest in (("--lang", "top_lang", "lang"), ("--format", "top_format", "format")):
        value = getattr(args, top)
        if value is None:
            continue
        if not hasattr(args, dest):
            # in the command line's language, as argparse's own refusals (_Parser.error): it
            # was English in a French run
            parser.error(parser.speech.words.say(
                f"{option} {value} : la commande {args.command} n'a pas d'option {option}",
                f"{option} {value}: the command {args.command} has no {option}"))
        if not any(a == option or a.startswith(option + "=") for a in after):
            setattr(args, dest, value)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["report", "--format", args.top_format or "text",
                                  "--lang", args.top_lang or "fr"])
    else:
        _top_options(parser, args, argv)
    try:
        if sys.stdout is None:
            # started with its standard output closed (`>&-`): every command writes there, and
            # print() to None wrote nothing and exited 0, as if the work were done
            raise OutputClosedError("standard output closed", path="-",
                                    reason=("stdout-closed",))
        lang = getattr(args, "lang", None) or ("en" if args.command == "validate" else "fr")
        with warnings.catch_warnings():
            # essconv's warnings said as the command's other messages (_say_warning), every
            # one of them; the others (a library's) as Python shows them
            warnings.simplefilter("always", EssconvWarning)
            shown = warnings.showwarning

            def show(message, category, filename, lineno, file=None, line=None):
                if isinstance(message, EssconvWarning):
                    _say_warning(message, lang)
                else:
                    shown(message, category, filename, lineno, file, line)
            warnings.showwarning = show
            _SAID.clear()
            status = args.func(args)
        # what is still buffered is written now, where a reader that left is caught below:
        # at the interpreter's exit it printed "Exception ignored ... BrokenPipeError"
        if sys.stdout is not None:   # None: started with its standard output closed
            sys.stdout.flush()
        return status
    except Error as exc:
        # in the language of the output it stops (validate: English unless --lang says); an
        # unknown column (a KeyError too) as well: it was caught as a bare KeyError, in English
        lang = getattr(args, "lang", None) or ("en" if args.command == "validate" else "fr")
        if getattr(args, "file", None) == "-" and getattr(exc, "path", "-") in (None, ""):
            # standard input is read as bytes, which carry no name: its refusals said
            # ":3:1: ..." or nothing, where its bad rows said "-:2:6:", the FILE given
            exc.path = "-"
        said = language(lang).refusal(exc)
        if args.command != "calendar":   # every command reading a plan or a ledger has --decimal
            said = _with_cli_options(said)
        print(f"essconv: {_shown_lines(said)}", file=sys.stderr)
        return 2
    except KeyError as exc:
        print(f"essconv: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # Ctrl-C: said in a word, in the output's language, not a traceback; 130 as a shell
        # gives a command stopped by SIGINT
        lang = getattr(args, "lang", None) or ("en" if args.command == "validate" else "fr")
        print(f"essconv{language(lang).colon}{language(lang).say('interrompu', 'interrupted')}",
              file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader stopped reading (`essconv aggregate ... | head`): nothing is wrong to say;
        # stdout goes to the null device so that the interpreter's last flush stays quiet too
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        # 141 as a shell gives a command stopped by SIGPIPE (128 + 13): 1 says `validate`
        # found an error finding, which a script after `| head` would have believed
        return EXIT_BROKEN_PIPE
    except OSError as exc:   # a file missing or unreadable, in the output's language
        lang = getattr(args, "lang", None) or ("en" if args.command == "validate" else "fr")
        print(f"essconv: {language(lang).os_refusal(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
