"""Published grant data: the SCDL "subventions" format (schema 2.1.1), read as producers
really publish it, and checked against every rule of the official schema and beyond.

    >>> import essconv.scdl as scdl
    >>> ledger = scdl.read_scdl("lot-2017-subventions.csv")         # doctest: +SKIP
    >>> report = scdl.validate_scdl("exemple-invalide.csv")          # doctest: +SKIP
    >>> report.ok, [f.code for f in report][:3]                      # doctest: +SKIP

The schema ships inside the package (``essconv/data/scdl-subventions-schema-v2.1.1.json``),
read with the standard library's json; nothing is fetched.
"""
from __future__ import annotations

import datetime as _dt
import json
import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator

from . import _core
from .errors import ParseError
from .files import ENCODINGS, read_source, warn_if_mixed
from .ledger import Ledger

SCHEMA_FILE = "scdl-subventions-schema-v2.1.1.json"

#: older column names -> the schema's names: the short codes of the first exports (Nièvre
#: 2016 and the like), and the wordings of the 2017 decree's annex and of the schema's own
#: titles that producers print as headers.  Matched folded (case, accents, spaces and
#: punctuation ignored: "SUB_OBJ", "Sub obj" and "sub-obj" are one name).
LEGACY_NAMES = {
    # short codes
    "COLL_NOM": "nomAttribuant", "COLL_SIRET": "idAttribuant", "COLL_ID": "idAttribuant",
    "ACTE_DATE": "dateConvention", "DATE_CONVENTION": "dateConvention",
    "ACTE_REF": "referenceDecision", "ACTE_NUM": "referenceDecision",
    "ATTRIB_NOM": "nomBeneficiaire", "BENEF_NOM": "nomBeneficiaire",
    "ATTRIB_SIRET": "idBeneficiaire", "BENEF_SIRET": "idBeneficiaire",
    "ATTRIB_RNA": "rnaBeneficiaire", "BENEF_RNA": "rnaBeneficiaire",
    "SUB_OBJET": "objet", "SUB_OBJ": "objet", "SUB_MONTANT": "montant", "SUB_MNT": "montant",
    "SUB_NATURE": "nature", "SUB_VERSEMENT": "conditionsVersement",
    "SUB_CONDITIONS": "conditionsVersement", "SUB_PERIODE": "datesPeriodeVersement",
    "SUB_DATES": "datesPeriodeVersement", "SUB_DISPOSITIF": "dispositifAide",
    "ID_ENT": "idRAE", "ID_RAE": "idRAE", "NOTIF_EU": "notificationUE", "NOTIF_UE": "notificationUE",
    "SUB_POURCENTAGE": "pourcentageSubvention", "SUB_POURC": "pourcentageSubvention",
    "SUB_PCT": "pourcentageSubvention",
    # the decree's annex and common spellings of it
    "Nom de l'attribuant": "nomAttribuant", "Identifiant de l'attribuant": "idAttribuant",
    "SIRET de l'attribuant": "idAttribuant", "Date de la convention": "dateConvention",
    "Date de convention": "dateConvention", "Référence de la décision": "referenceDecision",
    "Nom du bénéficiaire": "nomBeneficiaire", "Identifiant du bénéficiaire": "idBeneficiaire",
    "SIRET du bénéficiaire": "idBeneficiaire", "Numéro RNA du bénéficiaire": "rnaBeneficiaire",
    "RNA du bénéficiaire": "rnaBeneficiaire", "Objet de la subvention": "objet",
    "Montant de la subvention": "montant", "Montant total": "montant",
    "Conditions de versement": "conditionsVersement",
    "Date ou période de versement": "datesPeriodeVersement",
    "Dates de la période de versement": "datesPeriodeVersement",
    "Période de versement": "datesPeriodeVersement", "Identifiant RAE": "idRAE",
    "Numéro unique de référencement RAE": "idRAE", "Notification UE": "notificationUE",
    "Notification à la commission Européenne": "notificationUE",
    "Aide notifiée à la commission européenne": "notificationUE",
    "Pourcentage de la subvention": "pourcentageSubvention", "Dispositif d'aide": "dispositifAide",
}


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The official SCDL subventions Table Schema, version 2.1.1."""
    text = resources.files("essconv").joinpath("data", SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


def field_names() -> list[str]:
    return [f["name"] for f in schema()["fields"]]


@dataclass(frozen=True)
class ScdlFinding:
    """One violation (or doubt) in a grant file.  ``row`` is the 1-based line in the file (None
    for the whole file); ``field`` the schema's field name; ``suggestion`` the likely right
    value when one is clear."""

    code: str
    severity: str
    field: str | None
    row: int | None
    value: str | None
    message: str
    suggestion: str | None = None
    path: str | None = None

    def __str__(self) -> str:
        where = f"{self.path or '<scdl>'}:{self.row}" if self.row else (self.path or "<scdl>")
        hint = f" (suggestion: {self.suggestion!r})" if self.suggestion is not None else ""
        return f"{where}: {self.severity}[{self.code}] {self.field or ''}: {self.message}{hint}"


class ScdlReport:
    """The findings of :func:`validate_scdl`; ``ok`` when none is an error."""

    def __init__(self, findings: list[ScdlFinding], *, path: str | None, records: int,
                 header: list[str]) -> None:
        self.findings = findings
        self.path = path
        self.records = records
        self.header = header

    def __iter__(self) -> Iterator[ScdlFinding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    @property
    def errors(self) -> list[ScdlFinding]:
        return [f for f in self.findings if f.severity == "error"]

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def on_row(self, row: int) -> list[ScdlFinding]:
        return [f for f in self.findings if f.row == row]

    def __str__(self) -> str:
        return "\n".join(str(f) for f in self.findings) or "no finding"

    def counts(self) -> dict[str, dict[str, int]]:
        """Findings by severity, then code, most frequent first.

        Example: ``report.counts()`` -> ``{'error': {'pattern': 5, 'enum': 2}, 'warning': {...}}``
        """
        out: dict[str, dict[str, int]] = {}
        for f in self.findings:
            by_code = out.setdefault(f.severity, {})
            by_code[f.code] = by_code.get(f.code, 0) + 1
        order = {"error": 0, "warning": 1}
        return {sev: dict(sorted(codes.items(), key=lambda kv: (-kv[1], kv[0])))
                for sev, codes in sorted(out.items(), key=lambda kv: order.get(kv[0], 2))}

    def summary(self, first: int = 10) -> str:
        """One screen: the verdict, the counts by severity and code, the first findings.

        Example: ``print(validate_scdl("subventions.csv").summary())``"""
        counts = self.counts()
        errors, warnings = sum(counts.get("error", {}).values()), sum(counts.get("warning", {}).values())
        lines = [f"{self.path or '<scdl>'}: {'ok' if self.ok else 'FAILED'} — {self.records} "
                 f"record(s), {errors} error(s), {warnings} warning(s)"]
        for severity, codes in counts.items():
            lines.append(f"  {severity}s: " + ", ".join(f"{code} {n}" for code, n in codes.items()))
        if self.findings:
            lines.append(f"first {min(first, len(self.findings))} of {len(self.findings)}:")
            lines += [f"  {f}" for f in self.findings[:first]]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<ScdlReport ok={self.ok} errors={len(self.errors)} findings={len(self)}>"


# ---------------------------------------------------------------------------- reading
def _fold_name(name: str) -> str:
    """A column name with case, accents, spaces and punctuation ignored."""
    return re.sub(r"[^a-z0-9]", "", _fold(name))


@lru_cache(maxsize=1)
def _legacy_folded() -> dict[str, str]:
    """Every older name, and the schema's titles, folded -> the schema's name."""
    folded = {_fold_name(f["title"]): f["name"] for f in schema()["fields"] if f.get("title")}
    folded.update({_fold_name(old): new for old, new in LEGACY_NAMES.items()})
    return folded


def _header_map(header: list[str]) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """actual name -> schema name, and the renamings made (actual, schema, why)."""
    names = field_names()
    spelled = {_fold_name(n): n for n in names}
    mapping, notes = {}, []
    for h in header:
        if h in names:
            mapping[h] = h
        elif _fold_name(h) in spelled:
            mapping[h] = spelled[_fold_name(h)]
            notes.append((h, mapping[h], "case"))
        elif _fold_name(h) in _legacy_folded():
            mapping[h] = _legacy_folded()[_fold_name(h)]
            notes.append((h, mapping[h], "legacy"))
    return mapping, notes


def _required() -> list[str]:
    return [f["name"] for f in schema()["fields"] if f.get("constraints", {}).get("required")]


def is_scdl_header(header: list[str]) -> bool:
    """Does a header look like an SCDL grant file's: at least half of the schema's required
    columns, under any of their names?

    Example: ``is_scdl_header(["COLL_NOM", "SUB_MONTANT", ...])``"""
    present = set(_header_map(header)[0].values())
    return "montant" in present and 2 * len(present & set(_required())) >= len(_required())


def _not_scdl_message(header: list[str]) -> str:
    present = set(_header_map(header)[0].values())
    found = [n for n in _required() if n in present]
    return (f"this is not an SCDL grant file: of the schema's {len(_required())} required "
            f"columns, its header has {len(found)}"
            + (f" ({', '.join(found)})" if found else "")
            + f"; the missing ones include {', '.join(n for n in _required() if n not in present)[:200]}")


def _read_rows(source: Any, encoding: str | None = None) -> tuple[list[list[tuple[str, int, int]]], str, str, str | None]:
    data, path, _ = read_source(source)
    enc = ENCODINGS.get((encoding or "auto").lower(), _core.ENC_AUTO)
    try:
        rows, used, delim = _core.read_table(bytes(data), encoding=enc)
        if used == "utf-8 + cp1252":
            warn_if_mixed(data, path)
    except ParseError as exc:
        raise type(exc)(Exception.__str__(exc), path=path, line=exc.line, column=exc.column) from None
    return rows, used, delim, path


def _header_of(data: Any) -> list[str]:
    """The first non-blank row's names, read by the core from the first line (the whole file
    when that line holds a quote, which may hide a line ending)."""
    return [name for name, _, _ in _header_cells(data)]


def _header_cells(data: Any) -> list[tuple[str, int, int]]:
    """The header's (name, line, column)."""
    end = data.find(b"\n") if hasattr(data, "find") else bytes(data).find(b"\n")
    first = bytes(data[: end + 1]) if end >= 0 else bytes(data)
    while end >= 0 and not first.strip(b"\r\n\t ;,\xef\xbb\xbf"):   # blank lines before it
        nxt = data.find(b"\n", end + 1)
        first = bytes(data[end + 1: nxt + 1]) if nxt >= 0 else bytes(data[end + 1:])
        end = nxt
    if b'"' in first:
        first = bytes(data)
    rows, _, _ = _core.read_table(first)
    return next(([(c[0].strip(), c[1], c[2]) for c in r] for r in rows if any(c[0].strip() for c in r)), [])


