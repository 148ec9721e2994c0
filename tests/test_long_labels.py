"""A label of 10 000 characters (a beneficiary's name pasted with its whole address) in the
views: shown as its first 79 characters and « … » past 80, in every text view and HTML cell,
the whole label in the HTML cell's title; never cut in the exports."""
from __future__ import annotations

import random
import warnings
import unicodedata
from html.parser import HTMLParser

import pytest

import essconv
import essconv.display
from essconv import Ledger
from essconv.cli import main
from essconv.messages import view_label

ADDRESS = "Association Les Jardins de Cocagne, 12 rue des Tilleuls, 59000 Lille " * 150   # 10 500
LONG = ADDRESS.strip()
TWIN = LONG[:100] + "B" + LONG[101:]     # differs from LONG past the cut only


class Cells(HTMLParser):
    """Every td and th of a page: its text and its title."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.cells: list[tuple[str, str | None]] = []
        self._open: list[str] | None = None
        self._title: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "th"):
            self._open, self._title = [], dict(attrs).get("title")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._open is not None:
            self.cells.append(("".join(self._open), self._title))
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)


def _cut(label: str) -> str:
    """The obvious twin for a label of whole characters: its first 79 and « … »."""
    return label if len(label) <= 80 else label[:79] + "…"


def test_a_label_is_whole_to_80_characters_and_cut_to_79_and_an_ellipsis_past_them():
    for n in (0, 1, 79, 80, 81, 10_000):
        assert view_label("x" * n) == _cut("x" * n)
    assert view_label(LONG) == LONG[:79] + "…"


def test_a_cut_never_leaves_a_letter_without_its_accents_nor_splits_a_joined_emoji():
    r = random.Random(7)
    pieces = ["a", "é", "e\u0301", "e\u0301\u0327", "👍", "👍🏽", "👩\u200d💻", "☺\ufe0f", " "]
    for _ in range(2000):
        label = "".join(r.choice(pieces) for _ in range(r.randint(30, 120)))
        cut = view_label(label)
        if len(label) <= 80:
            assert cut == label
            continue
        kept = cut[:-1]
        assert cut.endswith("…") and len(cut) <= 80 and label.startswith(kept)
        rest = label[len(kept):]
        # what follows the cut starts a new character: no mark, joiner or tone of the last one
        assert not unicodedata.category(rest[0]).startswith("M"), (kept[-3:], rest[:3])
        assert rest[0] not in "\u200d\ufe0f" and not "\U0001f3fb" <= rest[0] <= "\U0001f3ff"
        assert not kept.endswith("\u200d")
        assert len(kept) >= 79 - 4     # a character holds a few code points at most here


def _ledger() -> Ledger:
    return Ledger.from_columns({"nomBeneficiaire": [LONG, TWIN, "CDC"],
                                "nature": [LONG, "y", "y"],
                                "montant": ["1.5", "2", "3"]}, amount="montant")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_pivot_s_text_cuts_its_labels_and_keeps_its_figures_in_sight(lang):
    pivot = _ledger().pivot("nomBeneficiaire", "nature")
    for view in (essconv.display.plan_text(pivot, lang=lang), pivot.pivot().text(lang)):
        assert LONG[:80] not in view and TWIN[:80] not in view
        assert _cut(LONG) in view   # the column of that name, cut as every view cuts it
        assert max(map(len, view.splitlines())) < 400, max(map(len, view.splitlines()))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_two_labels_that_differ_past_the_cut_are_told_apart_by_the_html_title(lang):
    ledger = _ledger()
    pivot = ledger.pivot("nomBeneficiaire", "nature")
    for html in (essconv.display.plan_html(pivot, lang=lang),
                 essconv.display.pivot_html(pivot.pivot(), lang=lang),
                 essconv.display.aggregate_html(ledger.group_by("nomBeneficiaire").sum(), lang=lang)):
        cells = Cells(html).cells
        long_cells = [(text, title) for text, title in cells if title in (LONG, TWIN)]
        # both shown cut alike, each with its whole label in its title: told apart
        assert {title for _t, title in long_cells} == {LONG, TWIN}
        assert {text.strip() for text, _t in long_cells} == {_cut(LONG)}   # a pivot indents its lines
        assert all(len(text.strip()) <= 80 for text, _title in cells)
        assert ".essconv .label{overflow-wrap:anywhere}" in html and 'class="label"' in html


def test_the_exports_keep_every_label_whole():
    ledger = _ledger()
    agg = ledger.group_by("nomBeneficiaire").sum()
    assert LONG in agg.to_csv() and TWIN in agg.to_csv()
    pivot = ledger.pivot("nomBeneficiaire", "nature")
    assert LONG in pivot.to_tsv() and TWIN in pivot.to_tsv()
    assert [LONG, TWIN, "CDC"] == [row[0] for row in pivot.to_rows()[1:4]]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_terminal_table_of_the_cli_cuts_a_long_label(tmp_path, capsys, lang):
    path = tmp_path / "g.csv"
    path.write_text(f"f;montant\n{LONG};1\n{TWIN};2\nCDC;3\n", encoding="utf-8")
    assert main(["aggregate", str(path), "--by", "f", "--amount", "montant", "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert LONG[:80] not in out and _cut(LONG) in out
    assert max(map(len, out.splitlines())) < 200


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_execution_s_account_cuts_a_funder_of_10_000_characters(lang):
    conv = essconv.default()
    ledger = Ledger.from_columns({"nomAttribuant": [LONG, "CDC"], "montant": ["5", "7"]},
                                 amount="montant")
    ex = conv.execution(2009, ledger, line=None, date=None)
    text = ex.text(lang)
    assert LONG[:80] not in text and _cut(LONG) in text
    assert max(map(len, text.splitlines())) < 400
    assert LONG in str(ex.to_dict()["unmapped"])   # the data keep it whole


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_report_text_cuts_a_funder_and_a_line_of_10_000_characters(tmp_path, lang):
    from essconv.report import render_text
    from test_description import MINIMAL
    name = LONG.replace(",", "")   # a table's delimiter is sniffed: tabs, not commas
    (tmp_path / "plan-2020.tsv").write_text(
        f"en k€\tETAT\t{name}\tTotal\n{name}\t8\t12\t20\nTotal\t8\t12\t20\n", encoding="utf-8")
    (tmp_path / "convention.toml").write_text(MINIMAL, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        conv = essconv.load(tmp_path / "convention.toml")
        text = render_text(conv, lang=lang)
    assert _cut(name) in text
    # the tables cut it; the finding about that column names it whole, as every message
    # names the label it is about
    whole = [line for line in text.splitlines() if name[:80] in line]
    assert len(whole) == 1 and "unknown-funder" in whole[0], whole
    assert max(len(line) for line in text.splitlines() if line not in whole) < 200


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_ledger_s_view_cuts_its_long_labels_and_keeps_them_in_the_title(lang):
    cells = Cells(essconv.display.ledger_html(_ledger(), lang=lang)).cells
    long_cells = [(text, title) for text, title in cells if title in (LONG, TWIN)]
    assert sorted(title for _t, title in long_cells) == sorted([LONG, TWIN, LONG])
    assert {text for text, _t in long_cells} == {_cut(LONG)}
    assert ("CDC", None) in cells and all(len(text) <= 80 for text, _t in cells)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_similar_labels_of_10_000_characters_are_cut_in_the_views(lang):
    ledger = Ledger.from_columns({"f": [LONG, LONG.upper(), "CDC", "cdc"],
                                  "montant": ["1", "2", "3", "4"]}, amount="montant")
    similar = ledger.similar_labels("f")
    text = essconv.display.similar_labels_text(similar, lang=lang)
    assert LONG[:80] not in text and LONG.upper()[:80] not in text
    assert _cut(LONG) in text and _cut(LONG.upper()) in text
    assert max(map(len, text.splitlines())) < 200
    cells = Cells(essconv.display.similar_labels_html(similar, lang=lang)).cells
    assert {title for _t, title in cells if title} == {LONG, LONG.upper()}
    assert all(len(text) <= 80 for text, _t in cells)
    assert {LONG, LONG.upper()} <= {c.label for g in similar.groups for c in g.labels}   # kept whole


class Spans(HTMLParser):
    """The page's text outside attributes, and each span's text and title."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.text: list[str] = []
        self.spans: list[tuple[str, str | None]] = []
        self._span: list[str] | None = None
        self._title: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "span":
            self._span, self._title = [], dict(attrs).get("title")

    def handle_endtag(self, tag):
        if tag == "span" and self._span is not None:
            self.spans.append(("".join(self._span), self._title))
            self._span = None

    def handle_data(self, data):
        self.text.append(data)
        if self._span is not None:
            self._span.append(data)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_dashboard_s_unmapped_funders_are_cut_with_the_whole_label_in_the_title(lang):
    from essconv.dashboard import render
    marked = 'Asso <b>"Les Jardins" & Cie</b> ' + LONG   # markup and quotes, escaped in both
    short = "Association Les Tilleuls"   # under 80 characters: left whole
    conv = essconv.default()
    ledger = Ledger.from_columns({"nomAttribuant": [marked, short, "CDC"],
                                  "montant": ["5", "6", "7"]}, amount="montant")
    ex = conv.execution(2009, ledger, line=None, date=None)
    page = Spans(render(conv, executions=[ex], lang=lang))
    shown = "".join(page.text)
    assert marked[:80] not in shown and _cut(marked) in shown and short in shown
    assert (_cut(marked), marked) in page.spans
    assert not any(title == short for _, title in page.spans)
    assert marked in [u["funder"] for u in ex.to_dict()["unmapped"]]   # the data keep it whole
