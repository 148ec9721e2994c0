"""Exports a spreadsheet opens: every text cell stays text, never a live formula.

A label comes from whoever wrote the file (a partner, a colleague's email, a public SCDL
download).  A spreadsheet opening a CSV/TSV runs a cell that begins with ``=``, ``+``, ``-`` or
``@`` as a formula (``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``, ``@SUM(...)``), and a leading
tab or carriage return can hide such a start.  So, following OWASP's rule for CSV injection,
a text cell starting with one of ``= + - @ TAB CR`` is written with a leading apostrophe, which
spreadsheets show as text.  Amounts are numbers, not text: a cell that reads as an amount
(``-12,50``) is written as it is, and so is a cell that is a plain number as essconv writes
numbers (``-3``, ``-1250,50``, ``-1250.50``: a sign, digits, one decimal mark and digits),
which a spreadsheet reads as that number and never as a formula -- except in a label
(:func:`guard_label`): a ``+`` essconv never writes before a number, and a label ``+12`` or a
phone number ``+33612345678`` read as a number would lose it.  ``formula_guard=False`` (``essconv convert --no-formula-guard``)
writes every cell verbatim, for files read by programs rather than people.
"""
from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any, Iterable, Sequence

from .errors import Error
from .findings import TOTAL

# A view below the models: the plans and aggregates exported are read, never imported (the floors above).

#: what makes a spreadsheet read a cell as a formula (OWASP: CSV injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: a plain number as essconv writes numbers and amounts: an optional sign, ASCII digits, and
#: one decimal mark (either language's) followed by digits.  Strict on purpose: ``-1+1``,
#: ``-3)``, ``-A1``, ``+33 6 12``, ``=1`` or ``-1 250,50`` are no plain number and stay guarded.
#: what guard_label changes: a formula's start, and a label's ``+``
GUARDED_STARTS = FORMULA_STARTS + ("+",)

PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


def guard_formula(text: str) -> str:
    """A text cell a spreadsheet will show as text: ``'`` before a formula's first character.
    A plain number (``-3``, ``-1250,50``) is written as it is: a spreadsheet reads it as that
    number, so the apostrophe would only turn it into text a sum leaves out.

    Example: ``guard_formula("=1+2")`` -> ``"'=1+2"``; ``guard_formula("-3")`` -> ``'-3'``
    """
    if text.startswith(FORMULA_STARTS) and PLAIN_NUMBER.fullmatch(text) is None:
        return "'" + text
    return text


def guard_label(text: str) -> str:
    """:func:`guard_formula` for a label (a key, a heading, a word: a text of the file or of
    essconv, never a number essconv wrote): a label starting with ``+`` is written with the
    apostrophe too, even when it reads as a number (a phone number ``+33612345678``, ``+12``):
    a spreadsheet would read it as that number and show it without its ``+``, not the label the
    analyst typed.  essconv writes no number with a ``+``, so a true amount or count is never
    one of them.

    Example: ``guard_label("+33612345678")`` -> ``"'+33612345678"``; ``guard_label("-3")`` ->
    ``'-3'``
    """
    if text.startswith("+"):
        return "'" + text
    return guard_formula(text)


def _is_amount(plan: "Plan", text: str) -> bool:
    """Whether a cell reads as an amount, French or English (a plan read with ``decimal='.'``
    prints ``-1,000.25``: read only the French way it was taken for text, and written with an
    apostrophe a spreadsheet shows as text and leaves out of its sums)."""
    from .money import parse_amount
    for decimal in (",", "."):
        try:
            if parse_amount(text, unit=plan.unit, decimal=decimal) is not None:
                return True
        except (Error, ValueError):
            pass
    return False


def plan_rows(plan: "Plan", *, formula_guard: bool = True, lang: str = "fr") -> list[list[str]]:
    """The plan's rows as printed (header first), each text cell guarded unless told not to;
    the amounts, as numbers, untouched; the words essconv adds (the corner, the Total row's
    and column's) in ``lang``.

    Example: ``plan_rows(plan)[0][:2]`` -> ``['en k€', '']``
    """
    rows = with_total_words(plan, plan.to_rows(as_printed=True), lang)
    if plan.dimensions is not None:
        rows = _pivot_figures(plan, rows, lang)
    figures = len(rows[0]) if rows else 0   # the columns of amounts end before the notes
    rows = _with_notes(plan, rows, lang)
    if not formula_guard:
        return rows
    return guarded_plan_rows(plan, rows, figures)


