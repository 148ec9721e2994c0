"""Reconciliation with several faults: the smallest sets of edits, ranked, and ambiguity said.

Random plans of the shape analysts meet (5-40 lines, 3-12 funders, blank cells, k€ or € with
cents) get 1, 2 or 3 planted faults of every kind: transposed, dropped, added or changed digits,
a value left out, a value typed in the next column, a mistyped total.  The planted set must come
first whenever the table decides; when it cannot, the report says so.  On small plans an
exhaustive search written the obvious way (every set of edits, each solved as a linear system)
checks that the C search finds every smallest explanation and ranks them by their digits.
"""
from __future__ import annotations

import io
import itertools
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import essconv
from essconv import read_plan

TOTAL = "Total"


# ---------------------------------------------------------------------------- a plan, by hand
@dataclass
class Table:
    """True values (in the plan's smallest printed unit: k€, or € cents) and what is printed."""

    cents: bool                                   # € with cents, else whole k€
    cells: list[list[int | None]]                 # printed cells; None is blank
    line_totals: list[int]
    funder_totals: list[int]
    grand: int
    planted: set = field(default_factory=set)     # the edits that undo the planted faults

    @property
    def nlines(self) -> int:
        return len(self.cells)

    @property
    def nfunders(self) -> int:
        return len(self.cells[0])

    def text(self, v: int) -> str:
        """An independent French formatter: groups of three, a decimal comma for cents."""
        whole, frac = divmod(v, 100) if self.cents else (v, 0)
        s = f"{whole:,}".replace(",", " ")
        return s + (f",{frac:02d}" if self.cents else "")

    def tsv(self) -> bytes:
        unit = "en €" if self.cents else "en k€"
        rows = [[unit] + [f"F{j}" for j in range(self.nfunders)] + [TOTAL]]
        for i, row in enumerate(self.cells):
            rows.append([f"L{i}"] + ["" if v is None else self.text(v) for v in row]
                        + [self.text(self.line_totals[i])])
        rows.append([TOTAL] + [self.text(v) for v in self.funder_totals] + [self.text(self.grand)])
        return ("\n".join(";".join(r) for r in rows) + "\n").encode()

    def plan(self) -> essconv.Plan:
        return read_plan(io.BytesIO(self.tsv()))

    def value(self, v: int):
        from decimal import Decimal
        return Decimal(v) / 100 if self.cents else Decimal(v)


def make_table(rng: random.Random, nlines: int, nfunders: int, cents: bool,
               blank_share: float = 0.3) -> Table:
    top = 5_000_000 if cents else 2_000
    cells = [[None if rng.random() < blank_share else rng.randint(1, top) for _ in range(nfunders)]
             for _ in range(nlines)]
    return Table(cents, cells, [sum(v or 0 for v in r) for r in cells],
                 [sum(r[j] or 0 for r in cells) for j in range(nfunders)],
                 sum(v or 0 for r in cells for v in r))


def as_edit(f) -> tuple:
    """A suggestion's edit as a comparable tuple."""
    if f.code == "cell-move":
        return ("move", f.line, f.funder, f.target, f.actual)
    kind = "total" if TOTAL in (f.line, f.funder) else "cell"
    return (kind, f.line, f.funder, f.expected)


def explanation(f) -> frozenset:
    return frozenset(as_edit(c) for c in f.corrections)


# ---------------------------------------------------------------------------- planting faults
KINDS = ["transposition", "dropped", "added", "changed", "blank", "move", "total"]


def _digits_fault(rng: random.Random, v: int, kind: str) -> int | None:
    s = str(v)
    if kind == "transposition":
        spots = [k for k in range(len(s) - 1) if s[k] != s[k + 1]]
        if not spots:
            return None
        k = rng.choice(spots)
        s = s[:k] + s[k + 1] + s[k] + s[k + 2:]
    elif kind == "dropped":
        if len(s) < 2:
            return None
        k = rng.randrange(len(s))
        s = s[:k] + s[k + 1:]
    elif kind == "added":
        k = rng.randrange(len(s) + 1)
        s = s[:k] + str(rng.randint(0, 9)) + s[k:]
    else:
        s = str(rng.randint(1, v * 3 + 10))
    w = int(s)
    return w if w != v and w > 0 else None


def plant(rng: random.Random, t: Table, kind: str, used: set, lines_used: set,
          funders_used: set, spread: bool) -> bool:
    """Plants one fault of that kind on cells (and lines/funders, when spread) not used yet;
    records the edit that undoes it.  False when the table offers no place for it."""
    L, F = t.nlines, t.nfunders
    places = [(i, j) for i in range(L) for j in range(F) if (i, j) not in used
              and not (spread and (i in lines_used or j in funders_used))]
    rng.shuffle(places)
    for i, j in places:
        v = t.cells[i][j]
        label, funder = f"L{i}", f"F{j}"
        if kind == "total":
            if ("total", i) in used or v is None:
                continue
            wrong = _digits_fault(rng, t.line_totals[i], rng.choice(["transposition", "changed"]))
            if wrong is None:
                continue
            t.planted.add(("total", label, TOTAL, t.value(t.line_totals[i])))
            t.line_totals[i] = wrong
            used.add(("total", i))
            lines_used.add(i)
            return True
        if kind == "move":
            for k in (j + 1, j - 1):
                if v is None or not 0 <= k < F or t.cells[i][k] is not None or (i, k) in used or \
                        (spread and k in funders_used):
                    continue
                t.cells[i][k], t.cells[i][j] = v, None
                t.planted.add(("move", label, f"F{k}", funder, t.value(v)))
                used.update({(i, j), (i, k)})
                lines_used.add(i)
                funders_used.update({j, k})
                return True
            continue
        if v is None:
            continue
        wrong = None if kind == "blank" else _digits_fault(rng, v, kind)
        if kind != "blank" and wrong is None:
            continue
        t.cells[i][j] = wrong
        t.planted.add(("cell", label, funder, t.value(v)))
        used.add((i, j))
        lines_used.add(i)
        funders_used.add(j)
        return True
    return False


def planted_table(seed: int, faults: int, *, spread: bool, kinds=KINDS) -> Table | None:
    rng = random.Random(seed)
    t = make_table(rng, rng.randint(5, 40), rng.randint(3, 12), rng.random() < 0.5)
    used: set = set()
    lines_used: set = set()
    funders_used: set = set()
    for _ in range(faults):
        if not plant(rng, t, rng.choice(kinds), used, lines_used, funders_used, spread):
            return None
    return t


@dataclass
class Outcome:
    first: bool          # the planted set is ranked first
    decided: bool        # one explanation of the smallest size, no ambiguity finding
    smaller: bool        # the table holds an explanation smaller than what was planted
    ambiguity_said: bool


def judge(t: Table) -> Outcome:
    plan = t.plan()
    report = plan.validate()
    ranked = report.suggestions
    best = explanation(ranked[0]) if ranked and not ranked[0].partial else frozenset()
    verdict = report.ambiguity
    size = ranked[0].faults if ranked else None
    outcome = Outcome(first=best == frozenset(t.planted), decided=verdict is None and bool(ranked),
                      smaller=size is not None and size < len(t.planted),
                      ambiguity_said=verdict is not None)
    # every explanation suggested reconciles every total; the ranked ones keep their order
    for f in ranked[:3]:
        assert plan.with_corrections([f]).validate().ok, f
    if verdict is not None:
        assert verdict.count >= 2 and len(verdict.candidates) >= 2
        assert all(frozenset(as_edit(e) for e in c) in {explanation(f) for f in ranked}
                   for c in verdict.candidates)
    return outcome


# ---------------------------------------------------------------------------- properties
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32), st.sampled_from(KINDS))
def test_one_fault_of_every_kind_is_ranked_first(seed, kind):
    t = planted_table(seed, 1, spread=True, kinds=[kind])
    if t is None:
        return
    o = judge(t)
    # one fault: the planted edit is first unless the table holds as good an explanation,
    # which the report then says (a move into a blank cell of the next column, for instance,
    # reads the same as a value that belongs there)
    assert o.first or o.ambiguity_said or o.smaller, t.planted


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32), st.integers(2, 3), st.booleans())
def test_several_faults_come_first_when_the_table_decides(seed, faults, spread):
    t = planted_table(seed, faults, spread=spread)
    if t is None:
        return
    o = judge(t)
    if o.decided and not o.smaller:
        assert o.first, (t.planted, t.tsv().decode())
    assert o.decided != o.ambiguity_said or not o.decided



