"""validate_scdl on files where most rows carry a finding: the findings only counted (past
``max_findings`` of their code) are not worded, and what is kept is word for word what the
slow twin (tests/scdl_validate_twin.py: every finding worded and kept, one sort) says.

The twin words each cell's finding through the checks it shares with the package, in English and
(``french=True``) in French; the package words the commonest ones (an amount written the French
way, a period in the decree's first format, a SIRET failing its check) only when it keeps them.
No time is asserted: how many findings are worded is counted.
"""
from __future__ import annotations

import dataclasses
import random

import pytest

import essconv.scdl as scdl
from essconv.scdl import validate_scdl

from scdl_validate_twin import validate_scdl_twin
from test_scdl_validate_stream import (CLEAN, DRESSES, FIELDS, REAL_FILES, cell, check_limited,
                                       english, faulty_file, siret)

#: the findings a national extract carries on most of its rows
EVERY_ROW = ("number-format", "pattern", "siret-check")


def every_row_faulty(seed: int, rows: int) -> bytes:
    """Grants whose every row has an amount written the French way, a period with ``_`` between
    its dates and a SIRET failing its check -- each value its own (as in a real extract) or,
    one row in three, one met before."""
    rng = random.Random(seed)
    lines = [";".join(FIELDS)]
    met: list[dict] = []
    for k in range(rows):
        if met and k % 3 == 0:
            row = {**rng.choice(met), "referenceDecision": f"DEL-{k}"}
        else:
            start = f"2019-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
            end = f"2020-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
            row = {**CLEAN, "referenceDecision": f"DEL-{k}",
                   "montant": f"{rng.randrange(1, 999)} {rng.randrange(1000):03d},{rng.randrange(100):02d}",
                   "datesPeriodeVersement": rng.choice([f"{start}_{end}", f"{end}_{start}",
                                                        f"{start}_2020-02-30"]),
                   "idBeneficiaire": siret(rng, valid=False)}
            met.append(row)
        lines.append(";".join(cell(row[n], ";", True) for n in FIELDS))
    return ("\n".join(lines) + "\n").encode()


def twin_said(findings) -> list[tuple]:
    """Each finding as the twin gives it: no cell column; the French where it has one."""
    return [dataclasses.astuple(dataclasses.replace(f, column=None)) for f in findings]


def same_as_twin(report, twin) -> None:
    """Every finding the twin's, word for word (English; French wherever the twin words it)."""
    got = [dataclasses.replace(f, column=None) for f in report]
    assert [english(f) for f in got] == [english(f) for f in twin]
    for mine, its in zip(got, twin):
        if its.message_fr is not None:
            assert mine.message_fr == its.message_fr, mine
        assert mine.message_fr, mine   # every kept finding is worded in French too
    assert report.counts() == twin.counts() and report.ok == twin.ok


def sources():
    """Every real file, the planted faults in every dress, and findings on every row."""
    for path in REAL_FILES:
        yield path.name, path.read_bytes()
    for seed, rows, options in DRESSES:
        yield f"dress {seed}", faulty_file(seed, rows, **options)
    yield "every row", every_row_faulty(1, 400)


@pytest.mark.parametrize("name,data", list(sources()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_finding_is_the_twins_in_both_languages_whatever_the_limit(name, data):
    twin = validate_scdl_twin(data, french=True)
    same_as_twin(validate_scdl(data, max_findings=None), twin)
    for limit in (0, 1, 3, 10_000):   # 10 000: the default, past every count here
        check_limited(validate_scdl(data, max_findings=limit), validate_scdl_twin(data), limit)
    kept = [f for f in validate_scdl(data, max_findings=2)]
    by_place = {(f.code, f.row, f.field, f.value): f for f in twin}
    for f in kept:   # the few kept: worded as the twin words them
        its = by_place[(f.code, f.row, f.field, f.value)]
        assert (f.message, f.suggestion) == (its.message, its.suggestion)
        assert its.message_fr is None or f.message_fr == its.message_fr


def test_the_files_hold_every_code_worded_when_kept_past_the_limit():
    """The comparison above meets each finding worded only when kept, past the limit."""
    twin = validate_scdl_twin(every_row_faulty(1, 400))
    counts = twin.counts()["error"]
    assert all(counts[code] >= 300 for code in EVERY_ROW), counts
    assert {"impossible-date", "period-order"} <= set(counts)


def test_findings_only_counted_are_not_worded(monkeypatch):
    """400 rows, each with three findings: with 5 kept of each code, the period's suggestion is
    sought for the 5 kept and a French message spaced for the kept ones alone (it was done for
    every row: 400 and 1 200 times)."""
    data = every_row_faulty(2, 400)
    calls = {"suggestion": 0, "spacing": 0}
    real_suggestion, real_spacing = scdl._period_suggestion, scdl.french_spacing

    def suggestion(text):
        calls["suggestion"] += 1
        return real_suggestion(text)

    def spacing(text):
        calls["spacing"] += 1
        return real_spacing(text)

    monkeypatch.setattr(scdl, "_period_suggestion", suggestion)
    monkeypatch.setattr(scdl, "french_spacing", spacing)
    report = validate_scdl(data, max_findings=5)
    kept = list(report)
    assert sum(report.counts()["error"][c] for c in EVERY_ROW) >= 1_000
    assert calls["suggestion"] <= 5
    # each check words a few findings it keeps (impossible dates, periods in the wrong order)
    assert calls["spacing"] <= len(kept) + 5, (calls, len(kept))
    monkeypatch.undo()
    check_limited(report, validate_scdl_twin(data), 5)


def test_a_value_met_again_is_worded_as_the_first_time():
    """A value kept on several rows (max_findings=None) is worded once and the same each time."""
    data = every_row_faulty(3, 120)
    report = validate_scdl(data, max_findings=None)
    same_as_twin(report, validate_scdl_twin(data, french=True))
    by_value: dict = {}
    for f in report:
        if f.code in EVERY_ROW:
            by_value.setdefault((f.code, f.value), set()).add((f.message, f.message_fr, f.suggestion))
    assert any(len(v) == 1 for v in by_value.values())
    assert all(len(v) == 1 for v in by_value.values())


def test_rows_realigned_leave_no_cycle_for_the_collector():
    """Realigning an over-long row searched with a function calling itself through its closure:
    each row left a cycle (the search, the row's cells) that only the garbage collector frees,
    which a large file pays for again and again.  None is left now."""
    import gc
    from test_scdl_validate_stream import every_row_realigned
    data = every_row_realigned(5, 200)
    twin = validate_scdl_twin(data)
    assert twin.counts()["error"]["unquoted-delimiter"] == 1
    gc.collect()
    gc.disable()
    try:
        report = validate_scdl(data)
        left = gc.collect()
    finally:
        gc.enable()
    assert report.counts() == twin.counts()
    assert left < 50, left   # was 47 objects a row realigned
