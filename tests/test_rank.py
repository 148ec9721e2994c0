"""An aggregate read as a report: sort, top with its others line, shares (each rounded on its
own), running sums and a total line -- computed by the core (rank.c) and checked against slow
obvious twins: Decimal sums over the rows, Python's sorted(), Fraction shares rounded half away
from zero; on random ledgers (hypothesis) and on every real file of tests/data.  Then
the displays and exports of such a report: HTML, CSV, xlsx read back with openpyxl, Parquet,
pandas."""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import pickle
import warnings
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import essconv
from essconv import Aggregate, Ledger, ShareError
from essconv.export import guard_formula
from conftest import first_success_under_failing_allocations

SCDL = Path(__file__).resolve().parent / "data" / "scdl"
REAL_FILES = sorted(SCDL.glob("*.csv"))


# ------------------------------------------------------------------------------ the twins
def twin_groups(keys, amounts):
    """{key: [Decimal sum, count, min, max]} in first-seen order: the rows added one by one."""
    out: dict = {}
    for k, a in zip(keys, amounts):
        a = Decimal(a)
        if k not in out:
            out[k] = [a, 1, a, a]
        else:
            g = out[k]
            g[0] += a
            g[1] += 1
            g[2], g[3] = min(g[2], a), max(g[3], a)
    return out


def in_group_order(groups, agg):
    """The twin's groups in the aggregate's order (the group-by's: dictionary codes, first
    seen first, a missing key last; tested in test_ledger): the order ties keep."""
    order = list(agg.to_dict())
    assert sorted(order, key=repr) == sorted(groups, key=repr)
    return {k: groups[k] for k in order}


def twin_order(groups, descending=True):
    """Keys by sum, Python's stable sorted(): equal sums keep their first-seen order."""
    return sorted(groups, key=lambda k: groups[k][0], reverse=descending)


def twin_shares(amounts):
    """Each quota a/T in hundredths of a percent, exact (Fraction), rounded half away from zero
    on its own; 0.00 only for an amount of zero, 100.00 only for the amount that is the total
    (else one hundredth nearer the quota)."""
    total = sum(amounts, Decimal(0))
    out = []
    for a in amounts:
        quota = Fraction(a) * 10000 / Fraction(total)
        units = math.floor(abs(quota) + Fraction(1, 2)) * (1 if quota >= 0 else -1)
        if units == 0 and a != 0:
            units = 1 if quota > 0 else -1
        if units == 10000 and a != total:
            units = 9999 if quota < 10000 else 10001
        out.append(Decimal(units) / 100)
    return out


def twin_mean(total, count):
    return (total / count).quantize(Decimal("0.01"))   # half to even, as the core's mean


def ledger_of(keys, amounts, name="f"):
    return Ledger.from_columns({name: list(keys), "montant": list(amounts)}, amount="montant")


def read_real(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", essconv.EssconvWarning)   # repaired rows: test_scdl
        return essconv.read_scdl(path)


# ------------------------------------------------------------------------------ the verbs
cents = st.integers(-10**9, 10**11).map(lambda c: Decimal(c) / 100)
rows = st.lists(st.tuples(st.sampled_from(["CDC", "CR", "ETAT", "CG-59", "CG-62", "Région",
                                           "Département du Lot", "APES", None]), cents),
                min_size=1, max_size=200)


@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(rows, st.integers(0, 10), st.booleans())
def test_sort_top_others_share_cumulative_total_equal_the_twins(data, n, others):
    keys, amounts = [k for k, _ in data], [a for _, a in data]
    agg = ledger_of(keys, amounts).group_by("f").sum()
    groups = in_group_order(twin_groups(keys, amounts), agg)
    assert list(agg.sort().to_dict()) == twin_order(groups)
    assert list(agg.sort(descending=False).to_dict()) == twin_order(groups, False)
    top = twin_order(groups)[:n]
    rest = [k for k in groups if k not in top]
    report = agg.top(n, others=others).cumulative().with_total()
    expected = {k: groups[k][0] for k in top}
    if others and rest:
        expected[Aggregate.OTHERS] = sum((groups[k][0] for k in rest), Decimal(0))
    expected[Aggregate.TOTAL] = sum(amounts, Decimal(0))
    assert report.to_dict() == expected
    counts = report.to_dict("count")
    assert counts[Aggregate.TOTAL] == len(amounts)
    if others and rest:
        assert counts[Aggregate.OTHERS] == sum(groups[k][1] for k in rest)
    running, want = Decimal(0), []
    for k, v in expected.items():
        running = expected[Aggregate.TOTAL] if k is Aggregate.TOTAL else running + v
        want.append(running)
    assert list(report.to_dict("cumulative").values()) == want
    assert report.to_dict("mean")[Aggregate.TOTAL] == twin_mean(expected[Aggregate.TOTAL], len(amounts))
    total = sum(amounts, Decimal(0))
    if total == 0:
        with pytest.raises(ShareError):
            agg.share()
        return
    # shares of every group, and of a top n with and without its others line: the same
    everything = twin_shares([groups[k][0] for k in groups])
    assert list(agg.share().to_dict("share").values()) == everything
    lines = [groups[k][0] for k in top] + ([sum((groups[k][0] for k in rest), Decimal(0))] if rest else [])
    shares = twin_shares(lines)
    shown = agg.top(n, others=others).share().with_total().to_dict("share")
    assert [shown[k] for k in top] == shares[:len(top)]
    if others and rest:
        assert shown[Aggregate.OTHERS] == shares[-1]
    # the footnote when the shares, rounded one by one, miss 100 % (a hidden rest: its note)
    from essconv.export import shares_footnote
    sums = sum(v for k, v in shown.items() if k is not Aggregate.TOTAL)
    said = shares_footnote(agg.top(n, others=others).share(), "en")
    assert (said is not None) is (sums != 100 and not (rest and not others)), (sums, said)
    assert shown[Aggregate.TOTAL] == 100


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(-10**15, 10**15), min_size=1, max_size=60))
@example([-999_999_999_999_499, 999_999_999_999_500])   # a total of one cent: shares of 1e17 %
def test_shares_are_each_rounded_on_its_own_at_two_places(amounts_in_cents):
    amounts = [Decimal(c) / 100 for c in amounts_in_cents]
    keys = [f"g{i}" for i in range(len(amounts))]   # one group per amount
    agg = ledger_of(keys, amounts).group_by("f").sum()
    if sum(amounts) == 0:
        with pytest.raises(ShareError, match="zero"):
            agg.share()
        return
    total = Fraction(sum(amounts))
    if any(abs(math.floor(Fraction(a) * 100 * 100 / total)) + 1 > 2**63 - 1 for a in amounts):
        # a share past int64 hundredths (parts huge beside their sum) is refused, not wrapped
        with pytest.raises(essconv.MoneyOverflowError, match="share"):
            agg.share()
        return
    shares = list(agg.share().to_dict("share").values())
    assert all(s == s.quantize(Decimal("0.01")) for s in shares)
    assert shares == twin_shares(amounts)
    # each share is its exact quota rounded to the nearest hundredth, equal amounts alike
    for a, s in zip(amounts, shares):
        quota = Fraction(a) * 100 / total
        assert abs(Fraction(s) - quota) <= Fraction(1, 100)
        assert all(t == s for b, t in zip(amounts, shares) if b == a)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("amounts, shares, noted", [
    ([1, 1, 2], ["25.00", "25.00", "50.00"], False),                 # 100,00 %: no footnote
    ([1, 1, 1], ["33.33", "33.33", "33.33"], True),                  # 99,99 %
    ([1, 1, 4], ["16.67", "16.67", "66.67"], True),                  # 100,01 %
    ([805, 805, 6495], ["9.93", "9.93", "80.14"], False),            # equal sums, equal shares
    ([1, 1, 1, 100000], ["0.01", "0.01", "0.01", "99.99"], True),    # 0,00 % only for nothing
], ids=["100,00", "99,99", "100,01", "equal-sums", "small"])
def test_equal_sums_show_equal_shares_and_a_footnote_says_a_sum_off_100(amounts, shares, noted,
                                                                         lang, capsys, tmp_path):
    """By largest remainders, shares added up to 100,00 % but equal sums could show two
    shares (1, 1, 1: 33,34, 33,33, 33,33): each is now its own quota rounded half away from
    zero, and a table whose shares miss 100 % carries the footnote, in the HTML view, the CSV
    and xlsx exports and the command line's listing."""
    from essconv.cli import main
    from essconv.display import aggregate_html
    from essconv.export import aggregate_lines
    from essconv.html_page import escaped
    keys = [f"g{i}" for i in range(len(amounts))]
    agg = ledger_of(keys, amounts).group_by("f").sum().share()
    assert [str(v) for v in agg.to_dict("share").values()] == shares
    note = essconv.messages.language(lang).text("shares_rounded_alone")
    html = aggregate_html(agg.with_total(), lang=lang)
    assert html.count(escaped(note)) == int(noted), html
    lines = aggregate_lines(agg.with_total(), lang)[2]
    assert [kind for kind, _row in lines][-2:] == (["total", "note"] if noted else ["group", "total"])
    assert (lines[-1][1][0] == note) is noted
    path = tmp_path / "l.csv"
    path.write_text("f;montant\n" + "".join(f"{k};{a}\n" for k, a in zip(keys, amounts)),
                    encoding="utf-8")
    assert main(["aggregate", str(path), "--amount", "montant", "--by", "f", "--share",
                 "--lang", lang]) == 0
    out = capsys.readouterr().out.replace("\u202f", " ").replace("\u00a0", " ")
    assert out.count(note.replace("\u202f", " ").replace("\u00a0", " ")) == int(noted), out