def test_a_planted_move_beside_two_cells_is_found_at_three_edits():
    # L2 x F1 blank (1 524), L2 x F2 printed 7 790 (790), and L7's 1 448 typed under F2 instead
    # of F1: three edits reconcile every total, as do two total corrections and one cell.  The
    # search branched on line L2 only with amounts its gap or its columns' gaps give, neither of
    # which fits either cell, and never reached the move (found by hypothesis; the one miss in
    # 6 000 planted tables of three faults)
    t = planted_table(190, 3, spread=False)
    o = judge(t)
    # any value moved from F2 to F1 fits with its two cells, so the table cannot decide; the
    # planted set, whose digits say most (a blank, one digit off), is ranked first
    assert o.first and o.ambiguity_said
    verdict = t.plan().validate().ambiguity
    listed = {frozenset(as_edit(e) for e in c) for c in verdict.candidates}
    assert frozenset(t.planted) in listed

@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32))
def test_crossing_faults_of_one_amount_are_reported_ambiguous(seed):
    """Two faults of the same amount whose lines and columns cross: the table cannot decide."""
    rng = random.Random(seed)
    t = make_table(rng, rng.randint(5, 12), rng.randint(3, 8), rng.random() < 0.5, blank_share=0)
    (i1, i2), (j1, j2) = rng.sample(range(t.nlines), 2), rng.sample(range(t.nfunders), 2)
    # the crossed cells must be able to give the amount back (no cell goes below zero)
    unit = 100 if t.cents else 1
    room = min(49, t.cells[i1][j2] // unit, t.cells[i2][j1] // unit)
    if room < 1:
        return
    d = rng.randint(1, room) * unit
    t.cells[i1][j1] += d
    t.cells[i2][j2] += d
    report = t.plan().validate()
    verdict = report.ambiguity
    assert verdict is not None and verdict.code == "ambiguity" and verdict.faults == 2
    crossed = {frozenset({("cell", f"L{i1}", f"F{j1}", t.value(t.cells[i1][j1] - d)),
                          ("cell", f"L{i2}", f"F{j2}", t.value(t.cells[i2][j2] - d))}),
               frozenset({("cell", f"L{i1}", f"F{j2}", t.value(t.cells[i1][j2] - d)),
                          ("cell", f"L{i2}", f"F{j1}", t.value(t.cells[i2][j1] - d))})}
    listed = {frozenset(as_edit(e) for e in c) for c in verdict.candidates}
    assert crossed <= listed
    assert "sub-total" in verdict.message and "last year" in verdict.message
    # what would decide: the four cells the two crossed sets disagree on
    assert verdict.count > 2 or sorted(verdict.decisive) == sorted({(f"L{i}", f"F{j}") for i in (i1, i2)
                                               for j in (j1, j2)})


@pytest.mark.parametrize("faults,goal", [(1, 1.0), (2, 0.95), (3, 0.80)])
def test_the_goal_rates_on_fixed_plans(faults, goal):
    """The goals of reconciliation, measured on 200 fixed random plans per count of faults in different
    lines and funders: the planted set ranked first in the decidable ones (one explanation of
    the smallest size), an ambiguity said in every other one.  The figures are in TESTING.md."""
    decided = first = ambiguous = 0
    for seed in range(200):
        t = planted_table(seed * 7919 + faults, faults, spread=True)
        if t is None:
            continue
        o = judge(t)
        if o.decided and not o.smaller:
            decided += 1
            first += o.first
        else:
            ambiguous += 1
            assert o.ambiguity_said or o.smaller
    assert decided >= 150 and first / decided >= goal, (first, decided, ambiguous)


def test_the_2009_annex_with_two_cells_changed():
    """The experiment of the corrected 2009 annex, two cells in different lines and
    funders each changed by 1 to 49 k€.  Every decidable plan gets the right pair first; every
    other one says it is ambiguous."""
    base = essconv.default().plan(2009)
    fixed = base.with_corrections(base.validate())
    rng = random.Random(2009)
    lines, funders = fixed.lines, fixed.funders
    rows = fixed.to_rows()
    decided = first = ambiguous = 0
    for _ in range(60):
        (i1, i2), (j1, j2) = rng.sample(range(len(lines)), 2), rng.sample(range(len(funders)), 2)
        edited = [list(r) for r in rows]
        truth = set()
        for i, j in ((i1, j1), (i2, j2)):
            was = fixed.cell(i, j) or 0
            now = was + rng.choice([-1, 1]) * rng.randint(1, 49)
            if now < 0:
                now = was + rng.randint(1, 49)
            edited[i + 1][j + 2] = str(now)
            truth.add(("cell", lines[i], funders[j], fixed.cell(i, j) or 0))
        plan = read_plan(io.BytesIO("\n".join("\t".join(r) for r in edited).encode()))
        report = plan.validate()
        got = explanation(report.suggestions[0])
        if report.ambiguity is None:
            decided += 1
            first += got == frozenset(truth)
            assert got == frozenset(truth)
        else:
            ambiguous += 1
    assert decided > 40


# ---------------------------------------------------------------------------- the slow twin
def _evidence(was: int | None, now: int, cents: bool) -> int:
    """Plausibility of a new value, from the printed digits (an independent reading)."""
    if was is None:
        return 1

    def digits(v: int) -> str:
        if not cents:
            return str(v)
        whole, frac = divmod(v, 100)
        return f"{whole}.{frac:02d}".rstrip("0").rstrip(".")
    a, b = digits(was), digits(now)
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] \
                and a[diff[1]] == b[diff[0]]:
            return 2
        if len(diff) == 1:
            return 3
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    if len(longer) == len(shorter) + 1 and any(longer[:k] + longer[k + 1:] == shorter
                                               for k in range(len(longer))):
        return 3
    return 5


def _solve(rows: list[list[Fraction]], rhs: list[Fraction], n: int) -> list[Fraction] | None:
    """The one solution of rows . x = rhs (Gauss-Jordan), or None (none, or not one)."""
    m = [r[:] + [b] for r, b in zip(rows, rhs)]
    pivots = []
    r = 0
    for c in range(n):
        p = next((k for k in range(r, len(m)) if m[k][c] != 0), None)
        if p is None:
            return None
        m[r], m[p] = m[p], m[r]
        m[r] = [x / m[r][c] for x in m[r]]
        for k in range(len(m)):
            if k != r and m[k][c] != 0:
                m[k] = [a - m[k][c] * b for a, b in zip(m[k], m[r])]
        pivots.append(c)
        r += 1
    if any(all(x == 0 for x in row[:n]) and row[n] != 0 for row in m):
        return None
    return [m[k][n] for k in range(n)]


def twin_explanations(t: Table, max_size: int,
                      off: frozenset = frozenset()) -> tuple[int, list[tuple[int, frozenset]]]:
    """Every smallest explanation, found the obvious way: each set of edits (cells, moves,
    totals) of size 1, 2, ... solved as a linear system on the cells' changes.  ``off``: the
    totals left out -- (i, None) line i's, (None, j) funder j's, (None, None) the grand total --
    neither a constraint nor an edit, as the core leaves a total whose cells add past int64
    cents."""
    L, F = t.nlines, t.nfunders
    cells = [("cell", i, j) for i in range(L) for j in range(F)]
    moves = [("move", i, j, k) for i in range(L) for j in range(F) for k in range(F)
             if k != j and t.cells[i][j]]
    totals = [e for e in [("total", i, None) for i in range(L)]
              + [("total", None, j) for j in range(F)] + [("total", None, None)]
              if (e[1], e[2]) not in off]
    row_res = [t.line_totals[i] - sum(v or 0 for v in t.cells[i]) for i in range(L)]
    col_res = [t.funder_totals[j] - sum(t.cells[i][j] or 0 for i in range(L)) for j in range(F)]
    grand_res = t.grand - sum(v or 0 for r in t.cells for v in r)
    negatives = min([v or 0 for r in t.cells for v in r] + t.line_totals + t.funder_totals
                    + [t.grand]) < 0
    for size in range(1, max_size + 1):
        found = []
        for edits in itertools.combinations(cells + moves + totals, size):
            touched = [(e[1], e[2]) for e in edits if e[0] == "cell"] + \
                      [(e[1], c) for e in edits if e[0] == "move" for c in (e[2], e[3])]
            if len(set(touched)) != len(touched):
                continue
            unknown = [(e[1], e[2]) for e in edits if e[0] == "cell"]
            freed = {(e[1], e[2]) for e in edits if e[0] == "total"} | off
            rows, rhs = [], []
            n = len(unknown)
            # each total that still binds: the changes in it equal its residual
            for i in range(L):
                if (i, None) in freed:
                    continue
                rows.append([Fraction(int(u[0] == i)) for u in unknown])
                rhs.append(Fraction(row_res[i]))
            for j in range(F):
                if (None, j) in freed:
                    continue
                moved = sum(-t.cells[e[1]][e[2]] * (e[2] == j) + t.cells[e[1]][e[2]] * (e[3] == j)
                            for e in edits if e[0] == "move")
                rows.append([Fraction(int(u[1] == j)) for u in unknown])
                rhs.append(Fraction(col_res[j] - moved))
            if (None, None) not in freed:
                rows.append([Fraction(1)] * n)
                rhs.append(Fraction(grand_res))
            if n == 0:
                if any(b != 0 for b in rhs):
                    continue
                delta = []
            else:
                delta = _solve(rows, rhs, n)
                if delta is None or any(d == 0 for d in delta):
                    continue
            new = {u: (t.cells[u[0]][u[1]] or 0) + int(d) for u, d in zip(unknown, delta)}
            if not negatives and any(v < 0 for v in new.values()):
                continue   # a cell goes negative only in a plan that prints a negative figure
            result, score = set(), 0
            for e in edits:
                if e[0] == "cell":
                    i, j = e[1], e[2]
                    result.add(("cell", f"L{i}", f"F{j}", t.value(new[(i, j)])))
                    score += _evidence(t.cells[i][j], new[(i, j)], t.cents)
                elif e[0] == "move":
                    i, j, k = e[1], e[2], e[3]
                    result.add(("move", f"L{i}", f"F{j}", f"F{k}", t.value(t.cells[i][j])))
                    score += 1 + (t.cells[i][k] is not None) + (abs(j - k) != 1)
                else:
                    i, j = e[1], e[2]
                    after = lambda v, hit: v + sum(int(d) for u, d in zip(unknown, delta) if hit(u)) \
                        + sum(-t.cells[m[1]][m[2]] * (m[2] == j) + t.cells[m[1]][m[2]] * (m[3] == j)
                              for m in edits if m[0] == "move" and j is not None and i is None)
                    if i is not None:
                        stated, now = t.line_totals[i], after(sum(v or 0 for v in t.cells[i]),
                                                              lambda u: u[0] == i)
                    elif j is not None:
                        stated, now = t.funder_totals[j], after(
                            sum(t.cells[r][j] or 0 for r in range(L)), lambda u: u[1] == j)
                    else:
                        stated, now = t.grand, after(sum(v or 0 for r in t.cells for v in r),
                                                     lambda u: True)
                    result.add(("total", f"L{i}" if i is not None else TOTAL,
                                f"F{j}" if j is not None else TOTAL, t.value(now)))
                    score += min(_evidence(stated, now, t.cents), 5)
            found.append((score, frozenset(result)))
        if found:
            return size, found
    return 0, []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32), st.integers(1, 2))
