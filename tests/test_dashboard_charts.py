"""The dashboard's inline SVG charts, read back from the page: what a funding committee reads."""
from __future__ import annotations

import copy
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest

import essconv
from essconv.dashboard import render
from essconv.messages import language


class SvgTexts(HTMLParser):
    """The text of every ``<text>`` of every chart of a page, in order, unescaped."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._in_svg = 0
        self._in_text = False

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self._in_svg += 1
        elif tag == "text" and self._in_svg:
            self._in_text = True
            self.texts.append("")

    def handle_endtag(self, tag):
        if tag == "svg":
            self._in_svg -= 1
        elif tag == "text":
            self._in_text = False

    def handle_data(self, data):
        if self._in_text:
            self.texts[-1] += data


def svg_texts(page: str) -> list[str]:
    parser = SvgTexts()
    parser.feed(page)
    return parser.texts


# --- a plan whose sums leave int64 cents (a code pasted as an amount): the dashboard refused
# the whole page (MoneyOverflowError from validation, then from the chart's bar), where the
# plan's table shows the overflow in words at its place.  The chart says it in words too.
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_plan_whose_sums_overflow_is_drawn_with_its_overflow_said_in_words(lang):
    conv = copy.deepcopy(essconv.default())
    big = Decimal("90000000000000000")   # 9e16 €: each fits int64 cents, two of them do not
    plan = essconv.read_plan(f"en €\tCDC\tCR-NPDC\nDLA\t{big}\t{big}\nAutre\t{big}\t1\n".encode(),
                             year=2010)
    conv.add_plan(plan, 2010)
    page = render(conv, lang=lang)
    words = language(lang)
    texts = svg_texts(page)
    assert words.beyond_cents() in texts        # the bar's total: 9e16 + 9e16 + 9e16 + 1 €
    # and the figures that fit are printed exactly, in this language: the 2009 plan's total
    # across the term, in euros now that one plan is in euros (its cells added here in k€)
    p2009 = conv.plan(2009)
    want = sum((p2009.cell(i, f) or Decimal(0) for i in range(len(p2009.lines))
                for f in p2009.funders), Decimal(0))
    assert words.amount(want * 1000, "€") in texts



class SvgParts(HTMLParser):
    """Each ``<text>`` of a chart as (what it shows, its tooltip), and every tooltip's text."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[list[str]] = []
        self.titles: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._stack.append(tag)
        if tag == "text":
            self.texts.append(["", ""])
        elif tag == "title":
            self.titles.append("")

    def handle_endtag(self, tag):
        self._stack.pop()

    def handle_data(self, data):
        if self._stack[-1:] == ["title"]:
            self.titles[-1] += data
            if "text" in self._stack:
                self.texts[-1][1] += data
        elif self._stack[-1:] == ["text"]:
            self.texts[-1][0] += data


# --- a label of 10 000 characters (a beneficiary's name pasted with its address) ran 60 000 px
# past a 760 px chart in the execution's rows, the legends and the titles (only the plan chart's
# rows were cut).  Every text of a chart is cut as the views cut labels, the whole text kept in
# a tooltip, escaped; nothing else changes (short labels shown whole, no tooltip added)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_chart_cuts_long_labels_keeping_them_whole_in_a_tooltip(lang):
    from essconv.dashboard import paired_bars_svg, stacked_bars_svg
    long = "<script>alert(1)</script> & שלום \u202e " + "É" * 10_000
    series = "Région Hauts-de-France & <b>Caisse</b> " + "x" * 5_000
    charts = [stacked_bars_svg(long, [(long, [(series, Decimal(5)), ("CDC", Decimal(2))]),
                                      ("Axe 2", [("CDC", Decimal(1))])], "k€", lang=lang),
              paired_bars_svg(long, [(long, Decimal(5), Decimal(3)),
                                     ("CDC", Decimal(1), Decimal(0))], "€", (series, "versé"),
                              lang=lang)]
    from essconv.messages import shown as said   # a control character as its escape
    for svg in charts:
        assert "<script" not in svg and "<b>" not in svg
        parts = SvgParts()
        parts.feed(svg)
        pairs = {(s, tip) for s, tip in parts.texts}
        # the title across the chart, a row's label before the bars, a legend's name in its
        # column: each its first characters and « … », the whole text its tooltip
        assert (said(long[:89]) + "…", said(long)) in pairs
        assert (said(long[:37]) + "…", said(long)) in pairs
        assert (said(series[:17]) + "…", said(series)) in pairs
        assert all(len(s) < 120 for s, _tip in parts.texts)
        assert ("CDC", "") in pairs                        # a short label: whole, no tooltip