def read_scdl(source: Any, *, encoding: str | None = None, progress: Any = None,
              decimal: str | None = None) -> Ledger:
    """A ledger of SCDL grant records, the columns named as the schema names them whatever the
    file's spelling (``NomAttribuant``, ``COLL_NOM``...).  ``montant`` is the amount,
    ``dateConvention`` a date; the other fields are labels.  Rows whose amount or date cannot be
    read are kept aside in ``ledger.bad_rows`` with their place (never dropped silently); blank
    rows (``;;;;``) are skipped and counted in ``ledger.blank_rows``.  ``decimal`` says what
    marks decimals when the amounts cannot (``"12.500"`` among whole amounts: ``decimal="."``
    as the schema writes numbers, ``decimal=","`` as French exports do).  A file that is not
    an SCDL grant file (fewer than half the required columns) raises ParseError saying so."""
    data, path, _ = read_source(source)
    try:
        cells = _header_cells(data)
        header = [name for name, _, _ in cells]
        mapping, _ = _header_map(header)
        if not is_scdl_header(header):
            raise ParseError(_not_scdl_message(header), path=path, line=1, column=1)
        first_of: dict[str, str] = {}
        for name, line, column in cells:   # two spellings of one field: which holds the data?
            field = mapping.get(name)
            if field in first_of and first_of[field] != name:
                raise ParseError(f"the columns {first_of[field]!r} and {name!r} both stand for "
                                 f"the schema's {field!r}: keep one", path=path, line=line,
                                 column=column)
            if field:
                first_of.setdefault(field, name)
        actual = {v: k for k, v in mapping.items()}
        dims = list(dict.fromkeys(h for h in header if h and h != actual["montant"]
                                  and mapping.get(h) != "dateConvention"))
        dates = [actual["dateConvention"]] if "dateConvention" in actual else []
        ledger = Ledger.read_csv(data, amount=actual["montant"], dims=dims, dates=dates,
                                 encoding=encoding, progress=progress, bad_rows="collect",
                                 rename=mapping, decimal=decimal)
    except ParseError as exc:
        raise type(exc)(Exception.__str__(exc), path=path, line=exc.line,
                        column=exc.column) from None
    ledger.path = path
    # the rows set aside speak of the schema's columns, as everything else does
    renamed = [(f"column '{old}'", f"column '{new}'") for old, new in mapping.items() if old != new]
    for k, bad in enumerate(ledger.bad_rows):
        message = bad.message
        for old, new in renamed:
            message = message.replace(old, new)
        ledger.bad_rows[k] = replace(bad, message=message)
    return ledger