def test_the_search_finds_every_smallest_explanation_as_the_slow_twin(seed, faults):
    rng = random.Random(seed)
    t = make_table(rng, rng.randint(2, 4), rng.randint(2, 4), rng.random() < 0.5,
                   blank_share=0.25)
    used: set = set()
    for _ in range(faults):
        if not plant(rng, t, rng.choice(KINDS), used, set(), set(), spread=False):
            return
    size, twin = twin_explanations(t, faults)
    report = t.plan().validate(max_faults=faults)
    ranked = report.suggestions
    if size == 0:
        assert not ranked or ranked[0].partial
        return
    assert ranked and ranked[0].faults == size, (t.tsv().decode(), twin)
    twin_sets = {s for _, s in twin}
    verdict = report.ambiguity
    if len(twin_sets) == 1:
        assert verdict is None and explanation(ranked[0]) in twin_sets
        return
    assert verdict is not None and verdict.count == len(twin_sets), (t.tsv().decode(), twin)
    assert {explanation(f) for f in ranked} <= twin_sets
    best = min(score for score, _ in twin)
    assert dict((s, sc) for sc, s in twin)[explanation(ranked[0])] == best
    scores = [dict((s, sc) for sc, s in twin)[explanation(f)] for f in ranked]
    assert scores == sorted(scores)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32))
def test_three_faults_on_tiny_plans_against_the_slow_twin(seed):
    rng = random.Random(seed)
    t = make_table(rng, 3, 3, False, blank_share=0.2)
    used: set = set()
    for _ in range(3):
        if not plant(rng, t, rng.choice(["changed", "blank", "transposition", "total"]), used,
                     set(), set(), spread=False):
            return
    size, twin = twin_explanations(t, 3)
    report = t.plan().validate()
    ranked = report.suggestions
    if size == 0:
        assert not ranked or ranked[0].partial
        return
    assert ranked[0].faults == size
    twin_sets = {s for _, s in twin}
    count = report.ambiguity.count if report.ambiguity else 1
    assert count == len(twin_sets) and {explanation(f) for f in ranked} <= twin_sets


# ---------------------------------------------------------------------------- what is said
def test_a_correction_set_lists_each_cell_and_applies_as_one():
    rng = random.Random(7)
    t = make_table(rng, 8, 5, False, blank_share=0)
    t.cells[1][1], t.cells[5][3] = t.cells[1][1] + 123, None
    plan = t.plan()
    report = plan.validate()
    best = report.suggestions[0]
    assert best.code == "correction-set" and best.faults == 2 and best.rank == 1
    assert [c.line for c in best.corrections] == ["L1", "L5"]
    assert all(c.source_line and c.source_column for c in best.corrections)
    assert "L1 x F1" in best.message and "L5 x F3" in best.message
    assert best.suggestion.count(" = ") == 2
    fixed = plan.with_corrections(report)
    assert fixed.validate().ok
    # the JSON exports carry the edits, amounts as exact strings
    fields = best.explanation_fields()
    assert [c["line"] for c in fields["corrections"]] == ["L1", "L5"] and fields["faults"] == 2
    assert fields["corrections"][0]["expected"] == str(t.value(t.cells[1][1] - 123))
    # both cells of the fix are marked, in the text table and in the HTML one
    marked = [l for l in str(plan).splitlines() if "*" in l and not l.startswith("!")]   # not the legend
    assert [l.split()[0] for l in marked] == ["L1", "L5"]
    html = plan._repr_html_()
    assert html.count('class="n fix"') == 2 and f"→ {plan.format(t.value(t.cells[1][1] - 123))}" in html


def test_a_total_mistyped_with_a_wrong_cell_elsewhere():
    t = make_table(random.Random(3), 10, 6, True, blank_share=0)
    true_total = t.line_totals[2]
    t.line_totals[2] = true_total + 900          # a total typed wrong
    true_cell = t.cells[7][4]
    t.cells[7][4] = true_cell + 12345            # and a cell elsewhere
    best = t.plan().validate().suggestions[0]
    assert explanation(best) == {("total", "L2", TOTAL, t.value(true_total)),
                                 ("cell", "L7", "F4", t.value(true_cell))}


def test_a_blank_cell_and_an_unreadable_one_together():
    t = make_table(random.Random(5), 6, 4, False, blank_share=0)
    truth = t.cells[4][2]
    t.cells[4][2] = None
    data = t.tsv().decode().splitlines()
    cells = data[2].split(";")
    unreadable_truth = t.cells[1][0]
    cells[1] = "12a"                             # L1 x F0 unreadable
    data[2] = ";".join(cells)
    plan = read_plan(io.BytesIO(("\n".join(data) + "\n").encode()))
    report = plan.validate()
    mal = [f for f in report if f.code == "malformed-number"]
    assert mal[0].expected == unreadable_truth
    best = report.suggestions[0]
    assert explanation(best) == {("cell", "L4", "F2", truth)}
    assert plan.with_corrections(report).validate().ok


def test_max_faults_bounds_the_search():
    t = planted_table(11, 3, spread=True, kinds=["changed"])
    plan = t.plan()
    assert plan.validate().suggestions[0].faults == 3
    small = plan.validate(max_faults=2)
    said = [f for f in small if f.code == "unexplained"]
    assert said and said[0].faults == 3 and "at most 2" in said[0].message
    for wrong in (0, 7, 2**31, -1):   # essconv errors, not the core's bare ones
        with pytest.raises(essconv.InvalidValueError, match="between 1 and 6"):
            plan.validate(max_faults=wrong)
    for wrong in (2.0, "3", True):
        with pytest.raises(essconv.ArgumentTypeError):
            plan.validate(max_faults=wrong)


def test_equally_plausible_explanations_are_not_applied_silently():
    # 77 too much in L0 x F0 and in L1 x F1: the crossed cells explain it as well, and no
    # digit tells them apart (1 077 / 677 against 478 / 323: several digits change in each)
    cells = [[1000, 555, 300], [400, 600, 700], [250, 850, 999]]
    t = Table(False, [list(r) for r in cells], [sum(r) for r in cells],
              [sum(r[j] for r in cells) for j in range(3)], sum(map(sum, cells)))
    t.cells[0][0] += 77
    t.cells[1][1] += 77
    plan = t.plan()
    report = plan.validate()
    verdict = report.ambiguity
    assert verdict.code == "ambiguity" and verdict.count == 2 and verdict.count_exact
    assert {frozenset(as_edit(e) for e in c) for c in verdict.candidates} == {
        frozenset({("cell", "L0", "F0", 1000), ("cell", "L1", "F1", 600)}),
        frozenset({("cell", "L0", "F1", 478), ("cell", "L1", "F0", 323)})}
    with pytest.raises(essconv.AmbiguityError, match="cannot decide"):
        plan.with_corrections(report)
    for f in report.suggestions:                 # either one, chosen by hand, applies
        assert plan.with_corrections([f]).validate().ok