def guarded_plan_rows(plan: "Plan", rows: list[list[str]],
                      figures: int | None = None) -> list[list[str]]:
    """A plan's table of strings (``to_rows``' shape, header first) with each text cell
    guarded (:func:`guard_label`): the header, the axis and line labels, and a text in an
    amount's place ("=1+1", "n.c."); an amount, as a number, untouched.  ``figures``: where
    the columns of amounts end (a notes column after them is text), all of them by default.

    Example: ``guarded_plan_rows(plan, plan.to_rows())``"""
    first_amount = 2 if plan.axes else 1
    figures = (len(rows[0]) if rows else 0) if figures is None else figures
    # only a cell starting as a formula can need the guard: the others are never parsed (a
    # pivot's million cells exported without a parse each)
    return [[text if r > 0 and first_amount <= c < figures
             and (not text.startswith(GUARDED_STARTS) or _is_amount(plan, text))
             else guard_label(text)
             for c, text in enumerate(row)] for r, row in enumerate(rows)]


def notes_by_row(plan: "Plan", total_row: int) -> tuple[dict[int, str], list[tuple[str, str]]]:
    """Where an export writes the plan's remarks (``plan.notes``): each on its line's row (the
    header is row 0, line i is row i + 1), the Total's on ``total_row``; and the notes of no
    line of the plan (an axis heading's, a row under the table), with their rows' labels, for
    below the table -- never dropped."""
    row_of: dict[Any, int] = {}
    for i, line in enumerate(plan.lines):
        row_of.setdefault((plan.axis_of(i), line), i + 1)
        row_of.setdefault(line, i + 1)   # the key of a line printed once is its label
    row_of[TOTAL] = total_row
    placed: dict[int, str] = {}
    below: list[tuple[str, str]] = []
    for key, text in plan.notes.items():
        r = row_of.get(key)
        if r is None:
            below.append((" / ".join(str(k) for k in key) if isinstance(key, tuple)
                          else str(key), text))
        else:
            placed[r] = placed[r] + "\n" + text if r in placed else text
    return placed, below


def _with_notes(plan: "Plan", rows: list[list[str]], lang: str) -> list[list[str]]:
    """The rows with the plan's remarks in a last column, headed by a notes word (read back
    as notes, out of every sum), and the notes of no line below the table."""
    if not plan.notes or plan.dimensions is not None:
        return rows
    from .messages import language
    placed, below = notes_by_row(plan, len(rows) - 1)
    width = len(rows[0])
    out = [list(row) + [""] * (width - len(row)) + [placed.get(r, "")]
           for r, row in enumerate(rows)]
    out[0][-1] = language(lang).text("xlsx_notes")
    out += [[label] + [""] * (width - 1) + [text] for label, text in below]
    return out


def held_amounts(plan: "Plan") -> list[list[Decimal | None]]:
    """The amounts the plan holds, in its unit and at the places of ``to_rows(totals=True)``
    (None where it holds none: a heading, a label, a blank or an unreadable cell).  Read back from essconv's own
    French writing, never from the printed text: that is the file's dress ("12.500" beside
    "3.25" is 12,5 in a plan read with a decimal point, 12 500 read again the French way)."""
    from .money import parse_amount
    first_amount = 2 if plan.axes else 1
    return [[parse_amount(own, unit=plan.unit, decimal=",")
             if r > 0 and c >= first_amount and own else None for c, own in enumerate(row)]
            for r, row in enumerate(plan.to_rows(totals=True))]


