"""Plan versus actual: what the partners intended to pay (a plan) against what they paid
(grant records in a ledger), by funder, party, line and axis, with execution rates.

Records are mapped to the convention's funders by the funder column (a name, a code or a
SIRET; through ``funders=`` or the parties' codes, aliases and ``sirets``) and to plan lines by
the line column (``dispositifAide`` by default; through ``lines=`` or the lines' own labels).
Records that map to nothing are listed in ``unmapped`` with their sums: never lost.  A ledger
without its date column is refused (``date=None`` counts every record whatever its date).  Every
record is accounted for in ``accounting``: matched, dated outside the year (with the years the
file covers), or unmapped; a :class:`essconv.NothingMatchedWarning` says why when none matched.
A ledger with no line column (no ``dispositifAide``, ``line=None``) is compared by funder and
party only: by line and axis the paid amounts and rates are "not computed" (never 0 %), and a
:class:`essconv.NoLineColumnWarning` says so when the SCDL's column is absent.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping

import essconv._core as _core
from .errors import (NoLineColumnWarning, NothingMatchedWarning, give_warning, names_listed,
                     warnings_kept_aside)
from .money import PERCENT_CONTEXT, exact_sum, from_cents, percent_of, shown_decimals, to_cents

# A model below the convention and the ledger: they are read, never imported (the floors above).


def _rate(planned: Decimal, paid: Decimal) -> Decimal | None:
    """Paid as a percentage of planned, to one decimal (half-even), None when nothing is
    planned, or a negative amount (a reimbursement expected): paid over it read "-25,0 %", a
    verdict where French public-finance tables print « n.s. », non significatif.

    100.0 means paid == planned, nothing else: 99.95 % (620 € short of 1.24 M€) rounded to
    "100,0 %", a line read as wholly paid; it reads 99.9 (and 100.04 % reads 100.1).  Likewise
    0.0 means nothing paid: 600 € of 1.24 M€ (0.048 %) read as not paid at all; it reads 0.1
    (and a net refund as small, -0.1)."""
    if planned <= 0:
        return None
    # in the percentages' own context (money.percent_of): the caller's ROUND_HALF_UP, set for
    # other work, made 12.25 % read 12.3 and a ROUND_DOWN 66.67 % read 66.6
    rate = percent_of(paid, planned, Decimal("0.1"))
    if rate == 100 and paid != planned:
        rate = Decimal("99.9") if paid < planned else Decimal("100.1")
    if rate == 0 and paid != 0:   # -0.0 too: a net refund under 0.05 %
        rate = Decimal("0.1") if paid > 0 else Decimal("-0.1")
    return rate


@dataclass(frozen=True)
class Unmapped:
    funder: str | None
    line: str | None
    amount: Decimal
    records: int
    why: str
    #: why, as a code the report words in its language: "no-party" or "no-line"
    reason: str = ""
    #: the funder is a column of the plan that no party of the convention bears (Annex 1's
    #: "CG-67"); ``probably`` is the party it is one edit away from, a reading, never applied
    plan_column: bool = False
    probably: str | None = None
    #: the parties a funder label names none of could stand for ("Conseil général": CG-59 and
    #: CG-62): why it is unmapped, said so that the analyst says which with ``funders=``
    could_be: tuple[str, ...] = ()


@dataclass(frozen=True)
class Accounting:
    """Where every record of the ledger went: ``matched + outside_year + unmapped == records``
    (and their amounts add up to the ledger's total).  ``set_aside`` counts the rows the reader
    could not read (``ledger.bad_rows``), which hold no amount."""

    records: int
    amount: Decimal
    matched: int
    matched_amount: Decimal
    outside_year: int
    outside_amount: Decimal
    years: tuple[int, ...]     # the years the records outside the year are dated in
    undated: int               # records outside the year because they have no date
    unmapped: int              # records whose funder maps to no party
    unmapped_amount: Decimal
    set_aside: int = 0
    #: records of a party whose line is no line of the plan: in the party's paid amount, in no
    #: line or axis, and not among the matched ones (matched + no_line + outside + unmapped
    #: == records)
    no_line: int = 0
    no_line_amount: Decimal = Decimal(0)
    #: False when no column of the ledger places the records on the plan's lines: the matched
    #: ones are matched to a party only, "matched" alone read as matched to the plan
    on_lines: bool = True

    def lines(self, year: int) -> list[str]:
        """The account in a few lines, in English (its numbers too: ``1,000.50 €``);
        :meth:`Execution.text` prints it in either language, as the text report does."""
        from .messages import language

        def eur(v: Decimal) -> str:
            return language("en").amount(v, "€").replace("\u00a0", " ")
        years = ", ".join(map(str, self.years))
        out = [f"records: {self.records} ({eur(self.amount)})",
               (f"  matched: {self.matched} ({eur(self.matched_amount)})" if self.on_lines else
                f"  matched to a party, on no line (no line column): {self.matched} "
                f"({eur(self.matched_amount)})"),
               *([f"  a party's, on no line of the plan: {self.no_line} "
                  f"({eur(self.no_line_amount)})"] if self.no_line else []),
               f"  outside {year}: {self.outside_year} ({eur(self.outside_amount)})"
               + (f", dated {years}" if years else "")
               + (f", {self.undated} without a date" if self.undated else ""),
               f"  unmapped: {self.unmapped} ({eur(self.unmapped_amount)})"]
        if self.set_aside:
            out.append(f"  set aside by the reader (unreadable): {self.set_aside}")
        return out


@dataclass
class Execution:
    """Planned and paid amounts in euros, and execution rates (paid / planned, %)."""

    year: int
    planned: dict[str, dict[Any, Decimal]]
    paid: dict[str, dict[Any, Decimal]]
    unmapped: list[Unmapped] = field(default_factory=list)
    accounting: Accounting | None = None
    #: why nothing matched (None when something did, or the ledger is empty)
    warning: str | None = None
    #: the ledger's column placing the records on the plan's lines; None when it has none (no
    #: ``dispositifAide``, ``line=None``): paid by line and by axis is then not computed
    line_column: str | None = "dispositifAide"
    #: the line column looked for and absent ("dispositifAide"), as the views name it
    missing_line_column: str | None = None
    #: the axis keys essconv wrote ("Axe 2") -> their numbers: an English view says "Axis 2";
    #: a plan's own group label, user data, is shown as printed
    axis_numbers: dict[str, int] = field(default_factory=dict)

    def computed(self, dim: str) -> bool:
        """Whether the paid amounts (and rates) of ``dim`` are computed: by line and by axis,
        only when a column of the ledger places the records on the plan's lines.  Without one
        every axis read "0,0 %" executed under "matched" -- nothing paid, where nothing was
        known."""
        return self.line_column is not None or dim not in ("line", "axis")

    def rate(self, dim: str, key: Any) -> Decimal | None:
        """Paid as a percentage of planned; None when nothing is planned (undefined), when the
        planned amount is negative (not significant) or when ``dim`` is not computed
        (:meth:`computed`)."""
        if not self.computed(dim):
            return None
        return _rate(self.planned[dim].get(key, Decimal(0)), self.paid[dim].get(key, Decimal(0)))

    @property
    def total_rate(self) -> Decimal | None:
        """Paid as a percentage of planned, over the whole plan (None when nothing is planned,
        or a negative amount).

        Example: ``conv.execution(2009, ledger).total_rate`` -> ``Decimal('1.3')``"""
        return _rate(self.total_planned, self.total_paid)

    def unplaced(self, dim: str) -> tuple[Decimal, Decimal, Decimal | None] | None:
        """(planned €, paid €, rate %) that ``dim`` cannot place -- records of a party on no
        line of the plan have no axis -- or None: with it the rows of :meth:`table` add up to
        the totals, as every view shows them.  None for a dimension not computed: the whole
        paid amount there is no money "on no line", it is money no column placed."""
        if not self.computed(dim):
            return None
        rows = self.table(dim)
        planned = exact_sum([self.total_planned], minus=(p for _, p, _, _ in rows))
        paid = exact_sum([self.total_paid], minus=(q for _, _, q, _ in rows))
        return (planned, paid, _rate(planned, paid)) if planned or paid else None

    def table(self, dim: str) -> list[tuple[Any, Decimal, Decimal | None, Decimal | None]]:
        """(key, planned €, paid €, rate %) for a dimension: funder, party, line or axis.  Paid
        and rate are None where ``dim`` is not computed (:meth:`computed`); rate is None too
        where nothing is planned (undefined)."""
        keys = list(self.planned[dim]) + [k for k in self.paid[dim] if k not in self.planned[dim]]
        computed = self.computed(dim)
        return [(k, self.planned[dim].get(k, Decimal(0)),
                 self.paid[dim].get(k, Decimal(0)) if computed else None,
                 self.rate(dim, k)) for k in keys]

    @property
    def total_planned(self) -> Decimal:
        return exact_sum(self.planned["funder"].values())

    @property
    def total_paid(self) -> Decimal:
        return exact_sum(self.paid["funder"].values())

    @property
    def total_unmapped(self) -> Decimal:
        return exact_sum(u.amount for u in self.unmapped)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """The account for machines (amounts as strings, exact); with ``lang`` ('fr' or 'en'),
        its sentences ("why", "warning") in that language, as the rest of a report in it
        (without: English, as ``why`` and ``warning`` are).

        Example: ``conv.execution(2009, ledger).to_dict(lang="fr")["accounting"]["matched"]``"""
        a = self.accounting
        why = {id(u): u.why for u in self.unmapped}
        warning = self.warning
        if lang is not None:
            from .messages import language
            from .execution_text import nothing_matched_reasons
            t = language(lang)
            for u in self.unmapped:
                text = t.text(f"why_{u.reason}") if u.reason else u.why
                if u.plan_column:
                    text = t.say(f"{t.quote(str(u.funder))} est une colonne du plan {self.year} "
                                 f"qu'aucune partie de la convention ne porte",
                                 f"{t.quote(str(u.funder))} is a column of the {self.year} plan "
                                 f"that no party of the convention bears")
                    if u.probably:
                        text += f" ({t.text('acc_probably', code=u.probably)})"
                elif u.could_be:
                    text += f" ({t.text('acc_could_be', codes=', '.join(u.could_be))})"
                why[id(u)] = text
            if warning and a is not None:
                warning = (t.text("nothing_matched", year=self.year) + t.colon
                           + t.say(" ; ", "; ").join(nothing_matched_reasons(self, t)))
        # every amount of the account with one number of decimals, as the tables print them:
        # two as soon as one has cents, none for whole euros ("6000.5" beside "8105000" and
        # "3.0" read as three kinds of number)
        amounts = [self.total_planned, self.total_paid] + [u.amount for u in self.unmapped] + (
            [] if a is None else [a.amount, a.matched_amount, a.outside_amount,
                                  a.unmapped_amount, a.no_line_amount])
        step = Decimal("0.01") if shown_decimals("€", amounts) == 2 else Decimal(1)

        def text(v: Decimal) -> str:   # exact: cents are the finest an account holds
            return str(v.quantize(step, context=PERCENT_CONTEXT))

        return {"year": self.year, "planned": text(self.total_planned), "paid": text(self.total_paid),
                "accounting": None if a is None else {
                    "records": a.records, "amount": text(a.amount), "matched": a.matched,
                    "matched_amount": text(a.matched_amount), "outside_year": a.outside_year,
                    "outside_amount": text(a.outside_amount), "years": list(a.years),
                    "undated": a.undated, "unmapped": a.unmapped,
                    "unmapped_amount": text(a.unmapped_amount), "set_aside": a.set_aside,
                    "no_line": a.no_line, "no_line_amount": text(a.no_line_amount)},
                "unmapped": [{"funder": u.funder, "line": u.line, "amount": text(u.amount),
                              "records": u.records, "why": why[id(u)]} for u in self.unmapped],
                # None: no column placed the records on lines, paid by line and axis unknown
                "line_column": self.line_column,
                "warning": warning}

    def plot(self, dim: str = "party", ax: Any = None, lang: str = "fr") -> Any:
        """Planned versus paid (matplotlib), in French by default (``lang="en"``); returns the
        Axes."""
        from .plot import execution_plot
        return execution_plot(self, dim, ax, lang)

    def __repr__(self) -> str:
        # a line, as a plan's or a ledger's repr: the dataclass's listed every amount and every
        # group mapping to nothing (35 MB for 200 000 unknown funders); the Python API is
        # English and prints Decimal text, as every repr does
        n = self.accounting.records if self.accounting is not None else None
        # a count in its number, as the groups below: "1 records" of a ledger of one grant
        records = f" {n} record{'s' if n != 1 else ''}," if n is not None else ""
        rate = self.total_rate
        said = [f"planned {self.total_planned} €", f"paid {self.total_paid} €"]
        if rate is not None:
            said.append(f"rate {rate}%")
        # the groups of a party on no line are in its paid amount: counted among those
        # "mapping to no party", they were said twice and the amount beside them was wrong
        no_party = [u for u in self.unmapped if u.reason != "no-line"]
        no_line = [u for u in self.unmapped if u.reason == "no-line"]
        if no_party:
            n = len(no_party)
            said.append(f"{n} group{'s' if n != 1 else ''} mapping to no party "
                        f"({exact_sum(u.amount for u in no_party)} €)")
        if no_line:
            n = len(no_line)
            said.append(f"{n} group{'s' if n != 1 else ''} on no line of the plan "
                        f"({exact_sum(u.amount for u in no_line)} €)")
        return f"<Execution {self.year}:{records} {', '.join(said)}>"

    def _repr_html_(self) -> str:
        """In a notebook: the committee's view, in French like the report and the dashboard
        (``essconv.display.execution_html(ex, lang="en")`` for English)."""
        from .display import execution_html
        return execution_html(self)

    def text(self, lang: str = "fr") -> str:
        """The account as text, wholly in ``lang``: 'fr' (the default, what ``str()`` gives) or
        'en' -- the planned / paid / rate tables, where every record went, the groups that map
        to nothing, as the text report prints them (``1 000,50 €`` / ``1,000.50 €``).

        Example: ``print(conv.execution(2009, ledger).text("en"))``"""
        from .messages import language, read_line
        from .execution_text import execution_lines
        t = language(lang)
        out = execution_lines(self, t)
        if self.unmapped:
            out.append(t.counted("unmapped", len(self.unmapped),
                                 amount=t.amount(self.total_unmapped, "€")))
        # a funder's line break read as a space, an escape sequence ("\x1b[2J") shown as its
        # escape: printed as they are, they split a line of the account or cleared the terminal
        return "\n".join(read_line(line) for line in out)

    def __str__(self) -> str:
        # French, as the committee reads it: it printed English words with French numbers
        return self.text("fr")

def execution(conv: "Convention", year: int, ledger: "Ledger", *, funder: str = "nomAttribuant",
              line: str | None = "dispositifAide", funders: Mapping[str, str] | None = None,
              lines: Mapping[str, str] | None = None, date: str | None = "dateConvention") -> Execution:
    """Compare the plan of ``year`` with the records of ``ledger`` (see the module)."""
    plan = conv.plan(year)
    everything = ledger
    outside_years: tuple[int, ...] = ()
    undated = 0
    if date and date in ledger.columns and ledger.kinds[date] != "date":
        # a date column read as text ("2010-03-01" as a label) cannot say the year: counting
        # every record would put other years' money into this one, silently
        from .errors import InvalidValueError
        # the remedy of the call that built the ledger: from_columns takes no read_csv option
        remedy = (f"say its kind where the ledger is built (Ledger.from_columns(..., "
                  f"dates=[{date!r}]))" if getattr(ledger, "built_by", None) == "from_columns"
                  else f"read it as dates (Ledger.read_csv(..., dates=[{date!r}]); "
                       f"from_columns and read_sql take dates= too)")
        raise InvalidValueError(
            f"the date column {date!r} was read as {ledger.kinds[date]}s, not dates, so the "
            f"records of {year} cannot be told from the others: {remedy}, or pass date=None "
            f"to count every record whatever its date")
    if date and date not in ledger.columns:
        # without its date column every record counted as this year's, whatever its year:
        # a 2017 file gave the 2009 plan its money (a column named otherwise, an SCDL file
        # without dateConvention), in every year of a multi-year plan at once
        from .errors import UnknownColumnError
        dated = [c for c in ledger.columns if ledger.kinds[c] == "date"]
        raise UnknownColumnError(
            f"the ledger has no date column {date!r}, so the records of {year} cannot be told "
            f"from the others: "
            + (f"pass date= one of its date columns ({names_listed(dated)}), " if dated else
               f"read the column of the dates as dates, ")
            + f"or date=None to count every record whatever its date (the ledger's columns: "
              f"{names_listed(ledger.columns)})")
    if date:
        # a year no record is dated in is said below, with the years the records are dated:
        # the filter's own warning of it would say it twice
        with warnings_kept_aside():
            ledger = ledger.filter(**{date: (_dt.date(year, 1, 1), _dt.date(year, 12, 31))})
        if len(ledger) < len(everything):
            by_day = everything.group_by(date).count().to_dict()
            outside_years = tuple(sorted({d.year for d in by_day if d is not None} - {year}))
            undated = by_day.get(None, 0)
    if line and line != "dispositifAide" and line not in ledger.columns:
        # asked for by name and absent (a typo): every grant was put on no line, each line and
        # axis read 0,0 % executed.  The SCDL's own column may be absent: then only the
        # funder and party views are computed, the lines and axes said not computed
        from .errors import UnknownColumnError
        raise UnknownColumnError(f"line={line!r}: no such column; the ledger's columns: "
                                 f"{names_listed(ledger.columns)} (line=None: no line column)")
    has_line = bool(line and line in ledger.columns)
    if lines and not has_line:
        # lines= maps the labels of a line column: without one it placed nothing, silently
        from .errors import UnknownColumnError
        raise UnknownColumnError(
            f"lines= maps the labels of the line column, and the ledger has no column "
            f"{line!r}: name its line column with line= (the ledger's columns: "
            f"{names_listed(ledger.columns)})")
    dims = [funder] + ([line] if has_line else [])
    groups = ledger.group_by(*dims).agg() if len(ledger) else None
    funders = dict(funders or {})
    lines = dict(lines or {})
    by_siret = {s: p.code for p in conv.parties for s in getattr(p, "sirets", ())}
    from .conditions import without_accents

    def line_key(text: str) -> str:
        """A line's label with its case, accents and spacing aside, as the parties' names are
        compared: "Tetes de reseaux", "têtes de  réseaux" and "Têtes de réseaux" are one line."""
        return " ".join(without_accents(text).casefold().split())
    folded: dict[str, set[str]] = {}
    for l in plan.lines:
        folded.setdefault(line_key(l), set()).add(l)
    # two lines one only by their accents or spacing stay apart: neither is guessed
    plan_lines = {k: next(iter(ls)) for k, ls in folded.items() if len(ls) == 1}
    plan_line_set = set(plan.lines)
    repeated_lines = {l for l in plan.lines if plan.lines.count(l) > 1}
    plan_columns = {c.casefold(): c for c in plan.funders}
    # the plan's column each party is printed under ("Région", "CD-59", "cdc"): a record of
    # that party is paid in that column, or the funder view set its plan against nothing
    # (0,0 %) and its payments against no plan, on two rows
    named: dict[str, list[str]] = {}
    for c in plan.funders:
        p = conv.party_named(c)
        if p is not None:
            named.setdefault(p.code, []).append(c)
    column_of = {code: cs[0] for code, cs in named.items() if len(cs) == 1}

    def column_for(code: str) -> str:
        """The plan's column of the party ``code`` names, or of the nearest party above it
        (a State service's grants in an "État" column when the plan has none of its own)."""
        party = conv.party_named(code)
        while party is not None:
            if party.code in column_of:
                return column_of[party.code]
            party = party.parent
        # a column no party bears, as funders= may write it ("ese" for ESE)
        return plan_columns.get(str(code).casefold(), code)

    # a funders= value must name something: "CR-NPCD" for "CR-NPDC" put the Region's money
    # on a row of its own, planned 0, and showed the Region 0,0 % executed
    known_columns = {c.casefold() for y in conv.plans for c in conv.plan(y).funders}
    others = {o.casefold() for o, _name in getattr(conv, "other_funders", ())}
    for label, code in funders.items():
        if conv.party_named(code) is None and str(code).casefold() not in known_columns | others:
            from .errors import UnknownLabelError
            near = conv.nearest_party(str(code))
            raise UnknownLabelError(
                f"funders={{{label!r}: {code!r}}}: {code!r} is no party of the convention and "
                f"no column of its plans" + (f"; did you mean {near.code!r}?" if near else "")
                + f" (the parties: {names_listed(p.code for p in conv.parties)})")
    readings = conv.probable_readings(year)

    def funder_code(label: str | None) -> str | None:
        """The funder a label stands for, as the plan's columns name funders: a State
        service stays itself (DRTEFP is a column of Annex 1); only the party view rolls it up
        to the State."""
        if label is None:
            return None
        if label in funders:
            return column_for(funders[label])
        siret = "".join(label.split())   # a SIRET is compared without its spaces
        if siret in by_siret:
            return column_for(by_siret[siret])
        party = conv.party_named(label)
        return column_for(party.code) if party else None

    def plan_line(label: str | None) -> str | None:
        if label is None:
            return None
        if label in lines:
            return lines[label]
        target = label if label in plan_line_set else plan_lines.get(line_key(str(label)))
        if target is not None and target in repeated_lines:
            from .errors import AmbiguityError
            axes = [plan.axis_of(i) for i, l in enumerate(plan.lines) if l == target]
            raise AmbiguityError(
                f"the line {label!r} of the ledger is printed under several axes of the {year} "
                f"plan ({names_listed(axes)}): say which with "
                f"lines={{{label!r}: (axis, {target!r})}}")
        return target

    paid_cents: dict[str, dict[Any, int]] = {"funder": {}, "party": {}, "line": {}, "axis": {}}
    unmapped: list[Unmapped] = []

    def add(dim: str, key: Any, cents: int) -> None:
        # exact, checked once every group is in (below): a running sum may pass int64 cents
        # and come back, as the ledger's own group-by adds (modulo 2^64, its wraps counted)
        paid_cents[dim][key] = paid_cents[dim].get(key, 0) + cents

    if groups is not None:
        sums = groups.to_dict("sum")
        counts = groups.to_dict("count")
        for key, amount in sums.items():
            f_label, l_label = (key if isinstance(key, tuple) else (key, None))
            # a funder column read as ints (SIRETs, ints=["idAttribuant"]) is matched as text
            f_label = f_label if f_label is None or isinstance(f_label, str) else str(f_label)
            code = funder_code(f_label)
            target = plan_line(l_label) if has_line else None
            if code is None:
                column = plan_columns.get(f_label.casefold()) if f_label is not None else None
                if column is not None:   # Annex 1 prints it; no party bears it: said so
                    near = readings.get(column)
                    why = (f"{f_label!r} is a column of the {year} plan that no party of the "
                           f"convention bears" + (f" (probably {near.code}: say so with "
                                                  f"funders={{{f_label!r}: {near.code!r}}})"
                                                  if near else ""))
                    unmapped.append(Unmapped(f_label, l_label, amount, counts[key], why,
                                             "no-party", True, near.code if near else None))
                else:
                    could_be = tuple(p.code for p in conv.parties_it_may_name(f_label)) \
                        if f_label is not None else ()
                    why = "the funder maps to no party of the convention"
                    if could_be:
                        why = (f"{f_label!r} names several parties of the convention "
                               f"({', '.join(could_be)}): say which with "
                               f"funders={{{f_label!r}: {could_be[0]!r}}}")
                    unmapped.append(Unmapped(f_label, l_label, amount, counts[key], why,
                                             "no-party", could_be=could_be))
                continue
            cents = to_cents(amount)
            party = conv.party_of(code)
            add("funder", code, cents)
            add("party", party.code if party else code, cents)
            if not has_line:
                continue
            if target is None:
                unmapped.append(Unmapped(f_label, l_label, amount, counts[key],
                                         "the record maps to no line of the plan", "no-line"))
                continue
            add("line", target, cents)
            axis = conv.axis_for(plan.axis_of(target))
            add("axis", f"Axe {axis.number}" if axis else (plan.axis_of(target) or "—"), cents)

    def euros(v: Decimal) -> Decimal:
        return from_cents(to_cents(v, plan.unit))

    planned: dict[str, dict[Any, Decimal]] = {
        "funder": {f: euros(v) for f, v in plan.by_funder().items()},
        "party": {p: euros(v) for p, v in plan.by_party(conv).items()},
        # a label printed under two axes is keyed (axis, line), as lines= names it: its
        # str() made a row planned apart from the one paid, each with its own rate
        "line": {l: euros(v) for l, v in plan.by_line().items()},
        "axis": {},
    }
    # planned by axis as the convention sums it (by_axis(), compare()): the lines printed under
    # no axis under "—", as they are paid -- their plan went to the "unplaced" row, beside the
    # records on no line, and each of the two rows showed a rate of money that was not its
    # own; one path, so a plan whose group "—" stands beside such lines is refused here too
    planned["axis"] = {k: euros(v) for k, v in conv.by_axis(year).items()}
    # a sum past int64 cents: the core's error, saying which end it passes, never a number
    paid = {dim: {k: from_cents(_core.checked_sum([c])) for k, c in d.items()}
            for dim, d in paid_cents.items()}
    no_party = [u for u in unmapped if u.reason == "no-party"]
    unmapped_records = sum(u.records for u in no_party)
    unmapped_amount = exact_sum(u.amount for u in no_party)
    no_line = [u for u in unmapped if u.reason == "no-line"]
    no_line_records = sum(u.records for u in no_line)
    no_line_amount = exact_sum(u.amount for u in no_line)
    in_year_amount, whole_amount = ledger.total(), everything.total()
    accounting = Accounting(
        records=len(everything), amount=whole_amount,
        matched=len(ledger) - unmapped_records - no_line_records,
        matched_amount=exact_sum([in_year_amount], minus=[unmapped_amount, no_line_amount]),
        outside_year=len(everything) - len(ledger),
        outside_amount=exact_sum([whole_amount], minus=[in_year_amount]), years=outside_years,
        undated=undated, unmapped=unmapped_records, unmapped_amount=unmapped_amount,
        set_aside=len(getattr(everything, "bad_rows", ())),
        no_line=no_line_records, no_line_amount=no_line_amount, on_lines=has_line)
    warning = _why_nothing_matched(accounting, year, no_party) if accounting.records and \
        not accounting.matched else None
    if warning:
        give_warning(NothingMatchedWarning(warning))
    missing = line if line and not has_line else None
    if missing:
        # the SCDL's own line column absent: every axis read "0,0 %" executed, under
        # "matched", as if nothing had been paid on it; the per-funder and per-party amounts
        # still hold, the lines' and axes' are unknown -- said, and shown as not computed
        give_warning(NoLineColumnWarning(
            f"the ledger has no column {missing!r} placing its payments on the lines of the "
            f"{year} plan: paid and rates by funder and party are computed, by line and by axis "
            f"they are not (name the line column with line=; the ledger's columns: "
            f"{names_listed(ledger.columns)})"))
    axis_numbers = {f"Axe {a.number}": a.number for a in conv.axes}
    axis_numbers = {k: n for k, n in axis_numbers.items()
                    if k in planned["axis"] or k in paid["axis"]}
    return Execution(year=year, planned=planned, paid=paid, unmapped=unmapped,
                     accounting=accounting, warning=warning,
                     line_column=line if has_line else None, missing_line_column=missing,
                     axis_numbers=axis_numbers)


def _why_nothing_matched(acc: Accounting, year: int, no_party: list[Unmapped]) -> str:
    reasons = []
    if acc.outside_year:
        dated = f" (dated {', '.join(map(str, acc.years))})" if acc.years else ""
        reasons.append(f"{acc.outside_year} are dated outside {year}{dated}"
                       + (f", {acc.undated} have no date" if acc.undated else ""))
    if acc.unmapped:
        who = ", ".join(f"{u.funder!r}" for u in no_party[:3]) + (", ..." if len(no_party) > 3 else "")
        reasons.append(f"{acc.unmapped} have a funder that maps to no party of the convention "
                       f"({who}: say which with funders={{name: party code}})")
    if acc.no_line:
        reasons.append(f"{acc.no_line} are a party's on no line of the plan")
    return f"no record of the {acc.records} matched the plan of {year}: " + "; ".join(reasons)
