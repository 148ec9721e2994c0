"""Plan versus actual: what the partners intended to pay (a plan) against what they paid
(grant records in a ledger), by funder, party, line and axis, with execution rates.

Records are mapped to the convention's funders by the funder column (a name, a code or a
SIRET; through ``funders=`` or the parties' codes, aliases and ``sirets``) and to plan lines by
the line column (``dispositifAide`` by default; through ``lines=`` or the lines' own labels).
Records that map to nothing are listed in ``unmapped`` with their sums: never lost.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Mapping

from . import _core
from .money import from_cents, to_cents

if TYPE_CHECKING:  # pragma: no cover
    from .convention import Convention
    from .ledger import Ledger


@dataclass(frozen=True)
class Unmapped:
    funder: str | None
    line: str | None
    amount: Decimal
    records: int
    why: str


@dataclass
class Execution:
    """Planned and paid amounts in euros, and execution rates (paid / planned, %)."""

    year: int
    planned: dict[str, dict[Any, Decimal]]
    paid: dict[str, dict[Any, Decimal]]
    unmapped: list[Unmapped] = field(default_factory=list)

    def rate(self, dim: str, key: Any) -> Decimal | None:
        planned = self.planned[dim].get(key, Decimal(0))
        if planned == 0:
            return None
        return (self.paid[dim].get(key, Decimal(0)) * 100 / planned).quantize(Decimal("0.1"))

    def table(self, dim: str) -> list[tuple[Any, Decimal, Decimal, Decimal | None]]:
        """(key, planned €, paid €, rate %) for a dimension: funder, party, line or axis."""
        keys = list(self.planned[dim]) + [k for k in self.paid[dim] if k not in self.planned[dim]]
        return [(k, self.planned[dim].get(k, Decimal(0)), self.paid[dim].get(k, Decimal(0)),
                 self.rate(dim, k)) for k in keys]

    @property
    def total_planned(self) -> Decimal:
        return sum(self.planned["funder"].values(), Decimal(0))

    @property
    def total_paid(self) -> Decimal:
        return sum(self.paid["funder"].values(), Decimal(0))

    @property
    def total_unmapped(self) -> Decimal:
        return sum((u.amount for u in self.unmapped), Decimal(0))

    def plot(self, dim: str = "party", ax: Any = None) -> Any:
        """Planned versus paid (matplotlib); returns the Axes."""
        from .plot import execution_plot
        return execution_plot(self, dim, ax)

    def __str__(self) -> str:
        from .money import format_amount
        out = [f"Execution {self.year} (€): planned / paid / rate"]
        for dim in ("party", "axis"):
            out.append(f"by {dim}:")
            for k, p, q, r in self.table(dim):
                out.append(f"  {str(k):<40} {format_amount(p, group=' '):>14} "
                           f"{format_amount(q, group=' '):>14} {'' if r is None else str(r) + ' %':>8}")
        out.append(f"unmapped: {len(self.unmapped)} group(s), "
                   f"{format_amount(self.total_unmapped, group=' ')} €")
        return "\n".join(out)


def execution(conv: "Convention", year: int, ledger: "Ledger", *, funder: str = "nomAttribuant",
              line: str | None = "dispositifAide", funders: Mapping[str, str] | None = None,
              lines: Mapping[str, str] | None = None, date: str | None = "dateConvention") -> Execution:
    """Compare the plan of ``year`` with the records of ``ledger`` (see the module)."""
    plan = conv.plan(year)
    if date and date in ledger.columns and ledger.kinds[date] == "date":
        ledger = ledger.filter(**{date: (_dt.date(year, 1, 1), _dt.date(year, 12, 31))})
    dims = [funder] + ([line] if line and line in ledger.columns else [])
    groups = ledger.group_by(*dims).agg() if len(ledger) else None
    funders = dict(funders or {})
    lines = dict(lines or {})
    by_siret = {s: p.code for p in conv.parties for s in getattr(p, "sirets", ())}
    plan_lines = {l.casefold(): l for l in plan.lines}

    def funder_code(label: str | None) -> str | None:
        if label is None:
            return None
        if label in funders:
            return funders[label]
        if label in by_siret:
            return by_siret[label]
        party = conv.party_of(label)
        return party.code if party else None

    def plan_line(label: str | None) -> str | None:
        if label is None:
            return None
        if label in lines:
            return lines[label]
        return plan_lines.get(label.casefold())

    paid_cents: dict[str, dict[Any, int]] = {"funder": {}, "party": {}, "line": {}, "axis": {}}
    unmapped: list[Unmapped] = []

    def add(dim: str, key: Any, cents: int) -> None:
        paid_cents[dim][key] = _core.checked_sum([paid_cents[dim].get(key, 0), cents])

    if groups is not None:
        sums = groups.to_dict("sum")
        counts = groups.to_dict("count")
        for key, amount in sums.items():
            f_label, l_label = (key if isinstance(key, tuple) else (key, None))
            code = funder_code(f_label)
            target = plan_line(l_label) if line else None
            if code is None:
                unmapped.append(Unmapped(f_label, l_label, amount, counts[key],
                                         "the funder maps to no party of the convention"))
                continue
            cents = to_cents(amount)
            party = conv.party_of(code)
            add("funder", code, cents)
            add("party", party.code if party else code, cents)
            if target is None:
                unmapped.append(Unmapped(f_label, l_label, amount, counts[key],
                                         "the record maps to no line of the plan"))
                continue
            add("line", target, cents)
            axis = conv.axis_for(plan.axis_of(target))
            add("axis", f"Axe {axis.number}" if axis else (plan.axis_of(target) or "—"), cents)

    def euros(v: Decimal) -> Decimal:
        return from_cents(to_cents(v, plan.unit))

    planned: dict[str, dict[Any, Decimal]] = {
        "funder": {f: euros(v) for f, v in plan.by_funder().items()},
        "party": {p: euros(v) for p, v in plan.by_party(conv).items()},
        "line": {str(l): euros(v) for l, v in plan.by_line().items()},
        "axis": {},
    }
    for g, v in plan.by_axis().items():
        axis = conv.axis_for(g)
        key = f"Axe {axis.number}" if axis else g
        planned["axis"][key] = planned["axis"].get(key, Decimal(0)) + euros(v)
    paid = {dim: {k: from_cents(c) for k, c in d.items()} for dim, d in paid_cents.items()}
    return Execution(year=year, planned=planned, paid=paid, unmapped=unmapped)