def _pivot_figures(plan: "Plan", rows: list[list[str]], lang: str) -> list[list[str]]:
    """A ledger's pivot's amounts as an export writes a report's: its figures were printed by
    no one, so each cell is its sum with both cent digits and ``lang``'s decimal mark, with no
    grouping ("-5,00", "1234,25"), as the Total row beside it -- never "-5" over "-5,00", nor
    "1 234,25" a spreadsheet reads as text."""
    from .messages import language
    mark = language(lang).decimal
    held = held_amounts(plan)
    first_amount = 2 if plan.axes else 1
    out = [list(row) for row in rows]
    for r in range(1, len(out)):
        for c in range(first_amount, len(out[r])):
            if held[r][c] is not None:
                out[r][c] = f"{held[r][c]:.2f}".replace(".", mark)
    return out


def plan_delimited(plan: "Plan", delimiter: str = ";", *, formula_guard: bool = True,
                   lang: str = "fr") -> str:
    """The plan as CSV (``;``, the French spreadsheet default) or TSV (``\\t``) text, the
    words essconv adds in ``lang`` (its cells as the file printed them).

    Example: ``open("plan.csv", "w").write(plan_delimited(plan))``
    """
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerows(plan_rows(plan, formula_guard=formula_guard, lang=lang))
    return buf.getvalue()


#: the columns of a report that hold amounts in euros (the others are counts and shares)
AMOUNT_MEASURES = ("sum", "mean", "min", "max", "cumulative")


def total_words(row_labels: Iterable[Any], column_labels: Iterable[Any], lines: int,
                columns: int, lang: str = "fr") -> tuple[str, str]:
    """What a plan's or a pivot's Total row and Total column say: "Total", unless a row (a
    line or an axis) or a column (a funder or a party) shown beside it is itself labelled so
    (a ledger pivoted on a nature "Total", case and spaces aside): then it says how many it
    sums, "Total (12 lignes)", "Total (3 colonnes)", so that an export's header never reads
    "Total;Total" and no reader takes the group for the margin.  As merged_line_words says
    it of a report's lines.

    Example: ``total_words(plan.lines + plan.axes, plan.funders, len(plan.lines),
    len(plan.funders))``"""
    from .messages import language
    words = language(lang)
    plain = words.text("agg_total")

    def said(labels: Iterable[Any], count: int, one: str, many: str) -> str:
        if not any(isinstance(v, str) and v.strip().casefold() == plain.casefold()
                   for v in labels):
            return plain
        # grouped as the language groups figures: "Total (12 345 lignes)", not 12345
        return words.text("total_of", what=words.text(one) if count == 1
                          else words.counted(many, count))
    return (said(row_labels, lines, "total_one_line", "total_lines"),
            said(column_labels, columns, "total_one_column", "total_columns"))


def plan_total_words(plan: "Plan", lang: str = "fr") -> tuple[str, str]:
    """total_words for a plan (a ledger's pivot): its Total row's and Total column's words."""
    return total_words(list(plan.lines) + list(plan.axes), plan.funders, len(plan.lines),
                       len(plan.funders), lang)


def pivot_key_names(plan: "Plan", lang: str = "fr") -> tuple[list[str], list[str], list[str]]:
    """A plan's (axes, lines, funders) as an output in ``lang`` shows them: a ledger's pivot
    names a missing key "(missing)" in its API (``by_line()``...), and an output says it as a
    report's does, "(vide)" ("(blank)"; "(clé manquante)" when a label shown is itself
    "(vide)": :func:`missing_key_word`); a day key, ISO in its API ("2015-07-07"), as the
    language writes a date ("07/07/2015" in French); every label stays as it is.

    Example: ``pivot_key_names(ledger.pivot("f", "g"))[1]`` -> ``['(vide)', 'CDC']``"""
    from .messages import PIVOT_MISSING_TEXT
    names = [list(plan.axes), list(plan.lines), list(plan.funders)]
    flags = getattr(plan, "missing_keys", (False, False, False))
    # None: a plan read from a file, or a pivot pickled before its keys' kinds were kept
    kinds = getattr(plan, "key_kinds", None) or (None, None, None)
    if "date" in kinds:
        from .messages import language
        words = language(lang)
        names = [[_day_said(v, words) if kind == "date" else v for v in group]
                 for kind, group in zip(kinds, names)]
    missing = [flag and PIVOT_MISSING_TEXT in group for flag, group in zip(flags, names)]
    if not any(missing):
        return names[0], names[1], names[2]
    labels = [v for said, group in zip(missing, names) for v in group
              if not (said and v == PIVOT_MISSING_TEXT)]
    word = missing_key_word(labels, lang)
    shown = [[word if said and v == PIVOT_MISSING_TEXT else v for v in group]
             for said, group in zip(missing, names)]
    return shown[0], shown[1], shown[2]


