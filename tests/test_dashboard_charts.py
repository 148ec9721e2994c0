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