def test_ties_negative_amounts_and_a_zero_total_are_said():
    thirds = ledger_of(["a", "b", "c"], [1, 1, 1]).group_by("f").sum().share()
    assert thirds.to_dict("share") == {"a": Decimal("33.33"), "b": Decimal("33.33"),
                                       "c": Decimal("33.33")}   # equal amounts, equal shares
    refund = ledger_of(["grant", "refund"], [300, -100]).group_by("f").sum().share()
    assert refund.to_dict("share") == {"grant": Decimal("150.00"), "refund": Decimal("-50.00")}
    debts = ledger_of(["a", "b"], [-300, -100]).group_by("f").sum().share()
    assert debts.to_dict("share") == {"a": Decimal("75.00"), "b": Decimal("25.00")}
    with pytest.raises(ShareError) as caught:
        ledger_of(["a", "b"], [5, -5]).group_by("f").sum().share()
    assert isinstance(caught.value, ZeroDivisionError) and isinstance(caught.value, essconv.Error)
    empty = ledger_of(["a"], [5]).filter(f="zzz").group_by("f").sum()
    assert len(empty.share().with_total().top(3, others=True)) == 0



def test_a_total_line_on_every_group_is_its_own_line_beside_the_missing_key():
    # with_total() straight after sum(), no sort or top: the total line was counted among the
    # groups, so its key (blank) took the missing-key group's place in to_dict, and the exports
    # wrote it as one more group with an empty key
    ledger = Ledger.from_columns({"f": ["a", None, "b"], "m": [Decimal(1), Decimal(2),
                                                             Decimal(4)]}, amount="m")
    total = ledger.group_by("f").sum().with_total()
    assert total.line_kinds() == ["group", "group", "group", "total"]
    assert total.to_dict() == {"a": 1, None: 2, "b": 4, Aggregate.TOTAL: 7}
    lines = list(csv.reader(io.StringIO(total.to_csv(lang="en"))))
    assert lines[-1][0] == "Total" and lines[-1][1] == "7.00" and lines[-2][:2] == ["(blank)", "2.00"]
    share = ledger.group_by("f").sum().share().with_total().to_dict("share")
    assert share[None] == Decimal("28.57") and share[Aggregate.TOTAL] == Decimal("100.00")


# The letters of U+00C0..U+017F Unicode does not decompose into a base letter and marks, spelt as
# French writes them out; the others fold through NFKD with their marks dropped.
_SPELT = {"æ": "ae", "œ": "oe", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "þ": "th", "ð": "d",
          "ı": "i", "ĸ": "k", "ŉ": "n", "ŋ": "ng", "ſ": "s", "ħ": "h", "ŧ": "t", "ŀ": "l", "ĳ": "ij",
          "×": "", "÷": ""}


def french_key(label: str) -> tuple[str, bytes]:
    """The order French readers expect, the slow way: case and Latin accents folded with
    unicodedata (ASCII and U+00C0..U+017F only; every other character as it is), then the
    label's own code points to order what the fold leaves equal."""
    import unicodedata
    folded = []
    for ch in label:
        if "A" <= ch <= "Z":
            folded.append(ch.lower())
        elif "\u00c0" <= ch <= "\u017f":
            low = ch.lower() if ch not in ("İ",) else "i"
            spelt = _SPELT.get(low)
            if spelt is None:
                spelt = "".join(c for c in unicodedata.normalize("NFKD", low)
                                if not unicodedata.combining(c)).lower()
            folded.append(spelt)
        elif unicodedata.combining(ch) and "\u0300" <= ch <= "\u036f":
            continue   # a decomposed accent weighs nothing at the first level
        else:
            folded.append(ch)
    return "".join(folded), label.encode("utf-8")


def test_labels_sort_in_french_order_every_latin_letter():
    """Each letter of U+00C0..U+017F and ASCII, alone and before a suffix, orders as the
    unicodedata twin says: "école" beside "Ecole" and before "Zèbre", not after every ASCII
    letter as code point order would put it."""
    letters = [chr(c) for c in range(0x41, 0x5B)] + [chr(c) for c in range(0x61, 0x7B)] + \
              [chr(c) for c in range(0xC0, 0x180)]
    labels = letters + [ch + "cole" for ch in letters] + ["Zèbre", "école", "Ecole", "abeille"]
    agg = ledger_of(labels, [1] * len(labels)).group_by("f").sum()
    want = sorted(dict.fromkeys(labels), key=french_key)
    assert list(agg.sort("f", descending=False).to_dict()) == want
    assert list(agg.sort("f").to_dict()) == want[::-1]
    head = list(ledger_of(["Zèbre", "école", "Ecole", "abeille"], [1] * 4).group_by("f").sum()
                .sort("f", descending=False).to_dict())
    assert head == ["abeille", "Ecole", "école", "Zèbre"]