def _day_said(key: str, words: Any) -> str:
    """A pivot's day key (the core's ISO text) as ``words``' language writes a date; the
    missing key's text stays for pivot_key_names to say."""
    import datetime as dt
    try:
        return words.date(dt.date.fromisoformat(key))
    except ValueError:   # "(missing)"
        return key


def with_total_words(plan: "Plan", rows: list[list[str]], lang: str = "fr") -> list[list[str]]:
    """Plan.to_rows' table (totals included) with its corner ("en €", "in €"), its Total
    column's heading and its Total row's label as plan_total_words says them, and a ledger
    pivot's missing keys as :func:`pivot_key_names` says them."""
    from .messages import language
    if rows and rows[0] and rows[0][0] == f"en {plan.unit}":
        # to_rows' French corner: an English export said "en €" over its lines (the reader
        # takes either back as the plan's unit)
        rows[0][0] = language(lang).text("in_unit", unit=plan.unit)
    row_word, column_word = plan_total_words(plan, lang)
    if rows and rows[0] and rows[0][-1] == TOTAL:
        rows[0][-1] = column_word
    if len(rows) > 1 and rows[-1] and rows[-1][0] == TOTAL:
        rows[-1][0] = row_word
    axes, lines, funders = pivot_key_names(plan, lang)
    # Plan.to_rows, a French table, names its keys as pivot_key_names' French does (a missing
    # key "(vide)", a day "07/07/2015"): another language's names replace those
    french = pivot_key_names(plan, "fr")
    if rows and (axes, lines, funders) != french:
        offset = 2 if plan.axes else 1
        rows[0][offset:offset + len(funders)] = funders
        axis_names = dict(zip(french[0], axes))
        for row, line in zip(rows[1:], lines):
            if plan.axes:
                row[0] = axis_names.get(row[0], row[0])
            row[offset - 1] = line
    return rows


def hidden_groups(agg: "Aggregate", kinds: "list[str] | None" = None) -> int:
    """How many groups a report leaves out with no others line to merge them (a ``top(n)``
    without ``others=True``): its total line, and its shares, count them all the same.
    ``kinds``: ``agg.line_kinds()``, when the caller has them already.

    Example: ``hidden_groups(agg.top(3))`` -> ``27`` for 30 groups"""
    kinds = agg.line_kinds() if kinds is None else kinds
    merged = [k for k in kinds[-2:] if k != "group"]   # the others and total lines come last
    return 0 if "others" in merged else agg.group_count - (len(kinds) - len(merged))


def shares_footnote(agg: "Aggregate", lang: str = "fr", kinds: "list[str] | None" = None,
                    shares: "Sequence[Any] | None" = None) -> str | None:
    """The footnote of a report whose shares (:meth:`Aggregate.share`, each rounded on its own:
    equal sums, equal shares) do not add up to exactly 100,00 % over its groups and its others
    line, in ``lang``: « Parts arrondies une à une : leur somme peut différer de 100 % ».  None
    without a share column, when they add up, or when a ``top(n)`` leaves groups out with no
    others line (the note saying how many says why the lines miss 100 %).  ``kinds`` and
    ``shares``: ``agg.line_kinds()`` and the share column, when the caller has them already.

    Example: ``shares_footnote(agg.share(), "en")`` -> ``'Shares rounded one by one: they may
    not add up to 100%.'`` for three groups of 1 € (33.33 % each)"""
    from .messages import language
    if "share" not in agg.report_columns:
        return None
    kinds = agg.line_kinds() if kinds is None else kinds
    if hidden_groups(agg, kinds) or not any(k == "group" for k in kinds):
        return None
    if shares is None:
        # the column's integers (hundredths of a percent), not a Decimal a share: a notebook
        # showing a few rows of a million groups spent 1.5 s making them
        with agg.report_lines().column("share") as column:
            hundredths = sum(v for v, k in zip(column, kinds) if k in ("group", "others"))
        adds_up = hundredths == 10_000
    else:
        from .money import PERCENT_CONTEXT
        total = Decimal(0)
        for v, k in zip(shares, kinds):
            if k in ("group", "others") and v is not None:
                # exact, in the percentages' own context: a caller's precision of 3 rounded
                # 12 345,67 - 12 245,67 on the way
                total = PERCENT_CONTEXT.add(total, v)
        adds_up = total == 100
    return None if adds_up else language(lang).text("shares_rounded_alone")