# ---------------------------------------------------------------------------- bounded work
def adversarial(n: int, off: int | None = None) -> bytes:
    """Adversarial: every cell 1, line totals right, funder totals alternately one short and one
    over (all of them, or the first `off`)."""
    off = n if off is None else off
    rows = [";".join(["en €"] + [f"F{j}" for j in range(n)] + [TOTAL])]
    rows += [";".join([f"L{i}"] + ["1"] * n + [str(n)]) for i in range(n)]
    rows.append(";".join([TOTAL] + [str(n + ((-1 if j % 2 == 0 else 1) if j < off else 0))
                                    for j in range(n)] + [str(n * n)]))
    return ("\n".join(rows) + "\n").encode()


@pytest.mark.parametrize("off", [None, 2, 4, 6])
def test_adversarial_plans_answer_in_bounded_time_with_a_count(off):
    small, large = 100, 500
    timings = {}
    for n in (small, large):
        data = adversarial(n, off)
        start = time.perf_counter()
        plan = read_plan(io.BytesIO(data))
        plan.total()
        read = time.perf_counter() - start       # the linear baseline: reading every cell
        start = time.perf_counter()
        report = plan.validate()
        timings[n] = (read, time.perf_counter() - start)
    many = [f for f in report if f.code == "too-many-explanations"]
    assert len(many) == 1 and many[0].count >= 500
    if off is None:   # L x (F/2)^2 single moves each mend two columns: counted, not listed
        assert many[0].count == 500 * 250 * 250 and many[0].partial
        assert [f.faults for f in report if f.code == "unexplained"] == [250]
    elif off == 2:
        assert many[0].count == 500 and many[0].count_exact and many[0].faults == 1
    else:
        assert not many[0].count_exact and many[0].faults == off // 2
    assert len(report.suggestions) <= 5
    read, validate = timings[large]
    # validation costs no more than a few readings of the table, at 25 times the cells
    assert validate < 10 * read, timings


def test_adversarial_plan_memory_stays_near_the_table_size(tmp_path):
    """Adversarial: the 500 x 500 plan once took 4.7 GB before MemoryError.  In a child process, the
    resident memory validation adds stays within twice what reading the table took."""
    import subprocess
    import sys
    data = tmp_path / "plan-500.csv"
    data.write_bytes(adversarial(500))
    child = (
        "import resource, sys, essconv\n"
        "def peak(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "start = peak()\n"
        "plan = essconv.read_plan(sys.argv[1])\n"
        "read = peak()\n"
        "report = plan.validate()\n"
        "print(read - start, peak() - read, len(report))\n")
    out = subprocess.run([sys.executable, "-c", child, str(data)], capture_output=True, text=True,
                         check=True).stdout.split()
    reading, validating, findings = map(int, out)
    assert findings < 520                        # 500 column totals, then a bounded few
    assert validating <= 2 * reading + 8 * 1024, (reading, validating)   # KiB


@pytest.mark.parametrize("stated,cells", [
    ("-92233720368547758,08", ["0", ""]),           # a gap of INT64_MIN cents
    ("92233720368547758,07", ["0", ""]),            # and of INT64_MAX
    ("92233720368547758,07", ["92233720368547758,07", "1"]),   # the sum itself overflows
])
def test_gaps_at_the_ends_of_int64_are_errors_or_findings_never_a_crash(stated, cells):
    text = f"en €;A;B;Total\nx;{cells[0]};{cells[1]};{stated}\nTotal;{cells[0] or 0};1;{stated}\n"
    plan = read_plan(io.BytesIO(text.encode()))
    try:
        report = plan.validate()
    except essconv.MoneyOverflowError:
        return
    assert not report.ok
    for f in report.suggestions:
        assert plan.with_corrections([f]).validate().ok or f.partial


@pytest.mark.parametrize("faults", [1, 3])
def test_a_large_plan_with_few_faults_costs_about_a_reading(faults):
    """Near-linear for one fault, bounded for three: a 1 500 x 150 plan is validated in less
    than ten readings of it, and the planted cells come first."""
    rng = random.Random(faults)
    t = make_table(rng, 1500, 150, False, blank_share=0.2)
    for i, j in zip(rng.sample(range(1500), faults), rng.sample(range(150), faults)):
        t.planted.add(("cell", f"L{i}", f"F{j}", t.value(t.cells[i][j] or 0)))
        t.cells[i][j] = (t.cells[i][j] or 0) + rng.randint(1, 500)
    data = t.tsv()
    start = time.perf_counter()
    plan = read_plan(io.BytesIO(data))
    read = time.perf_counter() - start
    start = time.perf_counter()
    report = plan.validate()
    validate = time.perf_counter() - start
    assert explanation(report.suggestions[0]) == frozenset(t.planted)
    assert validate < 10 * read, (read, validate)


def test_every_finding_takes_its_kind_from_the_core_table():
    """The core's table of finding kinds (findings.c) is the one description of a kind: each
    finding of a report has its row's severity, names the place its row's scope says, and
    carries corrections exactly when its kind is correctable."""
    table = essconv._core.finding_kinds()
    codes = [row[0] for row in table]
    assert codes == list(range(1, len(table) + 1)), "one row per code, in code order"
    kinds = {name: (severity, scope, correctable) for _, name, severity, scope, correctable in table}
    assert len(kinds) == len(table), "names are unique"
    seen = set()
    plans = [planted_table(seed, faults, spread=seed % 2 == 0).plan()
             for seed in range(8) for faults in (1, 2, 3)]
    plans.append(planted_table(11, 3, spread=True, kinds=["changed"]).plan())
    for plan in plans:
        for max_faults in (1, 3):
            for f in plan.validate(max_faults=max_faults):
                severity, scope, correctable = kinds[f.code]
                seen.add(f.code)
                assert f.severity == severity, f
                if scope in ("funder", "plan", "explanations"):
                    assert f.line is None, f
                if scope in ("line", "plan", "explanations"):
                    assert f.funder is None, f
                assert bool(f.corrections) == correctable, f
    assert {"row-total", "column-total", "cell-correction", "unexplained"} <= seen
    # the edits of an explanation are named by the core's mapping too, each a correctable kind
    edits = essconv._core.edit_kinds()
    assert set(edits.values()) == {"cell-correction", "cell-move", "total-correction",
                                   "subtotal-correction"}
    assert all(kinds[name][2] for name in edits.values())
    correction_sets = [f for plan in plans for f in plan.validate(max_faults=3)
                       if f.code == "correction-set"]
    assert {c.code for f in correction_sets for c in f.corrections} <= set(edits.values())


# ---------------------------------------------------------------------------- negative figures
def _refund_plan(text: str):
    plan = read_plan(io.BytesIO(text.encode()))
    report = plan.validate()
    return plan, report, [explanation(f) for f in report.suggestions]


@pytest.mark.parametrize("printed, true", [(199, -199), (-10, -20), (10, -20), (-10, -11)])
def test_a_refund_cell_printed_wrong_is_the_one_edit_said(printed, true):
    """A plan that prints negatives (a refund) may have lost a cell's minus sign: the one cell
    is the explanation, never the three correct totals rewritten to agree with it."""
    text = (f"en K€;F0;F1;Total\nL0;77;{printed};{77 + true}\nL1;146;;146\n"
            f"Total;223;{true};{223 + true}\n")
    plan, report, found = _refund_plan(text)
    assert report.ambiguity is None
    assert found[0] == {("cell", "L0", "F1", true)}
    fixed = plan.with_corrections(report)
    assert fixed.cell("L0", "F1") == true and fixed.validate().ok


def test_two_cells_of_a_line_one_negative_are_the_pair_said():
    plan, report, found = _refund_plan(
        "en K€;F0;F1;Total\nL0;-109;62;-148\nL1;146;197;343\nTotal;-63;258;195\n")
    assert report.ambiguity is None
    assert found[0] == {("cell", "L0", "F0", -209), ("cell", "L0", "F1", 61)}


def test_an_unreadable_cell_in_a_plan_with_refunds_may_be_given_a_negative_value():
    plan, report, found = _refund_plan(
        "en K€;F0;F1;Total\nL0;77;x;-23\nL1;;199;-199\nTotal;77;-299;-222\n")
    assert found[0] == {("cell", "L1", "F1", -199)}
    fixed = plan.with_corrections(report)
    assert fixed.cell("L0", "F1") == -100 and fixed.validate().ok