def test_decomposed_accents_sort_with_precomposed_ones():
    """A name exported with decomposed accents (NFD, as macOS writes it: "e" + U+0301) sorts
    beside its precomposed spelling, not after "Zèbre" where its combining mark's bytes put it."""
    import unicodedata
    nfd = unicodedata.normalize("NFD", "école")
    assert nfd != "école"
    labels = ["Zèbre", nfd, "Ecole", "abeille", "Ecolf"]
    got = list(ledger_of(labels, [1] * 5).group_by("f").sum().sort("f", descending=False).to_dict())
    assert got == sorted(labels, key=french_key)
    assert got.index(nfd) < got.index("Ecolf") < got.index("Zèbre")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet="aAeEéÉèÈêëçÇœŒæß -'0.\u00a0z€\u0301\u0327", max_size=6), min_size=1,
                max_size=25))
def test_labels_sort_in_french_order_random(labels):
    agg = ledger_of(labels, [1] * len(labels)).group_by("f").sum()
    # labels read as a CSV cell is: trimmed, a blank one missing (sorted last)
    read = [l.strip(" \t\r\n\u00a0\u202f\u2009\u2007") or None for l in labels]
    named = [l for l in dict.fromkeys(read) if l is not None]
    assert list(agg.sort("f", descending=False).to_dict()) == \
        sorted(named, key=french_key) + ([None] if None in read else [])


def test_sort_by_a_key_a_count_and_missing_keys_last():
    keys = ["Région", "CDC", None, "Département du Lot", "Departement du Lot", "ETAT", "CDC"]
    amounts = [5, 1, 9, 2, 2, 7, 1]
    agg = ledger_of(keys, amounts).group_by("f").sum()
    labels = [k for k in dict.fromkeys(keys) if k is not None]
    assert list(agg.sort("f", descending=False).to_dict()) == sorted(labels, key=french_key) + [None]
    assert list(agg.sort("f").to_dict()) == sorted(labels, key=french_key, reverse=True) + [None]
    counts = in_group_order(twin_groups(keys, amounts), agg)
    assert list(agg.sort("count").to_dict()) == sorted(counts, key=lambda k: counts[k][1], reverse=True)
    with pytest.raises(KeyError, match="cannot order by 'montant'"):
        agg.sort("montant")
    with pytest.raises(KeyError, match="running sum follows the order"):
        agg.cumulative().sort("cumulative")
    shares = agg.share().sort("share").to_dict("share")
    assert list(shares.values()) == sorted(shares.values(), reverse=True)
    debts = ledger_of(["a", "b", "c"], [-1, -5, 2]).group_by("f").sum().share()   # total -4
    assert list(debts.sort("share").to_dict("share").values()) == \
        [Decimal("125.00"), Decimal("25.00"), Decimal("-50.00")]
    with pytest.raises(ValueError):   # a wrong value
        agg.top(-1)
    for bad in (2.5, True, "3"):      # a wrong type, as every verb refuses one
        with pytest.raises(TypeError):
            agg.top(bad)


def test_int_and_date_keys_order_with_missing_last():
    years = [2011, None, 2009, 2013, 2009]
    days = [dt.date(2017, 3, 1), dt.date(2016, 1, 1), None, dt.date(2018, 5, 5), dt.date(2016, 1, 1)]
    ledger = Ledger.from_columns({"annee": years, "jour": days, "montant": [1, 2, 3, 4, 5]},
                                 amount="montant")
    assert list(ledger.group_by("annee").sum().sort("annee", descending=False).to_dict()) == \
        [2009, 2011, 2013, None]
    assert list(ledger.group_by("jour").sum().sort("jour").to_dict()) == \
        [dt.date(2018, 5, 5), dt.date(2017, 3, 1), dt.date(2016, 1, 1), None]
    by_two = ledger.group_by("annee", "jour").sum().top(2, others=True).with_total()
    assert list(by_two.to_dict()) == [(2009, dt.date(2016, 1, 1)), (2013, dt.date(2018, 5, 5)),
                                      Aggregate.OTHERS, Aggregate.TOTAL]
    fr = list(csv.reader(io.StringIO(by_two.to_csv()), delimiter=";"))
    assert fr[1][:2] == ["2009", "01/01/2016"] and fr[3][:2] == ["Autres", ""]
    assert list(csv.reader(io.StringIO(by_two.to_csv(lang="en"))))[1][:2] == ["2009", "2016-01-01"]
    openpyxl = pytest.importorskip("openpyxl")
    target = io.BytesIO()
    by_two.to_xlsx(target)
    ws = openpyxl.load_workbook(io.BytesIO(target.getvalue())).active
    day = ws.cell(row=2, column=2)
    assert day.is_date and day.value.date() == dt.date(2016, 1, 1) and day.number_format == "DD/MM/YYYY"
    assert ws.cell(row=2, column=1).value == 2009 and ws.cell(row=2, column=1).data_type == "n"


def test_verbs_chain_in_any_order_and_keep_their_groups():
    keys = [f"b{i % 7}" for i in range(50)]
    amounts = [Decimal(i * 13 % 29) + Decimal("0.07") for i in range(50)]
    agg = ledger_of(keys, amounts).group_by("f").agg()
    a = agg.top(3, others=True).share().cumulative().with_total()
    b = agg.with_total().cumulative().share().top(3, others=True)
    assert a.to_dict("share") == b.to_dict("share") and a.to_dict("cumulative") == b.to_dict("cumulative")
    assert a.to_dict("max")[Aggregate.TOTAL] == max(amounts)
    assert a.to_dict("min")[Aggregate.OTHERS] == min(amounts[i] for i in range(50)
                                                      if keys[i] not in list(a.to_dict())[:3])
    assert a.group_count == 7 and len(a) == 5 and a.line_kinds() == ["group"] * 3 + ["others", "total"]
    assert "3 of 7 groups shown, others, share, cumulative, total" in repr(a)
    assert a.select("share").report_columns == ["f", "share", "cumulative"]
    # a top of a sorted aggregate ranks by its own measure; sort after top reorders the top
    assert set(agg.sort("f").top(3).to_dict()) == set(agg.top(3).to_dict())
    resorted = agg.top(3).sort("sum", descending=False)
    assert list(resorted.to_dict()) == list(agg.top(3).to_dict())[::-1]
    assert resorted.select("count").to_dict() == {k: keys.count(k) for k in resorted.to_dict()}
    with pytest.raises(ValueError, match="combine aggregates before"):
        a + agg
    halves = ledger_of(keys[:25], amounts[:25]).group_by("f").agg() + \
        ledger_of(keys[25:], amounts[25:]).group_by("f").agg()   # combined, then reported
    combined = halves.top(3, others=True).share().cumulative().with_total()
    assert combined.to_dict("share") == a.to_dict("share") and combined.to_dict() == a.to_dict()
    back = pickle.loads(pickle.dumps(a, protocol=5))
    assert back.to_dict("share") == a.to_dict("share") and back.line_kinds() == a.line_kinds()
    assert pickle.loads(pickle.dumps(Aggregate.OTHERS)) is Aggregate.OTHERS