# ---------------------------------------------------------------------------- validating
def siret_ok(digits: str) -> bool:
    """The SIRET check: Luhn, except La Poste's establishments (SIREN 356000000), whose digits
    add up to a multiple of 5."""
    if not re.fullmatch(r"\d{14}", digits):
        return False
    if digits.startswith("356000000"):
        return sum(int(d) for d in digits) % 5 == 0
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _date(text: str) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


def _date_suggestion(text: str) -> tuple[str | None, str]:
    """(a likely ISO date, why the text is not one)."""
    m = re.fullmatch(r"(\d{4})[/.](\d{2})[/.](\d{2})", text)
    if m:
        return f"{m[1]}-{m[2]}-{m[3]}", "the date is not written YYYY-MM-DD"
    m = re.fullmatch(r"(\d{2})[/.-](\d{2})[/.-](\d{4})", text)
    if m:
        return f"{m[3]}-{m[2]}-{m[1]}", "a day-first date where YYYY-MM-DD is expected"
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        swapped = f"{m[1]}-{m[3]}-{m[2]}"
        return (swapped if _date(swapped) else None), "an impossible date"
    return None, "not a date (YYYY-MM-DD expected)"


def _number(text: str) -> Decimal | None:
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn").strip()


def validate_scdl(source: Any, *, encoding: str | None = None) -> ScdlReport:
    """Every violation the official schema defines -- missing column, required, pattern, enum,
    maxLength, minimum/maximum, date and number format, SIRET check digit (La Poste's
    exception included), one-of-required -- as errors (an extra column is a warning); and what
    a schema cannot see: an impossible date that matches the pattern, a payment period that
    ends before it starts, spreadsheet-mangled SIRETs (``21860194600000.0``), text in an amount
    -- errors -- and descriptions cut at a fixed length (a warning).  Each error carries the
    likely right value as ``.suggestion`` when one is clear."""
    rows, _, _, path = _read_rows(source, encoding)
    fields = {f["name"]: f for f in schema()["fields"]}
    findings: list[ScdlFinding] = []

    def add(code: str, severity: str, field: str | None, row: int | None, value: str | None,
            message: str, suggestion: str | None = None) -> None:
        findings.append(ScdlFinding(code, severity, field, row, value, message, suggestion, path))

    body = [r for r in rows if any(c[0].strip() for c in r)]
    if not body:
        add("empty-file", "error", None, None, None, "the file holds no header and no record")
        return ScdlReport(findings, path=path, records=0, header=[])
    header_row, records = body[0], body[1:]
    header = [c[0].strip() for c in header_row]
    if not is_scdl_header(header):   # one finding says it, not one per absent column
        add("not-scdl", "error", None, None, None, _not_scdl_message(header))
        return ScdlReport(findings, path=path, records=len(records), header=header)
    mapping, notes = _header_map(header)
    for actual, name, why in notes:
        if why == "case":
            add("header-case", "warning", name, header_row[0][1], actual,
                f"the column {actual!r} is spelled {name!r} in the schema", name)
        else:
            add("legacy-column", "warning", name, header_row[0][1], actual,
                f"the older column name {actual!r} stands for {name!r}", name)
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

    objets: list[tuple[int, str]] = []
    for rec in records:
        line = rec[0][1]
        if len(rec) != len(header):
            # one fault, one finding: its cells are shifted, so what they break says nothing
            add("row-length", "error", None, line, None,
                f"this row has {len(rec)} cells where the header has {len(header)}: its cells "
                f"are not checked one by one")
            continue
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
                if text not in true + false:
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
        if "idBeneficiaire" in values or "rnaBeneficiaire" in values:
            if not values.get("idBeneficiaire", "").strip() and not values.get("rnaBeneficiaire", "").strip():
                add("one-of-required", "error", "idBeneficiaire", line, None,
                    "neither idBeneficiaire nor rnaBeneficiaire is given: one of them is required")
    _check_cut_descriptions(add, objets)
    order = {"error": 0, "warning": 1}
    findings.sort(key=lambda f: (f.row or 0, order.get(f.severity, 2)))
    return ScdlReport(findings, path=path, records=len(records), header=header)