# --- a plan of a header and no line: the dashboard's chart drew a "Total" row of « 0 € », a
# total the plan does not have, beside its table saying it empty.  The chart says it empty too
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_empty_plan_s_dashboard_chart_says_it_empty_and_prints_no_figure(lang):
    from essconv.dashboard import plan_by_axis_svg
    plan = essconv.read_plan(b"Ligne;CDC;CR\n", year=2012)
    chart = plan_by_axis_svg(plan, lang=lang)
    words = language(lang)
    parts = SvgParts()
    parts.feed(chart)
    texts = [s for s, _tip in parts.texts]
    assert words.text("plan_empty") in texts
    assert not any(re.search(r"\d\s*(k?€)", t) for t in texts if "2012" not in t), texts
    assert any("2012" in t for t in texts)


class ListItems(HTMLParser):
    """Each ``<li>``'s shown text, and the ``title`` of every element inside one."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[str] = []
        self.titles: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            self._depth += 1
            self.items.append("")
        elif self._depth and dict(attrs).get("title"):
            self.titles.append(dict(attrs)["title"])

    def handle_endtag(self, tag):
        if tag == "li":
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.items[-1] += data


# --- the dashboard listed a record group mapped to no funder by its whole funder and line:
# a name pasted with its address (10 000 characters, no space) pushed the page 60 000 px wide.
# Each is cut as the views cut labels, the whole label in its title
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_dashboard_lists_unmapped_records_under_labels_cut_as_views_cut_them(lang):
    import datetime as dt
    name, line = "Association " + "x" * 10_000, "Fonds <script>" + "y" * 10_000
    ledger = essconv.Ledger.from_columns(
        {"nomAttribuant": ["CDC", name], "dispositifAide": ["DLA", line],
         "montant": [Decimal(274000), Decimal("500000.50")],
         "dateConvention": [dt.date(2009, 3, 1)] * 2}, amount="montant")
    conv = essconv.default()
    page = render(conv, executions=[conv.execution(2009, ledger)], lang=lang,
                  today=dt.date(2010, 1, 1))
    assert "<script" not in page
    items = ListItems()
    items.feed(page)
    listed = [i for i in items.items if "Association" in i]
    assert len(listed) == 1
    assert name not in listed[0] and line not in listed[0]
    assert name[:79] + "…" in listed[0] and line[:79] + "…" in listed[0]   # as the views cut
    assert language(lang).amount(Decimal("500000.50"), "€") in listed[0]
    assert name in items.titles and line in items.titles                  # nothing lost


class SvgShapes(HTMLParser):
    """Each ``<rect>`` of a chart as (x, width, fill, tooltip), each ``<line>``'s x, each
    ``<path>``'s tooltip."""

    def __init__(self) -> None:
        super().__init__()
        self.rects: list[list] = []
        self.lines: list[int] = []
        self.marks: list[list] = []
        self._in: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "rect":
            self.rects.append([int(a["x"]), int(a["width"]), int(a["y"]), a["fill"], ""])
            self._in = self.rects[-1]
        elif tag == "line":
            self.lines.append(int(a["x1"]))
        elif tag == "path":
            self.marks.append([a["d"], ""])
            self._in = self.marks[-1]

    def handle_endtag(self, tag):
        if tag in ("rect", "path"):
            self._in = None

    def handle_data(self, data):
        if self._in is not None:
            self._in[-1] += data


