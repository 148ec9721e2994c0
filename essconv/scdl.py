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

import codecs
from array import array
import datetime as _dt
import gc
import io
import json
import os
import re
import sys
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache, partial
from importlib import resources
from collections import Counter
from itertools import accumulate, chain, compress, repeat
from operator import is_, itemgetter, not_ as operator_not
from typing import Any, Callable, Iterator

import essconv._core as _core
from .errors import (FileChangedError, InvalidValueError, MixedEncodingWarning, ParseError, give_warning,
                     names_listed, warnings_kept_aside)
from .files import (ENCODINGS, checked_read, is_packed, name_of, open_packed, read_head,
                    text_as_bytes, undecodable,
                    read_path, read_source, refuse_if_changed_since, refuse_unreadable,
                    seekable_stream,
                    warn_if_mixed)
from .ledger import Ledger
from .messages import SCDL_SHORT_ROW_HINT, SHORT_ROW_HINT, blank_past_header_said, \
    short_rows_said
from .messages import french_spacing, language

SCHEMA_FILE = "scdl-subventions-schema-v2.1.1.json"


def _q(text: Any) -> str:
    """A value quoted the French way: « text »."""
    return f"«\u00a0{text}\u00a0»"


def _said(english: str, french: str) -> tuple[str, str]:
    """A finding's message in both languages (ScdlFinding.message and .message_fr)."""
    return english, french_spacing(french)


def _fr_counted(count: int, one: str, many: str) -> str:
    """``count`` things in a French finding, in their number (the singular for 0 and 1, as
    French counts), grouped as French groups figures: "1 colonne", "14 colonnes", never
    "colonne(s)"."""
    return language("fr").noun(count, one, many)


def _en_counted(count: int, one: str, many: str) -> str:
    """``count`` things in an English finding, in their number (the plural for 0, as English
    counts), grouped as English groups figures: "1 row has", "1,100 rows have", never
    "row(s)"."""
    return language("en").noun(count, one, many)


def _later(kind: str, *args: str) -> tuple:
    """A finding's message to be worded only if the finding is kept (see _worded): validate_scdl
    counts every finding but keeps at most ``max_findings`` of a code, and the findings met on
    most rows of a large file (an amount written the French way, a period in the decree's first
    format, a SIRET failing its check) need no words when only counted.  A tuple of texts
    behind None (no message pair starts so), not a closure: it sits in validate_scdl's memo by
    the thousand, and the garbage collector passes over a tuple of texts for nothing."""
    return (None, kind) + args


def _worded(message: Any, suggestion: str | None) -> tuple[Any, str | None]:
    """The message (and suggestion) of a finding as a check gave it, a _later one worded."""
    if type(message) is not tuple or message[0] is not None:
        return message, suggestion
    return _LATER_WORDINGS[message[1]](*message[2:])


def _french_amount_said(text: str, cents: str) -> tuple[tuple[str, str], str]:
    return _said(f"{text!r} is not written as the schema wants numbers (a point for "
                 f"decimals, no grouping)",
                 f"{_q(text)} n'est pas écrit comme le schéma veut les nombres (un point "
                 f"pour les décimales, sans séparateur de milliers)"), \
        str(_core.to_decimal(int(cents), 100))


def _siret_check_said(text: str) -> tuple[tuple[str, str], None]:
    return _said(f"{text} fails the SIRET check digit (Luhn)",
                 f"{text} échoue au contrôle de la clé SIRET (Luhn)"), None


#: older column names -> the schema's names: the short codes of the first exports (Nièvre
#: 2016 and the like), and the wordings of the 2017 decree's annex and of the schema's own
#: titles that producers print as headers.  Matched folded (case, accents, spaces and
#: punctuation ignored: "SUB_OBJ", "Sub obj" and "sub-obj" are one name).  Data, kept in
#: ``data/scdl-legacy-names.json`` by where each name comes from (a new spelling is one line
#: there); in the "attributaire" labels of the 2017 arrêté, the attributaire is the grantor
#: and _settle_attributaire reads other exports' use.
LEGACY_NAMES: dict[str, str] = {
    printed: name
    for origin in json.loads(resources.files("essconv").joinpath(
        "data", "scdl-legacy-names.json").read_text(encoding="utf-8")).values()
    for printed, name in origin.items()
}

#: the two ends of the payment period that the first exports (Nièvre 2016) print as two
#: columns; read_scdl joins them into the schema's one datesPeriodeVersement ("start/end")
PERIOD_ENDS = ("SUB_DATE_DEBUT", "SUB_DATE_FIN")


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
    #: the message in French (every finding validate_scdl makes has one)
    message_fr: str | None = None
    #: the 1-based character position of the cell on its line, as read_scdl places a bad row's
    #: cell (None for a finding of the whole row or file)
    column: int | None = None

    def text(self, lang: str = "en") -> str:
        """The message in ``lang``, 'en' (``message``) or 'fr'."""
        words = language(lang)
        return self.message_fr if words.code == "fr" and self.message_fr else self.message

    def line(self, lang: str = "en") -> str:
        """``path:row: severity[code] field: message (suggestion: 'x')`` in ``lang``; ``str()``
        is the English one."""
        words = language(lang)
        where = f"{self.path or '<scdl>'}:{self.row}" if self.row else (self.path or "<scdl>")
        if self.row and self.column:
            where += f":{self.column}"   # the cell, placed as read_scdl places a bad row's
        # a finding of no field (a header's) has its colon right after the code: "warning[x] :"
        # put a French space before an English colon
        field = f" {self.field}" if self.field else ""
        if words.code == "en":
            hint = f" (suggestion: {self.suggestion!r})" if self.suggestion is not None else ""
            return (f"{where}: {words.severity(self.severity)}[{self.code}]{field}: "
                    f"{self.message}{hint}")
        hint = (f" (suggestion{words.colon}{self.suggestion_text(lang)})"
                if self.suggestion is not None else "")
        return (f"{where}: {words.severity(self.severity)}[{self.code}]{field}"
                f"{words.colon}{self.text(lang)}{hint}")

    def suggestion_text(self, lang: str = "en", *, quoted: bool = True) -> str:
        """The suggestion as ``lang``'s report prints it.  An amount's is the value to write in
        the file, with the point the schema wants ("1234.50"); a French report adds the amount
        read the French way, so that no reader takes the point for a thousands separator:
        ``« 1234.50 », soit 1 234,50 €``.  English: the value quoted.  ``quoted=False``: the
        value bare (a table's cell).

        Example: ``finding.suggestion_text("fr")``"""
        words = language(lang)
        if self.suggestion is None:
            return ""
        if words.code == "en":
            return repr(self.suggestion)
        said = words.quote(self.suggestion) if quoted else self.suggestion
        if self.field == "montant" and _SCHEMA_AMOUNT.fullmatch(self.suggestion):
            said += f", soit {words.amount(Decimal(self.suggestion), '€')}"
        return said

    def __str__(self) -> str:
        return self.line("en")