# ---------------------------------------------------------------------------- unreadable totals
@pytest.mark.parametrize("where", ["grand", "line", "column"])
def test_an_unreadable_total_beside_a_wrong_cell_is_given_the_corrected_sum(where):
    """The value said for an unreadable total is what its cells give once the other fix is
    made, so with_corrections() yields a plan that validates."""
    rows = [["en K€", "F0", "F1", "F2", "Total"], ["L0", "1240", "2234", "10", "3475"],
            ["L1", "2153", "2221", "20", "4394"], ["L2", "5", "6", "7", "18"],
            ["Total", "3398", "4452", "37", "7887"]]      # truth: L0 x F1 = 2225
    at = {"grand": (4, 4), "line": (1, 4), "column": (4, 2)}[where]
    truth = rows[at[0]][at[1]]
    rows[at[0]][at[1]] = "?"
    plan = read_plan(io.BytesIO("".join(";".join(r) + "\n" for r in rows).encode()))
    report = plan.validate()
    fixed = plan.with_corrections(report)
    assert fixed.cell("L0", "F1") == 2225
    assert str(fixed.to_rows()[at[0]][at[1]]).replace(" ", "") == truth
    assert fixed.validate().ok


# ---------------------------------------------------------------------------- a line the totals leave out
def _rows_text(rows: list[list[str]]) -> bytes:
    return "".join(";".join(r) + "\n" for r in rows).encode()


def _uncounted_oracle(lines: list[list[int | None]], line_totals, funder_totals, grand) -> set[int]:
    """The lines whose taking away makes every stated total hold (brute force: the sums are
    computed again without the line), that have two cells or more under stated funder totals."""
    out = set()
    nf = len(funder_totals)
    for drop in range(len(lines)):
        keep = [r for i, r in enumerate(lines) if i != drop]
        rows_hold = all(t is None or t == sum(v or 0 for v in lines[i])
                        for i, t in enumerate(line_totals))
        cols_hold = all(t is None or t == sum(r[j] or 0 for r in keep)
                        for j, t in enumerate(funder_totals))
        grand_holds = grand is None or grand == sum(v or 0 for r in keep for v in r)
        counted = sum(1 for j in range(nf) if funder_totals[j] is not None and lines[drop][j])
        if rows_hold and cols_hold and grand_holds and counted >= 2:
            out.add(drop)
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_doubled_line_is_said_as_one_line_not_cell_edits(data):
    """A line typed twice (or one the totals leave out) is one fault: the report names the line
    (and the line it repeats) wherever it sits -- first, last, beside its twin -- and no cell
    edit.  Against a brute-force oracle: exactly the lines whose taking away makes every stated
    total hold are said.  Before, a line of four funders was 'unexplained' and one of two or
    three an ambiguity of rewritten correct totals."""
    nf = data.draw(st.integers(2, 5), label="funders")
    nl = data.draw(st.integers(1, 5), label="lines")
    amount = st.one_of(st.none(), st.integers(0, 3), st.integers(0, 99_999))
    lines = [[data.draw(amount) for _ in range(nf)] for _ in range(nl)]
    total_column = data.draw(st.booleans(), label="total column")
    funder_totals = [sum(r[j] or 0 for r in lines) for j in range(nf)]
    grand = sum(funder_totals) if total_column else None
    copy = data.draw(st.integers(0, nl - 1), label="line copied")
    at = data.draw(st.integers(0, nl), label="inserted at")
    other = data.draw(st.booleans(), label="an unrelated line rather than a copy")
    extra = [data.draw(amount) for _ in range(nf)] if other else list(lines[copy])
    lines.insert(at, extra)
    line_totals = [sum(v or 0 for v in r) if total_column else None for r in lines]
    rows = [["Action"] + [f"F{j}" for j in range(nf)] + (["Total"] if total_column else [])]
    for i, r in enumerate(lines):
        rows.append([f"L{i}"] + ["" if v is None else str(v) for v in r]
                    + ([str(line_totals[i])] if total_column else []))
    rows.append(["Total"] + [str(v) for v in funder_totals] + ([str(grand)] if total_column else []))
    report = read_plan(io.BytesIO(_rows_text(rows))).validate()
    said = {f.line: f for f in report if f.code == "uncounted-line"}
    want = _uncounted_oracle(lines, line_totals, funder_totals, grand)
    assert set(said) == {f"L{i}" for i in want}, report
    if want:
        assert not report.ok and report.suggestions == [] and report.ambiguity is None, report
        assert not any(f.code == "unexplained" for f in report), report
        for i in want:
            f = said[f"L{i}"]
            assert f.actual == sum(v or 0 for v in lines[i])
            twins = [k for k, r in enumerate(lines) if k != i and r == lines[i]]
            assert f.target == (f"L{twins[0]}" if twins else None), f
            assert (f.source_line, f.marked_cells) == (i + 2, [(f"L{i}", "Total")])
    if not other and sum(1 for v in extra if v) >= 2:
        assert {f"L{at}", f"L{copy if copy < at else copy + 1}"} <= set(said), report


def test_a_doubled_line_of_four_funders_in_both_languages():
    text = ("Action;A;B;C;D;Total\nL1;10;20;30;40;100\nL2;5;15;25;35;80\nL3;5;15;25;35;80\n"
            "L4;1;2;3;4;10\nTotal;16;37;58;79;190\n")
    plan = read_plan(io.BytesIO(text.encode()))
    report = plan.validate()
    said = [f for f in report if f.code == "uncounted-line"]
    assert [(f.line, f.target, f.severity, f.source_line) for f in said] == \
        [("L2", "L3", "warning", 3), ("L3", "L2", "warning", 4)]
    assert "L3 (file line 4): typed twice?" in said[0].message
    french = essconv.messages.language("fr").finding(said[1], plan)
    assert " ".join(french.split()) == (   # the French no-break spaces read as spaces here
        "L3 : tous les totaux concordent sans cette ligne (80 € en tout) ; ses chiffres sont "
        "ceux de L2 (ligne 3 du fichier) : saisie deux fois ?")
    assert report.best_corrections() == []   # nothing to apply: a line is for the analyst to drop



@pytest.mark.parametrize("funders", [("A", "B", "C"), ("C", "A", "B"), ("B", "C", "A")])
def test_a_line_the_totals_leave_out_is_said_whatever_the_order_of_its_cells(funders):
    """L2 [max - 100, max, -max] (max = 92 233 720 368 547 758,07 €) left out of the totals: its
    cells were added two at a time, each partial checked, so with the funders printed A, B, C
    the line was no uncounted line (and cell edits were suggested) where C, A, B said it.  The
    line's exact sum is what the totals are compared with."""
    top = "92 233 720 368 547 758,07"
    cells = {"L1": {"A": "10", "B": "-10", "C": "20"},
             "L2": {"A": "92 233 720 368 547 658,07", "B": top, "C": "-" + top},
             "Total": {"A": "10", "B": "-10", "C": "20"}}
    totals = {"L1": "20", "L2": "92 233 720 368 547 658,07", "Total": "20"}
    rows = [["Action", *funders, "Total"]] + [[line, *(cells[line][f] for f in funders),
                                               totals[line]] for line in cells]
    report = read_plan(io.BytesIO(_rows_text(rows))).validate()
    (said,) = [f for f in report if f.code == "uncounted-line"]
    assert (said.line, said.actual) == ("L2", Decimal("92233720368547658.07"))
    assert report.suggestions == [] and report.ambiguity is None, report


@pytest.mark.parametrize("l1_first", [True, False])
def test_an_unreadable_total_gets_its_corrected_sum_whatever_the_order_of_the_edits(l1_first):
    """The cells add to max (92 233 720 368 547 758,07 EUR); the likeliest explanation moves L1's
    A up a cent and L2's B down one, and the unreadable grand total takes what the cells give
    after both.  The edits were added one at a time, each partial checked: with L1 printed
    first validate() refused the plan with a MoneyOverflowError naming L1's total as wrong,
    with L2 first it gave max."""
    l1 = ["L1", "92 233 720 368 547 758,01", "0", "92 233 720 368 547 758,02"]
    l2 = ["L2", "0", "0,06", "0,05"]
    rows = [["Action", "A", "B", "Total"], *([l1, l2] if l1_first else [l2, l1]),
            ["Total", "92 233 720 368 547 758,02", "0,05", "12x"]]
    report = read_plan(io.BytesIO(_rows_text(rows))).validate()
    (grand,) = [f for f in report if f.code == "malformed-number"]
    assert grand.expected == Decimal("92233720368547758.07")
    assert {(f.code, f.line or f.funder) for f in report
            if f.code in ("row-total", "column-total")} == {
        ("row-total", "L1"), ("row-total", "L2"), ("column-total", "A"), ("column-total", "B")}