def merged_line_words(agg: "Aggregate", kinds: list[str], first_keys: Iterable[Any],
                      lang: str = "fr") -> dict[str, str]:
    """What the others and total lines say in their first key cell: "Autres" and "Total",
    unless a group shown beside them is itself named so (a nature "Autres", a beneficiary
    "TOTAL", case and spaces aside): then each says how many groups it merges, "Autres (27
    groupes)", "Total (30 groupes)", so that no line of a file reads as another -- a reader
    summing the groups and leaving out the "Autres" line left out the group too.
    ``first_keys``: the first key of the group lines shown.

    Example: ``merged_line_words(agg, agg.line_kinds(), ["Autres", "CDC"])["others"]``"""
    from .messages import language
    words = language(lang)
    plain = {kind: words.text(f"agg_{kind}") for kind in ("others", "total")}
    said = {w.strip().casefold() for w in plain.values()}
    if not any(isinstance(v, str) and v.strip().casefold() in said for v in first_keys):
        return plain
    shown = len(kinds) - sum(k != "group" for k in kinds[-2:])   # merged lines come last
    counts = {"others": agg.group_count - shown, "total": agg.group_count}
    return {kind: words.text(f"agg_{kind}_of", groups=words.text("agg_one_group") if n == 1
                             else words.counted("agg_groups", n))
            for kind, n in counts.items()}


def missing_key_word(keys: Iterable[Any], lang: str = "fr") -> str:
    """What a group's missing key (a blank cell of the file) says in an export: "(vide)"
    ("(blank)" in English), unless a label shown beside it is itself written so (case and
    spaces aside): then "(clé manquante)" ("(missing key)"), numbered further in the unlikely
    case that is a label too -- so that a reader of the file never takes a label for a missing
    key, nor the missing key for a label.  The labels stay as they are.  ``keys``: every key
    of the group lines shown, in every key column.

    Example: ``missing_key_word(["(vide)", None, "CDC"])`` -> ``'(clé manquante)'``"""
    from .messages import language
    words = language(lang)
    taken = {k.strip().casefold() for k in keys if isinstance(k, str)}
    word = words.text("agg_blank")
    if word.strip().casefold() not in taken:
        return word
    word = plain = words.text("agg_missing_key")
    n = 2
    while word.strip().casefold() in taken:
        word, n = f"{plain[:-1]} {n})", n + 1
    return word