#: an amount as the schema writes it (a point for decimals, no grouping)
_SCHEMA_AMOUNT = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class ScdlReport:
    """The findings of :func:`validate_scdl`; ``ok`` when none is an error.  ``findings`` are
    the ones kept (at most ``max_findings`` of each code); ``counts()`` counts every one met,
    and ``not_kept`` says how many of each code were counted but not kept."""

    def __init__(self, findings: list[ScdlFinding], *, path: str | None, records: int,
                 header: list[str],
                 counted: dict[tuple[str, str | None, str], int] | None = None,
                 max_findings: int | None = None) -> None:
        self.findings = findings
        self.path = path
        self.records = records
        self.header = header
        self.max_findings = max_findings
        if counted is None:   # every finding kept
            counted = {}
            for f in findings:
                counted[(f.code, f.field, f.severity)] = counted.get((f.code, f.field, f.severity), 0) + 1
        #: (code, field, severity) -> findings met, kept or not
        self._counted = dict(counted)

    def __iter__(self) -> Iterator[ScdlFinding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    @property
    def ok(self) -> bool:
        return not any(severity == "error" for _, _, severity in self._counted)

    @property
    def errors(self) -> list[ScdlFinding]:
        return [f for f in self.findings if f.severity == "error"]

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def on_row(self, row: int) -> list[ScdlFinding]:
        return [f for f in self.findings if f.row == row]

    def __str__(self) -> str:
        return "\n".join(str(f) for f in self.findings) or "no finding"

    def counts_by_field(self) -> dict[tuple[str, str | None, str], int]:
        """Every finding met, kept or not, by (code, field, severity).

        Example: ``report.counts_by_field()[("pattern", "idBeneficiaire", "error")]`` -> ``12``"""
        return dict(self._counted)

    def counts(self) -> dict[str, dict[str, int]]:
        """Every finding met (kept or not) by severity, then code, most frequent first.

        Example: ``report.counts()`` -> ``{'error': {'pattern': 5, 'enum': 2}, 'warning': {...}}``
        """
        return _by_severity_and_code(self._counted.items())

    @property
    def not_kept(self) -> dict[str, dict[str, int]]:
        """The findings counted but not kept (beyond ``max_findings`` of their code), by
        severity then code, as ``counts()``; empty when every finding is in ``findings``."""
        kept: dict[tuple[str, str | None, str], int] = {}
        for f in self.findings:
            kept[(f.code, f.field, f.severity)] = kept.get((f.code, f.field, f.severity), 0) + 1
        return _by_severity_and_code((key, n - kept.get(key, 0)) for key, n in self._counted.items())

    def summary(self, first: int = 10, *, lang: str = "fr") -> str:
        """One screen in ``lang`` ('fr', the default, as the command line's ``validate`` and the
        notebook's table, or 'en'): the verdict, the counts by severity and code, what was not
        kept, the first findings.

        Example: ``print(validate_scdl("subventions.csv").summary(lang="en"))``"""
        words = language(lang)
        counts = self.counts()
        errors, warnings = sum(counts.get("error", {}).values()), sum(counts.get("warning", {}).values())
        verdict = "ok" if self.ok else words.say("ÉCHEC", "FAILED")
        # every count grouped as the language groups figures ("1 500 enregistrements", "les
        # 10 premiers sur 2 998"): read digit by digit, "2248" is no figure of a report
        n = words.grouped
        lines = [f"{self.path or '<scdl>'}: {verdict} — "
                 f"{words.counted('records_count', self.records)}, "
                 f"{words.count(errors, 'error')}, {words.count(warnings, 'warning')}"]
        for severity, codes in counts.items():
            label = words.say(f"{words.severity(severity)}s :", f"{severity}s:")
            lines.append(f"  {label} " + ", ".join(f"{code} {n(k)}" for code, k in codes.items()))
        not_kept = self.not_kept
        if not_kept:
            lines.append("  " + words.say(
                f"comptés mais non gardés (max_findings={self.max_findings} par code) :",
                f"counted but not kept (max_findings={self.max_findings} per code):") + " "
                + ", ".join(f"{code} {n(k)}" for codes in not_kept.values()
                            for code, k in codes.items()))
        if self.findings:
            shown, found = min(first, len(self.findings)), len(self.findings)
            met = sum(k for codes in counts.values() for k in codes.values())
            # "les 1 premiers sur 1" read as a plural, and as a list cut short: the HTML
            # caption's rules (display.scdl_report_html), in this summary's lower case; fewer
            # kept than met (max_findings) are said kept, where "all 11 findings" hid 54
            if found < met:
                kept, total = n(found), n(met)
                if shown == found:
                    lines.append(words.say(f"le constat gardé sur {total} :",
                                           f"the finding kept of {total}:") if found == 1 else
                                 words.say(f"les {kept} constats gardés sur {total} :",
                                           f"the {kept} findings kept of {total}:"))
                elif shown == 1:
                    lines.append(words.say(f"le premier des {kept} constats gardés sur {total} :",
                                           f"first of the {kept} findings kept of {total}:"))
                else:
                    lines.append(words.say(
                        f"les {n(shown)} premiers des {kept} constats gardés sur {total} :",
                        f"first {n(shown)} of the {kept} findings kept of {total}:"))
            elif shown == found:
                lines.append(words.say("le constat :", "the finding:") if found == 1 else
                             words.say(f"les {n(found)} constats :", f"all {n(found)} findings:"))
            elif shown == 1:
                lines.append(words.say(f"le premier sur {n(found)} :", f"first of {n(found)}:"))
            else:
                lines.append(words.say(f"les {n(shown)} premiers sur {n(found)} :",
                                       f"first {n(shown)} of {n(found)}:"))
            lines += [f"  {f.line(lang)}" for f in self.findings[:first]]
        return "\n".join(lines)

    def __repr__(self) -> str:
        # every finding met, as summary() counts them: the kept ones alone read "errors=0" for
        # a failed file validated with max_findings=0
        counts = self.counts()
        errors = sum(counts.get("error", {}).values())
        found = sum(n for codes in counts.values() for n in codes.values())
        kept = (f", {len(self)} kept (max_findings={self.max_findings} per code)"
                if len(self) < found else "")
        return f"<ScdlReport ok={self.ok} errors={errors} findings={found}{kept}>"

    def _repr_html_(self) -> str:
        """In a notebook: the counts by code, then the first findings with row and suggestion."""
        from .display import scdl_report_html
        return scdl_report_html(self)


def _by_severity_and_code(counted: Any) -> dict[str, dict[str, int]]:
    """((code, field, severity), n) pairs summed by severity (errors first), then code (most
    frequent first); codes of no finding left out."""
    out: dict[str, dict[str, int]] = {}
    for (code, _, severity), n in counted:
        if n:
            by_code = out.setdefault(severity, {})
            by_code[code] = by_code.get(code, 0) + n
    return {sev: dict(sorted(codes.items(), key=lambda kv: (-kv[1], kv[0])))
            for sev, codes in sorted(out.items(), key=lambda kv: _SEVERITY_ORDER.get(kv[0], 2))}


# ---------------------------------------------------------------------------- reading
def _unmojibake(text: str) -> str:
    """UTF-8 read as CP1252 and saved again ("notifiÃ©e", "Ã\u00a0 l'Europe") made right, one
    garbled pair at a time; anything else is left as it is."""
    def repair(m: re.Match) -> str:
        try:
            return m[0].encode("cp1252").decode("utf-8")
        except UnicodeError:
            return m[0]
    return re.sub(r"[\u00c2-\u00c5][\u00a0-\u00bf\u0152-\u0178\u2013-\u203a\u20ac\u2122]", repair, text)


def _fold_name(name: str) -> str:
    """A column name with case, accents, spaces, punctuation (the decree's "*" marks) and
    mojibake ignored."""
    return re.sub(r"[^a-z0-9]", "", _fold(_unmojibake(name)))


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
        # a hint in parentheses ("(AAAA-MM-JJ)", "(SIRET)", "(en euros)") names no other
        # field; one that names another unit ("(k€)", "(en milliers)") is no amount in euros
        other_unit = re.search(r"\(.*(k\s*€|keur|k\s*eur|millier|million).*\)", _fold(h))
        bare = "" if other_unit else _fold_name(re.sub(r"\([^)]*\)", "", h))
        if h in names:
            mapping[h] = h
        elif _fold_name(h) in spelled:
            mapping[h] = spelled[_fold_name(h)]
            notes.append((h, mapping[h], "case"))
        elif _fold_name(h) in _legacy_folded() or bare in _legacy_folded():
            mapping[h] = _legacy_folded().get(_fold_name(h)) or _legacy_folded()[bare]
            notes.append((h, mapping[h], "legacy"))
    _settle_attributaire(mapping, notes)
    return mapping, notes


#: "attributaire" is the grantor in the decree's labels (DILCRAH: "Nom attributaire*" beside
#: "Nom du bénéficiaire*") but the beneficiary in other exports (Data.Subvention reads a bare
#: "Nom attributaire" so): the grantor's field -> the beneficiary's
_ATTRIBUTAIRE = {"nomAttribuant": "nomBeneficiaire", "idAttribuant": "idBeneficiaire"}


def _settle_attributaire(mapping: dict[str, str], notes: list[tuple[str, str, str]]) -> None:
    """An "attributaire" column is the grantor only when the header names the beneficiary
    elsewhere and the grantor nowhere else; otherwise it is the beneficiary."""
    for h, field in list(mapping.items()):
        other = _ATTRIBUTAIRE.get(field)
        if other is None or "attributaire" not in _fold_name(h):
            continue
        grantor_elsewhere = any(f == field for k, f in mapping.items() if k != h)
        if grantor_elsewhere or other not in mapping.values():
            mapping[h] = other
            notes[:] = [(a, other if a == h else n, why) for a, n, why in notes]


def _required() -> list[str]:
    return [f["name"] for f in schema()["fields"] if f.get("constraints", {}).get("required")]


def is_scdl_header(header: list[str]) -> bool:
    """Does a header look like an SCDL grant file's: at least half of the schema's required
    columns, under any of their names?

    Example: ``is_scdl_header(["COLL_NOM", "SUB_MONTANT", ...])``"""
    present = set(_header_map(header)[0].values())
    return "montant" in present and 2 * len(present & set(_required())) >= len(_required())


def _not_scdl_reason(header: list[str]) -> tuple:
    """Why a header is not an SCDL grant file's, for a listing to word in its language:
    ("not-scdl", required columns, those it has, the missing ones)."""
    present = set(_header_map(header)[0].values())
    found = [n for n in _required() if n in present]
    missing = ', '.join(n for n in _required() if n not in present)[:200]
    return ("not-scdl", len(_required()), tuple(found), missing)


def _not_scdl_message(header: list[str], lang: str = "en") -> str:
    reason = _not_scdl_reason(header)
    if lang == "fr":   # the refusal's French wording (messages), one sentence for both
        return language("fr").refusal(ParseError("", reason=reason))
    _, required, found, missing = reason
    return (f"this is not an SCDL grant file: of the schema's {required} required "
            f"columns, its header has {len(found)}"
            + (f" ({', '.join(found)})" if found else "")
            + f"; the missing ones include {missing}")


def _row_length(cells: int, width: int) -> tuple[str, str]:
    # "1 cell", "0 cellule": the count in its number in each language
    return _said(f"this row has {cells} cell{'' if cells == 1 else 's'} where the header has "
                 f"{width}: its cells are not checked one by one",
                 f"cette ligne a {_fr_counted(cells, 'cellule', 'cellules')} là où l'en-tête en "
                 f"a {width} : ses cellules ne sont pas vérifiées une à une")


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


def header_of(data: Any) -> list[str]:
    """The names of a file's header: its first non-blank row, read by the core from the first
    line (the whole of ``data`` when that line holds a quote, which may hide a line ending).
    With :func:`is_scdl_header`, what tells a grant file from a plan by its first bytes.

    Example: ``header_of(b"nomAttribuant;montant\\nCDC;1\\n")`` -> ``['nomAttribuant', 'montant']``
    """
    return [name for name, _, _ in _header_cells(data)]


#: UTF-16's BOMs, little- then big-endian: such a text's line ends are two bytes
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _header_cells(data: Any, whole: bool = True) -> list[tuple[str, int, int]] | None:
    """The header's (name, line, column); None when ``data`` is only the start of the file
    (``whole`` false) and too short to tell -- what it gives otherwise is what the whole file
    gives, since every prefix read here is cut at a line end found in ``data``."""
    if bytes(data[:2]) in _UTF16_BOMS:
        # Excel's "Unicode text": its line ends are two bytes, so a cut at b"\n" would halve
        # a character; the header is looked for in the text as UTF-8 (its lines and columns
        # count characters, as the core's do for this file)
        decoder = codecs.getincrementaldecoder("utf-16")(errors="strict")
        try:
            data = decoder.decode(bytes(data)).encode("utf-8")   # a cut pair waits
        except UnicodeDecodeError as exc:
            raise ParseError(f"not UTF-16 text: {exc.reason} at byte {exc.start}") from None
    end = data.find(b"\n") if hasattr(data, "find") else bytes(data).find(b"\n")
    first = bytes(data[: end + 1]) if end >= 0 else bytes(data)
    while end >= 0 and not first.strip(b"\r\n\t ;,\xef\xbb\xbf"):   # blank lines before it
        nxt = data.find(b"\n", end + 1)
        first = bytes(data[end + 1: nxt + 1]) if nxt >= 0 else bytes(data[end + 1:])
        end = nxt
    if end < 0 and not whole:
        return None   # the header's first line may go on past the prefix
    if b'"' in first:
        # A quoted header may hold a line break: read a growing prefix, cut at a line end, until
        # the header is followed by another record (its end is then certain) -- never the whole
        # file as Python cells (at 1e7 rows that was tens of GB).
        size = 1 << 16
        while True:
            cut = data.find(b"\n", size) if size < len(data) else -1
            if cut < 0 and not whole:
                return None
            prefix = bytes(data[: cut + 1]) if cut >= 0 else bytes(data)
            try:
                rows, _, _ = _core.read_table(prefix)
            except ParseError:
                if cut < 0:
                    raise
                rows = []   # the prefix ends inside a quoted cell: read further
            cells = [r for r in rows if any(c[0].strip() for c in r)]
            if cut < 0 or len(cells) >= 2:
                return _named(cells[0]) if cells else []
            size *= 4
    rows, _, _ = _core.read_table(first)
    return next((_named(r) for r in rows if any(c[0].strip() for c in r)), [])


def _header_cells_of_file(path: str) -> tuple[list[tuple[str, int, int]], Any] | None:
    """The header of the regular file at ``path`` found in a growing prefix of it (the whole
    file only when it is that small, or its header that long), with the file's state then;
    None for a stream, which must be read whole once."""
    packed = is_packed(path)
    return _header_cells_of(lambda size: _packed_head(path, size) if packed
                            else read_head(path, size))


def _header_cells_of(head_of: Any) -> tuple[list[tuple[str, int, int]], Any] | None:
    """The header found in a growing prefix -- ``head_of(size)``: (the first ``size`` bytes,
    whether they are all, a state to check later), or None for a source whose prefix cannot be
    read without losing it -- with that state."""
    size = 1 << 18   # beyond the 64 KiB a quoted header is first looked for in
    while (head := head_of(size)) is not None:
        data, whole, state = head
        cells = _header_cells(data, whole)
        if cells is not None:
            return cells, state
        size *= 4
    return None


def _stream_head(stream: Any, start: int, size: int) -> tuple[bytes, bool, None]:
    """read_head for a seekable stream: its first ``size`` bytes from ``start``, the stream
    left at ``start`` for the reading of the body."""
    stream.seek(start)
    data = bytes(checked_read(stream, size, text=False))   # else a bare TypeError later
    stream.seek(start)
    return data, len(data) < size, None


def _packed_head(path: str, size: int) -> tuple[bytes, bool, os.stat_result]:
    """read_head for a compressed file (grants.csv.gz): the first ``size`` bytes of its content,
    whether they are all of it, and the file's state before they were read."""
    state = os.stat(path)
    with open_packed(path) as packed:
        data = packed.stream.read(size)
    return data, len(data) < size, state


def _named(row: list) -> list[tuple[str, int, int]]:
    return [(c[0].strip(), c[1], c[2]) for c in row]


# ------------------------------------------------------------ rows longer than the header
#: fields whose values are free text: an unquoted delimiter inside one splits it over several
#: cells, joined back when a row is realigned
_FREE_TEXT = ("nomAttribuant", "referenceDecision", "nomBeneficiaire", "objet",
              "conditionsVersement", "dispositifAide")
_GROUPED_INTEGER = re.compile(r"\s*[+-]?(\d{1,3}([ \u00a0\u202f]\d{3})+|\d+)\s*")
_CENTS = re.compile(r"\d{1,2}\s*€?\s*")
#: an amount as the money parser reads one (the cheap shapes): digits grouped by spaces, a
#: decimal mark, the euro written after it or before it ("45 000,00 €", "€ 45 000,00",
#: "EUR 45 000,00"), never on both sides -- as essconv.money.parse_amount reads them
_NUMBER = r"[+-]?[\d \u00a0\u202f]*\d([.,]\d+)?"
_AMOUNT_CELL = re.compile(rf"(€|eur)\s*{_NUMBER}|{_NUMBER}(\s*(€|eur))?", re.I)
#: bounds of the search for a row's fit: the fits grow as extra cells ** free-text columns
#: (Vendée's rows have at most 5 extra cells under 14 columns)
_MOST_EXTRA_CELLS, _MOST_COLUMNS = 10, 60
_BOOLEAN_WORDS = {"oui", "non", "true", "false", "yes", "no", "o", "n", "0", "1", "vrai", "faux"}


@lru_cache(maxsize=4096)   # a file repeats its natures, dates and conditions row after row
def _fits(field: str | None, text: str) -> bool:
    """Could this one cell be the value of ``field``?  Loose (a wrong but well-placed value is
    the validator's business): it only decides where a cell of an over-long row belongs."""
    t = text.strip()
    if not t or field is None or field in _FREE_TEXT:
        return True
    if field in ("idAttribuant", "idBeneficiaire"):
        return bool(re.fullmatch(r"[\d .]+([eE]\+?\d+)?", t)) and len(re.sub(r"\D", "", t)) >= 9
    if field == "rnaBeneficiaire":
        return bool(re.fullmatch(r"[Ww]\d+", t))
    if field == "dateConvention":
        return bool(re.fullmatch(rf"({_DATE_TOKEN})([T ][\d:.]+)?", t))
    if field == "montant":
        return bool(_AMOUNT_CELL.fullmatch(t))
    if field == "pourcentageSubvention":
        return bool(re.fullmatch(r"\d+([.,]\d+)?\s*%?", t))
    if field == "nature":
        enum = {_fold(e) for e in next(f for f in schema()["fields"] if f["name"] == "nature")
                ["constraints"]["enum"]}
        return all(_fold(part) in enum for part in re.split(r"[;,]", t))
    if field == "datesPeriodeVersement":
        return bool(re.fullmatch(r"[\d\s/_.-]*\d[\d\s/_.-]*", t))
    if field == "notificationUE":
        return _fold(t) in _BOOLEAN_WORDS
    if field == "idRAE":
        return bool(re.fullmatch(r"[\w-]{1,40}", t))
    return True


def _realign(row: list[tuple[str, int, int]], fields: list[str | None],
             delim: str) -> list[tuple[int, int]] | None:
    """The one way an over-long row's cells fit the header, as each column's span of cells,
    or None when no way or several equally good ways do.  A free-text column takes several
    cells (an unquoted delimiter inside it); with ``,`` as delimiter, the amount takes two
    when they read ``25 000`` + ``00`` (an unquoted decimal comma).  The cost counts the text
    continuations that do not start with a blank (", " is how a comma inside prose reads);
    of several fits the cheapest wins, and a tie is ambiguity."""
    n, m = len(row), len(fields)
    if n - m > _MOST_EXTRA_CELLS or m > _MOST_COLUMNS:
        return None   # beyond what a few stray delimiters make: not worth a search
    best: list = [None, None, 0]    # cost, columns, ties at that cost

    def place(k: int, i: int, taken: list, cost: int) -> None:
        if best[0] is not None and cost > best[0]:
            return
        if k == m:
            if i == n:
                if best[0] is None or cost < best[0]:
                    best[:] = [cost, list(taken), 1]
                elif cost == best[0]:
                    best[2] += 1
            return
        field = fields[k]
        room = n - i - (m - k - 1)          # cells this column may take, leaving one per rest
        if room < 1:
            return
        if _fits(field, row[i][0]):
            place(k + 1, i + 1, taken + [(i, i + 1)], cost)
        if field in _FREE_TEXT:
            for j in range(i + 2, i + room + 1):
                extra = sum(1 for c in row[i + 1:j] if not c[0][:1].isspace())
                place(k + 1, j, taken + [(i, j)], cost + extra)
        elif field == "montant" and delim == "," and room >= 2 and \
                _GROUPED_INTEGER.fullmatch(row[i][0]) and _CENTS.fullmatch(row[i + 1][0]):
            place(k + 1, i + 2, taken + [(i, i + 2)], cost)

    place(0, 0, [], 0)
    # place calls itself through its closure's cell: without this, each row realigned leaves a
    # cycle (its cells and search with it) for the garbage collector to find
    del place
    return best[1] if best[0] is not None and best[2] == 1 else None


@lru_cache(maxsize=1)
def _optional() -> frozenset[str]:
    """The schema's fields a record may leave blank.  idBeneficiaire and rnaBeneficiaire are
    not among them: each alone is optional, but the schema requires one of the two."""
    return frozenset(f["name"] for f in schema()["fields"]
                     if not f.get("constraints", {}).get("required")) - \
        {"idBeneficiaire", "rnaBeneficiaire"}


def _optional_tail(header: list[str], mapping: dict[str, str]) -> int:
    """How many cells a record needs at least: the header's width less its last columns that
    are unnamed or that the schema marks optional.  Excel leaves out the delimiters of blank
    cells at a row's end past a sheet's 16th line, so a grant file whose last columns
    (``idRAE``, ``dispositifAide``...) are blank has most of its rows short of them: such a
    row lacks nothing, its missing cells are blank.  A row short of a required column (or of
    one the schema does not know) is still set aside: its cells may have shifted."""
    needed = len(header)
    while needed > 0 and (not header[needed - 1].strip() or
                          mapping.get(header[needed - 1]) in _optional()):
        needed -= 1
    return needed


def _named_width(header: list[str]) -> int:
    """One past the header's last named column."""
    named = len(header)
    while named > 0 and not header[named - 1].strip():
        named -= 1
    return named


def _short_of_optional_tail(header: list[str], mapping: dict[str, str]) -> Callable[[list], bool]:
    """Whether a record shorter than the header lacks only its last columns that are unnamed
    or optional (see _optional_tail): read_scdl reads such a row with those cells blank.  A
    row short of a required column keeps its row-length finding."""
    needed = _optional_tail(header, mapping)
    return lambda rec: needed <= len(rec)


def _blank_tail_cut(row: list, header: list[str], mapping: dict[str, str]) -> list | None:
    """An over-long row cut to the header when the cells past it are all blank (Excel keeps
    the empty columns of its sheet: rows end in ";;") and the cells kept each fit their column:
    the blank cells carry nothing.  None when one of them holds text, or when the row cut so
    would put a value where it cannot stand (a split amount's "00" in nature: that row is
    realigned, or set aside, as before)."""
    width = len(header)
    if len(row) <= width or any(c[0].strip() for c in row[width:]):
        return None
    kept = row[:width]
    misfits = {mapping.get(h) for h, c in zip(header, kept) if not _fits(mapping.get(h), c[0])}
    # an amount alone that is no amount ("SEM", "NC") is the amount check's business: the row is
    # read as its siblings of the header's width are, and set aside for its amount, not for a
    # stray delimiter at its end
    if misfits - {"montant"}:
        return None
    return kept


def _trailing_blanks(row: list, width: int) -> int:
    """How many blank cells end the row past the header's width: what a stray delimiter at a
    row's end makes (Excel keeps its sheet's empty columns; "25 000;" typed by hand)."""
    k = 0
    while len(row) - k > width and not row[len(row) - k - 1][0].strip():
        k += 1
    return k


def _fit_long_row(row: list, header: list[str], mapping: dict[str, str],
                  fields: list[str | None], delim: str) -> tuple[list, list | None, int] | None:
    """An over-long row as it fits the header: (its cells, the spans put back or None when
    only blank cells past the header were dropped, how many blank cells ending it were
    dropped), or None when it fits in no single way.
    The blank cells ending the row are dropped first, as many as can go: they carry nothing,
    and left in they push every cell after a free-text column one column to the right (a
    realignment that a stray trailing delimiter makes wrong, yet unique)."""
    width = len(header)
    trailing = _trailing_blanks(row, width)
    for drop in range(trailing, -1, -1):
        kept = row[:len(row) - drop]
        if len(kept) == width:   # cut to the header: each cell must fit where it stands
            if all(_fits(mapping.get(h), c[0]) for h, c in zip(header, kept)):
                return kept, None, drop
            continue
        spans = _realign(kept, fields, delim)
        if spans is not None:
            return [(delim.join(c[0] for c in kept[a:b]), kept[a][1], kept[a][2])
                    for a, b in spans], spans, drop
    kept = _blank_tail_cut(row, header, mapping)   # its amount alone unreadable ("SEM")
    return (kept, None, trailing) if kept is not None else None


def _repair_long_rows(rows: list, header: list[str], mapping: dict[str, str],
                      delim: str) -> tuple[list, int, tuple[int, str, list[str]] | None,
                                           list[int]] | None:
    """The rows with every over-long one realigned, their count, the first place (line,
    column name, the cells joined; None when none was realigned), and the lines of the rows
    whose blank cells past the header were dropped (a stray delimiter at their end); None when no row is longer than the
    header, or when one of them fits it in no single way: then nothing is repaired (half a
    repair would mix two readings of one file)."""
    fields = [mapping.get(h) for h in header]
    fixed, count, example, cut = [], 0, None, []
    for row in rows:
        if len(row) <= len(header) or not any(c[0].strip() for c in row):
            fixed.append(row)
            continue
        fit = _fit_long_row(row, header, mapping, fields, delim)
        if fit is None:
            return None
        cells, spans, dropped = fit
        if dropped:
            cut.append(row[0][1])
        if spans is not None:
            count += 1
            if example is None:
                k, (a, b) = next((k, ab) for k, ab in enumerate(spans) if ab[1] - ab[0] > 1)
                example = (row[a][1], header[k], [c[0] for c in row[a:b]])
        fixed.append(cells)
    return (fixed, count, example, cut) if count or cut else None


def _as_csv(rows: list, delim: str) -> tuple[bytes, list[list[tuple[int, int, int]]]]:
    """Rows written back as UTF-8 CSV (quoted where needed), and for each written line the
    (column there, line and column in the file read) of its cells, to name places as the
    file has them."""
    lines: list[str] = []
    places: list[list[tuple[int, int, int]]] = []
    for row in rows:
        cells = [_quoted(c[0], delim) for c in row]
        spots, col = [], 1
        for c, written in zip(row, cells):
            spots.append((col, c[1], c[2]))
            col += len(written) + 1
        places.append(spots)
        text = delim.join(cells)
        places.extend([] for _ in range(text.count("\n")))   # lines inside quoted cells
        lines.append(text)
    return ("\n".join(lines) + "\n").encode("utf-8"), places


def _quoted(text: str, delim: str) -> str:
    """A cell as CSV writes it: quoted when it holds the delimiter, a quote or a line break."""
    if any(ch in text for ch in (delim, '"', "\n", "\r")):
        return '"' + text.replace('"', '""') + '"'
    return text


def _period_ends(header: list[str], mapping: dict[str, str]) -> tuple[int, int] | None:
    """Where the two ends of the payment period stand (SUB_DATE_DEBUT, SUB_DATE_FIN), when the
    header has both and no datesPeriodeVersement column of its own."""
    folded = [_fold_name(h) for h in header]
    ends = [_fold_name(e) for e in PERIOD_ENDS]
    if "datesPeriodeVersement" in mapping.values() or not all(e in folded for e in ends):
        return None
    return folded.index(ends[0]), folded.index(ends[1])


def _join_period_ends(row: list[tuple[str, int, int]],
                      ends: tuple[int, int]) -> list[tuple[str, int, int]]:
    """A row with its two period ends made one cell, "start/end" as the schema writes a period
    (one date alone when the other is blank); "start_end" when an end is itself written with
    slashes (01/04/2017), as "01/04/2017/31/12/2017" would be no period at all."""
    start, end = ends
    joined = list(row)
    parts = [p for p in (row[start][0].strip(), row[end][0].strip()) if p]
    value = ("_" if any("/" in p for p in parts) else "/").join(parts)
    # placed at the end given when the start is blank: its findings name the cell that holds it
    at = row[end] if not row[start][0].strip() and row[end][0].strip() else row[start]
    joined[start] = (value, at[1], at[2])
    del joined[end]
    return joined


def _half_period(row: list[tuple[str, int, int]], ends: tuple[int, int]) -> int | None:
    """The index of the one end of the payment period a row gives, when it gives one alone:
    joined, it would read as one payment day (the schema's single date), which it is not."""
    given = [k for k in ends if row[k][0].strip()]
    return given[0] if len(given) == 1 else None


def _half_period_said(header: list[str], ends: tuple[int, int], given: int,
                      text: str) -> tuple[str, str]:
    """A half period's finding, in English and French."""
    blank = header[ends[1] if given == ends[0] else ends[0]]
    return _said(f"only {header[given]} is given ({text.strip()!r}), {blank} is blank: a date "
                 f"alone is one payment day in the schema, which this is not; read_scdl leaves "
                 f"this record's datesPeriodeVersement missing. Give both ends",
                 f"seul {header[given]} est donné ({_q(text.strip())}), {blank} est vide : une "
                 f"date seule est un jour de versement pour le schéma, ce qu'elle n'est pas ici ; "
                 f"read_scdl laisse manquante la datesPeriodeVersement de cet enregistrement. "
                 f"Donnez les deux bornes")


def _columns(header: list[str], mapping: dict[str, str]) -> dict[str, Any]:
    """What Ledger.read_csv needs to read a grant file under this header."""
    actual = {v: k for k, v in mapping.items()}
    dims = list(dict.fromkeys(h for h in header if h and h != actual["montant"]
                              and mapping.get(h) != "dateConvention"))
    dates = [actual["dateConvention"]] if "dateConvention" in actual else []
    return {"amount": actual["montant"], "dims": dims, "dates": dates, "rename": mapping}


def _read_rewritten(data: Any, path: str | None, header: list[str], mapping: dict[str, str],
                    *, encoding: str | None, decimal: str | None, progress: Any,
                    ends: tuple[int, int] | None, dash_is_zero: bool = False,
                    date_order: str | None = None) -> Ledger | None:
    """The ledger read from the file's rows put right, then written back as plain CSV: the
    over-long rows realigned when every one of them fits the header one way alone (see
    _realign; a RepairedRowsWarning says so, else they stay aside as they are), and the two
    ends of the payment period joined into the schema's one column.  Rows set aside keep the
    places the file has.  None when there is nothing to put right."""
    rows, _, delim, _ = _read_rows(data, encoding)
    start = next(k for k, r in enumerate(rows) if any(c[0].strip() for c in r))
    head, body = rows[start], rows[start + 1:]
    cut = [_blank_tail_cut(r, header, mapping) if len(r) > len(header) else None for r in body]
    body_before_cut = body
    body = [r if c is None else c for r, c in zip(body, cut)]   # ";;" past the header: nothing
    # a row short only of the header's unnamed or optional last columns (Excel's row past the
    # 16th line whose last cells are blank): those cells blank, placed at its end
    needed, width, named = _optional_tail(header, mapping), len(header), _named_width(header)
    short_count, short_first, short_columns = 0, None, set()
    for k, r in enumerate(body):
        if needed <= len(r) < width and any(c[0].strip() for c in r):
            body[k] = r + [("", r[-1][1], r[-1][2])] * (width - len(r))
            if len(r) < named:   # a named column lacked, not only the sheet's empty ones
                short_count += 1
                short_first = short_first or r[0][1]
                short_columns.update(range(len(r), named))
    repaired = _repair_long_rows(body, header, mapping, delim) \
        if any(len(r) > len(header) for r in body) else None
    if repaired is not None:
        body = repaired[0]
    # the rows long only by blank cells past the header, read without them: counted, said once
    cut_lines = sorted([r[0][1] for r, c in zip(body_before_cut, cut) if c is not None] +
                       (repaired[3] if repaired is not None else []))
    if repaired is not None and not repaired[1]:
        repaired = None   # nothing realigned: no unquoted delimiter to speak of
    if ends is None and not cut_lines and not short_count and repaired is None:
        return None
    halves: list[tuple[int, int, str, str]] = []   # (line, column, given end, its text)
    if ends is not None:
        head = [(c[0] if k != ends[0] else "datesPeriodeVersement", c[1], c[2])
                for k, c in enumerate(head) if k != ends[1]]
        joined = []
        for r in body:
            if len(r) != len(header):
                joined.append(r)
                continue
            half = _half_period(r, ends)
            if half is not None:
                # one end alone is no period: joined it would read as one payment day, so
                # the period is left missing, and said
                halves.append((r[half][1], r[half][2], header[half].strip(), r[half][0].strip()))
            r = _join_period_ends(r, ends)
            if half is not None:
                r[ends[0]] = ("", r[ends[0]][1], r[ends[0]][2])
            joined.append(r)
        body = joined
    new_header = [c[0].strip() for c in head]
    new_mapping = _header_map(new_header)[0]
    text, places = _as_csv([head] + body, delim)   # blank rows kept: still counted
    ledger = Ledger.read_csv(text, encoding="utf-8", delimiter=delim, bad_rows="collect",
                             decimal=decimal, progress=progress, dash_is_zero=dash_is_zero,
                             date_order=date_order, **_columns(new_header, new_mapping))
    for k, bad in enumerate(ledger.bad_rows):   # places as the file has them
        spots = places[bad.line - 1] if bad.line - 1 < len(places) else []
        spot = max((s for s in spots if s[0] <= bad.column), default=None)
        if spot is not None:
            ledger.bad_rows[k] = replace(bad, line=spot[1], column=spot[2])
    if halves:
        from .errors import HalfPeriodWarning
        line, column, given, text = halves[0]
        other = (header[ends[1]] if given == header[ends[0]].strip() else header[ends[0]]).strip()
        give_warning(HalfPeriodWarning(
            f"{path or '<scdl>'}: "
            f"{_en_counted(len(halves), 'record gives', 'records give')} one end "
            f"of the payment period "
            f"alone (first: line {line}, {given} = {text!r}, {other} blank): a date alone is "
            f"one payment day, which these are not, so their datesPeriodeVersement is left "
            f"missing; give both ends", path=path, line=line, column=column,
            reason=("half-period", len(halves), line, given, text, other)))
    if short_count:
        from .errors import ShortRowsWarning
        columns = [mapping.get(header[k], header[k]) for k in sorted(short_columns)]
        give_warning(ShortRowsWarning(
            f"{path or '<scdl>'}: " + short_rows_said(short_count, short_first, columns)[0],
            path=path, line=short_first,
            reason=("short-rows", short_count, short_first, tuple(columns))))
    # said when only some rows have them (a stray delimiter typed at their end); when every
    # record has them, they are the sheet's empty columns Excel kept, a layout, not a slip
    data_rows = sum(1 for r in body_before_cut if any(c[0].strip() for c in r))
    if cut_lines and len(cut_lines) < data_rows:
        from .errors import RepairedRowsWarning
        give_warning(RepairedRowsWarning(
            f"{path or '<scdl>'}: " +
            blank_past_header_said(len(cut_lines), cut_lines[0], len(header))[0],
            path=path, line=cut_lines[0],
            reason=("blank-past-header", len(cut_lines), cut_lines[0], len(header))))
    if repaired is not None:
        from .errors import RepairedRowsWarning
        _, count, (line, column, cells), _ = repaired
        give_warning(RepairedRowsWarning(
            f"{path or '<scdl>'}: {_en_counted(count, 'row', 'rows')} had more cells than "
            f"the header's "
            f"{len(header)}: the delimiter {delim!r} appears unquoted inside values, and each "
            f"such row fits the header one way alone, so their cells were put back (first: "
            f"line {line}, column {mapping.get(column, column)} = {delim.join(cells)!r} from "
            f"the cells {', '.join(map(repr, cells))}); quote the cells or use ';' to publish "
            f"it cleanly", path=path, line=line,
            reason=("repaired-rows", count, len(header), delim, line,
                    mapping.get(column, column), tuple(cells))))
    return ledger


def read_scdl(source: Any, *, encoding: str | None = None, progress: Any = None,
              decimal: str | None = None, dash_is_zero: bool = False,
              date_order: str | None = None) -> Ledger:
    """A ledger of SCDL grant records, the columns named as the schema names them whatever the
    file's spelling (``NomAttribuant``, ``COLL_NOM``, the decree's labels...; SUB_DATE_DEBUT
    and SUB_DATE_FIN joined into ``datesPeriodeVersement``).  ``montant`` is the amount,
    ``dateConvention`` a date; the other fields are labels.  Rows whose amount or date cannot be
    read are kept aside in ``ledger.bad_rows`` with their place (never dropped silently); blank
    rows (``;;;;``) are skipped and counted in ``ledger.blank_rows``.  Rows longer than the
    header (``25 000,00`` unquoted in a ``,`` file) are put back, with a RepairedRowsWarning,
    only when every one of them fits the header one way alone.  Rows short only of the
    header's last columns that the schema marks optional (``idRAE``, ``dispositifAide``: Excel
    writes no delimiter for the blank cells that end a row past a sheet's 16th line) are read
    with those cells blank, said once by a ShortRowsWarning; a row short of a required column
    is kept aside.  ``decimal`` says what
    marks decimals when the amounts cannot (``"12.500"`` among whole amounts: ``decimal="."``
    as the schema writes numbers, ``decimal=","`` as French exports do); ``dash_is_zero=True``
    reads an amount printed "-" (Excel's accounting zero) as 0; ``date_order`` (``"dmy"`` or
    ``"mdy"``) says how ``dateConvention``'s ``04/05/2017`` reads, decided on the column's
    values when not given (see Ledger.read_csv).  A file that is not
    an SCDL grant file (fewer than half the required columns) raises ParseError saying so.
    ``source`` is a path (``.gz``, ``.bz2``, ``.xz`` or a ``.zip`` of one file read as its
    content), bytes, or a file object; a seekable binary one (``gzip.open(path)``, a zip
    member) is streamed from where it stands, as a path is."""
    # A regular file named by its path is never held whole in the common case: its header is
    # found in a prefix, then the core streams the body (Ledger.read_csv(path)); the bytes are
    # read only for the rare rewrite (rows longer than the header, period ends to join).
    path = os.fspath(source) if isinstance(source, (str, os.PathLike)) else None
    # gzip.open(path), a zip member, open(path, "rb"): the same, from where the stream stands
    stream = seekable_stream(source) if path is None else None
    data = None
    try:
        if stream is not None:
            path, start = name_of(stream), stream.tell()
            found = _header_cells_of(lambda size: _stream_head(stream, start, size))
        else:
            found = _header_cells_of_file(path) if path is not None else None
        if found is None:
            data, path, was_text = read_source(source)
            if was_text:   # decoded by the file object, handed over as UTF-8: not again
                encoding = "utf-8"
            cells, state = _header_cells(data), None
        else:
            cells, state = found
        header = [name for name, _, _ in cells]
        mapping, _ = _header_map(header)
        if not is_scdl_header(header):
            raise ParseError(_not_scdl_message(header), path=path, line=1, column=1,
                             reason=_not_scdl_reason(header))
        first_of: dict[str, str] = {}
        for name, line, column in cells:   # two spellings of one field: which holds the data?
            field = mapping.get(name)
            if field in first_of and first_of[field] != name:
                raise ParseError(f"the columns {first_of[field]!r} and {name!r} both stand for "
                                 f"the schema's {field!r}: keep one", path=path, line=line,
                                 column=column)
            if field:
                first_of.setdefault(field, name)
        ends = _period_ends(header, mapping)
        ledger = None
        # Each reading of the file says what it finds (a mixed encoding...), and a file with
        # rows to put right is read twice: what each says is kept aside, and only the reading
        # whose ledger is returned is heard -- one stray byte was said twice.
        said: list[Warning] = []
        try:
            if ends is None:   # the common case: read straight from the file, in C
                body = stream if stream is not None else path if data is None else data
                with warnings_kept_aside() as said:
                    ledger = Ledger.read_csv(body, encoding=encoding,
                                             progress=progress, bad_rows="collect",
                                             decimal=decimal, dash_is_zero=dash_is_zero,
                                             date_order=date_order, **_columns(header, mapping))
            if ledger is None or any(bad.reason[:1] == ("field-count",)
                                         for bad in ledger.bad_rows):
                if data is None and stream is not None:
                    stream.seek(start)
                    data = stream.read()
                elif data is None:
                    data = read_path(path)
                with warnings_kept_aside() as said_again:
                    rewritten = _read_rewritten(data, path, header, mapping,
                                                encoding=encoding, decimal=decimal,
                                                progress=progress, ends=ends,
                                                dash_is_zero=dash_is_zero,
                                                date_order=date_order)
                if rewritten is not None:   # an empty ledger is falsy
                    ledger, said = rewritten, said_again
        finally:   # said even when a reading fails, as they were before it
            for warning in said:
                give_warning(warning)
        if state is not None:   # the header and the body read are of one version
            refuse_if_changed_since(path, state)
    except ParseError as exc:
        raise type(exc)(Exception.__str__(exc), path=path or exc.path, line=exc.line,
                        column=exc.column, reason=exc.reason) from None
    ledger.path = path
    # the rows set aside speak of the schema's columns, as everything else does
    renamed = [(f"column '{old}'", f"column '{new}'") for old, new in mapping.items() if old != new]
    for k, bad in enumerate(ledger.bad_rows):
        # a short row here lacks a column the schema does not mark optional (short only of
        # optional ones, it was read): no short_rows to offer, its cells may have shifted
        message = bad.message.replace(SHORT_ROW_HINT, SCDL_SHORT_ROW_HINT)
        for old, new in renamed:
            message = message.replace(old, new)
        reason = bad.reason   # its column named alike in every language
        if reason and mapping.get(reason[1]):
            reason = (reason[0], mapping[reason[1]], *reason[2:])
        ledger.bad_rows[k] = replace(bad, message=message, reason=reason)
    return ledger


# ---------------------------------------------------------------------------- validating
#: the patterns the checks of every distinct value match, compiled once
_SIRET_DIGITS = re.compile(r"\d{14}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_PERIOD_ENDS_SPLIT = re.compile(r"[/_]")
#: a number whose point could group thousands: a first group of 1-3 digits worth something
_MAY_GROUP = re.compile(r"[+-]?0*[1-9]\d{0,2}\.\d{3}")


def siret_ok(digits: str) -> bool:
    """The SIRET check: Luhn; La Poste's establishments (SIREN 356000000), numbered beyond what
    Luhn allows, pass instead when their digits add up to a multiple of 5 (its head office,
    35600000000048, passes Luhn itself)."""
    if not _SIRET_DIGITS.fullmatch(digits):
        return False
    if digits.startswith("356000000") and sum(int(d) for d in digits) % 5 == 0:
        return True
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


@lru_cache(maxsize=1 << 14)   # a period's two ends and a file's dates repeat
def _date(text: str) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(text) if _ISO_DATE.fullmatch(text) else None
    except ValueError:
        return None


@lru_cache(maxsize=1 << 14)
def _only_order(text: str) -> str | None:
    """'d' when read_scdl can read the date only day first (25/03/2017), 'm' only month first
    (03/25/2017), None otherwise (both, neither, or one reading as an ISO date has)."""
    readings = set()
    for way in ("d", "m"):
        try:
            readings.add((way, _core.parse_date(text.strip(), way)))
        except ValueError:
            pass
    return readings.pop()[0] if len(readings) == 1 else None


#: _date_suggestion's reasons, in French
_DATE_WHY_FR = {
    "the date is not written YYYY-MM-DD": "la date n'est pas écrite AAAA-MM-JJ",
    "a day-first date where YYYY-MM-DD is expected":
        "une date qui commence par le jour là où AAAA-MM-JJ est attendu",
    "a month-first date where YYYY-MM-DD is expected":
        "une date qui commence par le mois là où AAAA-MM-JJ est attendu",
    "a date and a time where YYYY-MM-DD is expected":
        "une date suivie d'une heure là où AAAA-MM-JJ est attendu",
    "an impossible date": "une date impossible",
    "not a date (YYYY-MM-DD expected)": "pas une date (AAAA-MM-JJ attendu)",
}


def _date_suggestion(text: str, month_first: bool = False) -> tuple[str | None, str]:
    """(a likely ISO date, why the text is not one); ``month_first``: a date both orders read
    is read month first, as read_scdl reads a column where a date only month first reads."""
    m = re.fullmatch(r"(.{10})[T ]\d{2}:\d{2}.*", text)
    if m:
        # a time after the day (a spreadsheet's 2017-03-25T00:00:00): read_scdl reads the day
        # alone, so the day is the suggestion; a day written otherwise is said as such
        if _date(m[1]):
            return m[1], "a date and a time where YYYY-MM-DD is expected"
        return _date_suggestion(m[1], month_first)
    m = re.fullmatch(r"(\d{4})[/.](\d{2})[/.](\d{2})", text)
    if m:
        iso = f"{m[1]}-{m[2]}-{m[3]}"
        return (iso, "the date is not written YYYY-MM-DD") if _date(iso) else \
            (None, "an impossible date")
    m = re.fullmatch(r"(\d{2})[/.-](\d{2})[/.-](\d{4})", text)
    if m:
        # day first, the French way, unless only the month-first reading is a real date
        # (03/25/2017), as read_scdl reads such a column; a suggestion is never a date that
        # does not exist (25/13/2017 has no reading)
        day, month = f"{m[3]}-{m[2]}-{m[1]}", f"{m[3]}-{m[1]}-{m[2]}"
        if _date(day) and not (month_first and _date(month)):
            return day, "a day-first date where YYYY-MM-DD is expected"
        if _date(month):
            return month, "a month-first date where YYYY-MM-DD is expected"
        return None, "an impossible date"
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        swapped = f"{m[1]}-{m[3]}-{m[2]}"
        return (swapped if _date(swapped) else None), "an impossible date"
    return None, "not a date (YYYY-MM-DD expected)"


def _number(text: str) -> Decimal | None:
    if not _NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


#: a share as a French file may write it, against the schema (its own finding says so): a
#: decimal comma, or a percentage out of 100 followed by "%"
_SHARE_WRITTEN = re.compile(r"(\d+(?:[.,]\d+)?)\s*(%?)")


def _share(text: str) -> Decimal | None:
    """pourcentageSubvention's cell as a fraction of the grant, None when it says no number.
    Only to find the grants given in shares: "0,6" and "60 %" say 0.6 as plainly as "0.6"."""
    t = text.strip()
    read = _number(t)
    if read is not None or not (m := _SHARE_WRITTEN.fullmatch(t)):
        return read
    value = Decimal(m.group(1).replace(",", "."))
    return value / 100 if m.group(2) else value


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn").strip()


# ------------------------------------------------------------------ a file read in blocks
#: bytes of a file turned into Python cells at a time: the cells of a block weigh about 16 times
#: its bytes, so this bounds what validate_scdl holds whatever the size of the file
_BLOCK_BYTES = 1 << 20
_UTF8_BOM = b"\xef\xbb\xbf"
_LINE_END = re.compile(rb"\r\n|\r|\n")
#: the core's words for a quote no later byte closes: in a block cut inside a quoted cell, it
#: means the cut is wrong, not the file
_NEVER_CLOSED = "is never closed"


def _byte_blocks(source: Any) -> tuple[str | None, Iterator[bytes]]:
    """The source's name and its bytes in blocks of about _BLOCK_BYTES, read as they are asked
    for: a regular file by its path (checked unchanged once read to its end, as read_path
    checks it), a bytes-like object in slices, a file object by read() (text encoded as
    UTF-8); any other path (a FIFO, ``/dev/stdin``) is read whole by read_path."""
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if is_packed(path):   # grants.csv.gz: its content, decompressed as it is asked for
            return path, _packed_reads(path)
        head = read_head(path, _BLOCK_BYTES)
        return path, (_slices(read_path(path)) if head is None else _file_blocks(path, *head))
    if isinstance(source, (bytes, bytearray, memoryview)):
        return None, _slices(source)
    refuse_unreadable(source)   # before a generator defers the refusal to its first block
    return name_of(source), _reads(source)


def _slices(data: Any) -> Iterator[bytes]:
    view = memoryview(data)
    for at in range(0, len(view), _BLOCK_BYTES):
        yield bytes(view[at: at + _BLOCK_BYTES])


def _reads(fh: Any) -> Iterator[bytes]:
    # checked: a read() giving None ended this loop as an end of file, and an empty file was
    # validated in place of the stream's
    while True:
        try:
            block = checked_read(fh, _BLOCK_BYTES, text=True)
        except UnicodeDecodeError as exc:   # opened as text in an encoding it is not
            raise undecodable(exc, name_of(fh), placed=False) from None
        if not block:
            return
        yield text_as_bytes(block, name_of(fh))[0] if isinstance(block, str) else block


def _packed_reads(path: str) -> Iterator[bytes]:
    with open_packed(path) as packed:   # checked unchanged once read to its end
        yield from _reads(packed.stream)


def _file_blocks(path: str, head: bytes, whole: bool, state: os.stat_result) -> Iterator[bytes]:
    """The regular file's blocks after its head, then the check that they are all of one
    version of the file (FileChangedError otherwise: a row cut short could read as valid)."""
    yield head
    count = len(head)
    if not whole:
        with open(path, "rb") as fh:
            fh.seek(count)
            while block := fh.read(_BLOCK_BYTES):
                count += len(block)
                yield block
    if count != state.st_size:
        raise FileChangedError(
            f"the file changed while it was read ({state.st_size} bytes when opened, {count} "
            f"read): read it again once it is complete", path=path)
    refuse_if_changed_since(path, state)


class _Block:
    """The rows of one block as read_table_flat gives them: each row a list of its cells'
    texts, and every cell's (line, column) in ``places`` (int64 pairs, line then column, cell
    after cell) -- no tuple per cell for the garbage collector to walk again and again over a
    file of millions of cells.  ``kept``: the rows that are records (see _nonblank_blocks);
    ``starts[r]``: where row r's pairs start in ``places`` (twice its first cell's index)."""

    __slots__ = ("texts", "places", "starts", "kept", "lines_before")

    def __init__(self, texts: list[list[str]], places: bytes) -> None:
        self.texts, self.places = texts, memoryview(places).cast("q")
        self.starts = [0, *accumulate(2 * len(row) for row in texts)]
        self.kept: list[int] = list(range(len(texts)))
        self.lines_before = 0

    def cells(self, r: int) -> list[tuple[str, int, int]]:
        """Row ``r`` as read_table gives it: (text, line, column) a cell, its lines the
        block's."""
        at, places = self.starts[r], self.places
        return [(text, places[at + 2 * k], places[at + 2 * k + 1])
                for k, text in enumerate(self.texts[r])]


class _RecordBlocks:
    """A delimited file's rows, one block at a time: ``for rows, lines_before in blocks``.

    Each block is cut at a line end and parsed by the core's read_table (the one parser of
    every reader), so only one block's cells are held.  What keeps the blocks' cells those of
    the whole file's reading:
    - a cut is a record's end: a block whose parse finds a quote never closed was cut inside a
      quoted cell, and is cut again at the start of the line where that quote opened (a line's
      start is either a record's start or inside a quoted cell) or, when that is its first
      line, grown; only the file's last block says the quote is truly never closed;
    - the encoding is detected block by block: valid UTF-8 sequences read as UTF-8 and other
      bytes as CP1252, which is what the whole file's detection decides for each byte;
    - the delimiter is sniffed on a first block long enough for the sniffer to be sure
      (sniff_delimiter_sure), then given to every other block;
    - a UTF-16 file (its BOM, or ``encoding="utf-16"``) is read as one block: its line ends
      are two bytes.
    Lines in each block count from 1: ``lines_before`` is what to add to them."""

    def __init__(self, source: Any, encoding: str | None) -> None:
        self.path, self._blocks = _byte_blocks(source)
        if isinstance(source, io.TextIOBase) and getattr(source, "errors", None) != \
                "surrogateescape":   # its text decoded by it, read as UTF-8 (_reads)
            encoding = "utf-8"   # (what surrogateescape could not decode is the file's bytes)
        self._encoding = ENCODINGS.get((encoding or "auto").lower(), _core.ENC_AUTO)
        self.delimiter: str | None = None
        #: "utf-8" / "cp1252" -> the first line of a block of non-ASCII bytes read so
        self._first_read_as: dict[str, int] = {}
        self._said_mixed = False

    def __iter__(self) -> Iterator[tuple[_Block, int]]:
        buf, lines_before, want, at_end = b"", 0, _BLOCK_BYTES, False
        while True:
            if not at_end and len(buf) < want:
                parts, size = [buf], len(buf)   # joined once: a UTF-16 file grows to its end
                while not at_end and size < want:
                    block = next(self._blocks, None)
                    at_end = block is None
                    if block is not None:
                        parts.append(block)
                        size += len(block)
                buf = b"".join(parts)
            if not buf:
                return
            if not at_end and (buf[:2] in _UTF16_BOMS
                               or self._encoding in (_core.ENC_UTF16LE, _core.ENC_UTF16BE)):
                want = len(buf) * 2   # read whole
                continue
            parsed = self._parse(buf, at_end, lines_before)
            if parsed is None:
                want = len(buf) * 2   # no record ends within what was read: read further
                continue
            block, cut = parsed
            block.lines_before = lines_before
            yield block, lines_before
            piece = buf[:cut]
            lines_before += piece.count(b"\n") + piece.count(b"\r") - piece.count(b"\r\n")
            buf, want = buf[cut:], _BLOCK_BYTES

    def _parse(self, buf: bytes, at_end: bool, lines_before: int) -> tuple[_Block, int] | None:
        """The rows of the longest prefix of ``buf`` that ends a record, and its length; None
        when none does yet (or the delimiter cannot be sniffed on it for sure)."""
        cut = len(buf) if at_end else buf.rfind(b"\n") + 1
        while cut > 0:
            piece = buf[:cut]
            last = at_end and cut == len(buf)
            extra = {"delimiter": self.delimiter} if self.delimiter else {}
            try:
                texts, places, used, delimiter = _core.read_table_flat(
                    piece, encoding=self._encoding, **extra)
            except ParseError as exc:
                if last or _NEVER_CLOSED not in Exception.__str__(exc):
                    raise _shifted_error(exc, self.path, lines_before) from None
                cut = _line_start(piece, exc.line) if exc.line > 1 else 0
                continue
            if self.delimiter is None:
                if not last and not _core.sniff_delimiter_sure(piece[len(_UTF8_BOM):]
                                                               if piece.startswith(_UTF8_BOM)
                                                               else piece):
                    return None
                self.delimiter = delimiter
            self._say_if_mixed(piece, used, lines_before)
            return _Block(texts, places), cut
        return None

    def _say_if_mixed(self, piece: bytes, used: str, lines_before: int) -> None:
        """One MixedEncodingWarning for a file that mixes UTF-8 and CP1252: within a block, with
        the places of its odd bytes (warn_if_mixed); or across blocks, each of one encoding."""
        if self._said_mixed or (piece[len(_UTF8_BOM):] if piece.startswith(_UTF8_BOM)
                                else piece).isascii():
            return
        if used == "utf-8 + cp1252":
            self._said_mixed = True
            warn_if_mixed(piece, self.path, lines_before=lines_before)
            return
        self._first_read_as.setdefault("cp1252" if "cp1252" in used else "utf-8", lines_before + 1)
        if len(self._first_read_as) == 2:
            self._said_mixed = True
            give_warning(MixedEncodingWarning(
                f"{self.path or '<bytes>'}: UTF-8 and CP1252 in one file: the lines from "
                f"{self._first_read_as['utf-8']} are UTF-8, those from "
                f"{self._first_read_as['cp1252']} CP1252 (each valid UTF-8 sequence is read as "
                f"UTF-8, every other byte as CP1252); say encoding= to read the file otherwise",
                path=self.path, line=min(self._first_read_as.values()),
                reason=("mixed-lines", self._first_read_as["utf-8"],
                        self._first_read_as["cp1252"])))


def _line_start(text: bytes, line: int) -> int:
    """Where line ``line`` (1-based, line ends as the core counts them) of ``text`` starts; 0
    when it has fewer lines."""
    end = next((m for k, m in enumerate(_LINE_END.finditer(text), 2) if k == line), None)
    return end.end() if end else 0


def _shifted_error(exc: ParseError, path: str | None, lines_before: int) -> ParseError:
    """The error of a block, placed in the file: its line, and the lines its message names."""
    message = Exception.__str__(exc)
    if lines_before:
        message = re.sub(r"\bline (\d+)", lambda m: f"line {int(m[1]) + lines_before}", message)
    line = exc.line + lines_before if exc.line else exc.line
    return type(exc)(message, path=path, line=line, column=exc.column, reason=exc.reason)


def _nonblank_blocks(blocks: _RecordBlocks) -> Iterator[_Block]:
    """Each block whose rows hold something, its ``kept`` those rows (blank rows, ``;;;``,
    are no record): a list a block, not a generator's step a row."""
    for block, _ in blocks:
        block.kept = [r for r, row in enumerate(block.texts)
                      if row and (row[0].strip() or any(text.strip() for text in row))]
        if block.kept:
            yield block


def _records_after(first: _Block, rest: Iterator[_Block]) -> Iterator[_Block]:
    """The blocks of records after the header, the first row kept of ``first`` (the first
    block): no block's cells held once the next block is asked for."""
    first.kept = first.kept[1:]
    yield first
    del first
    yield from rest


def _flat_cells(row: list[tuple[str, int, int]]) -> tuple[list[str], list[int], int]:
    """A row of (text, line, column) cells as validate_scdl's check of a record takes it: the
    texts, their (line, column) pairs one after the other, and where they start (0)."""
    return [c[0] for c in row], [n for c in row for n in c[1:]], 0


def _placed(row: list, lines_before: int) -> list[tuple[str, int, int]]:
    return [(text, line + lines_before, column) for text, line, column in row] \
        if lines_before else row


# ---------------------------------------------------------------- findings, counted and kept
_SEVERITY_ORDER = {"error": 0, "warning": 1}
#: when validate_scdl emits each kind of finding; findings are listed by row, then severity,
#: then this, then as met -- the order of the one sort of the whole list it once made
_HEADER, _CAUSE, _ROWS, _WHOLE_FILE, _GROUPED = range(5)
#: distinct values whose findings each column remembers (the memo is emptied when full): a
#: column of SIRETs, dates or natures repeats a few thousand values over millions of rows
_MEMO_PER_COLUMN = 1 << 14
_NO_SHARE = object()   # a cell of pourcentageSubvention not yet read


class _Tally:
    """Findings as validate_scdl meets them: every one counted by (code, field, severity), the
    first ``limit`` of each code kept (every one when None).  Per-row ``enum-case`` findings
    become one per column and spelling, as the schema's case is said once."""

    def __init__(self, path: str | None, limit: int | None) -> None:
        self.path, self.limit = path, limit
        self.counted: dict[tuple[str, str | None, str], int] = {}
        self._kept_of_code: dict[str, int] = {}
        #: the codes of which ``limit`` findings are kept: the next ones are only counted
        self._only_counted: set[str] = set()
        #: a _later message -> its words, for the findings kept of a value met again
        self._wordings: dict[tuple, tuple] = {}
        self._kept: list[tuple[tuple[int, int, int], tuple]] = []
        #: (field, spelling) -> [the first finding's template, its line, how many, the order
        #: in which the groups were met]
        self._case_only: dict[tuple[str | None, str | None], list] = {}
        #: a date field -> {'d' or 'm': (line, text)}: the first date each order alone reads
        self.date_orders: dict[str, dict[str, tuple[int, str]]] = {}

    def read_month_first(self, name: str) -> None:
        """The kept date-format findings of ``name``, a column read_scdl reads month first
        (a date there only month first reads, none only day first): a date both orders read
        is suggested month first, the day the ledger holds."""
        for k, (place, f) in enumerate(self._kept):
            code, _, field, _, value, _, was = f[:7]
            if field == name and code == "date-format" and value is not None:
                suggestion, why = _date_suggestion(value, month_first=True)
                if suggestion != was:
                    english, french = _said(f"{value!r}: {why}",
                                            f"{_q(value)} : {_DATE_WHY_FR[why]}")
                    self._kept[k] = (place, f[:5] + (english, suggestion, f[7], french) + f[9:])

    def add(self, phase: int, code: str, severity: str, field: str | None, row: int | None,
            value: str | None, message: tuple[str, str], suggestion: str | None = None,
            column: int | None = None) -> None:
        self.met(((code, field, severity), code, severity, field, value, message, suggestion),
                 row, phase, column)

    def met(self, template: tuple, row: int | None, phase: int = _ROWS,
            column: int | None = None) -> None:
        """A finding of ``template`` (see _cell_findings) on ``row``, in the cell at
        ``column`` (a memoised template holds no place): the hot path."""
        key, code = template[0], template[1]
        if code in self._only_counted:   # as many of its code kept as the limit: counted alone
            self.counted[key] = self.counted.get(key, 0) + 1
            return
        if code == "enum-case" and phase != _GROUPED:
            group = self._case_only.setdefault((template[3], template[6]),
                                               [template, row, 0, len(self._case_only), column])
            group[2] += 1
            return
        self.counted[key] = self.counted.get(key, 0) + 1
        kept = self._kept_of_code.get(code, 0)
        if self.limit is None or kept < self.limit:
            self._kept_of_code[code] = kept + 1
            message, suggestion = template[5], template[6]
            if type(message) is tuple and message[0] is None:   # worded now that it is kept
                said = self._wordings.get(message)   # (a value met again: once)
                if said is None:
                    if len(self._wordings) >= _MEMO_PER_COLUMN:
                        self._wordings.clear()
                    said = self._wordings[message] = _worded(message, suggestion)
                message, suggestion = said
            # a (English, French) pair, or English alone
            english, french = (message, None) if isinstance(message, str) else message
            # ScdlFinding's fields, made one in report(): a tuple of texts and numbers is no
            # work for the garbage collector, which passes over the kept findings again and
            # again as a large file's rows come and go
            self._kept.append(((row or 0, _SEVERITY_ORDER.get(template[2], 2), phase),
                               (code, template[2], template[3], row, template[4], english,
                                suggestion, self.path, french, column)))
        elif code != "enum-case":   # (whose groups are met once more, at the end)
            self._only_counted.add(code)

    def count_only(self, key: tuple[str, str | None, str], times: int) -> None:
        """Findings met but not kept: a whole-file check keeps no more than the limit of them."""
        self.counted[key] = self.counted.get(key, 0) + times

    def merge(self, other: _Tally) -> None:
        """Takes the findings ``other`` met on other rows (the rows realigned): the counts
        added, the kept ones joined (report() keeps the first of each code), an enum-case
        group's first place the earlier of the two."""
        for key, n in other.counted.items():
            self.counted[key] = self.counted.get(key, 0) + n
        self._kept += other._kept
        for name, orders in other.date_orders.items():
            mine_of = self.date_orders.setdefault(name, {})
            for way, first in orders.items():
                if way not in mine_of or first[0] < mine_of[way][0]:
                    mine_of[way] = first
        for key, group in other._case_only.items():
            mine = self._case_only.setdefault(key, [*group[:2], 0, group[3], group[4]])
            mine[2] += group[2]
            if (group[1] or 0) < (mine[1] or 0):
                mine[0], mine[1], mine[3], mine[4] = group[0], group[1], group[3], group[4]

    def report(self, *, records: int, header: list[str]) -> ScdlReport:
        # the groups by their first place (two first met on one row come from one tally, whose
        # order of meeting them is the row's)
        for (field, spelled), (first, row, times, _, column) in sorted(
                self._case_only.items(), key=lambda item: (item[1][1] or 0, item[1][3])):
            self.met(first[:5] + (_said(
                f"{_en_counted(times, 'value differs', 'values differ')} from the enum's "
                f"{spelled!r} only by case (first: "
                f"{first[4]!r} on line {row}): the schema spells it {spelled!r}",
                _fr_counted(times, "valeur ne diffère", "valeurs ne diffèrent")
                + f" de {_q(spelled)}, valeur de l'énumération, que par la casse ("
                + ("" if times == 1 else "la première : ")
                + f"{_q(first[4])}, ligne {row}) : le schéma l'écrit {_q(spelled)}"),) + first[6:],
                row, _GROUPED, column)
        self._kept.sort(key=lambda kept: kept[0])   # stable: as met within a row
        findings, of_code = [], {}
        for _, f in self._kept:   # merged tallies may hold more than the limit of a code
            of_code[f[0]] = of_code.get(f[0], 0) + 1
            if self.limit is None or of_code[f[0]] <= self.limit:
                findings.append(ScdlFinding(*f))
        return ScdlReport(findings, path=self.path, records=records, header=header,
                          counted=self.counted, max_findings=self.limit)


class _CutDescriptions:
    """What the cut-description check needs of every ``objet``: how many there are, the longest
    length, how many stop at it and whether all of those stop mid-word, and the first of them
    (as many as are kept) -- not every description."""

    def __init__(self, limit: int | None) -> None:
        self.limit, self.count, self.longest, self.at_longest = limit, 0, -1, 0
        self.all_mid_word = True   # every description at the longest length stops mid-word
        self.first: list[tuple[int, str]] = []

    def see(self, line: int, text: str) -> None:
        self.count += 1
        if len(text) < self.longest:
            return
        if len(text) > self.longest:
            self.longest, self.at_longest, self.all_mid_word, self.first = len(text), 0, True, []
        self.at_longest += 1
        self.all_mid_word = self.all_mid_word and text[-1].isalnum()
        if self.limit is None or len(self.first) < self.limit:
            self.first.append((line, text))

    def merge(self, other: _CutDescriptions) -> None:
        """Takes the descriptions ``other`` saw on other rows."""
        if other.longest > self.longest:
            self.longest, self.at_longest, self.all_mid_word, self.first = \
                other.longest, 0, True, []
        if other.longest == self.longest:
            self.at_longest += other.at_longest
            self.all_mid_word = self.all_mid_word and other.all_mid_word
            self.first = sorted(self.first + other.first)[:self.limit]
        self.count += other.count

    def check(self, tally: _Tally) -> None:
        """Descriptions cut at a fixed length: several of the longest share that exact length
        and stop mid-word (an export truncated them)."""
        if self.count < 3 or self.longest < 40 or self.at_longest < 2 or not self.all_mid_word:
            return
        for line, text in self.first:
            tally.add(_WHOLE_FILE, "cut-description", "warning", "objet", line, text,
                      _said(f"the description stops at exactly {self.longest} characters, like "
                            f"{_en_counted(self.at_longest - 1, 'other', 'others')}: it was "
                            f"probably cut by an export",
                            f"la description s'arrête à exactement {self.longest} caractères, "
                            f"comme {_fr_counted(self.at_longest - 1, 'autre', 'autres')} : un "
                            f"export l'a probablement coupée"))
        tally.count_only(("cut-description", "objet", "warning"),
                         self.at_longest - len(self.first))


def _memo_lookup(memo: dict[str, tuple], name: str, spec: dict,
                 texts: list[str]) -> tuple[list[tuple[tuple, ...]], bool]:
    """_cell_findings of each of the cells ``texts`` of ``name``, remembered in its column's
    ``memo`` (emptied when full): looked up in one pass, only the values not in it checked;
    and whether the memo was emptied while most of the cells were not in it (a column of
    values met once: the memo is no use to it)."""
    found = list(map(memo.get, texts))
    emptied = False
    if None in found:   # values not met yet (or since the memo was emptied)
        many_new = 10 * found.count(None) > 9 * len(found)
        # only those cells cost a step: a column of values met once (amounts, periods) has
        # thousands a block, one of repeated values a few
        for i in compress(range(len(found)), map(is_, found, repeat(None))):
            raw = texts[i]
            known = memo.get(raw)   # (met earlier in this pass)
            if known is None:
                known = _cell_findings(name, spec, raw)
                if len(memo) >= _MEMO_PER_COLUMN:
                    memo.clear()
                    emptied = many_new
                memo[raw] = known
            found[i] = known
    return found, emptied


def _free_text_limit(name: str, spec: dict) -> int:
    """For a column of prose (a string with no pattern nor enum, and no check of its own: the
    names, references, descriptions), the length beyond which a value breaks a rule (maxLength,
    or none: sys.maxsize); 0 for any other column.  Such a cell has a finding only when blank or
    longer: _cell_findings gives nothing for any other value, so its millions of distinct
    values need neither a check nor a place in the memo."""
    cons = spec.get("constraints", {})
    if spec.get("type") != "string" or set(cons) - {"required", "maxLength"} or \
            name in ("idAttribuant", "idBeneficiaire", "datesPeriodeVersement"):
        return 0
    return cons.get("maxLength") or sys.maxsize


def _cell_findings(name: str, spec: dict, raw: str) -> tuple[tuple, ...]:
    """The findings of one cell of ``name`` holding ``raw``, as templates without their row:
    (count key, code, severity, field, value, message, suggestion).  A pure function of the
    field and the text, so validate_scdl computes it once per distinct value of a column."""
    found: list[tuple] = []

    def add(code: str, severity: str, field: str | None, _row: None, value: str | None,
            message: str, suggestion: str | None = None) -> None:
        found.append(((code, field, severity), code, severity, field, value, message, suggestion))

    text = raw.strip()
    cons = spec.get("constraints", {})
    if not text:
        if cons.get("required"):
            add("required", "error", name, None, raw,
                _said(f"{name} is required and blank", f"{name} est obligatoire et vide"))
        return tuple(found)
    kind = spec.get("type")
    if kind == "number":
        _check_number(add, name, None, text, cons)
    elif kind == "date":
        if _date(text) is None:
            suggestion, why = _date_suggestion(text)
            code = "impossible-date" if why == "an impossible date" else "date-format"
            add(code, "error", name, None, text,
                _said(f"{text!r}: {why}", f"{_q(text)} : {_DATE_WHY_FR[why]}"), suggestion)
    elif kind == "boolean":
        true, false = spec.get("trueValues", ["true"]), spec.get("falseValues", ["false"])
        if text not in true + false and text.lower() in true + false:
            # only the case differs (NON): said once per column, as for the enums -- and an
            # error, as the schema lists only 'oui' and 'non' (see _check_string)
            add("enum-case", "error", name, None, text, text.lower(), text.lower())
        elif text not in true + false:
            guess = {"yes": "oui", "true": "oui", "1": "oui", "y": "oui", "o": "oui",
                     "no": "non", "false": "non", "0": "non", "n": "non"}.get(text.lower())
            add("boolean", "error", name, None, text,
                _said(f"{text!r} is neither {true[0]!r} nor {false[0]!r}",
                      f"{_q(text)} n'est ni {_q(true[0])} ni {_q(false[0])}"), guess)
    else:
        _check_string(add, name, None, text, cons)
    if name in ("idAttribuant", "idBeneficiaire"):
        _check_siret(add, name, None, text)
    if name == "datesPeriodeVersement":
        _check_period(add, None, text)
    return tuple(found)


def validate_scdl(source: Any, *, encoding: str | None = None,
                  max_findings: int | None = 10_000) -> ScdlReport:
    """Every violation the official schema defines -- missing column, required, pattern, enum,
    maxLength, minimum/maximum, date and number format, SIRET check digit (La Poste's
    exception included), one-of-required -- as errors (an extra column is a warning); an enum
    or oui/non value that differs from the schema's only by case (``Aide en numéraire``,
    ``NON``) is an error too, said once per column and spelling (``enum-case``: how many
    cells, the first one's line, the schema's spelling as the suggestion), and so is a column
    name that differs only by case (``header-case``: read as the schema's field, but a
    validator of the schema matches names exactly); and what
    a schema cannot see: an impossible date that matches the pattern, a payment period that
    ends before it starts, spreadsheet-mangled SIRETs (``21860194600000.0``), text in an amount,
    dates that mix day first and month first (``date-order-mixed``: read_scdl refuses the file)
    -- errors -- and descriptions cut at a fixed length, a record that repeats an earlier one
    on every field of DUPLICATE_KEY (``duplicate-record``: summed twice by read_scdl), one grant
    shared by several beneficiaries (``shared-grant``: rows equal on SHARED_KEY whose
    pourcentageSubvention is below 1, each holding the whole montant) and a negative amount
    (warnings).  Each error carries the likely right value as ``.suggestion``
    when one is clear.

    The file is read in blocks, and each distinct value of a column checked once, so a year of
    a region's grants (millions of rows) fits in memory.  ``max_findings`` is how many findings
    of each code the report keeps (None: all); every finding is counted whatever the limit:
    ``report.counts()`` is exact, and ``report.not_kept`` (and ``summary()``) says how many
    were counted but not kept.  Findings are listed by row, then errors before warnings."""
    if max_findings is not None and (not isinstance(max_findings, int)
                                     or isinstance(max_findings, bool) or max_findings < 0):
        raise InvalidValueError(f"max_findings={max_findings!r}: a count of findings (0 or "
                                f"more) to keep per code, or None to keep them all")
    # The pass makes millions of lists and tuples (a block's rows, the memo's findings), none
    # in a cycle, that the garbage collector would walk again and again as they come and go
    # (about a sixth of the time on a large file): it is paused for the pass, and restored as
    # it was whatever happens.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _validate_scdl_pass(source, encoding, max_findings)
    finally:
        if collecting:
            gc.enable()


def _validate_scdl_pass(source: Any, encoding: str | None, max_findings: int | None) -> ScdlReport:
    """validate_scdl's pass over the file, its arguments checked."""
    blocks = _RecordBlocks(source, encoding)
    tally = _Tally(blocks.path, max_findings)
    fields = {f["name"]: f for f in schema()["fields"]}
    nonblank = _nonblank_blocks(blocks)
    first = next(nonblank, None)
    if first is None:
        tally.add(_HEADER, "empty-file", "error", None, None, None,
                  _said("the file holds no header and no record",
                        "le fichier n'a ni en-tête ni enregistrement"))
        return tally.report(records=0, header=[])
    header_row = _placed(first.cells(first.kept[0]), first.lines_before)
    rows = _records_after(first, nonblank)   # the records, by block
    del first   # (a block's cells held no longer than the block is read)
    header = [c[0].strip() for c in header_row]
    if not is_scdl_header(header):   # one finding says it, not one per absent column
        tally.add(_HEADER, "not-scdl", "error", None, None, None,
                  _said(_not_scdl_message(header), _not_scdl_message(header, "fr")))
        return tally.report(records=sum(len(block.kept) for block in rows), header=header)
    width, long_header, long_mapping = len(header), header, _header_map(header)[0]
    blank_tail = _short_of_optional_tail(long_header, long_mapping)
    named = _named_width(long_header)
    short_count, short_first, short_columns = 0, None, set()   # rows lacking named optional cells
    ends = _period_ends(header, long_mapping)
    if ends is not None:   # checked as the one column read_scdl makes of them
        header_row = _join_period_ends(header_row, ends)
        header_row[ends[0]] = ("datesPeriodeVersement",) + header_row[ends[0]][1:]
        header = [c[0].strip() for c in header_row]
    mapping, notes = _header_map(header)
    for actual, name, why in notes:
        if why == "case":
            tally.add(_HEADER, "header-case", "error", name, header_row[0][1], actual,
                      _said(f"the column {actual!r} is spelled {name!r} in the schema",
                            f"la colonne {_q(actual)} s'écrit {_q(name)} dans le schéma"), name,
                      column=header_row[header.index(actual)][2])
    older = [(actual, name) for actual, name, why in notes if why == "legacy"]
    if ends is not None:
        older.append((" + ".join(long_header[k] for k in ends), "datesPeriodeVersement"))
    if older:   # one finding for the header, not one per column
        tally.add(_HEADER, "legacy-column", "warning", None, header_row[0][1],
                  ", ".join(a for a, _ in older),
                  _said(_en_counted(len(older), "column uses an older name or the decree's "
                                    "label", "columns use older names or the decree's labels")
                        + ", read as the schema's: " + ", ".join(f"{a!r} -> {n}" for a, n in older),
                        _fr_counted(len(older), "colonne porte un nom ancien ou un libellé du "
                                    "décret, lue comme celle du schéma : ",
                                    "colonnes portent des noms anciens ou les libellés du "
                                    "décret, lues comme celles du schéma : ")
                        + ", ".join(f"{_q(a)} → {n}" for a, n in older)))
    seen: dict[str, int] = {}
    for k, h in enumerate(header):
        name = mapping.get(h)
        if name is None:
            tally.add(_HEADER, "extra-column", "warning", None, header_row[0][1], h,
                      _said(f"the column {h!r} is not in the schema",
                            f"la colonne {_q(h)} n'est pas dans le schéma"),
                      column=header_row[k][2])
        elif name in seen:
            tally.add(_HEADER, "duplicate-column", "error", name, header_row[0][1], h,
                      _said(f"the field {name!r} appears twice (columns {seen[name] + 1} and "
                            f"{k + 1})",
                            f"le champ {_q(name)} apparaît deux fois (colonnes {seen[name] + 1} "
                            f"et {k + 1})"), column=header_row[k][2])
        else:
            seen[name] = k
    for name in fields:
        if name not in seen:
            tally.add(_HEADER, "missing-column", "error", name, None, None,
                      _said(f"the schema's column {name!r} is missing",
                            f"la colonne {_q(name)} du schéma manque"))

    # the schema's order, in which each row's findings are listed
    columns = [(seen[name], name, spec, {}, _free_text_limit(name, spec))
               for name, spec in fields.items() if name in seen]
    one_of = [seen[n] for n in ("idBeneficiaire", "rnaBeneficiaire") if n in seen]
    # a record's cells of one_of as a tuple (an itemgetter of one index gives the cell alone:
    # each index is given twice), read with no Python step a row
    one_of_cells = itemgetter(*one_of, *one_of) if one_of else None
    # a record published twice is summed twice: the fields that tell one grant from another
    same_grant = [seen.get(n) for n in DUPLICATE_KEY]
    beneficiary_else = [seen.get(n) for n in ("rnaBeneficiaire", "nomBeneficiaire")]
    first_of_grant = _FirstLines()   # the key's hash -> the line that first held it
    # one grant shared by several beneficiaries: each row holds its whole montant (the schema:
    # "calculé avant répartition") and its share in pourcentageSubvention
    same_split = [seen.get(n) for n in SHARED_KEY]
    share = seen.get("pourcentageSubvention")
    first_of_shared = _FirstLines()   # the hash of a grant given in shares -> its first line
    objet = seen.get("objet")
    cut = _CutDescriptions(max_findings)
    shares: dict[str, Decimal | None] = {}   # pourcentageSubvention's cells, read as numbers
    #: the columns whose values are met about once (their memo emptied by a block of values
    #: not in it): checked cell by cell, no longer remembered
    met_once: set[str] = set()

    def check_row(rec: list[str], places: Any, at: int, line: int, tally: _Tally,
                  cut: _CutDescriptions) -> None:
        """The findings of a record: its cells' texts ``rec``, the column of its cell k at
        ``places[at + 2 * k + 1]`` (see _Block), on ``line``."""
        if len(rec) != width:
            # one fault, one finding: its cells are shifted, so what they break says nothing
            tally.add(_ROWS, "row-length", "error", None, line, None,
                      _row_length(len(rec), width))
            return
        if ends is not None:   # (a few files): the ends joined as (text, line, column) cells
            cells = [(text, places[at + 2 * k], places[at + 2 * k + 1])
                     for k, text in enumerate(rec)]
            half = _half_period(cells, ends)
            if half is not None:
                tally.add(_ROWS, "period-half", "error", "datesPeriodeVersement", line,
                          rec[half], _half_period_said(long_header, ends, half, rec[half]),
                          column=cells[half][2])
            rec, places, at = _flat_cells(_join_period_ends(cells, ends))
        hits = []   # (index, name, findings) of the cells with findings, in the schema's order
        for k, name, spec, memo, free_text_limit in columns:
            raw = rec[k]
            if free_text_limit and 0 < len(raw.strip()) <= free_text_limit:
                continue   # prose of any value: nothing to find, nothing to remember
            found = memo.get(raw)
            if found is None:
                found = _cell_findings(name, spec, raw)
                if len(memo) >= _MEMO_PER_COLUMN:
                    memo.clear()
                memo[raw] = found
            if found:   # few cells
                hits.append((k, name, found))
        check_record(rec, places, at, line, tally, cut, hits)

    def block_hits(recs: list[list[str]]) -> list[list | None]:
        """What check_row finds in each cell of the records ``recs`` (all of the header's
        width, no period ends to join), column by column: each record's hits as check_row
        lists them (None: no cell has a finding).  A column's cells are looked up in its memo
        in one pass (map, no Python step a cell), and only the cells with findings, and the
        values not in the memo, cost a step.  A column whose every finding in the block is of
        a code already kept ``max_findings`` times (most columns of a large file, once its
        first rows are past) is counted at once and lists no hits: such findings are only
        counted, in whatever order they are met."""
        per_row: list[list | None] = [None] * len(recs)
        rows = range(len(recs))
        only_counted, counted = tally._only_counted, tally.counted
        for k, name, spec, memo, free_text_limit in columns:
            texts = list(map(itemgetter(k), recs))
            if free_text_limit:   # prose: only a blank cell or one too long can have findings
                found = [()] * len(recs)
                sizes = list(map(len, map(str.strip, texts)))
                # (most blocks hold no such cell: said without a Python step a cell)
                odd = [] if sizes and 0 not in sizes and max(sizes) <= free_text_limit else \
                    [i for i, size in enumerate(sizes) if not 0 < size <= free_text_limit]
                for i, known in zip(odd, _memo_lookup(memo, name, spec, [texts[i] for i in odd])[0]):
                    found[i] = known
            elif name in met_once:   # each value checked, none remembered (the same findings)
                found = list(map(partial(_cell_findings, name, spec), texts))
            else:
                found, emptied = _memo_lookup(memo, name, spec, texts)
                if emptied:   # amounts, periods: a memo of them is only churn
                    met_once.add(name)
                    memo.clear()
            # (a date's order is read from its hits: that column is always listed row by row)
            if only_counted and name != "dateConvention":
                keys = Counter(map(itemgetter(0), chain.from_iterable(found)))
                if all(key[0] in only_counted for key in keys):
                    for key, n in keys.items():
                        counted[key] = counted.get(key, 0) + n
                    continue
            for i in compress(rows, found):
                hits = per_row[i]
                if hits is None:
                    per_row[i] = [(k, name, found[i])]
                else:
                    hits.append((k, name, found[i]))
        return per_row

    def block_grant_keys(recs: list[list[str]]) -> list[int]:
        """_grant_key(rec, same_grant, beneficiary_else) of each of the records ``recs`` (all
        of the header's width), made column by column: each field's cells stripped in one pass,
        the amounts that are schema numbers normalized (few in a French file), the keys hashed
        in one pass; a record without idBeneficiaire (a few) keyed by _grant_key itself."""
        blank = [""] * len(recs)
        cells = [list(map(str.strip, map(itemgetter(k), recs))) if k is not None else blank
                 for k in same_grant]
        amounts = cells[-1] = list(cells[-1])
        for i in compress(range(len(amounts)), map(_NUMBER.fullmatch, amounts)):
            amount = _number(amounts[i])
            if amount is not None:
                amounts[i] = str(amount.normalize())
        keys = list(map(hash, zip(*cells)))
        if beneficiary_else:
            for i in compress(range(len(recs)), map(operator_not, cells[3])):
                keys[i] = _grant_key(recs[i], same_grant, beneficiary_else)
        return keys

    def check_record(rec: list[str], places: Any, at: int, line: int, tally: _Tally,
                     cut: _CutDescriptions, hits: list | None, grant: int | None = None) -> None:
        """The findings of a record of the header's width whose cells' findings are ``hits``
        (see check_row), and those of the record as a whole; ``grant``: its _grant_key when
        known (see block_grant_keys)."""
        only_counted, counted = tally._only_counted, tally.counted
        for k, name, found in hits or ():
            column = places[at + 2 * k + 1]
            for template in found:
                if template[1] in only_counted:   # met()'s first step, without its call:
                    key = template[0]             # most findings of a large file
                    counted[key] = counted.get(key, 0) + 1
                else:
                    tally.met(template, line, _ROWS, column)
            if name == "dateConvention":   # not ISO: which order reads it?
                raw = rec[k]
                orders = tally.date_orders.setdefault(name, {})
                if len(orders) < 2 and (way := _only_order(raw)) and way not in orders:
                    orders[way] = (line, raw.strip())
        if objet is not None and (text := rec[objet].strip()):
            if len(text) < cut.longest:   # see()'s first step, without its call: most rows
                cut.count += 1
            else:
                cut.see(line, text)
        if grant is None:
            grant = _grant_key(rec, same_grant, beneficiary_else)
        first = first_of_grant.first(grant, line)
        split = None
        if share is not None:   # a column of a few values ("1", "0.5") over millions of rows
            split = shares.get(rec[share], _NO_SHARE)
            if split is _NO_SHARE:
                if len(shares) >= _MEMO_PER_COLUMN:
                    shares.clear()
                split = shares[rec[share]] = _share(rec[share])
        # only the rows that give a share are remembered (most give the whole grant, 1)
        shared = first_of_shared.first(_grant_key(rec, same_split, []), line) \
            if split is not None and 0 < split < 1 else line
        if shared != line and first == line:
            tally.add(_ROWS, "shared-grant", "warning", "montant", line, rec[seen["montant"]],
                      _said(f"this record shares the grant of line {shared} (same "
                            f"{', '.join(SHARED_KEY)}, pourcentageSubvention below 1): montant "
                            f"is the whole grant on each beneficiary's row, so a sum of montant "
                            f"counts it once per beneficiary; a beneficiary's share is montant x "
                            f"pourcentageSubvention",
                            f"cet enregistrement partage la subvention de la ligne {shared} "
                            f"(mêmes {', '.join(SHARED_KEY)}, pourcentageSubvention inférieur à "
                            f"1) : montant est la subvention entière sur la ligne de chaque "
                            f"bénéficiaire, donc une somme des montants la compte une fois par "
                            f"bénéficiaire ; la part d'un bénéficiaire est montant × "
                            f"pourcentageSubvention"))
        if first != line:
            tally.add(_ROWS, "duplicate-record", "warning", "montant", line, rec[seen["montant"]]
                      if "montant" in seen else None, _said(
                          f"this record repeats line {first} (same {', '.join(DUPLICATE_KEY)}): "
                          f"if it was published twice, every sum counts it twice",
                          f"cet enregistrement répète la ligne {first} (mêmes "
                          f"{', '.join(DUPLICATE_KEY)}) : s'il a été publié deux fois, chaque "
                          f"somme le compte deux fois"))
        if one_of and not any(map(str.strip, one_of_cells(rec))):
            tally.add(_ROWS, "one-of-required", "error", "idBeneficiaire", line, None,
                      _said("neither idBeneficiaire nor rnaBeneficiaire is given: one of them is "
                            "required",
                            "ni idBeneficiaire ni rnaBeneficiaire n'est donné : l'un des deux est "
                            "obligatoire"), column=places[at + 2 * one_of[0] + 1])

    # A row longer than the header is realigned as it comes and its findings counted apart:
    # they stand only if every such row of the file realigns (_repair_long_rows puts back all
    # or none), which a later row may deny.  Once one does not, what is kept of them is their
    # count and the first of them, for their row-length findings: nothing grows with them.
    records, delim = 0, None
    realigned, realigned_cut = _Tally(tally.path, max_findings), _CutDescriptions(max_findings)
    long_count, first_long_line, all_fit, example = 0, None, True, None
    first_long: list[tuple[int, int]] = []   # (line, cells) of the first long rows kept
    blank_past: list[int] = []   # the lines of the rows long only by blank cells past the header

    def long_row(rec: list[tuple[str, int, int]], lines_before: int) -> None:
        """A row of more cells than the header (a few rows): as read_table gives it."""
        nonlocal delim, long_count, first_long_line, all_fit, example
        if len(rec) > width:   # blank cells past the header (";;"): the row as it fits
            kept = _blank_tail_cut(rec, long_header, long_mapping)
            if kept is not None:   # counted, said once below, as read_scdl says it
                blank_past.append(rec[0][1] + lines_before)
                rec = kept
        if len(rec) <= width:
            check_row(*_flat_cells(rec), rec[0][1] + lines_before, tally, cut)
            return
        rec, delim = _placed(rec, lines_before), blocks.delimiter
        long_count += 1
        first_long_line = first_long_line or rec[0][1]
        if max_findings is None or len(first_long) < max_findings:
            first_long.append((rec[0][1], len(rec)))
        if all_fit:
            repaired = _repair_long_rows([rec], long_header, long_mapping, delim)
            all_fit = repaired is not None
            if all_fit:
                [fixed], _, found, cut_here = repaired
                blank_past.extend(cut_here)
                example = example or found
                check_row(*_flat_cells(fixed), fixed[0][1], realigned, realigned_cut)

    for block in rows:
        texts, places, starts, lines_before = block.texts, block.places, block.starts, \
            block.lines_before
        records += len(block.kept)
        whole = [] if ends is not None else [texts[r] for r in block.kept
                                            if len(texts[r]) == width]
        hits_of = iter(block_hits(whole))   # the records of the header's width, in order
        keys_of = iter(block_grant_keys(whole))
        for r in block.kept:
            rec, at = texts[r], starts[r]
            if len(rec) == width and ends is None:   # most rows
                check_record(rec, places, at, places[at] + lines_before, tally, cut,
                             next(hits_of), next(keys_of))
            elif len(rec) < width and blank_tail(rec):   # (Excel's short row: see blank_tail)
                if len(rec) < named:   # said once, below, when a named column is lacked
                    short_count += 1
                    short_first = short_first or places[at] + lines_before
                    short_columns.update(range(len(rec), named))
                cells = block.cells(r)
                cells += [("", *cells[-1][1:])] * (width - len(cells))   # placed at its end
                check_row(*_flat_cells(cells), places[at] + lines_before, tally, cut)
            elif len(rec) <= width:   # (a short one: its row-length finding)
                check_row(rec, places, at, places[at] + lines_before, tally, cut)
            else:
                long_row(block.cells(r), lines_before)
        del block, texts, places, whole, hits_of, keys_of   # (held no longer than the block is read)
    if short_count:   # one cause, said once, not a finding a row
        lacked = [long_mapping.get(long_header[k], long_header[k]) for k in sorted(short_columns)]
        tally.add(_CAUSE, "short-rows", "warning", None, short_first, None,
                  short_rows_said(short_count, short_first, lacked))
    # a stray delimiter at some rows' ends: one cause, said once (at every record's end, the
    # sheet's empty columns Excel kept: a layout, not said, as read_scdl does not say it)
    if blank_past and len(blank_past) < records:
        tally.add(_CAUSE, "blank-past-header", "warning", None, min(blank_past), None,
                  blank_past_header_said(len(blank_past), min(blank_past), width))
    if long_count and all_fit and example is not None:   # one cause, said once; the cells put back are then checked
        line, column, cells = example
        tally.add(_CAUSE, "unquoted-delimiter", "error", long_mapping.get(column), line,
                  delim.join(cells),
                  _said(f"{_en_counted(long_count, 'row has', 'rows have')} more cells than the "
                        f"header's {width}: the delimiter {delim!r} appears unquoted inside values (here "
                        f"{delim.join(cells)!r} was split into {', '.join(map(repr, cells))}); "
                        f"each fits the header one way alone, so read_scdl puts the cells back "
                        f"and the checks below apply to them. Quote the cells (or use ';') when "
                        f"publishing",
                        f"{_fr_counted(long_count, 'ligne a', 'lignes ont')} plus de cellules que "
                        f"les {width} de l'en-tête : le séparateur {_q(delim)} apparaît sans guillemets dans des valeurs "
                        f"(ici {_q(delim.join(cells))} a été coupé en "
                        f"{', '.join(map(_q, cells))}) ; chacune ne s'ajuste à l'en-tête que "
                        f"d'une façon, donc read_scdl remet les cellules ensemble et les contrôles "
                        f"ci-dessous s'y appliquent. Mettez les cellules entre guillemets (ou "
                        f"utilisez « ; ») à la publication"))
        tally.merge(realigned)
        cut.merge(realigned_cut)
    elif long_count:   # the cause, once, beside each row's finding
        tally.add(_CAUSE, "unquoted-delimiter", "error", None, first_long_line, None,
                  _said(f"{_en_counted(long_count, 'row has', 'rows have')} more cells than the "
                        f"header's {width}: the delimiter {delim!r} probably appears unquoted inside values, and at "
                        f"least one of these rows fits the header in no single way, so none is "
                        f"read (read_scdl sets them aside). Quote the cells (or use ';') when "
                        f"publishing",
                        f"{_fr_counted(long_count, 'ligne a', 'lignes ont')} plus de cellules que "
                        f"les {width} de l'en-tête : le séparateur {_q(delim)} apparaît probablement sans guillemets dans des "
                        f"valeurs, et au moins une de ces lignes ne s'ajuste à l'en-tête d'aucune "
                        f"façon unique, donc aucune n'est lue (read_scdl les met de côté). Mettez "
                        f"les cellules entre guillemets (ou utilisez « ; ») à la publication"))
        rejected = _Tally(tally.path, max_findings)   # kept beside the short rows' by row
        for line, cells in first_long:
            rejected.add(_ROWS, "row-length", "error", None, line, None,
                         _row_length(cells, width))
        rejected.count_only(("row-length", None, "error"), long_count - len(first_long))
        tally.merge(rejected)
    for name, orders in tally.date_orders.items():
        if set(orders) == {"m"}:
            tally.read_month_first(name)
        if len(orders) == 2:
            # read_scdl refuses the whole file then: which order 04/05/2017 is cannot be known
            (day_line, day), (month_line, month) = orders["d"], orders["m"]
            tally.add(_ROWS, "date-order-mixed", "error", name, max(day_line, month_line), None,
                      _said(f"the dates mix two orders: {day!r} (line {day_line}) can only be "
                            f"day first and {month!r} (line {month_line}) only month first, so "
                            f"which one 04/05/2017 is cannot be known, and read_scdl refuses "
                            f"the file; put the column in one order (YYYY-MM-DD)",
                            f"les dates mêlent deux ordres : {_q(day)} (ligne {day_line}) ne "
                            f"peut être que jour d'abord et {_q(month)} (ligne {month_line}) que "
                            f"mois d'abord, donc ce qu'est 04/05/2017 ne peut être su, et "
                            f"read_scdl refuse le fichier ; mettez la colonne dans un seul ordre "
                            f"(AAAA-MM-JJ)"))
    cut.check(tally)
    return tally.report(records=records, header=header)


#: the fields that tell one grant from another: a record equal to an earlier one on all of them
#: is reported by validate_scdl as ``duplicate-record`` (the beneficiary's RNA number and name
#: stand in for an idBeneficiaire left blank)
DUPLICATE_KEY = ("idAttribuant", "dateConvention", "referenceDecision", "idBeneficiaire",
                 "montant")


#: the fields of one grant shared by several beneficiaries (one row each, the same montant)
SHARED_KEY = ("idAttribuant", "dateConvention", "referenceDecision", "montant")


class _FirstLines:
    """Hash -> the first line that gave it, for every record of a file: two arrays of int64
    used as an open-addressing table at most half full (16 to 48 bytes a record, where a dict
    of ints takes about 120), so the duplicate checks stay small beside validate_scdl's blocks."""

    def __init__(self) -> None:
        self._keys, self._lines, self._used = array("q", bytes(128)), array("q", bytes(128)), 0

    def first(self, key: int, line: int) -> int:
        """The line that first gave ``key``; ``line`` (remembered) when none did."""
        key = key or 1   # 0 marks an empty slot (a hash of 0 and of 1 are then one)
        keys, mask = self._keys, len(self._keys) - 1
        i = key & mask
        held = keys[i]
        while held:   # (each slot read once: this runs for every record)
            if held == key:
                return self._lines[i]
            i = (i + 1) & mask
            held = keys[i]
        keys[i], self._lines[i] = key, line
        self._used += 1
        if 2 * self._used > len(keys):
            self._grow()
        return line

    def _grow(self) -> None:
        old = zip(self._keys, self._lines)
        size = 2 * len(self._keys)
        self._keys, self._lines = array("q", bytes(8 * size)), array("q", bytes(8 * size))
        mask = size - 1
        for key, line in old:
            if key:
                i = key & mask
                while self._keys[i]:
                    i = (i + 1) & mask
                self._keys[i], self._lines[i] = key, line


def _grant_key(rec: list[str], same_grant: list[int | None], beneficiary_else: list[int | None]) -> int:
    """A hash of what identifies the grant of a record (see DUPLICATE_KEY): the cells without
    their blanks, the amount as a number (``100`` is ``100.00``)."""
    cells = [rec[k].strip() if k is not None else "" for k in same_grant]
    amount = _number(cells[-1])
    if amount is not None:
        cells[-1] = str(amount.normalize())
    if beneficiary_else and not cells[3]:   # no idBeneficiaire: its RNA number and name
        cells += [rec[k].strip() if k is not None else "" for k in beneficiary_else]
    return hash(tuple(cells))


def _comma_grouped(text: str) -> tuple[int, int] | None:
    """An amount whose commas group thousands ("1,234,567.89", "1,234"), as read_scdl reads a
    point-decimal column: its cents and unit, or None when it is not one."""
    if "," not in text:
        return None
    try:
        return _core.parse_amount(text, decimal=".", unit=100)
    except (ValueError, OverflowError):
        return None


def _check_number(add: Any, name: str, line: int, text: str, cons: dict) -> None:
    if name == "montant":
        # an amount past int64 cents: read_scdl sets its row aside with this reason, so the
        # validator says the same (not "not a number", nor nothing when written the schema's way)
        try:
            read = _core.parse_amount(text, unit=100)
        except OverflowError as past:
            # its side and limit, as the reader's bad row says them (a negative amount is under
            # the floor, not "too large")
            below = bool(getattr(past, "below", False))
            add("amount-too-large", "error", name, line, text,
                (language("en").past_cents(text, below), language("fr").past_cents(text, below)))
            return
        except ValueError:
            read = None   # not an amount at all: said below, as before
    value = _number(text)
    if value is None:
        suggestion = None
        if name == "montant":   # (read above: an amount is read once)
            cents = read
        else:
            try:
                cents = _core.parse_amount(text, unit=100)
            except (ValueError, OverflowError):
                cents = None
        grouped = _comma_grouped(text) if cents is None and name == "montant" else None
        if grouped is not None and "." in text:
            # commas grouping thousands before a decimal point ("1,234,567.89"): read_scdl
            # reads it so whatever the column's other amounts say, and so must this
            cents = grouped
        if grouped is not None and cents is None:
            # commas only ("1,234,567"): read_scdl reads it so in a column whose other amounts
            # write a decimal point, and refuses it otherwise (a decimal comma, more than two
            # decimals): no suggestion either way, but no "not a number" either
            add("number-format", "error", name, line, text,
                _said(f"{text!r} is not written as the schema wants numbers (a point for "
                      f"decimals, no grouping): read_scdl reads it as "
                      f"{_core.to_decimal(grouped[0], 100)} when the column's other amounts "
                      f"write decimals with a point, and refuses it otherwise",
                      f"{_q(text)} n'est pas écrit comme le schéma veut les nombres (un point "
                      f"pour les décimales, sans séparateur de milliers) : read_scdl le lit "
                      # grouped as French prints every amount ("1 234 567", not "1234567")
                      f"{language('fr').number(_core.to_decimal(grouped[0], 100))} quand les "
                      f"autres montants de la colonne écrivent les décimales avec un point, et "
                      f"le refuse sinon"))
            return
        if cents is not None:
            # an amount written the French way, as most exports write every one: worded only
            # when kept (see _later)
            add("number-format", "error", name, line, text,
                _later("french-amount", text, str(cents[0])))
        elif re.search(r"[A-Za-z]", text):
            add("text-in-number", "error", name, line, text,
                _said(f"{text!r} is text where {name} needs a number",
                      f"{_q(text)} est du texte là où {name} attend un nombre"))
        else:
            add("number-format", "error", name, line, text,
                _said(f"{text!r} is not a number", f"{_q(text)} n'est pas un nombre"))
        return
    if name == "montant" and re.search(r"[eE]", text):
        # a schema number, but an exponent is how a spreadsheet shows a number too wide for
        # its cell, its digits rounded ("1.23457E+06"): read_scdl refuses it, and so does this
        add("number-format", "error", name, line, text,
            _said(f"{text!r} is written with an exponent: read_scdl does not read it (a "
                  f"spreadsheet prints so an amount whose digits it may have rounded); write "
                  f"the amount in full",
                  f"{_q(text)} est écrit avec un exposant : read_scdl ne le lit pas (un tableur "
                  f"affiche ainsi un montant dont il a pu arrondir les chiffres) ; écrivez le "
                  f"montant en entier"), suggestion=None)
        return
    if name == "montant" and text.rstrip().endswith("."):
        # a schema number, but a point with no digit after it is how a cell cut short ends
        # ("12345." of "12345.67") as much as a whole number: read_scdl refuses it, as it
        # refuses "12345,", and so does this
        add("number-format", "error", name, line, text,
            _said(f"{text!r} ends with a decimal point and no digit after it: read_scdl does "
                  f"not read it (a cell cut short?); write the amount in full",
                  f"{_q(text)} finit par un point décimal sans chiffre après : read_scdl ne le "
                  f"lit pas (une cellule tronquée ?) ; écrivez le montant en entier"),
            suggestion=None)
        return
    # "99786.570" is 99 786,57 exactly and read_scdl reads it; "12.500" may be 12 500 (its
    # point a thousands separator, as French exports print it): read_scdl refuses that one
    if name == "montant" and value.as_tuple().exponent < -2 and (
            value != value.quantize(Decimal("0.01")) or _MAY_GROUP.fullmatch(text)):
        add("number-format", "error", name, line, text,
            _said(f"{text!r} has more than two decimals", f"{_q(text)} a plus de deux décimales"))
    if name == "montant" and value < 0:
        # the schema sets no minimum, but a grant is paid, not taken back: a negative amount
        # (a cancellation, a refund, a sign slipped in) lowers every sum it is in
        add("negative-amount", "warning", name, line, text,
            _said(f"{text} is a negative amount: it lowers every sum of its grantor and "
                  f"beneficiary (a cancellation or a refund should say so)",
                  f"{_q(text)} est un montant négatif : il diminue chaque somme de son attribuant et "
                  f"de son bénéficiaire (une annulation ou un remboursement doit le dire)"))
    lo, hi = cons.get("minimum"), cons.get("maximum")
    if lo is not None and value < Decimal(str(lo)) or hi is not None and value > Decimal(str(hi)):
        suggestion = None
        if hi is not None and Decimal(str(lo or 0)) <= value / 100 <= Decimal(str(hi)):
            suggestion = str((value / 100).normalize())   # a percentage written out of 100
        add("range", "error", name, line, text,
            _said(f"{text} is outside [{lo}, {hi}]"
                  + (" (a percentage out of 100?)" if suggestion else ""),
                  f"{_q(text)} est hors de [{_french_bound(lo)} ; {_french_bound(hi)}]"
                  + (" (un pourcentage sur 100 ?)" if suggestion else "")),
            suggestion)


def _french_bound(bound: Any) -> str:
    """A schema bound as French prose writes a number ("0,01"): the bound is essconv's
    word; the file's cell is quoted as written (« 1.5 »), as French findings quote every cell,
    so that no figure with a decimal point reads as French's own."""
    if bound is None:
        return "…"
    return str(Decimal(str(bound))).replace(".", ",")


@lru_cache(maxsize=None)   # the schema's few patterns
def _schema_pattern(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _pattern_said(name: str, text: str, pattern: str) -> tuple[tuple[str, str], str | None]:
    """The wording and suggestion of a cell of ``name`` that does not match ``pattern``."""
    suggestion = None
    if name == "datesPeriodeVersement":
        suggestion = _period_suggestion(text)
    elif name == "rnaBeneficiaire" and re.fullmatch(r"w\d{9}", text):
        suggestion = text.upper()
    older = name == "datesPeriodeVersement" and "_" in text and suggestion
    return _said(f"{text!r} does not match the schema's pattern {pattern}"
                 + (" ('_' between the dates was the format of the decree's first versions)"
                    if older else ""),
                 f"{_q(text)} ne suit pas le motif du schéma {pattern}"
                 + (" (« _ » entre les dates était le format des premières versions du décret)"
                    if older else "")), suggestion


def _check_string(add: Any, name: str, line: int, text: str, cons: dict) -> None:
    pattern = cons.get("pattern")
    if name in ("idAttribuant", "idBeneficiaire"):
        pattern = None   # _check_siret says more precisely what is wrong with an identifier
    if pattern and not _schema_pattern(pattern).fullmatch(text):
        # worded (and the period's suggestion sought) only for a finding that is kept: a
        # national extract has one such cell a row, millions of them only counted
        add("pattern", "error", name, line, text, _later("pattern", name, text, pattern))
    enum = cons.get("enum")
    if enum and text not in enum:
        folded = {_fold(e): e for e in enum}
        guess = folded.get(_fold(text)) or folded.get(_fold(re.sub(r"\s*,\s*", ";", text)))
        if guess is not None and guess.lower() == text.lower():
            # only the case differs: said once per column by validate_scdl, not once per row,
            # with the schema's spelling as the hint.  Still an error: the schema lists exact
            # values (a Table Schema enum is case-sensitive), so a file a validator of the
            # schema rejects must not be reported ok
            add("enum-case", "error", name, line, text, guess, guess)
        else:
            add("enum", "error", name, line, text,
                # the schema's values in words, as the French says them: a Python list's repr
                # ("is not one of ['aide en numéraire', ...]") read as code to a committee
                _said(f"{text!r} is not one of {names_listed(enum)}",
                      f"{_q(text)} n'est pas l'une des valeurs {', '.join(map(_q, enum))}"), guess)
    limit = cons.get("maxLength")
    if limit and len(text) > limit:
        add("max-length", "error", name, line, text,
            _said(f"{len(text)} characters, more than the schema's {limit}",
                  f"{len(text)} caractères, plus que les {limit} du schéma"))


def _unmangled_siret(text: str) -> str | None:
    """The 14 digits a spreadsheet turned into a number (``35600000000048.0``, ``3.56E+13``)
    still show, as far as they do (the lost ones as zeros); None when the text is not such a
    number."""
    if re.fullmatch(r"\d{14}\.0+", text):
        return text.split(".")[0]
    m = re.fullmatch(r"(\d)[.,](\d{0,13})[eE]\+?13", text)
    return (m[1] + m[2]).ljust(14, "0") if m else None


def _check_siret(add: Any, name: str, line: int, text: str) -> None:
    """The schema's pattern (14 digits) and its french-siret-value check, said precisely."""
    digits = _unmangled_siret(text)
    if digits is not None:
        # one fault, one finding (the check digit is said here); the digits are offered as the
        # fix only when they are certain: all 14 were written and they pass the check
        # (an export that kept 12 significant digits zeroed the rest: 21860194600000.0)
        significant = len(re.sub(r"\D", "", text.lower().split("e")[0]))
        if "e" in text.lower() and significant < 14:
            doubt = ("were cut to " + _en_counted(significant, "significant digit",
                                                  "significant digits"),
                     "ont été réduits à " + _fr_counted(significant, "chiffre significatif",
                                                        "chiffres significatifs"))
        elif not siret_ok(digits):
            doubt = ("fail the SIRET check digit (Luhn)",
                     "échouent au contrôle de la clé SIRET (Luhn)")
        elif digits.endswith("00"):
            doubt = ("end in zeros where an export that kept fewer digits zeroed the lost ones",
                     "finissent par des zéros là où un export qui gardait moins de chiffres a mis "
                     "les chiffres perdus à zéro")
        else:
            doubt = None
        certain = doubt is None
        add("mangled-siret", "error", name, line, text, _said(
            f"{text!r} was turned into a number by a spreadsheet"
            + (f"; its digits {digits} pass the SIRET check" if certain else
               f"; its digits {digits} {doubt[0]}: no certain fix (the SIREN {digits[:9]}, its "
               f"first 9 digits, is likely right)"),
            f"{_q(text)} a été changé en nombre par un tableur"
            + (f" ; ses chiffres {digits} passent le contrôle SIRET" if certain else
               f" ; ses chiffres {digits} {doubt[1]} : pas de correction certaine (le SIREN "
               f"{digits[:9]}, ses 9 premiers chiffres, est probablement juste)")),
            digits if certain else None)
    elif re.fullmatch(r"\d{9}", text):
        add("pattern", "error", name, line, text,
            _said(f"{text} is a 9-digit SIREN where the schema wants a 14-digit SIRET "
                  f"(^\\d{{14}}$)",
                  f"{text} est un SIREN à 9 chiffres là où le schéma veut un SIRET à 14 chiffres "
                  f"(^\\d{{14}}$)"))
    elif not _SIRET_DIGITS.fullmatch(text):
        add("pattern", "error", name, line, text,
            _said(f"{text!r} is not a 14-digit SIRET (^\\d{{14}}$)",
                  f"{_q(text)} n'est pas un SIRET à 14 chiffres (^\\d{{14}}$)"))
    elif not siret_ok(text):
        add("siret-check", "error", name, line, text, _later("siret-check", text))


_DATE_TOKEN = r"\d{4}[-/.]\d{2}[-/.]\d{2}|\d{2}[-/.]\d{2}[-/.]\d{4}"
_PERIOD_WRITTEN_OTHERWISE = re.compile(
    rf"\s*({_DATE_TOKEN})\s*(?:(?:_|/|\s+-\s+|\s+au\s+)\s*({_DATE_TOKEN}))?\s*")


def _period_suggestion(text: str) -> str | None:
    """The schema's "start/end" (or one date) for a period written otherwise: ``_`` between
    the dates (the decree's first format), slash or day-first dates (``2017/09/08_2021/09/07``,
    ``20/05/2019``); None unless every date is a real one."""
    m = _PERIOD_WRITTEN_OTHERWISE.fullmatch(text)
    if not m:
        return None
    dates = []
    for part in filter(None, m.groups()):
        iso = part if _date(part) else _date_suggestion(part)[0]
        if iso is None or _date(iso) is None:
            return None
        dates.append(iso)
    return "/".join(dates)


def _check_period(add: Any, line: int, text: str) -> None:
    parts = _PERIOD_ENDS_SPLIT.split(text)
    if len(parts) == 1:
        # a single payment date is a period too (the schema's pattern allows one date): an
        # impossible one (2017-02-30, 2017-13-01) matches the pattern and read_scdl refuses it,
        # so it must be flagged as the same date inside "start/end" is
        if _date(text) is None and _ISO_DATE.fullmatch(text):
            add("impossible-date", "error", "datesPeriodeVersement", line, text,
                _later("impossible-date", text))
        return
    if len(parts) != 2:
        return
    a, b = _date(parts[0]), _date(parts[1])
    for part, d in ((parts[0], a), (parts[1], b)):
        if d is None and _ISO_DATE.fullmatch(part):
            add("impossible-date", "error", "datesPeriodeVersement", line, text,
                _later("impossible-date", part))
    if a and b and b < a:
        add("period-order", "error", "datesPeriodeVersement", line, text,
            _later("period-order", a.isoformat(), b.isoformat()))


def _impossible_date_said(text: str) -> tuple[tuple[str, str], None]:
    return _said(f"{text!r} is an impossible date", f"{_q(text)} est une date impossible"), None


def _period_order_said(start: str, end: str) -> tuple[tuple[str, str], str]:
    a, b = _dt.date.fromisoformat(start), _dt.date.fromisoformat(end)
    # each language's dates: "finit (2017-03-09)" was an ISO date in a French listing
    return _said(f"the payment period ends ({b}) before it starts ({a})",
                 f"la période de versement finit ({language('fr').date(b)}) avant de "
                 f"commencer ({language('fr').date(a)})"), f"{b}/{a}"


#: the findings worded only when kept (_later's kinds)
_LATER_WORDINGS = {"french-amount": _french_amount_said, "impossible-date": _impossible_date_said,
                   "pattern": _pattern_said, "period-order": _period_order_said,
                   "siret-check": _siret_check_said}


__all__ = ["DUPLICATE_KEY", "LEGACY_NAMES", "SHARED_KEY", "ScdlFinding", "ScdlReport", "field_names", "header_of", "is_scdl_header",
           "read_scdl", "schema", "siret_ok", "validate_scdl"]