def _check_number(add: Any, name: str, line: int, text: str, cons: dict) -> None:
    value = _number(text)
    if value is None:
        suggestion = None
        try:
            cents = _core.parse_amount(text, unit=100)
        except (ValueError, OverflowError):
            cents = None
        if cents is not None:
            suggestion = str(_core.to_decimal(cents[0], 100))
            add("number-format", "error", name, line, text,
                f"{text!r} is not written as the schema wants numbers (a point for decimals, "
                f"no grouping)", suggestion)
        elif re.search(r"[A-Za-z]", text):
            add("text-in-number", "error", name, line, text,
                f"{text!r} is text where {name} needs a number")
        else:
            add("number-format", "error", name, line, text, f"{text!r} is not a number")
        return
    if name == "montant" and value.as_tuple().exponent < -2:
        add("number-format", "error", name, line, text, f"{text!r} has more than two decimals")
    lo, hi = cons.get("minimum"), cons.get("maximum")
    if lo is not None and value < Decimal(str(lo)) or hi is not None and value > Decimal(str(hi)):
        suggestion = None
        if hi is not None and Decimal(str(lo or 0)) <= value / 100 <= Decimal(str(hi)):
            suggestion = str((value / 100).normalize())   # a percentage written out of 100
        add("range", "error", name, line, text,
            f"{text} is outside [{lo}, {hi}]" + (" (a percentage out of 100?)" if suggestion else ""),
            suggestion)