def test_a_key_named_like_a_report_column_is_refused_not_overwritten():
    agg = ledger_of(["a", "b"], [1, 2], name="share").group_by("share").sum()
    with pytest.raises(ValueError, match="named 'share'"):
        agg.share()


def test_overflow_of_a_total_or_a_running_sum_is_an_error():
    big = Decimal(2**62) / 100
    agg = ledger_of(["a", "b"], [big, big]).group_by("f").sum()
    with pytest.raises(essconv.MoneyOverflowError):
        agg.with_total()
    with pytest.raises(essconv.MoneyOverflowError):
        agg.cumulative()
    with pytest.raises(essconv.MoneyOverflowError):
        agg.share()
    assert agg.top(1, others=True).to_dict() == {"a": big, Aggregate.OTHERS: big}


@pytest.mark.parametrize("order", [(1, 1, -1), (1, -1, 1), (-1, 1, 1)])
def test_shares_whose_running_total_passes_int64_are_the_same_in_every_order(order):
    """The shares' total added the lines two at a time, each partial checked: max, max, -max
    refused share() in one order and gave 100, 100, -100 % in another.  Exact, whatever the
    order; refused only when the total itself is past int64 cents."""
    top = Decimal(2**63 - 1) / 100
    agg = ledger_of(["a", "b", "c"], [top * k for k in order]).group_by("f").sum()
    assert agg.share().to_dict("share") == {f: Decimal(100 * k) for f, k in zip("abc", order)}
    with pytest.raises(essconv.MoneyOverflowError):
        ledger_of(["a", "b", "c"], [top, -top + Decimal("0.01"), top]).group_by(
            "f").sum().with_total()


def test_a_top_without_others_or_shares_does_not_need_the_sum_of_the_groups_left_out():
    """The groups a top leaves out were summed, and refused past int64 cents, even with no
    others line or share to show that sum: ``top(1)`` of groups that each fit was refused for a
    figure it never shows.  Only the others line and the shares need it."""
    big = Decimal(3 * 2**61) / 100   # each fits int64 cents; two of -big do not
    agg = ledger_of(["a", "b", "c"], [big, -big, -big]).group_by("f").sum()
    assert agg.top(1).to_dict() == {"a": big}
    assert agg.top(1).cumulative().to_dict("cumulative") == {"a": big}
    assert agg.top(1).with_total().to_dict() == {"a": big, Aggregate.TOTAL: -big}
    for refused in (lambda: agg.top(1, others=True), lambda: agg.top(1).share()):
        with pytest.raises(essconv.MoneyOverflowError) as info:
            refused()
        assert info.value.reason == ("overflow", "others") and info.value.below


def test_every_allocation_failure_is_a_memory_error():
    agg = ledger_of([f"k{i % 40}" for i in range(400)], range(400)).group_by("f").agg()

    def path():
        return agg.top(10, others=True).share().cumulative().with_total().sort("f").to_dict("share")
    expected = path()
    got, failures = first_success_under_failing_allocations(path, 10_000)
    assert got == expected
    assert failures >= 10


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name)
def test_real_files_report_equals_decimal_sums_over_their_rows(path):
    ledger = read_real(path)
    amounts = ledger.values("montant")
    for dim in ("nomBeneficiaire", "nomAttribuant"):
        if dim not in ledger.columns:
            continue
        agg = ledger.group_by(dim).sum()
        groups = in_group_order(twin_groups(ledger.values(dim), amounts), agg)
        top = twin_order(groups)[:5]
        rest = [k for k in groups if k not in top]
        report = agg.top(5, others=True).with_total()
        want = {k: groups[k][0] for k in top}
        if rest:
            want[Aggregate.OTHERS] = sum((groups[k][0] for k in rest), Decimal(0))
        want[Aggregate.TOTAL] = ledger.total()
        assert report.to_dict() == want
        if ledger.total() != 0:
            shares = agg.share().to_dict("share")
            assert list(shares.values()) == twin_shares([g[0] for g in groups.values()])
            assert list(agg.sort().share().cumulative().to_dict("cumulative").values())[-1] == ledger.total()


# ------------------------------------------------------------------------------ displays and exports
def sample_report():
    keys = ["Région", "=HYPERLINK(\"http://x\")", "CDC", "<script>", "ETAT", "CDC"]
    amounts = [Decimal("1250.50"), Decimal("12"), Decimal("-30.25"), Decimal("8"),
               Decimal("1000000"), Decimal("0.75")]
    return ledger_of(keys, amounts, name="financeur").group_by("financeur").sum() \
        .top(3, others=True).share().cumulative().with_total()


def test_html_display_in_french_and_english():
    report = sample_report()
    fr, en = report._repr_html_(), essconv.display.aggregate_html(report, lang="en")
    for word in ("montant", "nombre", "part", "cumul", "Autres", "Total", "1\u202f000\u202f000,00\u00a0€",
                 "montant par financeur\u00a0: 5 groupes"):
        assert word in fr
    for word in ("amount", "count", "share", "cumulative", "Others", "Total", "1,000,000.00\u00a0€",
                 "amount by financeur: 5 groups"):
        assert word in en
    assert "Others" not in fr and "Autres" not in en
    shares = report.to_dict("share")
    assert f"{str(shares['Région']).replace('.', ',')}\u202f%" in fr and f"{shares['Région']}%" in en
    assert "&lt;script&gt;" in essconv.display.aggregate_html(ledger_of(
        ["<script>"], [1], name="financeur").group_by("financeur").sum())