@pytest.mark.parametrize("signs", [("", "", "-", "-"), ("", "-", "", "-"), ("-", "-", "", "")])
def test_unreadable_cells_are_filled_whatever_the_order_of_their_lines(signs):
    """Four unreadable cells under A, their lines' totals max, max, -max, -max (max = 92 233 720
    368 547 758,07 EUR) and column and grand totals 0: each cell takes its line's total.  They
    were taken out of the column's and the grand total's rests one at a time, each partial
    checked, so with the lines in that order the rest passed int64 cents, the fill failed and
    the report suggested corrections of correct totals (two cells filled with 0) where the
    order max, -max, max, -max filled them all."""
    top = "92 233 720 368 547 758,07"
    rows = [["Action", "A", "B", "Total"]]
    rows += [[f"L{k + 1}", f"1{k}x", "0", sign + top] for k, sign in enumerate(signs)]
    rows.append(["Total", "0", "0", "0"])
    report = read_plan(io.BytesIO(_rows_text(rows))).validate()
    filled = [f.expected for f in report if f.code == "malformed-number"]
    assert filled == [Decimal(sign + "92233720368547758.07") for sign in signs], report
    assert report.suggestions == [] and report.ambiguity is None, report


# ---------------------------------------------------------------------------- what a message names
def test_an_ambiguity_names_every_candidate_it_counts_in_both_languages():
    """'3 explanations ...: [A] or [B]' left the third unsaid, in the core's words and in the
    committee's."""
    text = "Action;A;B;C\nL1;15;15;30\nL2;0;20;25\nTotal;15;35;56\n"
    plan = read_plan(io.BytesIO(text.encode()))
    f = plan.validate().ambiguity
    assert f.count == len(f.candidates) == 3
    french = " ".join(essconv.messages.language("fr").finding(f, plan).split())
    for words, sep in ((f.message, " or "), (french, " ou ")):
        listed = words[words.index("[") + 1:words.rindex("]")].split("]" + sep + "[")
        assert [s.split(" (")[0].replace("×", "x") for s in listed] == \
            ["Total x C = 55 €", "L1 x C = 31 €", "L2 x C = 26 €"], words


def test_long_line_labels_are_named_whole_and_sets_are_never_cut_in_an_edit():
    """Line labels past 60 bytes were cut ('... sociale et solida'), so six lines that differ at
    their end read as one in every suggestion; an ambiguity listing long edits was cut in the
    middle of one ('(not ')."""
    label = "Accompagnement des structures de l'économie sociale et solidaire, ligne"
    funders = ["Conseil régional Nord-Pas de Calais", "Caisse des Dépôts et Consignations",
               "Conseil général du Nord"]
    text = ("Action;" + ";".join(funders) + ";Total\n"
            + "".join(f"{label} {i};1;1;1;3\n" for i in range(6)) + "Total;7;5;6;18\n")
    report = read_plan(io.BytesIO(text.encode())).validate()
    moves = [f for f in report if f.code == "cell-move"]
    assert len(moves) == 5 and len({f.message for f in moves}) == 5
    for f in moves:
        assert f.message.startswith(f"{f.line}: 1 € sits under {funders[1]}"), f.message
    many = report.ambiguity
    assert many.code == "too-many-explanations" and many.count == 6
    # the message lists the candidates it holds, each whole, then "…" for the ones it counted
    listed = many.message[many.message.index(": [") + 2:]
    assert listed.endswith("] or …") and listed.count("[") == listed.count("]") >= 2, listed
    parts = listed[1:-len("] or …")].split("] or [")
    assert len(parts) == len(many.candidates) < many.count
    for k, part in enumerate(parts):
        assert part == f"{label} {k}: move 1 € from {funders[1]} to {funders[0]}", part


# ---------------------------------------------------------------------------- totals printed in part
def _single_edits(cells, line_totals, funder_totals, grand) -> set[tuple]:
    """Brute force: every single edit after which every stated total holds -- a cell given the
    value that closes the gaps it touches, a value moved whole to another column of its line,
    one stated total corrected (the only one off).  Totals may be printed in part (None)."""
    L, F = len(cells), len(funder_totals)
    v = lambda x: x or 0
    rg = [None if t is None else t - sum(map(v, cells[i])) for i, t in enumerate(line_totals)]
    cg = [None if t is None else t - sum(v(r[j]) for r in cells) for j, t in enumerate(funder_totals)]
    gg = None if grand is None else grand - sum(v(x) for r in cells for x in r)
    out = set()
    for i, j in itertools.product(range(L), range(F)):
        binds = [g for g in (rg[i], cg[j], gg) if g is not None]
        rest = [g for k, g in enumerate(rg) if k != i and g] + [g for k, g in enumerate(cg) if k != j and g]
        if binds and binds[0] and len(set(binds)) == 1 and not rest and v(cells[i][j]) + binds[0] >= 0:
            out.add(("cell", f"L{i}", f"F{j}", v(cells[i][j]) + binds[0]))
        x = cells[i][j]
        for k in range(F):
            if x and k != j and not gg and not any(g for g in rg if g) and \
                    not any(g for m, g in enumerate(cg) if m not in (j, k) and g) and \
                    (cg[j], cg[k]) != (None, None) and cg[j] in (None, -x) and cg[k] in (None, x):
                out.add(("move", f"L{i}", f"F{j}", f"F{k}"))
    off = [(f"L{i}", "Total", t - g) for i, (g, t) in enumerate(zip(rg, line_totals)) if g] + \
          [("Total", f"F{j}", t - g) for j, (g, t) in enumerate(zip(cg, funder_totals)) if g] + \
          ([("Total", "Total", grand - gg)] if gg else [])
    if len(off) == 1:
        out.add(("total",) + off[0])
    return out


def _said(f) -> tuple:
    if f.code == "cell-move":
        return ("move", f.line, f.funder, f.target)
    return ("cell" if f.code == "cell-correction" else "total", f.line, f.funder, f.expected)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_one_fault_with_totals_printed_in_part_against_a_brute_force_oracle(data):
    """A Total row or column with blanks (a funder whose total was not filled in, a table that
    prints only its grand total): a cell in a line and a column with no total moves the grand
    total alone, and a value may have gone under a column that prints no total.  Both were left
    out, so a grand total or a column total was said mistyped -- 'the cells and every other
    total agree' -- beside a cell with two digits swapped."""
    L, F = data.draw(st.integers(1, 4)), data.draw(st.integers(2, 4))
    cells = [[data.draw(st.one_of(st.none(), st.integers(0, 999))) for _ in range(F)] for _ in range(L)]
    maybe = lambda t: data.draw(st.sampled_from([t, t, None]))
    line_totals = [maybe(sum(x or 0 for x in r)) for r in cells]
    funder_totals = [maybe(sum(r[j] or 0 for r in cells)) for j in range(F)]
    grand = sum(x or 0 for r in cells for x in r)
    i, j = data.draw(st.integers(0, L - 1)), data.draw(st.integers(0, F - 1))
    kind = data.draw(st.sampled_from(["swap", "shift", "move"]))
    was = cells[i][j] or 0
    if kind == "swap" and was >= 10:
        cells[i][j] = int(str(was)[::-1]) if str(was)[::-1] != str(was) else was + 9
    elif kind == "move" and was:
        k = (j + 1) % F
        cells[i][k], cells[i][j] = (cells[i][k] or 0) + was, None
    else:
        cells[i][j] = was + data.draw(st.sampled_from([1, 9, 100]))
    rows = [["Action"] + [f"F{k}" for k in range(F)] + ["Total"]]
    rows += [[f"L{n}"] + ["" if x is None else str(x) for x in r] + ["" if t is None else str(t)]
             for n, (r, t) in enumerate(zip(cells, line_totals))]
    rows.append(["Total"] + ["" if t is None else str(t) for t in funder_totals] + [str(grand)])
    report = read_plan(io.BytesIO(_rows_text(rows))).validate()
    want = _single_edits(cells, line_totals, funder_totals, grand)
    singles = [f for f in report.suggestions if f.code != "correction-set"]
    if len(want) > 1:
        amb = report.ambiguity
        assert amb is not None and amb.faults == 1 and amb.count == len(want), (want, report)
        assert {_said(c[0]) for c in amb.candidates} <= want
        assert {_said(f) for f in singles} <= want
    elif want:
        assert report.ambiguity is None and [_said(f) for f in singles] == list(want), report


def test_a_table_printing_only_its_grand_total_names_the_swapped_cell_too():
    text = "Action;A;B;Total\nL1;10;20;\nL2;5;51;\nTotal;;;50\n"
    report = read_plan(io.BytesIO(text.encode())).validate()
    assert {_said(f) for f in report.suggestions} == {("cell", "L2", "B", 15),
                                                      ("total", "Total", "Total", 86)}
    assert report.suggestions[0].code == "cell-correction"   # digits transposed: likelier
    assert "[Grand total = 86 € (not 50 €)]" in report.ambiguity.message


