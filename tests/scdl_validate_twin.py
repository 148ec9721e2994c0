"""The slow, obvious twin of ``essconv.scdl.validate_scdl``: the validator as it was before it
read files in blocks (the whole file as Python cells, one ScdlFinding per finding, every finding
kept, one sort at the end).  tests/test_scdl_validate_stream.py checks the block reader, the
memoized checks and the kept/counted split against it.  It shares the per-value checks
(_check_number, _check_string...) with the package: what it pins is how they are driven."""
from __future__ import annotations

from dataclasses import replace
import re
from decimal import Decimal
from typing import Any

import essconv._core as _core
from essconv.messages import french_spacing, short_rows_said
from essconv.scdl import (DUPLICATE_KEY, SHARED_KEY, ScdlFinding, ScdlReport, _check_number, _check_period, _check_siret,
                          _check_string, _date, _date_suggestion, _DATE_WHY_FR, _q, _worded, _half_period_said, _header_map, _join_period_ends,
                          _not_scdl_message, _period_ends, _read_rows, _repair_long_rows,
                          is_scdl_header, schema)


def validate_scdl_twin(source: Any, *, encoding: str | None = None,
                       french: bool = False) -> ScdlReport:
    """Every violation the official schema defines -- missing column, required, pattern, enum,
    maxLength, minimum/maximum, date and number format, SIRET check digit (La Poste's
    exception included), one-of-required -- as errors (an extra column is a warning); and what
    a schema cannot see: an impossible date that matches the pattern, a payment period that
    ends before it starts, spreadsheet-mangled SIRETs (``21860194600000.0``), text in an amount
    -- errors -- and descriptions cut at a fixed length (a warning).  Each error carries the
    likely right value as ``.suggestion`` when one is clear."""
    rows, _, delim, path = _read_rows(source, encoding)
    fields = {f["name"]: f for f in schema()["fields"]}
    findings: list[ScdlFinding] = []

    def add(code: str, severity: str, field: str | None, row: int | None, value: str | None,
            message: Any, suggestion: str | None = None) -> None:
        # the shared checks word each finding in English and French: the twin keeps the English
        # (the tests compare the two validators' English, and check the French apart)
        # a message the package words only for a finding it keeps (_later): worded here
        message, suggestion = _worded(message, suggestion)
        english = message if isinstance(message, str) else message[0]
        # with ``french``, the French the shared checks give a cell's finding (the twin words
        # the others in English alone)
        worded_fr = message[1] if french and not isinstance(message, str) else None
        findings.append(ScdlFinding(code, severity, field, row, value, english, suggestion, path,
                                    worded_fr))

    body = [r for r in rows if any(c[0].strip() for c in r)]
    if not body:
        add("empty-file", "error", None, None, None, "the file holds no header and no record")
        return ScdlReport(findings, path=path, records=0, header=[])
    header_row, records = body[0], body[1:]
    header = [c[0].strip() for c in header_row]
    if not is_scdl_header(header):   # one finding says it, not one per absent column
        add("not-scdl", "error", None, None, None, _not_scdl_message(header))
        return ScdlReport(findings, path=path, records=len(records), header=header)
    width, long_header, long_mapping = len(header), header, _header_map(header)[0]
    ends = _period_ends(header, long_mapping)
    if ends is not None:   # checked as the one column read_scdl makes of them
        header_row = _join_period_ends(header_row, ends)
        header_row[ends[0]] = ("datesPeriodeVersement",) + header_row[ends[0]][1:]
        header = [c[0].strip() for c in header_row]
    mapping, notes = _header_map(header)
    for actual, name, why in notes:
        if why == "case":
            add("header-case", "error", name, header_row[0][1], actual,
                f"the column {actual!r} is spelled {name!r} in the schema", name)
    older = [(actual, name) for actual, name, why in notes if why == "legacy"]
    if ends is not None:
        older.append((" + ".join(long_header[k] for k in ends), "datesPeriodeVersement"))
    if older:   # one finding for the header, not one per column
        add("legacy-column", "warning", None, header_row[0][1], ", ".join(a for a, _ in older),
            (f"{len(older)} column uses an older name or the decree's label" if len(older) == 1
             else f"{len(older)} columns use older names or the decree's labels")
            + ", read as the schema's: " + ", ".join(f"{a!r} -> {n}" for a, n in older))
    seen: dict[str, int] = {}
    for k, h in enumerate(header):
        name = mapping.get(h)
        if name is None:
            add("extra-column", "warning", None, header_row[0][1], h,
                f"the column {h!r} is not in the schema")
        elif name in seen:
            add("duplicate-column", "error", name, header_row[0][1], h,
                f"the field {name!r} appears twice (columns {seen[name] + 1} and {k + 1})")
        else:
            seen[name] = k
    for name in fields:
        if name not in seen:
            add("missing-column", "error", name, None, None,
                f"the schema's column {name!r} is missing")

    repaired = _repair_long_rows(records, long_header, long_mapping, delim) \
        if any(len(r) > width for r in records) else None
    if repaired is not None and repaired[3] and \
            len(repaired[3]) < sum(1 for r in records if any(c[0].strip() for c in r)):
        # some rows long only by blank cells past the header (all of them: Excel's empty columns)
        add("blank-past-header", "warning", None, min(repaired[3]), None,
            f"{len(repaired[3])} rows end with blank cells past the header's {width} columns")
    if repaired is not None and repaired[1]:   # one cause, said once; the cells put back are then checked
        records, count, (line, column, cells), _ = repaired
        add("unquoted-delimiter", "error", long_mapping.get(column), line, delim.join(cells),
            f"{count} {'row has' if count == 1 else 'rows have'} more cells than the header's "
            f"{width}: the delimiter {delim!r} appears unquoted inside values (here {delim.join(cells)!r} was split "
            f"into {', '.join(map(repr, cells))}); each fits the header one way alone, so read_scdl "
            f"puts the cells back and the checks below apply to them. Quote the cells (or "
            f"use ';') when publishing")
    elif repaired is not None:
        records = repaired[0]
    elif any(len(r) > width for r in records):   # the cause, once, beside each row's finding
        long_rows = [r for r in records if len(r) > width]
        add("unquoted-delimiter", "error", None, long_rows[0][0][1], None,
            f"{len(long_rows)} {'row has' if len(long_rows) == 1 else 'rows have'} more cells "
            f"than the header's {width}: the delimiter "
            f"{delim!r} probably appears unquoted inside values, and at least one of these rows "
            f"fits the header in no single way, so none is read (read_scdl sets them aside). "
            f"Quote the cells (or use ';') when publishing")
    objets: list[tuple[int, str]] = []
    dates: list[tuple[int, str]] = []   # every dateConvention of a record checked cell by cell
    grants: dict[tuple, int] = {}   # what identifies a grant -> its first line
    shared_grants: dict[tuple, int] = {}   # a grant given in shares -> its first line
    named = len(long_header)   # the header's fields up to its last named one
    while named > 0 and not long_header[named - 1]:
        named -= 1
    # the schema's optional fields (one of idBeneficiaire and rnaBeneficiaire is required)
    optional = {n for n, f in fields.items() if not f.get("constraints", {}).get("required")}
    optional -= {"idBeneficiaire", "rnaBeneficiaire"}
    needed = named   # and up to its last column the schema does not mark optional
    while needed > 0 and long_mapping.get(long_header[needed - 1]) in optional:
        needed -= 1
    short = [rec for rec in records if needed <= len(rec) < named]
    if short:   # Excel's short rows lacking blank optional cells: said once
        lacked = [long_mapping[long_header[k]] for k in range(min(map(len, short)), named)]
        add("short-rows", "warning", None, short[0][0][1], None,
            short_rows_said(len(short), short[0][0][1], lacked))
    for rec in records:
        line = rec[0][1]
        if needed <= len(rec) < width:   # Excel's short row: its blank last cells left out
            rec = rec + [("", rec[-1][1], rec[-1][2])] * (width - len(rec))
        if len(rec) != width:
            # one fault, one finding: its cells are shifted, so what they break says nothing
            add("row-length", "error", None, line, None,
                f"this row has {len(rec)} cell{'' if len(rec) == 1 else 's'} where the header "
                f"has {width}: its cells "
                f"are not checked one by one")
            continue
        if ends is not None:
            given = [k for k in ends if rec[k][0].strip()]
            if len(given) == 1:   # one end alone: joined, it would read as one payment day
                add("period-half", "error", "datesPeriodeVersement", line, rec[given[0]][0],
                    _half_period_said(long_header, ends, given[0], rec[given[0]][0]))
            rec = _join_period_ends(rec, ends)
        values = {name: (rec[k][0] if k < len(rec) else "") for name, k in seen.items()}
        for name, spec in fields.items():
            if name not in values:
                continue
            raw = values[name]
            text = raw.strip()
            cons = spec.get("constraints", {})
            if not text:
                if cons.get("required"):
                    add("required", "error", name, line, raw, f"{name} is required and blank")
                continue
            kind = spec.get("type")
            if kind == "number":
                _check_number(add, name, line, text, cons)
            elif kind == "date":
                if _date(text) is None:
                    suggestion, why = _date_suggestion(text)
                    code = "impossible-date" if why == "an impossible date" else "date-format"
                    add(code, "error", name, line, text, f"{text!r}: {why}", suggestion)
            elif kind == "boolean":
                true, false = spec.get("trueValues", ["true"]), spec.get("falseValues", ["false"])
                if text not in true + false and text.lower() in true + false:
                    # only the case differs (NON): said once per column, as for the enums
                    add("enum-case", "error", name, line, text, text.lower(), text.lower())
                elif text not in true + false:
                    guess = {"yes": "oui", "true": "oui", "1": "oui", "y": "oui", "o": "oui",
                             "no": "non", "false": "non", "0": "non", "n": "non"}.get(text.lower())
                    add("boolean", "error", name, line, text,
                        f"{text!r} is neither {true[0]!r} nor {false[0]!r}", guess)
            else:
                _check_string(add, name, line, text, cons)
            if name in ("idAttribuant", "idBeneficiaire"):
                _check_siret(add, name, line, text)
            if name == "datesPeriodeVersement":
                _check_period(add, line, text)
            if name == "objet":
                objets.append((line, text))
            if name == "dateConvention":
                dates.append((line, text))
        key = [values.get(n, "").strip() for n in DUPLICATE_KEY]
        if re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", key[-1]):   # 100 = 100.00
            key[-1] = str(Decimal(key[-1]).normalize())
        if not key[3]:
            key += [values.get(n, "").strip() for n in ("rnaBeneficiaire", "nomBeneficiaire")]
        first = grants.setdefault(tuple(key), line)
        split = [values.get(n, "").strip() for n in SHARED_KEY]
        split[-1] = key[len(DUPLICATE_KEY) - 1]
        share = values.get("pourcentageSubvention", "").strip()
        if re.fullmatch(r"\d+(,\d+)?", share):   # a decimal comma: the share is still plain
            share = share.replace(",", ".")
        elif re.fullmatch(r"\d+([.,]\d+)?\s*%", share):   # out of 100
            share = str(Decimal(share.rstrip("% ").replace(",", ".")) / 100)
        partial = bool(re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", share)) and \
            0 < Decimal(share) < 1
        shared = shared_grants.setdefault(tuple(split), line) if partial else line
        if shared != line and first == line:
            add("shared-grant", "warning", "montant", line, values.get("montant"),
                f"this record shares the grant of line {shared} (same {', '.join(SHARED_KEY)}, "
                f"pourcentageSubvention below 1): montant is the whole grant on each "
                f"beneficiary's row, so a sum of montant counts it once per beneficiary; a "
                f"beneficiary's share is montant x pourcentageSubvention")
        if first != line:
            add("duplicate-record", "warning", "montant", line, values.get("montant"),
                f"this record repeats line {first} (same {', '.join(DUPLICATE_KEY)}): if it "
                f"was published twice, every sum counts it twice")
        if "idBeneficiaire" in values or "rnaBeneficiaire" in values:
            if not values.get("idBeneficiaire", "").strip() and not values.get("rnaBeneficiaire", "").strip():
                add("one-of-required", "error", "idBeneficiaire", line, None,
                    "neither idBeneficiaire nor rnaBeneficiaire is given: one of them is required")
    _check_date_orders(add, findings, dates, french)
    _check_cut_descriptions(add, objets)
    _group_case_only(findings)
    order = {"error": 0, "warning": 1}
    findings.sort(key=lambda f: (f.row or 0, order.get(f.severity, 2)))
    return ScdlReport(findings, path=path, records=len(records), header=header)


def _orders_reading(text: str) -> set[str]:
    """The orders ('d' day first, 'm' month first) in which read_scdl reads ``text`` as a date
    other than an ISO one (an ISO date reads the same either way: it says no order)."""
    days = {}
    for way in ("d", "m"):
        try:
            days[way] = _core.parse_date(text, way)
        except ValueError:
            pass
    return set(days) if len(days) == 1 else set()


def _check_date_orders(add: Any, findings: list[ScdlFinding], dates: list[tuple[int, str]],
                       french: bool) -> None:
    """The dateConvention column as read_scdl reads it: some dates only day first and some
    only month first -- it refuses the file (date-order-mixed, on the later of the first of
    each); some only month first and none only day first -- it reads the column month first,
    so a date both orders read (04/05/2017) is suggested month first."""
    first: dict[str, tuple[int, str]] = {}
    for line, text in dates:
        for way in _orders_reading(text):
            first.setdefault(way, (line, text))
    if set(first) == {"d", "m"}:
        (day_line, day), (month_line, month) = first["d"], first["m"]
        add("date-order-mixed", "error", "dateConvention", max(day_line, month_line), None,
            f"the dates mix two orders: {day!r} (line {day_line}) can only be day first and "
            f"{month!r} (line {month_line}) only month first, so which one 04/05/2017 is cannot "
            f"be known, and read_scdl refuses the file; put the column in one order (YYYY-MM-DD)")
    elif set(first) == {"m"}:
        for k, f in enumerate(findings):
            if f.field == "dateConvention" and f.code == "date-format":
                suggestion, why = _date_suggestion(f.value, month_first=True)
                findings[k] = replace(f, message=f"{f.value!r}: {why}", suggestion=suggestion,
                                      message_fr=french_spacing(f"{_q(f.value)} : {_DATE_WHY_FR[why]}")
                                      if french else None)


def _group_case_only(findings: list[ScdlFinding]) -> None:
    """The per-row enum-case findings of a column (``Aide en numéraire`` for the enum's ``aide
    en numéraire``) become one warning that counts them and names the first place."""
    by_column: dict[tuple[str | None, str | None], list[ScdlFinding]] = {}
    for f in findings:
        if f.code == "enum-case":
            by_column.setdefault((f.field, f.suggestion), []).append(f)
    findings[:] = [f for f in findings if f.code != "enum-case"]
    for (field, spelled), rows in by_column.items():
        first = rows[0]
        findings.append(replace(first, message=(
            f"{len(rows)} {'value differs' if len(rows) == 1 else 'values differ'} from the "
            f"enum's {spelled!r} only by case "
            f"(first: {first.value!r} on line {first.row}): the schema spells it {spelled!r}")))


def _check_cut_descriptions(add: Any, objets: list[tuple[int, str]]) -> None:
    """Descriptions cut at a fixed length: several of the longest share that exact length and
    stop mid-word (an export truncated them)."""
    if len(objets) < 3:
        return
    longest = max(len(t) for _, t in objets)
    at_max = [(line, t) for line, t in objets if len(t) == longest]
    if longest >= 40 and len(at_max) >= 2 and all(t[-1].isalnum() for _, t in at_max):
        for line, t in at_max:
            add("cut-description", "warning", "objet", line, t,
                f"the description stops at exactly {longest} characters, like {len(at_max) - 1} "
                f"{'other' if len(at_max) == 2 else 'others'}: it was probably cut by an export")


def amount_disagreements(data: bytes) -> list[str]:
    """Where ``validate_scdl`` and ``read_scdl`` do not agree on a record's amount, one line
    each (none when they agree).  They agree when: an amount read_scdl reads is either clean to
    the validator (written as the schema wants: its Decimal is the value read) or an error whose
    suggestion, if any, is the value read, never "not a number" nor "text"; and an amount
    read_scdl sets aside or refuses is an error to the validator."""
    from essconv.errors import ParseError
    from essconv.scdl import read_scdl, validate_scdl
    errors: dict[int, list[ScdlFinding]] = {}
    for f in validate_scdl(data):
        if f.field == "montant" and f.severity == "error":
            errors.setdefault(f.row, []).append(f)
    try:
        ledger = read_scdl(data)
    except ParseError as exc:   # the file refused at an amount: the validator says it too
        return [] if exc.line in errors else [f"line {exc.line}: read_scdl refuses {exc}, "
                                              f"validate_scdl says nothing"]
    wrong = []
    set_aside = {b.line for b in ledger.bad_rows}
    lines = [r for r in range(2, 2 + len(ledger) + len(set_aside)) if r not in set_aside]
    texts = {k + 1: row[_header_column(data)] for k, row in enumerate(_cells(data)) if k}
    for line in set_aside:
        if line not in errors:
            wrong.append(f"line {line}: read_scdl sets {texts[line]!r} aside, the validator "
                         f"says nothing")
    for line, value in zip(lines, ledger.values("montant")):
        said = errors.get(line, [])
        if not said:
            if _number(texts[line].strip()) != value:
                wrong.append(f"line {line}: {texts[line]!r} is clean to the validator but read "
                             f"as {value}")
            continue
        for f in said:
            if f.suggestion is not None and Decimal(f.suggestion) != value:
                wrong.append(f"line {line}: {texts[line]!r} read as {value}, suggested "
                             f"{f.suggestion}")
            if f.code == "text-in-number" or f.message.endswith("is not a number"):
                wrong.append(f"line {line}: {texts[line]!r} read as {value}, yet said "
                             f"{f.message!r}")
    return wrong


def _cells(data: bytes) -> list[list[str]]:
    import csv
    import io
    text = data.decode("utf-8")
    return list(csv.reader(io.StringIO(text), delimiter=";" if ";" in text.split("\n")[0]
                           else ","))


def _header_column(data: bytes) -> int:
    return _cells(data)[0].index("montant")


def _number(text: str) -> Decimal | None:
    """A schema number as Decimal (digits, a point, a sign), None otherwise."""
    return Decimal(text) if re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text) else None