# --- a negative amount (a reimbursement, a cancelled grant, a correction line) was no segment
# of the dashboard's stacked bars: skipped without a word, while the total printed beside the
# bar's end counted it, a total no segment added up to.  The stack diverges from a zero line:
# positives to its right, negatives to its left, each bar's net total marked where it stands
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_negative_amount_is_a_segment_left_of_zero_in_the_dashboard_s_bars(lang):
    from essconv.dashboard import stacked_bars_svg
    words = language(lang)
    rows = [("Axe 1", [("CDC", Decimal(10)), ("CR", Decimal(-4)), ("Etat", Decimal(6))]),
            ("Axe 2", [("CDC", Decimal(-3)), ("CR", Decimal(5)), ("Etat", Decimal(-1))])]
    shapes = SvgShapes()
    shapes.feed(stacked_bars_svg("Plan", rows, "k€", lang=lang))
    assert len(shapes.lines) == 1
    zero = shapes.lines[0]
    for r, (_label, parts) in enumerate(rows):
        y = 30 + r * 26 + 4
        segments = [s for s in shapes.rects if s[2] == y]
        # every amount a segment, its tooltip its amount: none dropped
        assert sorted(tip for *_, tip in segments) == sorted(
            f"{name}{words.colon}{words.amount(v, 'k€')}" for name, v in parts)
        def negative(tip):
            return tip.split(words.colon, 1)[1].startswith("-")
        ups = sorted((x, x + w) for x, w, _y, _f, tip in segments if not negative(tip))
        downs = sorted(((x, x + w) for x, w, _y, _f, tip in segments if negative(tip)),
                       reverse=True)
        edge = zero
        for a, b in ups:   # from zero rightwards
            assert a == edge, segments
            edge = b
        edge = zero
        for a, b in downs:                                      # from zero leftwards
            assert b == edge, segments
            edge = a
    # the net totals, printed and marked each with its tooltip
    assert [m[1] for m in shapes.marks] == [
        f"{words.say('Total net', 'Net total')}{words.colon}{words.amount(Decimal(t), 'k€')}"
        for t in (12, 1)]
    parts = SvgParts()
    parts.feed(stacked_bars_svg("Plan", rows, "k€", lang=lang))
    texts = [s for s, _tip in parts.texts]
    assert words.amount(Decimal(12), "k€") in texts and words.amount(Decimal(1), "k€") in texts



# --- a negative amount in the execution's chart (more refunded than paid, a cancelled grant)
# was a bar of one pixel at zero, as a few cents paid: it is a bar left of the zero line, as
# long as its amount, the bars of positive amounts right of it
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_negative_amount_is_a_bar_left_of_zero_in_the_planned_versus_paid_chart(lang):
    from essconv.dashboard import paired_bars_svg
    words = language(lang)
    rows = [("CDC", Decimal(10), Decimal(-4)), ("CR", Decimal(5), Decimal(5))]
    shapes = SvgShapes()
    shapes.feed(paired_bars_svg("2009", rows, "€", ("prévu", "versé"), lang=lang))
    assert len(shapes.lines) == 1
    zero = shapes.lines[0]
    bars = {tip: (x, x + w) for x, w, _y, _f, tip in shapes.rects if tip}
    said = lambda name, v: f"{name}{words.colon}{words.amount(v, '€')}"
    assert bars[said("versé", Decimal(-4))][1] == zero           # leftwards from zero
    assert bars[said("prévu", Decimal(10))][0] == zero           # rightwards from zero
    ten = bars[said("prévu", Decimal(10))][1] - zero
    four = zero - bars[said("versé", Decimal(-4))][0]
    assert abs(four * 10 - ten * 4) <= 10                        # as long as its amount