# ------------------------------------------------- a printed total past int64 cents from its cells
_MAX = "92233720368547758"
_BELOW = "below -92,233,720,368,547,758.08"
_BELOW_FR = "en deçà de -92 233 720 368 547 758,08"


@pytest.mark.parametrize("text, code, line, funder, expected, actual", [
    # A's printed total the opposite of its cells': the column totals agree
    (f"en euros;État;Région;Total\nA;{_MAX};0;-{_MAX}\nB;1;2;3\n"
     "Total;92233720368547759;2;92233720368547761\n", "row-total", "A", None, _MAX, f"-{_MAX}"),
    (f"en euros;État;Région;Total\nA;{_MAX};0;{_MAX}\nB;0;-2;-2\nTotal;-{_MAX};-2;\n",
     "column-total", None, "État", _MAX, f"-{_MAX}"),
    (f"en euros;État;Région;Total\nA;{_MAX};0;{_MAX}\nB;0;-2;-2\n"
     f"Total;{_MAX};-2;-{_MAX[:-1]}6\n", "grand-total", None, None,
     f"{_MAX[:-1]}6", f"-{_MAX[:-1]}6"),
])
def test_a_printed_total_past_int64_cents_from_its_cells_is_a_finding_not_an_overflow(
        text, code, line, funder, expected, actual):
    """A printed total far from its cells (-max where they give +max) has a gap no int64 cents
    holds while both figures fit: validate() raised MoneyOverflowError blaming the largest
    figure, where the printed total alone is wrong.  It is a finding at that total, the gap
    worded past the limit (never a wrapped number), in English and in French."""
    plan = read_plan(io.BytesIO(text.encode()))
    report = plan.validate()
    (said,) = [f for f in report if f.code == code]
    assert (said.line, said.funder) == (line, funder)
    assert said.expected == Decimal(expected)
    assert said.actual == Decimal(actual)
    assert f"a gap {_BELOW}" in said.message, said.message
    french = essconv.messages.language("fr").finding(said, plan).replace("\u202f", " ")
    assert f"écart {_BELOW_FR}" in french.replace("\u00a0", " "), french
    # a printed total itself past int64 cents over cells summing past them: unreadable, said
    # as such with no value to give it -- never the overflow of the whole plan
    for f in report:
        if f.code == "malformed-number":
            assert f.expected is None and "does not fit an amount in cents" in f.message


def test_a_sub_total_past_int64_cents_from_its_lines_is_a_finding_not_an_overflow():
    text = (f"Action;A;B;Total\nAxe 1 : Structurer;-{_MAX};0;-{_MAX}\nL1;{_MAX};0;{_MAX}\n"
            f"L2;0;0;0\nTotal;{_MAX};0;{_MAX}\n")
    plan = read_plan(io.BytesIO(text.encode()))
    report = plan.validate()
    said = {f.funder: f for f in report if f.code == "subtotal"}["A"]
    assert said.group == "Axe 1 : Structurer" and said.expected == Decimal(_MAX)
    assert said.actual == Decimal(f"-{_MAX}")
    assert f"a gap {_BELOW}" in said.message, said.message
    french = essconv.messages.language("fr").finding(said, plan).replace("\u202f", " ")
    assert f"écart {_BELOW_FR}" in french.replace("\u00a0", " "), french


@pytest.mark.parametrize("text, at", [
    # L1's cells add to 2 x max under a printed 100: L1's total and the grand total are wrong
    (f"Action;A;B;Total\nL1;{_MAX};{_MAX};100\nL2;0;0;0\nTotal;{_MAX};{_MAX};100\n",
     {("row-total", "L1", None, 2, 40), ("grand-total", None, None, 4, 43)}),
    # A's column adds to 2 x max under a printed 100
    (f"Action;A;B;Total\nL1;{_MAX};0;{_MAX}\nL2;{_MAX};0;{_MAX}\nTotal;100;0;100\n",
     {("column-total", None, "A", 4, 7), ("grand-total", None, None, 4, 13)}),
    # under the floor: said below it
    (f"Action;A;B;Total\nL1;-{_MAX};-{_MAX};100\nL2;0;0;0\nTotal;-{_MAX};-{_MAX};100\n",
     {("row-total", "L1", None, 2, 42), ("grand-total", None, None, 4, 45)}),
])
def test_a_printed_total_over_cells_adding_past_int64_cents_is_a_finding_at_it(text, at):
    """A readable printed total whose cells add past int64 cents made validate() raise
    MoneyOverflowError blaming the largest cell: the analyst was not told which total was
    wrong.  Each such total is a finding at its cell, its cells' sum said past the limit on its
    side (no figure: expected is None), in English and in French; plan.total() still refuses,
    having no right number to give."""
    plan = read_plan(io.BytesIO(text.encode()))
    report = plan.validate()
    said = [f for f in report if f.code.endswith("total")]
    assert {(f.code, f.line, f.funder, f.source_line, f.source_column) for f in said} == at
    below = "-" in text.splitlines()[1]
    english = _BELOW if below else "beyond 92,233,720,368,547,758.07"
    french = _BELOW_FR if below else "au-delà de 92 233 720 368 547 758,07"
    for f in said:
        assert f.expected is None and f.actual == Decimal(100)
        assert f"{english} € (they add past what an amount in cents holds" in \
            f.message.replace("\u00a0", " ")
        for lang, words in (("en", english), ("fr", french)):
            worded = essconv.messages.language(lang).finding(f, plan)
            worded = worded.replace("\u202f", " ").replace("\u00a0", " ")
            assert words + " €" in worded and "—" not in worded, worded
        assert "ses cellules dépassent ce qu'un montant en centimes peut tenir" in \
            essconv.messages.language("fr").finding(f, plan).replace("\u00a0", " ")
    with pytest.raises(essconv.MoneyOverflowError):
        plan.total()


def test_cells_adding_past_int64_cents_with_no_total_printed_over_them_still_refuse_validate():
    """Where no printed total covers the sum past int64 cents there is no place for a finding:
    validate() refuses the plan, naming its largest figure, as before."""
    text = f"Action;A;B;Total\nL1;{_MAX};1;\nL2;1;1;2\nTotal;;2;\n"
    with pytest.raises(essconv.MoneyOverflowError, match="largest figure"):
        read_plan(io.BytesIO(text.encode())).validate()


@pytest.mark.parametrize("text, code", [
    # -max printed where the cells give max: a gap past int64 cents, both figures fitting
    (f"en euros;A;B;Total\nL1;{_MAX};0;-{_MAX}\nL2;0;-2;-2\nTotal;{_MAX};-2;{_MAX[:-1]}6\n",
     "gap"),
    # 100 printed over cells adding to 2 x max: no total of int64 cents could be suggested
    (f"Action;A;B;Total\nL1;{_MAX};{_MAX};100\nL2;0;0;0\nTotal;{_MAX};{_MAX};100\n", "sum")])
def test_a_total_past_int64_cents_says_why_no_correction_is_suggested(text, code):
    """A printed total whose gap to its cells (or whose cells' sum) is past int64 cents binds
    no explanation: no correction was suggested for it, where every other gap gets one, and
    nothing said why.  Its finding says so, in English and in French."""
    plan = read_plan(io.BytesIO(text.encode()))
    report = plan.validate()
    (said,) = [f for f in report if f.code == "row-total"]
    assert not any(c.line == "L1" and c.funder is None for s in report.suggestions
                   for c in (s.corrections or (s,)))
    english, french = {
        "gap": ("no correction is suggested for a gap past what an amount in cents holds: "
                "check this total against its cells",
                "aucune correction n'est proposée pour un écart qui dépasse ce qu'un montant en "
                "centimes peut tenir : vérifiez ce total au regard de ses cellules"),
        "sum": ("so no total can be suggested: a cell is likely wrong",
                "aucun total ne peut donc être proposé : une cellule est probablement fausse")}[code]
    assert english in said.message, said.message
    assert english in essconv.messages.language("en").finding(said, plan)
    worded = essconv.messages.language("fr").finding(said, plan)
    assert french in worded.replace("\u202f", " ").replace("\u00a0", " "), worded


# ------------------------------------------- what a suggestion reconciles, totals kept off aside
#: L1's cells add past int64 cents under a printed 100 (so does the grand total's); L2 x C is
#: typed 13 for 10 and L3 x D 9 for 7: two corrections reconcile every total but those two
_KEPT_OFF_PLAN = (f"Action;A;B;C;D;Total\nL1;{_MAX};{_MAX};0;0;100\nL2;0;0;13;20;30\n"
                  f"L3;0;0;5;9;12\nTotal;{_MAX};{_MAX};15;27;100\n")
_KEPT_OFF_SAID = {
    "fr": "tous les totaux sauf le total de la ligne L1 et le total général (hors de la "
          "recherche : leurs cellules dépassent ce qu'un montant en centimes peut tenir) :",
    "en": "every total except the total of line L1 and the grand total (left out of the "
          "search: their cells add past what an amount in cents holds):"}