def test_csv_in_french_and_english_reads_back_exactly_and_guards_formulas(tmp_path):
    report = sample_report()
    text = report.to_csv(tmp_path / "r.csv")
    assert (tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbf")   # Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["financeur", "montant (€)", "nombre", "part (%)", "cumul (€)"]
    want = report.to_dict()
    keys = list(want)
    assert [r[0] for r in rows[1:]] == [*map(guard_formula, keys[:3]), "Autres", "Total"]
    for r, key in zip(rows[1:], keys):
        assert Decimal(r[1].replace(",", ".")) == want[key]
        assert Decimal(r[3].replace(",", ".")) == report.to_dict("share")[key]
    en = list(csv.reader(io.StringIO(report.to_csv(lang="en")), delimiter=","))
    assert en[0][:3] == ["financeur", "amount (€)", "count"] and en[-1][0] == "Total"
    label = '=HYPERLINK("http://x")'
    assert [r[0] for r in rows].count("'" + label) == 1 and label not in [r[0] for r in rows]
    everything = ledger_of(["CDC", label], ["-30.25", 1], name="f").group_by("f").sum()
    assert everything.to_csv().splitlines()[1] == "CDC;-30,25;1"   # a negative amount: a number
    raw = list(csv.reader(io.StringIO(everything.to_csv(formula_guard=False)), delimiter=";"))
    assert raw[2][0] == label


def test_a_top_without_its_others_line_says_in_csv_xlsx_and_terminal_what_its_total_counts(tmp_path, capsys):
    # top(3).with_total() wrote three lines and a Total of all 30 groups to CSV and xlsx, and
    # nothing in the file said that 27 groups were left out: 29 + 28 + 27 = 84 over 435
    openpyxl = pytest.importorskip("openpyxl")
    amounts = [Decimal(i) + Decimal("0.01") for i in range(30)]
    ledger = ledger_of([f"k{i}" for i in range(30)], amounts, name="f")
    groups = ledger.group_by("f").sum()
    rows = list(csv.reader(io.StringIO(groups.top(3).with_total().to_csv()), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["k29", "k28", "k27",
                                        "… 27 autres groupes, non affichés, comptés dans le total",
                                        "Total"]
    assert rows[4][1:] == ["", ""]   # the note holds no number a sum of the column would take
    assert Decimal(rows[-1][1].replace(",", ".")) == sum(amounts)
    en = list(csv.reader(io.StringIO(groups.top(3).share().to_csv(lang="en"))))
    assert en[-1][0] == "… 27 more groups"   # no total line: the shares add to less than 100
    assert sum(Decimal(r[3]) for r in en[1:-1]) < 100
    # with the others line, or when top keeps every group, no note: the lines add to the total
    merged = list(csv.reader(io.StringIO(groups.top(3, others=True).with_total().to_csv()), delimiter=";"))
    assert [r[0] for r in merged[1:]] == ["k29", "k28", "k27", "Autres", "Total"]
    assert sum(Decimal(r[1].replace(",", ".")) for r in merged[1:-1]) == sum(amounts)
    assert len(groups.top(30).with_total().to_csv().splitlines()) == 32
    groups.top(3).share().with_total().to_xlsx(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    table = list(ws.iter_rows(values_only=True))
    assert table[4] == ("… 27 autres groupes, non affichés, comptés dans le total", None, None, None)
    assert ws.cell(row=5, column=1).font.italic and table[5][0] == "Total"
    assert Decimal(str(table[5][1])) == sum(amounts) and table[5][3] == 1
    # the terminal table of the command line says it too, in its language
    path = tmp_path / "g.csv"
    path.write_text("f;montant\n" + "".join(f"k{i};{i},01\n" for i in range(30)), encoding="utf-8")
    from essconv.cli import main
    assert main(["aggregate", str(path), "--amount", "montant", "--by", "f", "--top", "3",
                 "--total", "--lang", "en"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "… 27 more groups, not shown, counted in the total" in out
    assert main(["aggregate", str(path), "--amount", "montant", "--by", "f", "--top", "3",
                 "--others"]) == 0
    assert "autres groupes" not in capsys.readouterr().out


def test_xlsx_holds_numbers_with_euro_and_percent_formats(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    report = sample_report().sort("sum", descending=False).top(10, others=True).share().cumulative().with_total()
    assert "=HYPERLINK(\"http://x\")" in report.to_dict()   # a formula-looking label is shown
    report.to_xlsx(tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    assert ws.title == "Synthèse"
    table = [[c for c in row] for row in ws.iter_rows()]
    assert [c.value for c in table[0]] == ["financeur", "montant", "nombre", "part", "cumul"]
    want, shares, counts = report.to_dict(), report.to_dict("share"), report.to_dict("count")
    for row, key in zip(table[1:], want):
        name, amount, count, share, running = row
        assert name.data_type == "s"   # a label is a string cell, never a formula
        assert amount.data_type == "n" and amount.number_format == '#,##0.00\\ "€"'
        assert Decimal(str(amount.value)) == want[key]
        assert count.data_type == "n" and count.value == counts[key]
        assert share.data_type == "n" and share.number_format == "0.00%"
        assert Decimal(str(share.value)) == shares[key] / 100
        assert running.number_format == '#,##0.00\\ "€"'
    assert [r[0].value for r in table[-2:]] == ["Autres", "Total"] and table[-1][0].font.b
    import zipfile
    with zipfile.ZipFile(tmp_path / "r.xlsx") as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")
    report.to_xlsx(tmp_path / "en.xlsx", lang="en")
    ws = openpyxl.load_workbook(tmp_path / "en.xlsx").active
    assert ws.title == "Summary" and ws.cell(row=ws.max_row, column=1).value == "Total"



def test_xlsx_amounts_past_fifteen_digits_are_their_exact_text_not_a_rounded_number(tmp_path):
    # openpyxl writes a Decimal through a float: 100 000 000 000 000,01 lost its cent and
    # 92 233 720 368 547 758,07 became 9.223372036854776e+16, silently
    openpyxl = pytest.importorskip("openpyxl")
    from essconv.money import parse_amount
    amounts = {"a": Decimal("100000000000000.01"), "b": Decimal("92233720368547758.07"),
               "c": Decimal("9999999999999.99"), "d": Decimal("-1234.5")}
    agg = ledger_of(list(amounts), list(amounts.values())).group_by("f").sum()
    agg.to_xlsx(tmp_path / "big.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "big.xlsx").active.iter_rows(min_row=2))
    cells = {row[0].value: row[1] for row in rows}
    for key in "ab":   # the exact text, read back to the very amount
        assert cells[key].data_type == "s"
        assert parse_amount(cells[key].value.removesuffix("\xa0€")) == amounts[key]
    for key in "cd":   # 15 significant digits or fewer: a number, exactly those digits
        assert cells[key].data_type == "n"
        assert Decimal(str(cells[key].value)) == amounts[key]


@pytest.mark.parametrize(("lang", "big", "bigger"), [
    ("fr", "100\u202f000\u202f000\u202f000\u202f000,01\xa0€",
     "90\u202f000\u202f000\u202f000\u202f000\u202f000,00\xa0€"),
    ("en", "100,000,000,000,000.01\xa0€", "90,000,000,000,000,000.00\xa0€")])
def test_xlsx_amount_past_fifteen_digits_is_written_the_way_its_language_writes_amounts(
        tmp_path, lang, big, bigger):
    # the exact text of an amount Excel cannot hold was Python's ("100000000000000.01"): a
    # decimal point in a French workbook, no grouping, and "90000000000000000" with no cents
    # under "1 234,50 €"; it is now the amount as the sheet's language writes it, with its unit
    openpyxl = pytest.importorskip("openpyxl")
    amounts = [Decimal("100000000000000.01"), Decimal("90000000000000000.00"), Decimal("-1234.5")]
    agg = ledger_of(["a", "b", "c"], amounts).group_by("f").sum().cumulative()
    agg.to_xlsx(tmp_path / "big.xlsx", lang=lang)
    rows = list(openpyxl.load_workbook(tmp_path / "big.xlsx").active.iter_rows(min_row=2,
                                                                                values_only=True))
    assert rows[0][1] == big and rows[1][1] == bigger
    assert rows[2][1] == -1234.5                   # within Excel's digits: a number
    running = ("90\u202f100\u202f000\u202f000\u202f000\u202f000,01\xa0€" if lang == "fr"
               else "90,100,000,000,000,000.01\xa0€")
    assert rows[1][3] == running                   # the running sum, exact too


def test_parquet_and_pandas_are_exact(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    report = sample_report()
    report.to_parquet(tmp_path / "r.parquet")
    table = pq.read_table(tmp_path / "r.parquet")
    assert str(table.schema.field("share").type) == "decimal128(38, 2)"
    assert table.column("share").to_pylist() == list(report.to_dict("share").values())
    assert table.column("sum").to_pylist() == list(report.to_dict().values())
    assert table.column("report_line").to_pylist() == ["group"] * 3 + ["others", "total"]
    df = report.to_pandas()
    assert list(df["sum"]) == list(report.to_dict().values())
    assert all(isinstance(v, Decimal) for v in df["share"])


# ------------------------------------------------------------------------------ the command line
def test_cli_aggregate_top_share_sort_to_xlsx_and_csv(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    from essconv.cli import main
    path = SCDL / "somme-2017-conventions.csv"
    ledger = read_real(path)
    agg = ledger.group_by("nomBeneficiaire").sum()
    groups = in_group_order(twin_groups(ledger.values("nomBeneficiaire"), ledger.values("montant")), agg)
    top = twin_order(groups)[:10]
    out = tmp_path / "out.xlsx"
    assert main(["aggregate", str(path), "--by", "nomBeneficiaire", "--top", "10", "--share",
                 "--sort", "sum", "--to", "xlsx", "-o", str(out)]) == 0
    assert f"écrit\u00a0: {out}" in capsys.readouterr().out   # French, as --lang's default
    ws = openpyxl.load_workbook(out).active
    table = list(ws.iter_rows(values_only=True))
    assert table[0] == ("nomBeneficiaire", "montant", "nombre", "part")
    hidden = len(groups) - 10   # no others line: the last line says what the top leaves out
    assert table[-1] == (f"… {hidden} autres groupes", None, None, None)
    table = table[:-1]
    assert [r[0] for r in table[1:]] == top
    assert [Decimal(str(r[1])) for r in table[1:]] == [groups[k][0] for k in top]
    shares = twin_shares([groups[k][0] for k in top] +
                         [sum((v[0] for k, v in groups.items() if k not in top), Decimal(0))])
    assert [Decimal(str(r[3])) for r in table[1:]] == [s / 100 for s in shares[:10]]
    assert ws.cell(row=2, column=4).number_format == "0.00%"
    # csv on standard output, in English, with the others and total lines
    assert main(["aggregate", str(path), "--by", "nomBeneficiaire", "--top", "3", "--others",
                 "--total", "--share", "--to", "csv", "--lang", "en"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["nomBeneficiaire", "amount (€)", "count", "share (%)"]
    assert [r[0] for r in rows[1:]] == [*top[:3], "Others", "Total"]
    assert Decimal(rows[-1][1]) == ledger.total() == Decimal("3201952.64")
    assert sum(Decimal(r[3]) for r in rows[1:-1]) == 100
    # the terminal table, and the options refused on a plan
    assert main(["aggregate", str(path), "--by", "nomBeneficiaire", "--top", "2", "--others",
                 "--share", "--cumulative"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["nomBeneficiaire", "montant", "part", "cumul"]   # French by default
    assert lines[4].startswith("(Autres)") and lines[4].endswith("3 201 952,64 €")
    for lang, said in ((None, "0 ou plus"), ("en", "0 or more")):   # French by default
        with pytest.raises(SystemExit) as caught:
            main(["aggregate", str(path), "--by", "nomBeneficiaire", "--top", "-1"]
                 + (["--lang", lang] if lang else []))
        assert caught.value.code == 2 and said in capsys.readouterr().err
    assert main(["aggregate", str(path), "--by", "nomBeneficiaire", "--sort", "montant"]) == 2
    assert "trier par «\u00a0montant\u00a0»" in capsys.readouterr().err   # the output's language
    annex = Path(essconv.__file__).parent / "data" / "annexe1-2009.tsv"
    with pytest.raises(SystemExit) as caught:
        main(["aggregate", str(annex), "--by", "funder", "--top", "3", "--lang", "en"])
    assert caught.value.code == 2 and "report on a ledger's groups" in capsys.readouterr().err


# ------------------------------------------------- a group named like the others or total line
@pytest.mark.parametrize("named", ["Autres", "AUTRES ", "Total", "total"])
def test_a_group_named_like_a_merged_line_stays_told_apart_in_every_export(named, tmp_path):
    # a nature "Autres" beside the others line: both read "Autres" in the CSV and the sheet,
    # and a reader summing the groups without the "Autres" line left the group out too
    rows = [(named, "10,50"), ("B", "20"), ("C", "5,25"), ("D", "1"), ("E", "-2")]
    text = "nature;montant\n" + "".join(f"{k};{v}\n" for k, v in rows)
    amounts = {k.strip(): Decimal(v.replace(",", ".")) for k, v in rows}   # cells are trimmed
    report = Ledger.read_csv(text.encode(), amount="montant").group_by("nature").sum() \
        .top(2, others=True).with_total()
    shown = sorted(amounts, key=lambda k: -amounts[k])[:2]
    assert named.strip() in shown
    others = sum(v for k, v in amounts.items() if k not in shown)
    lines = list(csv.reader(io.StringIO(report.to_csv()), delimiter=";"))[1:]
    firsts = [line[0] for line in lines]
    assert firsts == [*shown, "Autres (3 groupes)", "Total (5 groupes)"]
    assert len(set(f.strip().casefold() for f in firsts)) == len(firsts)
    groups = {line[0]: Decimal(line[1].replace(",", ".")) for line in lines[:2]}
    assert groups == {k: amounts[k] for k in shown}
    assert Decimal(lines[2][1].replace(",", ".")) == others
    assert Decimal(lines[3][1].replace(",", ".")) == sum(amounts.values())
    from essconv.display import aggregate_html
    html = aggregate_html(report)
    assert "<td>Autres (3 groupes)</td>" in html and "<td>Total (5 groupes)</td>" in html
    openpyxl = pytest.importorskip("openpyxl")
    report.to_xlsx(tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == firsts


def test_merged_lines_keep_their_plain_words_when_no_group_is_named_so():
    text = "nature;montant\nA;10\nB;20\nC;5\nAutresfois;1\n"
    report = Ledger.read_csv(text.encode(), amount="montant").group_by("nature").sum() \
        .top(2, others=True).with_total()
    firsts = [line[0] for line in csv.reader(io.StringIO(report.to_csv()), delimiter=";")]
    assert firsts[-2:] == ["Autres", "Total"]
    # in English the words are others: a French group "Autres" is no collision there
    report = Ledger.read_csv(b"nature;montant\nAutres;10\nB;20\nC;5\n", amount="montant") \
        .group_by("nature").sum().top(1, others=True).with_total()
    firsts = [line[0] for line in csv.reader(io.StringIO(report.to_csv(lang="en")))]
    assert firsts[-2:] == ["Others", "Total"]


# ------------------------------------------- sort and top follow the measure the aggregate shows
def test_a_count_aggregate_is_topped_and_sorted_by_its_counts():
    # group_by(...).count().top(2) ranked by sum: the two largest amounts, shown with their
    # counts -- not the two beneficiaries with the most grants the caller asked for
    rows = [("A", "1"), ("A", "1"), ("A", "1"), ("B", "100"), ("C", "50"), ("C", "1"),
            ("D", "7"), ("D", "3")]
    text = "nom;montant\n" + "".join(f"{k};{v}\n" for k, v in rows)
    ledger = Ledger.read_csv(text.encode(), amount="montant")
    counts: dict = {}
    sums: dict = {}
    means: dict = {}
    for k, v in rows:
        counts[k] = counts.get(k, 0) + 1
        sums[k] = sums.get(k, Decimal(0)) + Decimal(v)
    for k in sums:
        means[k] = sums[k] / counts[k]
    by_count = sorted(counts, key=lambda k: -counts[k])   # stable: first seen first on ties
    top = ledger.group_by("nom").count().top(2, others=True).to_dict()
    assert list(top)[:2] == by_count[:2] and top[Aggregate.OTHERS] == sum(
        counts[k] for k in by_count[2:])
    assert list(ledger.group_by("nom").count().sort().to_dict()) == by_count
    assert list(ledger.group_by("nom").mean().top(2).to_dict()) == \
        sorted(means, key=lambda k: -means[k])[:2]
    # a sum, agg() and an explicit by= are as they were
    by_sum = sorted(sums, key=lambda k: -sums[k])
    assert list(ledger.group_by("nom").sum().top(2).to_dict()) == by_sum[:2]
    assert list(ledger.group_by("nom").agg().top(2).to_dict()) == by_sum[:2]
    assert list(ledger.group_by("nom").count().top(2, by="sum").to_dict()) == by_sum[:2]


def test_shares_beside_counts_or_means_come_with_the_sums_they_are_of(tmp_path):
    # count().share() wrote "A;3;2,91": three grants read as 2,91 % of them, where 2,91 % is
    # A's share of the amounts; every export now shows the sums the shares are of
    rows = [("A", "1"), ("A", "1"), ("A", "1"), ("B", "100")]
    text = "nom;montant\n" + "".join(f"{k};{v}\n" for k, v in rows)
    sums = {"A": Decimal(3), "B": Decimal(100)}
    ledger = Ledger.read_csv(text.encode(), amount="montant")
    for report in (ledger.group_by("nom").count().share(),
                   ledger.group_by("nom").mean().cumulative()):
        lines = list(csv.reader(io.StringIO(report.to_csv()), delimiter=";"))
        at = lines[0].index("montant (€)")
        assert {line[0]: Decimal(line[at].replace(",", ".")) for line in lines[1:]} == sums
        from essconv.display import aggregate_html
        assert "<th>montant</th>" in aggregate_html(report)
    lines = list(csv.reader(io.StringIO(ledger.group_by("nom").count().share().to_csv()),
                            delimiter=";"))
    assert lines[0] == ["nom", "montant (€)", "nombre", "part (%)"]
    # without a share or running sum, a count stays a count alone
    assert ledger.group_by("nom").count().report_columns == ["nom", "count"]


@pytest.mark.parametrize("prec", [3, 4])
def test_shares_read_and_written_whatever_the_callers_decimal_precision(prec, tmp_path):
    # to_dict("share") quantized in the caller's context (a precision of 3 raised
    # InvalidOperation on 100.00) and the xlsx divided each share by 100 in it (a precision
    # of 4 wrote 123,46 % for a refund-driven share of 12 345,67 %)
    import decimal
    openpyxl = pytest.importorskip("openpyxl")
    cents = [1234567, -1224567, 1]
    agg = ledger_of(["a", "b", "c"], [Decimal(c) / 100 for c in cents]).group_by("f").sum().share()
    oracle = twin_shares([Decimal(c) for c in cents])
    from essconv.display import aggregate_html
    html = aggregate_html(agg)
    with decimal.localcontext() as context:
        context.prec = prec
        shares = agg.to_dict("share")
        agg.to_xlsx(tmp_path / "s.xlsx")
        assert aggregate_html(agg) == html   # the notebook's table too
    assert list(shares.values()) == oracle
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    # the share cells (a last note line says when the shares miss 100 %)
    written = [Decimal(str(row[3].value)) for row in sheet.iter_rows(min_row=2)
               if row[3].value is not None]
    with decimal.localcontext(decimal.Context(prec=50)):
        assert written == [s / 100 for s in oracle]


@pytest.mark.parametrize("lang, shown", [("fr", "DD/MM/YYYY"), ("en", "YYYY-MM-DD")])
def test_an_xlsx_reports_days_in_its_languages_order(lang, shown, tmp_path):
    # The English sheet showed its days as DD/MM/YYYY, the French order, which an English
    # reader takes for month first (02/01/2017 read as 1 February); its CSV writes ISO days
    openpyxl = pytest.importorskip("openpyxl")
    days = [dt.date(2017, 1, 2), dt.date(2017, 12, 25), dt.date(2017, 1, 2)]
    amounts = [Decimal("1.50"), Decimal("2.25"), Decimal("-0.75")]
    ledger = Ledger.from_columns({"jour": days, "montant": amounts}, amount="montant")
    agg = ledger.group_by("jour").sum()
    agg.to_xlsx(tmp_path / "d.xlsx", lang=lang)
    rows = list(openpyxl.load_workbook(tmp_path / "d.xlsx").active.iter_rows(min_row=2))
    oracle = {}
    for d, a in zip(days, amounts):
        oracle[d] = oracle.get(d, Decimal(0)) + a
    assert {r[0].value.date(): Decimal(str(r[1].value)) for r in rows} == oracle
    assert [r[0].number_format for r in rows] == [shown] * len(oracle)


@pytest.mark.parametrize("n", [2**63 - 1, 2**63, 10**30])
def test_a_top_larger_than_any_count_keeps_every_group(n, capsys):
    """top(10**30) (or `--top 100000000000000000000000000000`) escaped as a bare OverflowError
    from the core's argument ("too large to convert to C ssize_t"), a traceback in the CLI: a
    number of groups larger than the groups keeps them all, as top(len) does."""
    rows = [("B", "100"), ("A", "1"), ("C", "-50"), ("A", "2"), ("", "7")]
    text = "nom;montant\n" + "".join(f"{k};{v}\n" for k, v in rows)
    ledger = Ledger.read_csv(text.encode(), amount="montant")
    sums: dict = {}
    for k, v in rows:
        key = k or None   # a blank cell is a missing key
        sums[key] = sums.get(key, Decimal(0)) + Decimal(v)
    by_sum = sorted(sums, key=lambda k: -sums[k])   # stable: first seen first on ties
    top = ledger.group_by("nom").sum().top(n, others=True).with_total().to_dict()
    assert list(top) == by_sum + [Aggregate.TOTAL]   # no others line: none was left out
    assert [top[k] for k in by_sum] == [sums[k] for k in by_sum]
    assert top[Aggregate.TOTAL] == sum(sums.values())
    from essconv.cli import main
    path = Path(__file__).resolve().parent / "data" / "scdl" / "somme-2018-conventions.csv"
    assert main(["aggregate", str(path), "--by", "idBeneficiaire", "--top", str(n),
                 "--others", "--total", "--to", "csv"]) == 0
    lines = capsys.readouterr().out.lstrip("\ufeff").splitlines()
    groups = {r["idBeneficiaire"] for r in csv.DictReader(
        open(path, encoding="utf-8", newline=""), delimiter=";")}
    assert len(lines) == 1 + len(groups) + 1 and lines[-1].startswith("Total;")


@pytest.mark.parametrize("lang, delimiter, zero", [("fr", ";", "0,00"), ("en", ",", "0.00")])
def test_a_total_of_no_group_is_written_zero_over_zero_records(lang, delimiter, zero):
    """A filter keeping nothing, asked its total: the CSV and the sheet end with a Total line
    of 0 over 0 records (the plain Decimal sum and count of the rows kept), never a bare
    header; a mean, a min or a max of nothing is left empty, not made up."""
    ledger = Ledger.from_columns({"f": ["CR", "CDC"], "montant": ["10,00", "-5,00"]},
                                 amount="montant")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kept = ledger.filter(f="ZZ")
    assert len(kept) == 0
    agg = kept.group_by("f").agg().cumulative().with_total()
    rows = list(csv.reader(io.StringIO(agg.to_csv(lang=lang)), delimiter=delimiter))
    assert len(rows) == 2
    cells = dict(zip(agg.report_columns, rows[1]))
    plain_sum = sum(kept.values("montant"), Decimal(0))
    assert rows[1][0] == "Total"
    assert Decimal(cells["sum"].replace(",", ".")) == plain_sum and cells["sum"] == zero
    assert cells["cumulative"] == zero and int(cells["count"]) == len(kept)
    assert cells["mean"] == cells["min"] == cells["max"] == ""
    openpyxl = pytest.importorskip("openpyxl")
    target = io.BytesIO()
    agg.to_xlsx(target, lang=lang)
    ws = openpyxl.load_workbook(io.BytesIO(target.getvalue())).active
    sheet = list(ws.iter_rows(values_only=True))
    assert len(sheet) == 2
    got = dict(zip(agg.report_columns, sheet[1]))
    assert got["sum"] == 0 and got["count"] == 0 and got["mean"] is None and got["max"] is None
    # the notebook's table says it too, its empty cells empty (not "(vide)")
    from essconv.display import aggregate_html
    page = aggregate_html(agg, lang=lang)
    total = page[page.index('<tr class="total">'):]
    assert f'<td class="n">{zero}\xa0€</td><td class="n">0</td>' in total
    assert '<td class="n"></td>' in total and "(vide)" not in page and "(blank)" not in page


@pytest.mark.parametrize("measure", ["sum", "count", "mean", "min", "max", "cumulative"])
def test_a_total_of_no_group_is_in_to_dict_as_in_the_exports(measure, tmp_path):
    """with_total() of a filter keeping nothing: the CSV, the xlsx and the notebook's table end
    with a Total line of 0,00 € over 0 records, but to_dict() had no TOTAL key where a grouped
    report's has one.  Every measure's dict gives the line the CSV export writes (read back
    with the csv module): 0 for the sum, the running sum and the count, None (an empty cell)
    for a mean, a min or a max of nothing; a report of groups keeps its own Total line."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", essconv.UnknownLabelWarning)
        ledger = Ledger.from_columns({"f": ["CDC", "CR"], "m": ["1,50", "2,25"]}, amount="m")
        nothing = ledger.filter(f="absent")
    agg = nothing.group_by("f").agg() if measure in ("mean", "min", "max") else \
        nothing.group_by("f").sum()
    report = (agg.cumulative() if measure == "cumulative" else agg).with_total()
    got = report.to_dict(measure)
    assert list(got) == [Aggregate.TOTAL]
    rows = list(csv.reader(io.StringIO(report.to_csv(lang="en")), delimiter=","))
    heading = {"sum": "amount", "count": "count", "mean": "mean", "min": "minimum",
               "max": "maximum", "cumulative": "cumulative"}[measure]
    column = [h.split(" (")[0] for h in rows[0]].index(heading)   # "amount (€)"
    assert rows[-1][0] == "Total"
    written = rows[-1][column]
    assert (None if written == "" else Decimal(written) if measure != "count"
            else int(written)) == got[Aggregate.TOTAL]
    if measure in ("sum", "count", "cumulative"):
        assert got[Aggregate.TOTAL] == 0
    # the twin: a report of groups, its Total the Decimal sum of its records
    grouped = ledger.group_by("f").sum().with_total().to_dict()
    assert grouped[Aggregate.TOTAL] == Decimal("1.50") + Decimal("2.25")


# --- the English messages of an overflowing others line, running sum and groups' total said
# "does not fit int64 cents" and no side, where the French (and the command line) say the
# limit passed: a huge negative sum read like a huge positive one
@pytest.mark.parametrize("below", [False, True])
@pytest.mark.parametrize("which, make", [
    ("others", lambda agg: agg.top(1, others=True)),
    ("cumulative", lambda agg: agg.sort("f").cumulative()),
    ("groups-total", lambda agg: agg.with_total()),
])
def test_a_sum_past_int64_cents_says_its_side_in_english_as_in_french(which, make, below):
    from essconv.messages import language
    sign = -1 if below else 1
    big = sign * Decimal(3 * 2**61) / 100   # each group fits; two of them do not
    agg = ledger_of(["a", "b", "c"], [big, big, big]).group_by("f").sum()
    with pytest.raises(essconv.MoneyOverflowError) as info:
        make(agg)
    error = info.value
    assert error.reason[:2] == ("overflow", which) and error.below == below
    english = ("(below -92,233,720,368,547,758.08\u00a0€)" if below
               else "(beyond 92,233,720,368,547,758.07\u00a0€)")
    assert str(error).endswith(english), str(error)
    french = language("fr").refusal(error)
    assert french.endswith("€ au moins)" if below else "€ au plus)"), french


@pytest.mark.parametrize("below", [False, True])
def test_a_ledgers_total_past_int64_cents_says_its_side_in_english(below):
    sign = -1 if below else 1
    ledger = ledger_of(["a", "b"], [sign * Decimal(3 * 2**61) / 100] * 2)
    with pytest.raises(essconv.MoneyOverflowError) as info:
        ledger.total()
    assert info.value.below == below
    assert str(info.value).endswith("(below -92,233,720,368,547,758.08\u00a0€)" if below
                                    else "(beyond 92,233,720,368,547,758.07\u00a0€)")