def _check_string(add: Any, name: str, line: int, text: str, cons: dict) -> None:
    pattern = cons.get("pattern")
    if name in ("idAttribuant", "idBeneficiaire"):
        pattern = None   # _check_siret says more precisely what is wrong with an identifier
    if pattern and not re.fullmatch(pattern, text):
        suggestion = None
        if name == "datesPeriodeVersement" and "_" in text:
            fixed = text.replace("_", "/")
            suggestion = fixed if re.fullmatch(pattern, fixed) else None
        elif name in ("idAttribuant", "idBeneficiaire") and re.fullmatch(r"\d{14}\.0+", text):
            suggestion = text.split(".")[0]
        elif name == "rnaBeneficiaire" and re.fullmatch(r"w\d{9}", text):
            suggestion = text.upper()
        add("pattern", "error", name, line, text,
            f"{text!r} does not match the schema's pattern {pattern}", suggestion)
    enum = cons.get("enum")
    if enum and text not in enum:
        folded = {_fold(e): e for e in enum}
        guess = folded.get(_fold(text)) or folded.get(_fold(re.sub(r"\s*,\s*", ";", text)))
        add("enum", "error", name, line, text, f"{text!r} is not one of {enum}", guess)
    limit = cons.get("maxLength")
    if limit and len(text) > limit:
        add("max-length", "error", name, line, text,
            f"{len(text)} characters, more than the schema's {limit}")


def _check_siret(add: Any, name: str, line: int, text: str) -> None:
    """The schema's pattern (14 digits) and its french-siret-value check, said precisely."""
    if re.fullmatch(r"\d{14}\.0+", text):
        digits = text.split(".")[0]   # one fault, one finding: the check digit is said here
        luhn = "" if siret_ok(digits) else \
            f", and its digits {digits} fail the SIRET check digit (Luhn)"
        add("mangled-siret", "error", name, line, text,
            f"{text!r} was turned into a decimal number by a spreadsheet{luhn}", digits)
    elif re.fullmatch(r"\d{9}", text):
        add("pattern", "error", name, line, text,
            f"{text} is a 9-digit SIREN where the schema wants a 14-digit SIRET (^\\d{{14}}$)")
    elif not re.fullmatch(r"\d{14}", text):
        add("pattern", "error", name, line, text, f"{text!r} is not a 14-digit SIRET (^\\d{{14}}$)")
    elif not siret_ok(text):
        add("siret-check", "error", name, line, text, f"{text} fails the SIRET check digit (Luhn)")


def _check_period(add: Any, line: int, text: str) -> None:
    parts = re.split(r"[/_]", text)
    if len(parts) != 2:
        return
    a, b = _date(parts[0]), _date(parts[1])
    for part, d in ((parts[0], a), (parts[1], b)):
        if d is None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", part):
            add("impossible-date", "error", "datesPeriodeVersement", line, text,
                f"{part!r} is an impossible date")
    if a and b and b < a:
        add("period-order", "error", "datesPeriodeVersement", line, text,
            f"the payment period ends ({b}) before it starts ({a})", f"{b}/{a}")


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
                f"other(s): it was probably cut by an export")


__all__ = ["LEGACY_NAMES", "ScdlFinding", "ScdlReport", "field_names", "is_scdl_header",
           "read_scdl", "schema", "siret_ok", "validate_scdl"]