def _past_cents(cells: list[str]) -> bool:
    """An independent oracle: do these printed whole euros add past int64 cents?"""
    return sum(int(v) for v in cells) * 100 > 2**63 - 1


def _plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_suggestion_names_the_totals_kept_off_the_search_in_every_view(lang, tmp_path, capsys):
    """A printed total whose cells add past int64 cents is a finding at it but binds no
    explanation; the correction-set of the two typos said it would reconcile EVERY total while
    L1's total and the grand total stayed wrong.  Every view (the report's words, the CLI's
    text and JSON, HTML, the .xlsx comments) now says every total but those two, named, and the
    JSON lists them; applied, the set leaves exactly them wrong."""
    from essconv.cli import main
    rows = [r.split(";") for r in _KEPT_OFF_PLAN.splitlines()]
    # the totals past int64 cents, found from the printed figures with Python ints
    oracle = {(r[0], None) for r in rows[1:-1] if _past_cents(r[1:-1])}
    oracle |= {(None, None)} if _past_cents([v for r in rows[1:-1] for v in r[1:-1]]) else set()
    assert oracle == {("L1", None), (None, None)}
    plan = read_plan(io.BytesIO(_KEPT_OFF_PLAN.encode()))
    report = plan.validate()
    (fix,) = report.suggestions
    assert fix.code == "correction-set"
    assert {(t.line, t.funder) for t in fix.kept_off} == oracle
    said = essconv.messages.language(lang).finding(fix, plan)
    assert _KEPT_OFF_SAID[lang] in _plain(said), said
    if lang == "en":
        assert _KEPT_OFF_SAID["en"] in fix.message
    # the CLI's text report and its JSON, in the language asked
    path = tmp_path / "plan.csv"
    path.write_text(_KEPT_OFF_PLAN, encoding="utf-8")
    main(["validate", str(path), "--lang", lang])
    assert _KEPT_OFF_SAID[lang] in _plain(capsys.readouterr().out)
    main(["validate", str(path), "--format", "json", "--lang", lang])
    import json
    (listed,) = [f for f in json.loads(capsys.readouterr().out)[0]["findings"]
                 if f["code"] == "correction-set"]
    assert _KEPT_OFF_SAID[lang] in _plain(listed["message"])
    assert {(t["line"], t["funder"]) for t in listed["kept_off"]} == oracle
    # HTML and the .xlsx comments on the two typed cells
    from essconv.html_page import report_html
    assert _KEPT_OFF_SAID[lang].replace("'", "&#x27;") in _plain(report_html(report, lang=lang))
    openpyxl = pytest.importorskip("openpyxl")
    from essconv.xlsx import write_plan_xlsx
    out = io.BytesIO()
    write_plan_xlsx(plan, out, report, lang=lang)
    out.seek(0)
    ws = openpyxl.load_workbook(out).worksheets[0]
    comments = [c.comment.text for row in ws.iter_rows() for c in row if c.comment is not None
                and "[correction-set]" in c.comment.text]
    assert len(comments) == 2 and all(_KEPT_OFF_SAID[lang] in _plain(t) for t in comments)
    # what it claims is true: applied, the totals it names are the only ones still wrong
    left = plan.with_corrections(report).validate()
    assert {(f.line, f.funder) for f in left if f.code.endswith("-total")} == oracle


@pytest.mark.parametrize("text, code, said", [
    # one typo: its cell's grand total is kept off -- never among the totals it reconciles
    (_KEPT_OFF_PLAN.replace("L3;0;0;5;9;12", "L3;0;0;5;7;12"), "cell-correction",
     {"fr": "concilierait le total de sa ligne (30 €) et le total C (15 €), mais pas le total "
            "général (hors de la recherche : ses cellules dépassent ce qu'un montant en "
            "centimes peut tenir).",
      "en": "reconciles its line total 30 € and the C total 15 €, not the grand total (left "
            "out of the search: its cells add past what an amount in cents holds)."}),
    # a line's total mistyped: "the cells and every other total agree" but those two
    (_KEPT_OFF_PLAN.replace("L2;0;0;13;20;30", "L2;0;0;10;20;31")
     .replace("L3;0;0;5;9;12", "L3;0;0;5;7;12"), "total-correction",
     {"fr": "les cellules et tous les autres totaux concordent sauf le total de la ligne L1 et "
            "le total général (hors de la recherche : leurs cellules dépassent ce qu'un montant "
            "en centimes peut tenir).",
      "en": "the cells and every other total agree except the total of line L1 and the grand "
            "total (left out of the search: their cells add past what an amount in cents "
            "holds)."}),
    # L1's gap past int64 cents (both figures fit) and the grand total's cells past them
    (f"en euros;A;B;C;Total\nL1;{_MAX};0;0;-{_MAX}\nL2;0;13;20;30\n"
     f"L3;0;5;9;12\nTotal;{_MAX};15;27;{_MAX[:-1]}6\n", "correction-set",
     {"fr": "tous les totaux sauf le total de la ligne L1 et le total général (hors de la "
            "recherche : leurs cellules ou leurs écarts dépassent ce qu'un montant en centimes "
            "peut tenir) :",
      "en": "every total except the total of line L1 and the grand total (left out of the "
            "search: their cells or their gaps are past what an amount in cents holds):"}),
])
def test_each_claim_of_every_total_names_the_totals_kept_off(text, code, said):
    """A single correction listed the grand total among those it reconciles, a mistyped total
    said "every other total agrees", while a total whose cells (or gap) pass int64 cents stayed
    wrong: each names those totals, in French and in English."""
    plan = read_plan(io.BytesIO(text.encode()))
    report = plan.validate()
    (fix,) = report.suggestions
    assert fix.code == code
    for lang in ("fr", "en"):
        worded = _plain(essconv.messages.language(lang).finding(fix, plan))
        assert said[lang] in worded, worded
    assert said["en"] in fix.message


def test_a_plan_without_a_total_past_int64_cents_says_every_total_as_before():
    """Nothing kept off: the words are those they were, no "except"."""
    plan = read_plan(io.BytesIO(b"Action;A;B;Total\nL1;10;20;30\nL2;5;16;20\nL3;3;30;33\n"
                                b"Total;18;63;83\n"))
    (fix,) = plan.validate().suggestions
    assert not fix.kept_off and "kept_off" not in fix.to_dict()
    assert "except" not in fix.message and "sauf" not in \
        essconv.messages.language("fr").finding(fix, plan)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32), st.integers(1, 2))
def test_totals_kept_off_the_search_as_the_slow_twin_leaves_them(seed, faults):
    """A line whose cells add past int64 cents (so does the grand total) under the planted
    faults of a small plan: the search finds what the slow twin finds with that line's total
    and the grand total left out, and every suggestion and verdict names exactly those two."""
    rng = random.Random(seed)
    t = make_table(rng, rng.randint(2, 4), rng.randint(2, 4), rng.random() < 0.5,
                   blank_share=0.25)
    used: set = set()
    for _ in range(faults):
        if not plant(rng, t, rng.choice(KINDS), used, set(), set(), spread=False):
            return
    # two cells each fitting with their column, adding past int64 cents together
    top = (2**63 - 1) // (1 if t.cents else 100_000) - 10**10
    n = t.nlines
    t.cells.append([top, top] + [None] * (t.nfunders - 2))
    t.line_totals.append(100)
    t.funder_totals[0] += top
    t.funder_totals[1] += top
    off = frozenset({(n, None), (None, None)})
    size, twin = twin_explanations(t, faults, off)
    plan = t.plan()
    report = plan.validate(max_faults=faults)
    said = {(f.line, f.funder) for f in report if f.code.endswith("-total") and
            essconv.messages.kept_off_search(f, plan.unit)}
    assert said == {(f"L{n}", None), (None, None)}, t.tsv().decode()
    ranked = report.suggestions
    for f in ranked + ([report.ambiguity] if report.ambiguity else []):
        assert {(k.line, k.funder) for k in f.kept_off} == said
        # a single correction names its own totals kept off; a move claims only its columns
        if f.code not in ("cell-correction", "cell-move"):
            french = _plain(essconv.messages.language("fr").finding(f, plan))
            assert f"sauf le total de la ligne L{n} et le total général (" in french, french
            assert f"except the total of line L{n} and the grand total (" in f.message, f.message
    if size == 0:
        assert not ranked or ranked[0].partial
        return
    assert ranked and ranked[0].faults == size, (t.tsv().decode(), twin)
    twin_sets = {s for _, s in twin}
    assert {explanation(f) for f in ranked} <= twin_sets, (t.tsv().decode(), twin)
    verdict = report.ambiguity
    assert (verdict is None) == (len(twin_sets) == 1), (t.tsv().decode(), twin)