def aggregate_lines(agg: "Aggregate", lang: str = "fr") -> tuple[list[str], list[str], list[tuple[str, list[Any]]]]:
    """:func:`aggregate_table` with each line's kind (``"group"``, ``"others"``, ``"total"``,
    or ``"note"``): when a ``top(n)`` left groups out with no others line, a note line before
    the total says how many, so that a file's lines never seem to add to a total they miss;
    when the shares, rounded one by one, miss 100 %, a last note line says so
    (:func:`shares_footnote`)."""
    from .messages import language
    words = language(lang)
    columns = agg.report_columns
    headings = [c if c in agg.dims else words.text(f"agg_{c}") for c in columns]
    ledger = agg.report_lines()
    values = {c: ledger.values(c) for c in columns}
    kinds = agg.line_kinds()
    said = merged_line_words(agg, kinds, (v for v, k in zip(values[columns[0]], kinds)
                                          if k == "group"), lang)
    # a group's missing key (a blank cell of the file, None) says so, "(vide)" ("(blank)"), as
    # the HTML table and the text report say it: written empty, it read as a label "" (an empty
    # text, kept empty), and a reader of the file could not tell them apart -- nor from a
    # label "(vide)" (missing_key_word)
    blank = missing_key_word((values[c][i] for c in agg.dims for i, kind in enumerate(kinds)
                              if kind == "group"), lang)
    lines = []
    for i, kind in enumerate(kinds):
        row = [values[c][i] for c in columns]
        if kind != "group":
            row[:len(agg.dims)] = [said[kind]] + [None] * (len(agg.dims) - 1)
        else:
            row[:len(agg.dims)] = [blank if v is None else v for v in row[:len(agg.dims)]]
        lines.append((kind, row))
    if agg.asks_total and "total" not in kinds:
        # no group at all (a --where keeping nothing): the core merges no line, yet the file
        # must say its total, 0,00 € over 0 records -- not a bare header a reader takes for a
        # failed export; a mean, a min or a max of nothing is no number, its cell stays empty
        zero = agg.TOTAL_OF_NO_GROUP
        row = [zero.get(c) for c in columns]
        row[:len(agg.dims)] = [said["total"]] + [None] * (len(agg.dims) - 1)
        lines.append(("total", row))
    hidden = hidden_groups(agg, kinds)
    if hidden:
        counted = "total" in kinds
        note = [words.counted("agg_more_counted" if counted else "agg_more", hidden)]
        at = len(lines) - 1 if counted else len(lines)   # before the total line, else last
        lines.insert(at, ("note", note + [None] * (len(columns) - 1)))
    footnote = shares_footnote(agg, lang, kinds, values.get("share"))
    if footnote is not None:   # the shares, rounded one by one, miss 100 %: said last
        lines.append(("note", [footnote] + [None] * (len(columns) - 1)))
    return columns, headings, lines


def aggregate_table(agg: "Aggregate", lang: str = "fr") -> tuple[list[str], list[str], list[list[Any]]]:
    """A report's table as values, for the exports to type: the columns it shows (key names as
    the file names them, then the measures), their headings in ``lang``, and one list of values
    a line (labels, ints, dates, Decimal amounts, Decimal percentages, int counts).  A group's
    missing key is "(vide)" ("(blank)" in English; "(clé manquante)", "(missing key)" when a
    label shown is itself "(vide)": :func:`missing_key_word`), an empty label stays "".  An others
    or total line says so in its first key cell ("Autres", "Total"), its other keys empty; a
    ``top(n)`` without its others line gets a line saying how many groups it leaves out.

    Example: ``aggregate_table(agg.share(), "en")[1]`` -> ``['financeur', 'amount', 'count', 'share']``
    """
    columns, headings, lines = aggregate_lines(agg, lang)
    return columns, headings, [row for _kind, row in lines]


def aggregate_delimited(agg: "Aggregate", *, lang: str = "fr", formula_guard: bool = True) -> str:
    """A report as CSV text a spreadsheet opens in ``lang``: French ``;`` and decimal commas,
    English ``,`` and points; numbers plain (``-1250,50``: no grouping, no unit, so they stay
    numbers), the share column headed with its ``(%)``, dates as that language writes them,
    labels guarded against formulas unless told not to.

    Example: ``aggregate_delimited(agg.top(3, others=True).share())``
    """
    from .messages import language
    words = language(lang)
    columns, headings, rows = aggregate_table(agg, lang)
    headings = [h + " (%)" if c == "share" else h + " (€)" if c in AMOUNT_MEASURES else h
                for c, h in zip(columns, headings)]

    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, Decimal):   # amounts and shares: two places, exact
            return f"{value:.2f}".replace(".", words.decimal)
        if isinstance(value, int):
            return str(value)
        text = words.date(value) if hasattr(value, "isoformat") else str(value)
        return guard_label(text) if formula_guard else text

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";" if lang == "fr" else ",", lineterminator="\r\n")
    writer.writerow([guard_label(h) if formula_guard else h for h in headings])
    writer.writerows([cell(v) for v in row] for row in rows)
    return buf.getvalue()


__all__ = ["AMOUNT_MEASURES", "FORMULA_STARTS", "aggregate_delimited", "aggregate_lines",
           "aggregate_table", "guard_formula", "guard_label", "guarded_plan_rows", "hidden_groups",
           "merged_line_words",
           "missing_key_word", "shares_footnote", "pivot_key_names", "plan_delimited", "plan_rows"]
