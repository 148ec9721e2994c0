"""Every object an analyst meets displays well in a notebook: the execution
view, the SCDL validation report, a year's meetings, a ledger's pivot and the groups of similar
labels.  Each HTML display is parsed (html.parser) for its headings and rows, and for escaping:
a label holding markup shows as text, never as markup."""
from __future__ import annotations

import datetime as dt
import io
import re
import warnings
from decimal import Decimal
from html.parser import HTMLParser

import pytest

import essconv
from essconv import Ledger
from essconv.calendar import meetings_html
from essconv.display import execution_html

from conftest import SCDL

MARKUP = "<b>Asso & Cie</b>"


class Tables(HTMLParser):
    """The captions, headings and rows of every table, as text; and every tag met."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.captions: list[str] = []
        self.tables: list[list[list[str]]] = []   # table -> rows -> cells (th and td)
        self.tags: list[str] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "caption":
            self._caption = []

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "caption":
            self.captions.append("".join(self._caption).strip())
            self._caption = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._caption is not None:
            self._caption.append(data)


def grants(rows):
    return Ledger.from_columns({"nomAttribuant": [r[0] for r in rows],
                                "montant": [Decimal(r[1]) for r in rows],
                                "dateConvention": [r[2] for r in rows]}, amount="montant")


# ------------------------------------------------------------------------------ execution
def test_the_execution_view_shows_each_dimension_then_every_records_place():
    conv = essconv.default()
    ledger = grants([("CDC", "1000.50", dt.date(2009, 3, 1)), (MARKUP, "250", dt.date(2009, 5, 1)),
                     ("CDC", "700", dt.date(2017, 1, 2))])
    ex = conv.execution(2009, ledger, line=None)   # no line column: said, not warned
    page = Tables(ex._repr_html_())
    assert page.captions == ["Exécution 2009 par partie (€)", "Exécution 2009 par axe (€)"]
    party = page.tables[0]
    assert party[0] == ["partie", "prévu (€)", "versé (€)", "taux"]
    rows = {r[0]: r[1:] for r in party[1:]}
    # the CDC planned 1 240 k€ in 2009 (its cells) and paid 1 000,50 €: exact, French digits
    assert rows["CDC"][:2] == ["1\u202f240\u202f000", "1\u202f000,50"]   # both cent digits
    assert rows["Total"][0] == "8\u202f105\u202f000"
    said = " ".join(page.text)
    assert "Enregistrements : 3" in said.replace("\u00a0", " ")
    assert "\u00ab\u00a0<b>Asso & Cie</b>\u00a0\u00bb" in said          # the funder, as text
    assert "b" not in page.tags                                        # never as markup
    english = Tables(execution_html(ex, lang="en"))
    assert english.captions == ["Execution 2009 by party (€)", "Execution 2009 by axis (€)"]
    assert english.tables[0][0] == ["party", "planned (€)", "paid (€)", "rate"]


def test_each_execution_table_adds_up_to_its_total_row():
    # records of a party on no line of the plan are paid (the Total row counts them) but have
    # no axis: the axis table's rows said 1 228,83 € under a Total of 1 245,83 €, unexplained
    conv = essconv.default()
    rows = [("CDC", "1000.50", "DLA"), ("DRTEFP", "200", "DLA"), ("DRASS", "33.33", "Têtes de réseaux"),
            ("CR-NPDC", "10", "Autre chose"), ("CG-59", "-5", "Innovation"), ("CDC", "7", None)]
    ledger = Ledger.from_columns({"nomAttribuant": [r[0] for r in rows],
                                  "montant": [Decimal(r[1]) for r in rows],
                                  "dateConvention": [dt.date(2009, 3, 1)] * len(rows),
                                  "dispositifAide": [r[2] for r in rows]}, amount="montant")
    ex = conv.execution(2009, ledger)
    paid = sum((Decimal(r[1]) for r in rows), Decimal(0))
    number = lambda t: Decimal(t.replace("\u202f", "").replace(",", "."))   # noqa: E731
    party, axis = Tables(ex._repr_html_()).tables
    for table in (party, axis):
        body, total = table[1:-1], table[-1]
        assert total[0] == "Total" and number(total[2]) == paid == ex.total_paid
        assert sum(number(r[2]) for r in body) == paid
        assert sum(number(r[1]) for r in body) == number(total[1]) == Decimal(8105000)
    # CR-NPDC's 10 € and the CDC's 7 €: nothing planned there, its rate undefined ("n.d.",
    # never blank), the row named as what it is ("sans axe" read as the lines "hors axe")
    # (the paid column holds cents, 1 000,50 €: every cell of it shows two decimals, Total's
    # too; the planned column, whole euros, none)
    assert axis[-2] == ["sur aucune ligne du plan", "0", "17,00", "n.d."]
    assert all(r[2].endswith(",00") or r[2][-3] == "," for r in axis[1:])
    assert [r[0] for r in party[1:-1]] == list(ex.planned["party"])   # nothing unplaced: no row
    # the Total row's rate was blank: paid over planned, to one decimal, from the Decimal twin
    rate = (paid * 100 / Decimal(8105000)).quantize(Decimal("0.1"))
    rate = rate if rate or not paid else Decimal("0.1")   # 0,0 % says nothing was paid
    assert party[-1][3] == axis[-1][3] == f"{rate}".replace(".", ",") + "\u202f%"
    # the text report printed neither the unplaced row nor a Total: its axes' paid column
    # added up to 1 228,83 € of 1 245,83 € paid, with no line saying where the rest went
    from essconv.messages import language
    from essconv.report import execution_lines
    for lang, mark, unplaced in (("fr", ",", "sur aucune ligne du plan"),
                                 ("en", ".", "on no line of the plan")):
        lines = execution_lines(ex, language(lang))
        start = next(k for k, line in enumerate(lines)
                     if line.startswith(("par axe", "by axis")))
        table = []
        for line in lines[start + 1:]:
            if not line.startswith("  ") or line.startswith("    "):
                break
            table.append(line)
        # the columns as execution_lines lays them out: label, planned, paid, rate
        cells = [(line[2:42].strip(), line[43:57], line[58:72], line[73:].strip())
                 for line in table]
        read = lambda t: Decimal("".join(ch for ch in t if ch.isdigit() or ch in "-" + mark)  # noqa: E731
                                 .replace(mark, "."))
        assert cells[-1][0] == "Total" and read(cells[-1][2]) == paid
        assert read(cells[-1][1]) == Decimal(8105000)
        assert cells[-1][3] == language(lang).percent(rate)
        assert cells[-2][0] == unplaced and cells[-2][3] == language(lang).text("rate_undefined")
        assert sum(read(c[2]) for c in cells[:-1]) == paid                # the rows add up
        assert sum(read(c[1]) for c in cells[:-1]) == Decimal(8105000)


# ------------------------------------------------------------------------------ SCDL report
def test_the_scdl_report_shows_counts_by_code_then_the_first_findings():
    report = essconv.validate_scdl(SCDL / "scdl-subventions-exemple-invalide-cellules.csv")
    page = Tables(essconv.display.scdl_report_html(report, lang="en"))
    counts, findings = page.tables
    assert page.captions == ["Findings by code", f"First 20 of {len(report)} findings"]
    expected = [[sev, code, str(n)] for sev, codes in report.counts().items()
                for code, n in codes.items()]
    assert counts[1:] == expected
    assert findings[0] == ["row", "column", "severity", "code", "field", "message", "suggestion"]
    assert findings[1:] == [["" if f.row is None else str(f.row),
                             str(f.column) if f.row and f.column else "", f.severity, f.code,
                             f.field or "", f.message, f.suggestion or ""]
                            for f in report.findings[:20]]
    # a finding with a suggestion shows it beside its row
    assert ["8", "168", "error", "boolean", "notificationUE", "'yes' is neither 'oui' nor 'non'",
            "oui"] in findings
    assert report.summary(lang="en").splitlines()[0] in page.text   # the verdict, as summary() says it
    assert "FAILED" in report.summary(lang="en").splitlines()[0]
    # in a notebook, French by default, as every other display: one language, messages included
    french = Tables(report._repr_html_())
    assert french.captions == ["Constats par code", f"Les 20 premiers constats sur {len(report)}"]
    assert french.tables[1][0] == ["ligne", "colonne", "gravité", "code", "champ", "message",
                                   "suggestion"]
    assert ["8", "168", "erreur", "boolean", "notificationUE", "«\u00a0yes\u00a0» n'est ni «\u00a0oui\u00a0» "
            "ni «\u00a0non\u00a0»", "oui"] in french.tables[1]
    assert report.summary(lang="fr").splitlines()[0] in french.text
    shown = " ".join(french.text)
    assert "ÉCHEC" in shown and "FAILED" not in shown and " is " not in shown


def _cell_starts(line: str, delimiter: str = ",") -> list[int]:
    """The 1-based character position where each cell of a CSV line starts (its opening
    quote for a quoted one), found by walking the line: the twin of the reader's places."""
    starts, quoted = [1], False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            starts.append(i + 2)
    return starts


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_scdl_report_in_html_places_each_finding_at_its_column_as_the_text_does(lang):
    """The text report placed a cell's finding at ``file:8:168``; the notebook's table gave
    its row alone, and a row of 30 cells left the analyst to count them.  Each finding of a
    cell shows its column, the position the file's line gives its cell; a finding of the
    whole row or file shows none."""
    path = SCDL / "scdl-subventions-exemple-invalide-cellules.csv"
    report = essconv.validate_scdl(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    page = Tables(essconv.display.scdl_report_html(report, first=len(report), lang=lang))
    rows = page.tables[1]
    assert rows[0][:2] == (["ligne", "colonne"] if lang == "fr" else ["row", "column"])
    placed = 0
    for finding, row in zip(report.findings, rows[1:], strict=True):
        assert row[0] == ("" if finding.row is None else str(finding.row))
        if finding.row and finding.field in header:
            where = _cell_starts(lines[finding.row - 1])[header.index(finding.field)]
            assert row[1] == str(where), (finding, row)
            assert finding.line(lang).split(": ")[0].endswith(f":{finding.row}:{where}")
            placed += 1
        elif not finding.column:
            assert row[1] == ""
    assert placed >= 40


# ------------------------------------------------------------------------------ meetings
def test_a_years_meetings_are_a_list_shown_as_a_calendar_table():
    conv = essconv.default()
    meetings = conv.meetings(2010)
    assert meetings == list(meetings) and len(meetings) == 8 and meetings[0] in meetings
    page = Tables(meetings._repr_html_())
    assert page.captions == ["Calendrier de la gouvernance — 2010 (8)"]
    table = page.tables[0]
    assert table[0] == ["Quand", "Quoi"]
    assert table[1] == ["01/01/2010 – 31/03/2010", "Comité stratégique (réunion 1 sur 4)"]
    assert len(table) == 1 + 8
    english = Tables(meetings_html(conv.meetings(2009), lang="en"))
    assert english.captions == ["Governance calendar — 2009 (3)"]
    assert all(row[0].startswith("2009-12-") for row in english.tables[0][1:])
    import pickle
    back = pickle.loads(pickle.dumps(meetings))
    assert back == meetings and back.year == 2010 and back._repr_html_() == meetings._repr_html_()


# ------------------------------------------------------------------------------ pivots
def test_a_ledger_pivot_is_titled_as_a_pivot_and_shows_no_empty_stated_total():
    ledger = Ledger.from_columns({"nomBeneficiaire": ["A", MARKUP, "A"], "nature": ["x", "y", "y"],
                                  "montant": ["1.5", "2", "3"]}, amount="montant")
    pivot = ledger.pivot("nomBeneficiaire", "nature")
    page = Tables(pivot._repr_html_())
    assert page.captions == ["Tableau croisé — nomBeneficiaire × nature — en €"]
    # euros with cents: every figure of the table with both cent digits, as French tables
    # print euros ("1,5" over "3" read as two kinds of number)
    assert page.tables[0] == [["", "nomBeneficiaire", "x", "y", "Total"],
                              ["", "A", "1,50", "3,00", "4,50"],
                              ["", MARKUP, "", "2,00", "2,00"],
                              ["Total", "", "1,50", "5,00", "6,50"]]
    assert "b" not in page.tags
    assert "aucun total" not in pivot._repr_html_()   # a computed pivot states none by nature
    text = str(pivot)
    assert text.splitlines()[0] == "Tableau croisé — nomBeneficiaire × nature — montants en €"
    assert "indiqué" not in text and "cellules" not in text
    assert text.splitlines()[-1].split() == ["Total", "1,50", "5,00", "6,50"]
    # its margins say what they pivot too
    margins = Tables(pivot.pivot()._repr_html_())
    assert margins.captions == ["Tableau croisé — nomBeneficiaire × nature — sous-totaux à chaque "
                                "niveau — en €"]
    assert margins.tables[0][-1] == ["Total", "1,50", "5,00", "6,50"]
    # a plan read from a table keeps its stated totals and their check
    plan = Tables(essconv.default().plan(2009)._repr_html_())
    assert plan.captions[0].startswith("Plan 2009 — en k€ — ")
    assert Tables(essconv.default().plan(2009).pivot()._repr_html_()).captions == [
        "Plan 2009 — sous-totaux à chaque niveau — en k€"]


def test_a_pivot_under_an_axis_names_both_row_columns():
    ledger = Ledger.from_columns({"axe": ["I", "I"], "ligne": ["a", "b"], "f": ["CDC", "CR"],
                                  "montant": ["1", "2"]}, amount="montant")
    page = Tables(ledger.pivot(("axe", "ligne"), "f")._repr_html_())
    assert page.tables[0][0] == ["axe", "ligne", "CDC", "CR", "Total"]
    assert page.tables[0][-1] == ["Total", "", "1", "2", "3"]


def test_a_truncated_plan_or_pivot_says_what_it_hides_and_that_its_totals_count_it():
    # 60 lines x 20 funders shows 40 lines and 16 funders: its Total column and row count the
    # hidden ones too, so the amounts shown do not add up to them -- and nothing said so
    funders = [f"F{j}" for j in range(20)]
    amount = lambda i, j: (i * 7 + j * 3) % 11 - 2        # noqa: E731 - negatives and zeros
    text = "en k€\t\t" + "\t".join(funders) + "\n" + "".join(
        (f"Axe {i // 25}" if i % 25 == 0 else "") + f"\tL{i}\t"
        + "\t".join(str(amount(i, j)) for j in range(20)) + "\n" for i in range(60))
    plan = essconv.read_plan(text.encode(), year=2014)
    oracle = sum((Decimal(amount(i, j)) for i in range(60) for j in range(20)), Decimal(0))
    plain = lambda t: t.replace("\u202f", " ").replace("\u00a0", " ")   # noqa: E731 - French spacing
    shown = plain(str(plan)).splitlines()
    note = "non affichés (…) : 20 lignes et 4 financeurs ; les sous-totaux et totaux comptent tout le tableau"
    assert shown[1] == note
    assert shown[-1].split()[0] == "Total" and "".join(shown[-1].split()[-2:]) == str(oracle)
    page = Tables(plain(plan._repr_html_()))
    assert page.captions[0].endswith(note)
    margins = plan.pivot()
    text_lines = plain(str(margins)).splitlines()
    assert text_lines[0] == ("non affichés (…) : 24 lignes et 5 colonnes ; les sous-totaux et "
                             "totaux comptent tout le tableau")
    assert Tables(plain(margins._repr_html_())).captions[0].endswith(text_lines[0])
    assert "".join(text_lines[-1].split()[-2:]) == str(oracle)
    assert margins.get("total", "total") == oracle
    # a table shown whole says nothing of the kind
    small = essconv.read_plan("en k€\tA\tB\nL\t1\t2\n".encode())
    assert "affichés" not in str(small) + small._repr_html_() + str(small.pivot())
    assert "not shown (…): 20 lines and 4 funders" in essconv.display.plan_text(plan, lang="en")
    assert margins.text("en").splitlines()[0] == ("not shown (…): 24 lines and 5 columns; subtotals "
                                                  "and totals count the whole table")


def test_a_plan_stating_only_a_total_row_or_column_shows_its_grand_total_in_html():
    # with a Total column but no Total row (or the reverse) the HTML Total row's last cell was
    # the stated grand total, which such a table does not print: blank, where the text says 12
    for text in ("en €\tA\tB\tTotal\nx\t1\t2\t3\ny\t4\t-5,5\t-1,5\n",
                 "en €\tA\tB\nx\t1\t2\ny\t4\t-5,5\nTotal\t5\t-3,5\n"):
        plan = essconv.read_plan(text.encode(), year=2010)
        last = Tables(plan._repr_html_()).tables[0][-1]
        assert last == ["Total", "", "5,00", "-3,50", "1,50"], text
        assert plan.total() == Decimal("1.5")
        assert str(plan).splitlines()[-1].split()[-1] == "1,50"


def test_an_aggregate_display_says_how_many_groups_a_top_left_out_of_its_total():
    # top(3).with_total() showed three lines and a Total of all 30 groups: 29 + 28 + 27 = 84
    # over a Total of 435, and nothing said 27 groups were left out (nor, past ``rows``, that
    # the Total counts the groups not shown)
    ledger = Ledger.from_columns({"f": [f"k{i}" for i in range(30)], "m": [str(i) for i in range(30)]},
                                 amount="m")
    groups = ledger.group_by("f").sum()
    page = Tables(groups.top(3).with_total()._repr_html_())
    body = page.tables[0][1:]
    assert [r[0] for r in body] == ["k29", "k28", "k27",
                                    "… 27 autres groupes, non affichés, comptés dans le total", "Total"]
    assert body[-1][1].replace("\xa0", " ") == f"{sum(range(30))},00 €"
    assert Tables(groups.top(3).share()._repr_html_()).tables[0][-1] == ["… 27 autres groupes"]
    merged = Tables(groups.top(3, others=True).with_total()._repr_html_()).tables[0]
    assert [r[0] for r in merged[1:]] == ["k29", "k28", "k27", "Autres", "Total"]   # all counted
    cut = Tables(essconv.display.aggregate_html(groups.with_total(), rows=10)).tables[0]
    assert cut[-2] == ["… 20 autres groupes, non affichés, comptés dans le total"]
    english = Tables(essconv.display.aggregate_html(groups.top(3).with_total(), lang="en")).tables[0]
    assert english[-2] == ["… 27 more groups, not shown, counted in the total"]


# ------------------------------------------------------------------------------ similar labels
def test_similar_labels_show_each_group_then_its_spellings():
    ledger = Ledger.from_columns({"nomBeneficiaire": ["Lot", "LOT", MARKUP, "<B>asso & cie</B>"],
                                  "montant": ["1", "2", "3", "4.5"]}, amount="montant")
    similar = ledger.similar_labels("nomBeneficiaire")
    page = Tables(essconv.display.similar_labels_html(similar, lang="en"))
    assert page.captions == ["2 groups of labels of 'nomBeneficiaire' that are probably one entity"]
    assert page.tables[0] == [
        ["why", "label", "records", "amount (€)"],
        ["same name once folded", "bcieb", "2", "7.50"],    # "asso" is a legal form, dropped
        ["", "<B>asso & cie</B>", "1", "4.50"],
        ["", MARKUP, "1", "3.00"],
        ["same name once folded", "lot", "2", "3.00"],
        ["", "LOT", "1", "2.00"],
        ["", "Lot", "1", "1.00"]]
    assert "b" not in page.tags
    text = essconv.display.similar_labels_text(similar, lang="en").splitlines()
    assert text[0] == "2 groups of labels of 'nomBeneficiaire' that are probably one entity"
    assert text[1] == "same name once folded 'bcieb': 2 records, 7.50 €"   # English figures too
    assert repr(similar) == "<SimilarLabels of 'nomBeneficiaire': 2 groups, 4 labels>"   # the table's four


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("names", [["Lot", "LOT", "Nord"], ["Lot", "LOT", "Nord", "NORD"]])
def test_similar_labels_caption_reads_as_the_text_heading(lang, names):
    """The English HTML caption read "Labels of nomBeneficiaire that are probably one entity:
    2 groups" where the text view read "2 groups of labels of 'nomBeneficiaire' that are
    probably one entity": one heading, the column quoted, in both views and both languages."""
    similar = Ledger.from_columns({"nomBeneficiaire": names, "montant": ["1"] * len(names)},
                                  amount="montant").similar_labels("nomBeneficiaire")
    caption = Tables(essconv.display.similar_labels_html(similar, lang=lang)).captions
    text = essconv.display.similar_labels_text(similar, lang=lang).splitlines()
    assert caption == [text[0]], (caption, text[0])
    assert ("'nomBeneficiaire'" if lang == "en" else "«\u00a0nomBeneficiaire\u00a0»") in text[0]


def test_similar_labels_count_their_groups_in_their_number():
    """The English text and the repr said "1 group(s)": each count is said in its number, in
    both languages."""
    one = Ledger.from_columns({"nomBeneficiaire": ["Lot", "LOT", "Nord"],
                               "montant": ["1", "2", "3"]}, amount="montant")
    similar = one.similar_labels("nomBeneficiaire")
    assert len(similar) == 1 and len(similar.groups[0].labels) == 2
    english = essconv.display.similar_labels_text(similar, lang="en").splitlines()
    assert english[0] == "1 group of labels of 'nomBeneficiaire' that are probably one entity"
    french = essconv.display.similar_labels_text(similar).splitlines()
    assert french[0] == ("Libellés de «\u00a0nomBeneficiaire\u00a0» qui désignent probablement "
                         "une même entité\u00a0: 1 groupe")
    assert repr(similar) == "<SimilarLabels of 'nomBeneficiaire': 1 group, 2 labels>"
    none = Ledger.from_columns({"nomBeneficiaire": ["Lot", "Nord"], "montant": ["1", "2"]},
                               amount="montant").similar_labels("nomBeneficiaire")
    assert len(none) == 0
    assert essconv.display.similar_labels_text(none).endswith("\u00a0: aucun groupe")
    assert repr(none) == "<SimilarLabels of 'nomBeneficiaire': 0 groups, 0 labels>"
    for shown in (english[0], french[0], repr(similar), repr(none)):
        assert "(s)" not in shown


def test_similar_labels_count_a_spelling_found_by_two_reasons_once():
    """The quickstart's Lot, written "Departement du Lot" and "Département du Lot" under one
    SIRET, is found twice (same SIRET, same name once folded): its repr said "2 groups, 4
    labels" of two spellings. The labels are the distinct spellings grouped."""
    ledger = Ledger.from_columns({"nomAttribuant": ["Departement du Lot", "Département du Lot",
                                                    "Departement du Lot"],
                                  "idAttribuant": ["22460001500511"] * 3,
                                  "montant": ["1", "2", "3"]}, amount="montant")
    similar = ledger.similar_labels("nomAttribuant")
    assert len(similar) == 2 and [len(g.labels) for g in similar] == [2, 2]
    assert repr(similar) == "<SimilarLabels of 'nomAttribuant': 2 groups, 2 labels>"



def test_a_ledger_shows_english_figures_under_its_english_words():
    """The ledger's display said "Ledger: 2 rows, total 1 234 567,50 €" and "40 000,00" in
    its cells: English words, French figures, in one output."""
    ledger = Ledger.from_columns({"f": ["a", "b"], "montant": ["1234567.25", "0.25"]},
                                 amount="montant")
    html = essconv.display.ledger_html(ledger, lang="en")
    assert "2 rows, total 1,234,567.50 €" in html and ">1,234,567.25<" in html
    assert "567,50" not in html and "567,25" not in html and "\u202f" not in html

def test_the_real_lot_file_shows_its_department_twice():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ledger = essconv.read_scdl(SCDL / "lot-2017-subventions.csv")
    page = Tables(ledger.similar_labels("nomAttribuant")._repr_html_())
    labels = [row[1] for row in page.tables[0][1:]]
    assert labels == ["22460001500511", "Departement du Lot", "Département du Lot",
                      "departementdulot", "Departement du Lot", "Département du Lot"]


def test_agg_shows_every_measure_it_computed():
    """group_by(...).agg() computes sum, count, mean, min and max, and its display and exports
    showed the sum and the count alone."""
    ledger = Ledger.from_columns({"f": ["a", "a", "b"], "montant": ["1", "2", "3"]},
                                 amount="montant")
    agg = ledger.group_by("f").agg()
    assert agg.report_columns == ["f", "sum", "count", "mean", "min", "max"]
    page = Tables(agg._repr_html_())
    assert page.tables[0][0] == ["f", "montant", "nombre", "moyenne", "minimum", "maximum"]
    assert agg.to_csv().splitlines()[1] == "a;3,00;2;1,50;1,00;2,00"
    assert ledger.group_by("f").sum().report_columns == ["f", "sum", "count"]   # as before


def test_one_group_is_said_in_the_singular():
    """A one-group aggregate was captioned "montant par f : 1 groupes" (repr: "1 groups")."""
    ledger = Ledger.from_columns({"f": ["a", "a"], "montant": ["1", "2"]}, amount="montant")
    agg = ledger.group_by("f").sum()
    assert Tables(agg._repr_html_()).captions == ["montant par f\u00a0: 1 groupe"]
    assert Tables(essconv.display.aggregate_html(agg, lang="en")).captions == ["amount by f: 1 group"]
    assert repr(agg).startswith("<Aggregate sum by f: 1 group (")
    assert repr(agg.with_total()).startswith("<Aggregate sum by f: 2 lines (")


def test_no_group_is_said_in_the_singular_in_french_and_the_plural_in_english(tmp_path):
    """French counts 0 in the singular, as the report's "0 erreur" does, or in words where it
    has them: an aggregate of a ledger with no row was captioned "montant par f : 0 groupes"
    (now "aucun groupe"), and a body meeting 0 times a year "0 réunions par an"; English keeps
    "0 groups"."""
    ledger = Ledger.from_columns({"f": [], "montant": []}, amount="montant")
    agg = ledger.group_by("f").sum()
    assert agg.group_count == 0
    assert Tables(agg._repr_html_()).captions == ["montant par f\u00a0: aucun groupe"]
    assert Tables(essconv.display.aggregate_html(agg, lang="en")).captions == ["amount by f: 0 groups"]
    from essconv import report as text_report
    from test_description import MINIMAL, PLAN_2020
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    path = tmp_path / "idle.toml"
    path.write_text(MINIMAL.replace("meetings_per_year = 3", "meetings_per_year = 0"),
                    encoding="utf-8")
    conv = essconv.load(path)
    assert "Comité des financeurs\u00a0: 0 réunion par an" in text_report.render_text(conv)
    assert "Comité des financeurs: 0 meetings a year" in text_report.render_text(conv, lang="en")


@pytest.mark.parametrize("groups", [0, 1, 2, 3])
def test_a_caption_counts_its_groups_as_french_writes_them(groups):
    """An empty aggregate (a filter keeping nothing) was captioned "montant par f : 0 groupes":
    French writes "aucun groupe", then "1 groupe", "2 groupes"; English "0 groups", "1 group".
    With a total line or a top() the caption counts the groups the group-by made, as before."""
    labels = [f"g{k}" for k in range(groups)]
    ledger = Ledger.from_columns({"f": labels + ["x"], "montant": ["1"] * (groups + 1)},
                                 amount="montant")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", essconv.UnknownLabelWarning)
        kept = ledger.filter(f=set(labels) or {"absent"})
    french = {0: "aucun groupe", 1: "1 groupe"}.get(groups, f"{groups} groupes")
    english = f"{groups} group" + ("" if groups == 1 else "s")
    agg = kept.group_by("f").sum()
    for report in (agg, agg.with_total(), agg.top(1, others=True)):
        assert Tables(report._repr_html_()).captions == [f"montant par f\u00a0: {french}"]
        assert Tables(essconv.display.aggregate_html(report, lang="en")).captions == \
            [f"amount by f: {english}"]


@pytest.mark.parametrize("records, blank, bad", [(0, 0, 0), (1, 1, 1), (2, 2, 2), (1, 0, 2)])
def test_a_ledger_counts_its_rows_in_the_singular_for_one(records, blank, bad):
    """The ledger's (English) display said "Ledger: 1 rows", "1 blank rows skipped", "1 bad
    rows kept aside" and its repr "<Ledger 1 rows": one is said in the singular, none and
    more in the plural, each count the file's own (the test's records, blank lines and bad
    amounts)."""
    text = "f;montant\n" + "a;1,00\n" * records + "\n" * blank + "b;douze\n" * bad
    ledger = Ledger.read_csv(text.encode(), amount="montant", bad_rows="collect")
    assert (len(ledger), ledger.blank_rows, len(ledger.bad_rows)) == (records, blank, bad)
    said = lambda n, what: f"{n} {what}" + ("" if n == 1 else "s")
    html = essconv.display.ledger_html(ledger, lang="en")
    assert f"<b>Ledger</b>: {said(records, 'row')}, total " in html
    assert (f", {said(blank, 'blank row')} skipped" in html) == (blank > 0)
    assert (f", {said(bad, 'bad row')} kept aside" in html) == (bad > 0)
    assert repr(ledger).startswith(f"<Ledger {said(records, 'row')} [")


# ------------------------------------------------------------------------ one table, one format
@pytest.mark.parametrize("text, decimals", [
    # euros with cents: "1 000,5" over a Total of "1 000,60" read as two kinds of number
    ("en €;A;B;Total\nL1;1 000,50;0,25;1 000,75\nL2;0,10;2,33;2,43\nTotal;1 000,60;2,58;1 003,18\n", 2),
    ("en €;A;B;Total\nL1;1 000;3;1 003\nL2;7;2;9\nTotal;1 007;5;1 012\n", 0),       # whole euros
    ("en k€;A;B;Total\nL1;197;10,5;207,5\nL2;13;2;15\nTotal;210;12,5;222,5\n", None),  # as printed
])
def test_every_figure_of_a_euro_table_has_the_same_decimals(text, decimals):
    """A € table with cents shows every figure with both cent digits, in the text view, the
    HTML and the pivot, in both languages; each figure reads back to the Decimal printed."""
    plan = essconv.read_plan(io.BytesIO(text.encode()))
    printed = [c for row in (r.split(";") for r in text.splitlines()[1:]) for c in row[1:]]
    want = sorted(Decimal(c.replace(" ", "").replace(",", ".")) for c in printed)
    for lang, group, mark in (("fr", None, ","), ("en", ",", ".")):
        html_rows = Tables(essconv.display.plan_html(plan, lang=lang)).tables[0]
        pivot_rows = plan.pivot().to_rows(lang=lang)
        def number(c):
            return any(ch.isdigit() for ch in c) and all(
                ch.isdigit() or ch in " \u202f\u00a0,.-" for ch in c)
        figures = [c for r in html_rows[1:] for c in r[1:] if number(c)]
        figures += [c for r in pivot_rows[1:] for c in r[1:] if number(c)]
        assert figures
        for f in figures:
            frac = f.rpartition(mark)[2] if mark in f else ""
            if decimals is not None:
                assert len(frac) == decimals, (lang, f)
        def read(f):
            kept = "".join(ch for ch in f if ch.isdigit() or ch in "-" + mark)
            return Decimal(kept.replace(mark, "."))
        # the stated cells and totals are among the figures shown, exactly
        shown = sorted(read(f) for f in figures)
        assert all(v in shown for v in want), lang


def test_the_execution_chart_by_axis_has_a_bar_for_what_no_axis_holds():
    # a party's 500 000 € on a line the plan does not have: the table by axis says "sur aucune
    # ligne du plan",
    # the chart by axis drew no bar for it, its bars adding up to 274 000 € of 774 000 €
    import re
    from essconv.dashboard import execution_svg
    conv = essconv.default()
    ledger = Ledger.from_columns({"nomAttribuant": ["CDC", "CDC"],
                                  "dispositifAide": ["DLA", "Fonds inconnu"],
                                  "montant": [Decimal(274000), Decimal(500000)],
                                  "dateConvention": [dt.date(2009, 3, 1)] * 2}, amount="montant")
    ex = conv.execution(2009, ledger)
    for lang, label in (("fr", "sur aucune ligne du plan"), ("en", "on no line of the plan")):
        svg = execution_svg(ex, "axis", lang=lang).replace("\u202f", " ").replace("\xa0", " ")
        paid = [Decimal(re.sub(r"[ ,]", "", v).replace("€", "")) for v in
                re.findall(r"<title>(?:versé|paid)\s?: ([^<]+)</title>", svg)]
        assert sum(paid) == ex.total_paid == Decimal(774000), (lang, paid)
        assert label in svg


def test_the_execution_views_name_the_lines_under_no_axis_as_the_plan_report_does():
    # the lines a plan prints under no axis were a row "—" (beside "sans axe", the records on
    # no line), and a line printed under two axes a Python tuple "('Axe 1', 'Div')"
    from essconv.display import execution_html
    from essconv.dashboard import execution_svg
    conv = essconv.default()
    conv.add_plan(essconv.read_plan("en k€\t\tCDC\tTotal\n\tL0\t3\t3\nAxe 1\tDiv\t9\t9\n"
                                    "Axe 2\tDiv\t1\t1\nTotal\t\t13\t13\n".encode()), 2010)
    ledger = Ledger.from_columns({"nomAttribuant": ["CDC", "CDC"], "dispositifAide": ["L0", "D"],
                                  "montant": [Decimal(1000), Decimal(5)],
                                  "dateConvention": [dt.date(2010, 3, 1)] * 2}, amount="montant")
    ex = conv.execution(2010, ledger, lines={"D": ("Axe 1", "Div")})
    for lang, no_axis in (("fr", "hors axe"), ("en", "under no axis")):
        text, html = ex.text(lang), execution_html(ex, lang=lang)
        svg = execution_svg(ex, "axis", lang=lang) + execution_svg(ex, "line", lang=lang)
        for view in (text, html, svg):
            assert no_axis in view and "—" not in view.replace(" — ", "") and "('Axe" not in view
        assert "Div (Axe 1)" in svg and "Div (Axe 2)" in svg


def test_a_ledger_pivots_missing_key_is_said_in_the_displays_language(tmp_path):
    # the core names a missing key's line or funder "(missing)": a French table showed that
    # English word beside French headings, where an aggregate of the same ledger says "(vide)"
    grants = tmp_path / "grants.csv"
    grants.write_text("annee;financeur;montant\n2017;Région;1 000,55\n2018;;3\n;CDC;4\n",
                      encoding="utf-8")
    ledger = Ledger.read_csv(grants, amount="montant", ints=["annee"])
    plan = ledger.pivot(rows="financeur", columns="annee")
    assert "(missing)" in plan.lines and "(missing)" in plan.funders   # the API's keys stay
    from essconv.display import plan_html, plan_text
    for lang, blank in (("fr", "(vide)"), ("en", "(blank)")):
        shown = [plan_html(plan, lang=lang), plan_text(plan, lang=lang),
                 plan.pivot().text(lang), essconv.display.pivot_html(plan.pivot(), lang=lang)]
        for text in shown:
            assert "(missing)" not in text and blank in text, text
        # the missing line still holds its sum: 3 € in 2018
        line = next(l for l in plan_text(plan, lang=lang).splitlines() if blank in l and "3" in l)
        assert ("3,00" if lang == "fr" else "3.00") in line
    # a label written "(missing)" in a column with no blank cell is a label: shown as written
    labelled = tmp_path / "labelled.csv"
    labelled.write_text("annee;financeur;montant\n2017;(missing);5\n2018;CDC;4\n", encoding="utf-8")
    plan = Ledger.read_csv(labelled, amount="montant", ints=["annee"]).pivot("financeur", "annee")
    assert "(missing)" in plan_text(plan) and "(vide)" not in plan_text(plan)


class _AxisNumbers(HTMLParser):
    """The number a browser shows before each item of an ordered list: its ``value``, else
    the one after the previous item's (from 1).  Items of a bulleted list show none."""

    def __init__(self, html: str) -> None:
        self._lists: list[str] = []   # the lists open around the next item
        super().__init__()
        self.shown: list[int] = []
        self.feed(html)

    def handle_endtag(self, tag):
        if tag in ("ol", "ul") and self._lists:
            self._lists.pop()

    def handle_starttag(self, tag, attrs):
        if tag in ("ol", "ul"):
            self._lists.append(tag)
        if tag == "ol":
            self._next = 1
        elif tag == "li" and self._lists[-1:] == ["ol"]:   # a bulleted list shows no number
            value = dict(attrs).get("value")
            self._next = int(value) if value is not None else self._next
            self.shown.append(self._next)
            self._next += 1


def test_a_convention_displays_in_french_by_default_and_in_english_on_request():
    """The notebook's view of a convention spoke French alone: ``convention_html`` had no
    ``lang``.  The English page has no word of the French one around the text's own words
    (its title, party names and axis titles), its dates and figures the English way."""
    from essconv.display import convention_html
    conv = essconv.default()
    french = " ".join(Tables(convention_html(conv)).text)
    assert french == " ".join(Tables(conv._repr_html_()).text)           # the notebook's
    for said in ("Signataires", "Gouvernance", "×/an", "du 01/01/2009 au 31/12/2013",
                 "signée à Lille le 02/12/2009", "plus de 25 600 établissements"):
        assert said in french, said
    english = " ".join(Tables(convention_html(conv, lang="en")).text)
    for said in ("Signatories", "Governance", "×/year", "from 2009-01-01 to 2013-12-31",
                 "signed at Lille on 2009-12-02", "more than 25,600 establishments",
                 "219,200 jobs in 2006", "Strategic Committee (Comité stratégique, 4×/year)"):
        assert said in english, said
    for french_only in ("Signataires", "Gouvernance", "/an", " du 01/", "signée", "plus de",
                        "établissements", "emplois", "Chiffres clés"):
        assert french_only not in english, french_only
    # the text's French name only beside the English one, never alone
    assert "Comité stratégique" not in english.replace("Strategic Committee (Comité stratégique", "")
    with pytest.raises(Exception):
        convention_html(conv, lang="de")


def test_a_convention_with_no_plan_no_body_and_no_signatory_says_so(tmp_path):
    """A description with no plan yet, no body and no signatory showed "Plans :", "Gouvernance :"
    and "Signataires :" followed by nothing, as lines cut short: each says a dash."""
    from essconv.display import convention_html
    from test_description import MINIMAL
    bare = (MINIMAL[:MINIMAL.index("[[plans]]")].replace("signatory = true\n", "")
            .replace('[[bodies]]\nname = "Comité des financeurs"\nmeetings_per_year = 3\n'
                     'members = ["les signataires"]\n', ""))
    path = tmp_path / "bare.toml"
    path.write_text(bare, encoding="utf-8")
    conv = essconv.load(path)
    assert not conv.plans and not conv.bodies and not conv.signatories
    for lang, words in (("fr", ("Signataires", "Gouvernance", "Plans")),
                        ("en", ("Signatories", "Governance", "Plans"))):
        text = " ".join(Tables(convention_html(conv, lang=lang)).text)
        for word in words:
            assert re.search(word + r"\s*:\s*—", text), (lang, word, text)


def _convention_of_axes_2_and_5(tmp_path):
    """A description whose two axes are numbered 2 and 5, with its 2020 plan."""
    from test_description import MINIMAL, PLAN_2020
    (tmp_path / "plan-2020.tsv").write_text(PLAN_2020, encoding="utf-8")
    second = ('[[axes]]\nnumber = 5\ntitle = "Coopérer"\nplan_groups = ["Coopération"]\n'
              'means = ["Financer"]\n\n[[bodies]]')
    path = tmp_path / "axes.toml"
    path.write_text(MINIMAL.replace("number = 1\ntitle", "number = 2\ntitle")
                    .replace("[[bodies]]", second, 1), encoding="utf-8")
    conv = essconv.load(path)
    return conv


def test_a_conventions_axes_show_their_own_numbers(tmp_path):
    """An ordered list numbers its items from 1: a description whose axes are 2 and 5 was
    shown as axes 1 and 2, which the report and every sum by axis ("Axe 5") contradict."""
    from essconv.display import convention_html
    conv = _convention_of_axes_2_and_5(tmp_path)
    numbers = [a.number for a in conv.axes]
    assert numbers == [2, 5]
    for lang in ("fr", "en"):
        assert _AxisNumbers(convention_html(conv, lang=lang)).shown == numbers, lang
    assert _AxisNumbers(conv._repr_html_()).shown == numbers


def test_the_dashboards_axes_show_their_own_numbers(tmp_path):
    """The dashboard's "at a glance" listed the axes in an ordered list without their numbers:
    a description whose axes are 2 and 5 showed them as 1 and 2 above plans and charts that
    say "Axe 2" and "Axe 5"."""
    from essconv.dashboard import render
    conv = _convention_of_axes_2_and_5(tmp_path)
    numbers = [a.number for a in conv.axes]
    assert numbers == [2, 5]
    for lang in ("fr", "en"):
        page = render(conv, lang=lang, today=dt.date(2021, 1, 1))
        assert _AxisNumbers(page).shown == numbers, lang


@pytest.mark.parametrize("lang, outside", [
    ("fr", "{year} est hors de la durée de la convention (2009–2013) : aucune réunion n'y est due"),
    ("en", "{year} is outside the term (2009–2013): no meeting is due in it"),
])
def test_a_years_meetings_outside_the_term_say_why_there_are_none(lang, outside):
    """conv.meetings(2015) showed an empty table « Calendrier de la gouvernance — 2015 (0) »
    and no reason: a year outside the term says so; a year of the term says nothing of it."""
    import html
    conv = essconv.default()
    for year in (2007, 2008, 2009, 2011, 2013, 2014, 2030):
        shown = html.unescape(meetings_html(conv.meetings(year), lang=lang))
        shown = shown.replace("\u00a0", " ").replace("\u202f", " ")
        outside_term = year not in conv.years   # the twin: the term's years as the data gives
        assert (outside.format(year=year) in shown) is outside_term, (year, shown)
        assert (len(conv.meetings(year)) == 0) or not outside_term
        if outside_term:
            assert "<td colspan=\"2\">" in shown and "hors de" not in meetings_html(
                conv.meetings(year), lang="en")


@pytest.mark.parametrize("lang, before", [
    ("fr", "aucune réunion n'est due avant le 01/06/2021, quand les instances commencent à se "
           "réunir"),
    ("en", "no meeting is due before 2021-06-01, when the bodies start meeting"),
])
def test_a_year_of_the_term_before_the_bodies_meet_says_why_it_has_none(tmp_path, lang, before):
    """A term from 2020 whose bodies meet from June 2021: conv.meetings(2020) showed an empty
    table « (0) » and no reason, as a year outside the term did."""
    import html
    path = tmp_path / "late.toml"
    path.write_text('[convention]\ntitle = "Convention ESS"\nterritory = "Nord"\n'
                    'start = 2020-01-01\nend = 2022-12-31\nmeetings_from = 2021-06-01\n\n'
                    '[[bodies]]\nname = "Comité"\nmeetings_per_year = 2\n', encoding="utf-8")
    conv = essconv.load(path)
    for year in (2020, 2021, 2022):
        shown = html.unescape(meetings_html(conv.meetings(year), lang=lang))
        shown = shown.replace("\u00a0", " ").replace("\u202f", " ")
        # the twin: no meeting's period ends on or after the day the bodies start
        owes_none = year < conv.meetings_from.year
        assert (before in shown) is owes_none, (year, shown)
        assert (len(conv.meetings(year)) == 0) is owes_none


# ------------------------------------------------------------------ ledger and similar labels
NNBSP, NBSP = "\u202f", "\u00a0"


def test_a_ledger_shows_in_french_by_default_and_in_english_on_request():
    """The ledger's notebook display was English only ("Ledger: 2 rows, total ..."), beside
    French aggregates and conventions: French by default, English with ``lang="en"``, each
    output in one language, its figures too."""
    text = "f;montant\n" + "a;1234567,25\n" + "b;0,25\n" + "\n" + "c;douze\n"
    ledger = Ledger.read_csv(text.encode(), amount="montant", bad_rows="collect")
    french = Tables(ledger._repr_html_())
    said = "".join(french.text[1:3])   # past the style sheet
    assert said == (f"Registre{NBSP}: 2 lignes, total 1{NNBSP}234{NNBSP}567,50{NBSP}€, 1 ligne "
                    f"vide ignorée, 1 ligne illisible mise de côté"), said
    assert french.tables[0][0] == ["montantmontant", "flibellé"]   # the column, then its kind
    assert french.tables[0][1] == [f"1{NNBSP}234{NNBSP}567,25", "a"]
    assert ledger._repr_html_() == essconv.display.ledger_html(ledger, lang="fr")
    english = Tables(essconv.display.ledger_html(ledger, lang="en"))
    assert "".join(english.text[1:3]) == ("Ledger: 2 rows, total 1,234,567.50 €, 1 blank row "
                                         "skipped, 1 bad row kept aside")
    assert english.tables[0][1] == ["1,234,567.25", "a"]
    assert not re.search(r"\b(rows?|Ledger|label|amount|skipped|aside)\b",
                         " ".join(french.text[1:]))
    assert not re.search(r"\b(lignes?|Registre|libellé|montant|ignorée|illisible)\b",
                         " ".join(t for t in english.text[1:] if t != "montant"))
    with pytest.raises(essconv.InvalidValueError):
        essconv.display.ledger_html(ledger, lang="de")


@pytest.mark.parametrize("rows, french, english", [
    (0, "0 ligne", "0 rows"), (1, "1 ligne", "1 row"), (2, "2 lignes", "2 rows")])
def test_a_ledger_in_french_counts_none_and_one_in_the_singular(rows, french, english):
    ledger = Ledger.from_columns({"f": ["a"] * rows, "montant": ["1"] * rows}, amount="montant")
    assert f"Registre</b>{NBSP}: {french}, total" in ledger._repr_html_()
    assert f"Ledger</b>: {english}, total" in essconv.display.ledger_html(ledger, lang="en")


def test_a_long_ledger_says_the_rows_left_out_grouped_in_its_language():
    n = 12_345
    ledger = Ledger.from_columns({"f": [f"x{i}" for i in range(n)], "montant": ["1"] * n},
                                 amount="montant")
    hidden = n - 15      # ten first rows and five last shown
    french, english = ledger._repr_html_(), essconv.display.ledger_html(ledger, lang="en")
    assert f"12{NNBSP}345 lignes" in french and f"… 12{NNBSP}330 autres lignes" in french
    assert f"{n:,} rows" in english and f"… {hidden:,} more rows" in english


def test_similar_labels_show_in_french_by_default_and_in_english_on_request():
    """The groups of similar labels were shown in English only: French by default in the
    notebook and in ``str()``, English on request, their figures as each language writes them."""
    ledger = Ledger.from_columns({"nomBeneficiaire": ["Lot", "LOT", "Asso X", "X"],
                                  "montant": ["1", "2", "3000", "4.5"]}, amount="montant")
    similar = ledger.similar_labels("nomBeneficiaire")
    page = Tables(similar._repr_html_())
    assert page.captions == [f"Libellés de «{NBSP}nomBeneficiaire{NBSP}» qui désignent "
                             f"probablement une même entité{NBSP}: 2 groupes"]
    assert page.tables[0] == [
        ["raison", "libellé", "enregistrements", "montant (€)"],
        ["même nom une fois normalisé", "x", "2", f"3{NNBSP}004,50"],
        ["", "Asso X", "1", f"3{NNBSP}000,00"],
        ["", "X", "1", "4,50"],
        ["même nom une fois normalisé", "lot", "2", "3,00"],
        ["", "LOT", "1", "2,00"],
        ["", "Lot", "1", "1,00"]]
    text = str(similar).splitlines()
    assert text[1] == (f"même nom une fois normalisé «{NBSP}x{NBSP}»{NBSP}: 2 enregistrements, "
                       f"3{NNBSP}004,50{NBSP}€")
    assert text[2] == f"  «{NBSP}Asso X{NBSP}»{NBSP}: 1 enregistrement, 3{NNBSP}000,00{NBSP}€"
    assert str(similar) == essconv.display.similar_labels_text(similar, lang="fr")
    english = Tables(essconv.display.similar_labels_html(similar, lang="en"))
    assert english.tables[0][1] == ["same name once folded", "x", "2", "3,004.50"]
    shown = " ".join(page.text[1:] + text)   # past the style sheet
    assert not re.search(r"\b(groups?|records?|labels?|same|why)\b", shown), shown


def test_more_than_fifty_groups_of_similar_labels_are_counted_in_their_language():
    labels = [name for k in range(52) for name in (f"Nom{k:02d}", f"NOM{k:02d}")]
    ledger = Ledger.from_columns({"nom": labels, "montant": ["1"] * len(labels)},
                                 amount="montant")
    similar = ledger.similar_labels("nom")
    assert len(similar) == 52
    assert "<p>… 2 autres groupes</p>" in similar._repr_html_()
    assert str(similar).splitlines()[-1] == "… 2 autres groupes"
    assert "<p>… 2 more groups</p>" in essconv.display.similar_labels_html(similar, lang="en")


def _grouped_by_hand(count: int, separator: str) -> str:
    """Thousands grouped by slicing the digits from the right (no format spec)."""
    digits = str(count)
    head = len(digits) % 3 or 3
    return separator.join([digits[:head]] + [digits[k:k + 3] for k in range(head, len(digits), 3)])


@pytest.mark.parametrize("groups", [999, 1_000, 12_345])
def test_an_aggregates_notes_group_their_counts_as_each_language_writes_them(groups):
    """"montant par f : 12345 groupes", "… 12295 autres groupes": a large count was printed
    ungrouped in the aggregate's caption, its note of the groups not shown and its merged
    lines; French groups it with narrow no-break spaces, English with commas."""
    # labels "Autres" and "Total": the merged lines then say how many groups they merge
    labels = ["Autres", "Total"] + [f"k{i}" for i in range(groups - 2)]
    ledger = Ledger.from_columns({"f": labels, "m": ["2", "2"] + ["1"] * (groups - 2)},
                                 amount="m")
    agg = ledger.group_by("f").sum().sort()   # the largest first: "Autres" and "Total" shown
    fr, en = (lambda n: _grouped_by_hand(n, NNBSP)), (lambda n: _grouped_by_hand(n, ","))
    hidden = groups - 50
    french = Tables(agg.with_total()._repr_html_())
    assert french.captions == [f"montant par f{NBSP}: {fr(groups)} groupes"]
    assert french.tables[0][-2] == [f"… {fr(hidden)} autres groupes, non affichés, comptés dans "
                                    f"le total"]
    assert french.tables[0][-1][0] == f"Total ({fr(groups)} groupes)"
    english = Tables(essconv.display.aggregate_html(agg.with_total(), lang="en"))
    assert english.captions == [f"amount by f: {en(groups)} groups"]
    assert english.tables[0][-2] == [f"… {en(hidden)} more groups, not shown, counted in the total"]
    assert english.tables[0][-1][0] == f"Total ({en(groups)} groups)"
    merged = Tables(agg.top(3, others=True)._repr_html_()).tables[0]
    assert merged[-1][0] == f"Autres ({fr(groups - 3)} groupes)"
    # the export writes the same note in its cell
    assert f"… {fr(groups - 3)} autres groupes" in agg.top(3).to_csv()
    assert f"… {en(groups - 3)} more groups" in agg.top(3).to_csv(lang="en")


def test_a_large_pivots_size_and_note_group_their_counts_as_each_language_writes_them():
    """"(12345 lignes × 3 financeurs)", "non affichés (…) : 12305 lignes": a ledger's pivot
    runs to millions of lines, and its size and the note of the lines not shown were printed
    ungrouped; grouped now, French with narrow no-break spaces, English with commas."""
    n = 12_345
    ledger = Ledger.from_columns({"f": [f"k{i}" for i in range(n)],
                                  "g": ["a", "b", "c"] * (n // 3), "m": ["1"] * n}, amount="m")
    pivot = ledger.pivot("f", "g")
    hidden = n - 40   # the first and last 20 lines shown
    fr, en = (lambda k: _grouped_by_hand(k, NNBSP)), (lambda k: _grouped_by_hand(k, ","))
    text = str(pivot).splitlines()
    assert text[0].endswith(f"({fr(n)} lignes × 3 financeurs)")
    assert text[1].startswith(f"non affichés (…){NBSP}: {fr(hidden)} lignes")
    caption = Tables(pivot._repr_html_()).captions[0]
    assert f"{fr(n)} lignes × 3 financeurs" in caption and f": {fr(hidden)} lignes" in caption
    english = Tables(essconv.display.plan_html(pivot, lang="en")).captions[0]
    assert f"{en(n)} lines x 3 funders" in english and f": {en(hidden)} lines;" in english
    assert f"{en(hidden)} lines;" in essconv.display.plan_text(pivot, lang="en")


def _chart_figures(svg: str, lang: str) -> list[tuple[str, Decimal, str]]:
    """Each bar segment's (name, figure, unit) as its tooltip prints it, read back to a
    Decimal by hand (group marks dropped, the decimal mark made a point)."""
    mark = "," if lang == "fr" else "."
    out = []
    for name, figure, unit in re.findall(r"<title>([^<:]+?)\s?: ([-\d\s\u202f,.]+)\xa0(k?€)</title>",
                                         svg):
        digits = re.sub(r"[\s\u202f]", "", figure)
        if mark == ",":
            digits = digits.replace(",", ".")
        else:
            digits = digits.replace(",", "")
        out.append((name, Decimal(digits), unit))
    return out


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_term_chart_shows_a_euro_plan_beside_a_keur_plan_in_euros_exactly(lang):
    # a plan given in euros, shown in k€ beside the 2009 plan, read "2,20025 k€": five
    # decimals no unit shows.  The chart takes the finest unit of its plans (€ here): every
    # figure exact, with the decimals that unit prints
    from essconv.dashboard import plans_over_years_svg
    conv = essconv.default()
    conv.add_plan(essconv.read_plan("en €\tCDC\tCR-NPDC\nL1\t2 200,25\t1 000\n".encode()), 2010)
    svg = plans_over_years_svg(conv, lang=lang)
    figures = _chart_figures(svg, lang)
    # 2009 in k€ times 1 000, then 2010 as written, each party in the plan's order
    want = [(p, v * 1000) for p, v in conv.plan(2009).by_party(conv).items()] + \
        [("CDC", Decimal("2200.25")), ("CR-NPDC", Decimal(1000))]
    assert [(n, v) for n, v, _u in figures] == want, figures
    assert {u for _n, _v, u in figures} == {"€"}
    assert "(€)" in svg and "k€" not in svg
    # no figure with more decimals than a euro has
    mark = "," if lang == "fr" else "."
    shown = re.findall(r"\d[\d\u202f,.]*(?=\xa0€)", svg)
    assert shown and all(len(s.partition(mark)[2]) in (0, 2) for s in shown), shown


def test_the_term_chart_of_keur_plans_stays_in_keur():
    from essconv.dashboard import plans_over_years_svg
    conv = essconv.default()
    conv.add_plan(essconv.read_plan("en k€\tCDC\tCR-NPDC\nL1\t12,5\t100\n".encode()), 2010)
    figures = _chart_figures(plans_over_years_svg(conv), "fr")
    want = list(conv.plan(2009).by_party(conv).items()) + \
        [("CDC", Decimal("12.5")), ("CR-NPDC", Decimal(100))]
    assert [(n, v) for n, v, _u in figures] == want
    assert {u for _n, _v, u in figures} == {"k€"}


@pytest.mark.parametrize("lang, no_plan", [("fr", "pas de plan"), ("en", "no plan")])
def test_the_term_chart_prints_no_amount_for_a_year_without_a_plan(lang, no_plan):
    # "2011 (pas de plan)" then "0 k€" beside its empty bar: a figure for a plan there is not,
    # read as a plan of nothing; the years with a plan print their total, exact
    from essconv.dashboard import plans_over_years_svg
    conv = essconv.default()
    svg = plans_over_years_svg(conv, lang=lang)
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    for year in conv.years:
        at = next(i for i, t in enumerate(texts) if t.startswith(str(year)))
        after = texts[at + 1] if at + 1 < len(texts) else ""
        if year in conv.plans:
            total = sum(conv.plan(year).by_party(conv).values())
            assert after.replace("\u202f", "").replace(",", "").startswith(str(total)), after
        else:
            assert no_plan in texts[at] and not after.endswith("€"), (year, after)


@pytest.mark.parametrize("lang, one, all_of, first_one, first_of", [
    ("fr", "Le constat", "Les {n} constats", "Le premier constat sur {total}",
     "Les {n} premiers constats sur {total}"),
    ("en", "The finding", "All {n} findings", "First finding of {total}", "First {n} of {total} findings")])
def test_the_scdl_reports_caption_counts_the_findings_it_shows_in_words(lang, one, all_of,
                                                                       first_one, first_of):
    """A report of one finding was captioned "Les 1 premiers constats sur 1" ("First 1 of 1
    findings"), and a report shown whole "Les 5 premiers constats sur 5", as if cut short."""
    from essconv.display import scdl_report_html
    empty = essconv.validate_scdl(b"")
    assert len(empty) == 1
    assert Tables(scdl_report_html(empty, lang=lang)).captions[1] == one
    report = essconv.validate_scdl(SCDL / "scdl-subventions-exemple-invalide-cellules.csv")
    found = len(report)
    assert found > 20
    total = f"{found:,}".replace(",", "\u202f" if lang == "fr" else ",")
    for first, caption in ((found, all_of.format(n=total)), (found + 5, all_of.format(n=total)),
                           (1, first_one.format(total=total)),
                           (20, first_of.format(n=20, total=total))):
        page = Tables(scdl_report_html(report, first, lang=lang))
        assert page.captions[1] == caption, first
        assert len(page.tables[1]) - 1 == min(first, found)   # the rows the caption counts


@pytest.mark.parametrize("lang, said, plan_words", [
    ("fr", "aucun enregistrement à croiser", ("plan", "en-tête")),
    ("en", "no record to pivot", ("plan", "header"))])
def test_a_pivot_of_no_record_says_so_not_that_a_plan_is_empty(lang, said, plan_words):
    """A ledger's pivot of no record (an empty file, a filter keeping nothing) was captioned
    "le plan est vide : un en-tête sans aucune ligne": no plan, no header, only records."""
    from essconv.display import plan_html
    ledger = Ledger.from_columns({"financeur": ["CDC", "CR"], "annee": [2017, 2018],
                                  "montant": [Decimal("1.50"), Decimal("2")]}, amount="montant")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nothing = ledger.filter(financeur="Personne")
    assert len(nothing) == 0
    empty = nothing.pivot("financeur", "annee")
    [caption] = Tables(plan_html(empty, lang=lang)).captions
    assert said in caption
    for word in plan_words:
        assert word not in caption.lower(), caption
    full = ledger.pivot("financeur", "annee")   # records to pivot: nothing said of them
    [caption] = Tables(plan_html(full, lang=lang)).captions
    assert said not in caption
    if lang == "fr":
        assert Tables(empty._repr_html_()).captions == Tables(plan_html(empty)).captions
    # its findings' view and its text say it alike
    report = empty.validate()
    assert not report.findings
    listing = " ".join(Tables(essconv.display.report_html(report, lang=lang)).text)
    assert said in listing and "plan" not in listing, listing
    assert str(report) == "no record to pivot"


def test_similar_labels_in_english_text_count_records_as_english_writes_them():
    """The English text of similar labels printed "1 records" of a spelling met once and
    "1234 records" digit by digit, where its HTML and the French text group and agree."""
    labels = ["Ville de Poitiers"] * 1_234 + ["VILLE DE POITIERS"]
    ledger = Ledger.from_columns({"nomBeneficiaire": labels, "montant": ["2"] * len(labels)},
                                 amount="montant")
    similar = ledger.similar_labels("nomBeneficiaire")
    text = essconv.display.similar_labels_text(similar, lang="en").splitlines()
    assert text[1].endswith(": 1,235 records, 2,470.00 €"), text[1]   # 1 235 × 2 €, by hand
    assert text[2] == "  'Ville de Poitiers': 1,234 records, 2,468.00 €"
    assert text[3] == "  'VILLE DE POITIERS': 1 record, 2.00 €"
    french = str(similar).splitlines()
    assert french[1].endswith("\u00a0: 1\u202f235 enregistrements, 2\u202f470,00\u00a0€"), french[1]


@pytest.mark.parametrize("lang, consistent, unchecked", [
    ("fr", "totaux cohérents", "totaux non vérifiés"),
    ("en", "totals consistent", "totals not checked")])
def test_a_plan_whose_sums_overflow_is_not_said_consistent(lang, consistent, unchecked):
    """A plan whose sums pass int64 cents with no total printed to say it at cannot be
    validated (``validate()`` refuses it), yet its table was captioned "totaux cohérents": the
    display swallowed the refusal and took the empty report for a clean one.  (A printed
    total over such a sum is a finding at that total: the caption counts it.)"""
    from essconv.display import plan_html
    table = "Ligne;CR;CDC;Total\nA;{x};1;\nB;1;1;2\nTotal;;2;\n"
    plan = essconv.read_plan(table.format(x="92233720368547758,07").encode())
    with pytest.raises(essconv.MoneyOverflowError):
        plan.validate()                           # the twin: no validation to show
    [caption] = Tables(plan_html(plan, lang=lang)).captions
    assert consistent not in caption and unchecked in caption, caption
    printed = essconv.read_plan(
        "Ligne;CR;CDC;Total\nA;92233720368547758,07;1;4\nB;1;1;2\nTotal;4;2;6\n".encode())
    [caption] = Tables(plan_html(printed, lang=lang)).captions
    assert consistent not in caption and unchecked not in caption and "3" in caption, caption
    fits = essconv.read_plan(table.format(x="3").encode())
    assert fits.validate().ok                     # the same table within the limits: said so
    [caption] = Tables(plan_html(fits, lang=lang)).captions
    assert consistent in caption and unchecked not in caption, caption


@pytest.mark.parametrize("lang, beyond, below", [
    ("fr", "au-delà de 92\u202f233\u202f720\u202f368\u202f547\u202f758,07\u00a0€",
     "en deçà de -92\u202f233\u202f720\u202f368\u202f547\u202f758,08\u00a0€"),
    ("en", "beyond 92,233,720,368,547,758.07\u00a0€", "below -92,233,720,368,547,758.08\u00a0€")])
@pytest.mark.parametrize("first, second", [
    ("92233720368547758,07", "1"),        # CR's sum one cent past the ceiling
    ("-92233720368547758,08", "-1")])     # CR's sum one cent under the floor
def test_an_overflowing_plans_caption_says_which_side_its_sums_left_by(lang, beyond, below,
                                                                      first, second):
    """The caption of a plan whose sums overflow said "(±92 233 720 368 547 758,07 €)": no
    side, and a floor that is not int64 cents' (…,08): a huge negative total read as a huge
    positive one.  It says the side, as the sums' own cells do."""
    from essconv.display import plan_html
    # no total printed over CR's sum (a printed one is a finding at it, said with the side)
    table = f"Ligne;CR;CDC;Total\nA;{first};1;\nB;{second};1;2\nTotal;;2;\n"
    plan = essconv.read_plan(table.encode())
    # the twin: CR's sum by hand, against int64 cents' bounds
    cr = Decimal(first.replace(",", ".")) + Decimal(second.replace(",", "."))
    ceiling = Decimal(2**63 - 1).scaleb(-2)
    assert cr > ceiling or cr < -ceiling - Decimal("0.01")
    expected, other = (below, beyond) if cr < 0 else (beyond, below)
    [caption] = Tables(plan_html(plan, lang=lang)).captions
    assert expected in caption and other not in caption and "±" not in caption, caption


@pytest.mark.parametrize("table", [
    "Ligne;CR;CDC;Total\nA;1;2,5;\nB;3;-4;\nTotal;;;\n",     # a Total column and row left blank
    "Ligne;CR;CDC;Total\nA;1;2,5;\nB;3;-4;\n",               # a blank Total column alone
    "Ligne;CR;CDC\nA;1;2,5\nB;3;-4\nTotal;;\n"])             # a blank Total row alone
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_plan_stating_no_total_shows_what_its_cells_give_in_html(table, lang):
    """A template whose Total column and row are left blank showed them blank in HTML (no sum
    at all before the committee), where the text shows what the cells give: the HTML shows
    those sums, as it does for a table that has no Total column or row."""
    from essconv.display import plan_html
    plan = essconv.read_plan(table.encode(), year=2010)
    assert any(f.code == "no-total" for f in plan.validate())
    lines = [row.split(";") for row in table.splitlines()[1:] if not row.startswith("Total")]
    number = lambda text: Decimal(text.replace(",", "."))   # noqa: E731 -- the table's own cells
    twin = [[number(c) for c in row[1:3]] for row in lines]
    printed = lambda v: (f"{v:,.2f}".replace(",", " ").replace(".", ",").replace(" ", "\u202f")
                         if lang == "fr" else f"{v:,.2f}")   # noqa: E731
    body = Tables(plan_html(plan, lang=lang)).tables[0]
    for row, cells in zip(body[1:-1], twin):
        assert row[-1] == printed(sum(cells)), row
    assert body[-1][2:] == [printed(twin[0][0] + twin[1][0]), printed(twin[0][1] + twin[1][1]),
                            printed(sum(map(sum, twin)))]


def test_a_plans_text_shows_the_control_characters_of_its_labels_as_escapes():
    """A backspace in a line's label moved ``print(plan)``'s cursor back over its row, and an
    escape sequence in a funder's heading ("\\x1b[2J") reached the terminal, which cleared the
    screen: each is shown as its escape, the table aligned.  (A line break inside a label is
    read as a space: test_plan_dress.)"""
    import unicodedata
    label, funder = "L1\x08suite\x07", "C\x1b[2JDC"
    data = f'Ligne;"{funder}";CR;Total\n"{label}";1;2;3\nB;3;4;7\nTotal;4;6;10\n'.encode()
    plan = essconv.read_plan(data)
    assert plan.lines == [label, "B"] and plan.funders[0] == funder   # read as written
    escaped = lambda text: text.encode("unicode_escape").decode("ascii")   # noqa: E731 -- Python's
    for text in (str(plan), str(plan.pivot()), essconv.display.plan_text(plan, lang="en")):
        lines = text.split("\n")
        assert not [c for c in text if c != "\n" and unicodedata.category(c) == "Cc"], text
        assert escaped(label) in text and escaped(funder) in text, text
        table = [line for line in lines if line.strip() and not set(line) <= {"-"}][1:]
        assert len({len(line) for line in table}) == 1, text       # every row aligned


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_similar_labels_and_an_execution_in_text_show_control_characters_as_escapes(lang):
    """The text of similar labels and of an execution printed a label's line break and escape
    sequence as they are: "Lot" then "X" on a line of its own, and "\\x1b[2J" clearing the
    terminal over the rows above it."""
    import unicodedata
    labels = ["Lot\nX\x1b[2J", "LOT\nx\x1b[2J"]
    ledger = Ledger.from_columns({"nomAttribuant": labels, "montant": ["1", "2"],
                                  "dateConvention": [dt.date(2009, 3, 1)] * 2}, amount="montant")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        execution = essconv.default().execution(2009, ledger)
    similar = ledger.similar_labels("nomAttribuant")
    assert len(similar) == 1
    for text in (essconv.display.similar_labels_text(similar, lang=lang), execution.text(lang)):
        assert not [c for c in text if c != "\n" and unicodedata.category(c) == "Cc"], text
        for label in labels:   # each still there, on its own line, as Python escapes it
            escaped = label.encode("unicode_escape").decode("ascii")
            assert any(escaped in line for line in text.split("\n")), (label, text)


@pytest.mark.parametrize("lang, one_more, not_kept_one", [
    ("fr", "… et 1 autre constat", "1 constat compté mais non gardé (max_findings=1 par code)"),
    ("en", "… 1 more finding", "1 finding counted but not kept (max_findings=1 per code)")])
def test_one_finding_past_those_shown_or_kept_is_said_in_the_singular(lang, one_more, not_kept_one):
    """"constat(s) comptés" and "1 autres constats" read as a form left unfilled."""
    import csv
    from essconv.display import report_html, scdl_report_html
    plan = essconv.read_plan(
        ("Action;CR;CDC;Total\n" + "".join(f"L{k};1;2;4\n" for k in range(100))).encode())
    report = plan.validate()
    # the table prints no unit either: that warning set aside, as the count is this test's
    report = essconv.Report([f for f in report if "read in euros" not in f.message], plan)
    assert len(report) == 101   # one past the 100 shown
    assert one_more in report_html(report, lang=lang)
    # the schema's valid example with two records whose SIRET fails its check: one kept
    rows = list(csv.reader(io.StringIO(
        (SCDL / "scdl-subventions-exemple-valide.csv").read_text(encoding="utf-8"), newline="")))
    header, body = rows[0], rows[1:3]
    for row in body:
        row[header.index("idBeneficiaire")] = "12345678900000"   # no Luhn sum of 0
    out = io.StringIO()
    csv.writer(out).writerows([header] + body)
    scdl = essconv.validate_scdl(out.getvalue().encode(), max_findings=1)
    assert scdl.not_kept == {"error": {"siret-check": 1}}
    assert not_kept_one in scdl_report_html(scdl, lang=lang)


def test_a_plans_repr_counts_one_line_and_one_funder_in_the_singular():
    plan = essconv.read_plan(b"Action;CR;Total\nDLA;10;10\n")
    assert repr(plan).startswith("<Plan: 1 line x 1 funder, ")
    two = essconv.read_plan(b"Action;CR;CDC;Total\nDLA;10;5;15\nPLIE;1;1;2\n")
    assert repr(two).startswith("<Plan: 2 lines x 2 funders, ")


@pytest.mark.parametrize("lang, kept_all, kept_first", [
    ("fr", "Les {n} constats gardés sur {total}", "Le premier des {kept} constats gardés sur {total}"),
    ("en", "The {n} findings kept of {total}", "First of the {kept} findings kept of {total}")])
def test_an_scdl_report_keeping_fewer_findings_than_it_found_says_so_in_its_caption_and_repr(
        lang, kept_all, kept_first):
    """With ``max_findings``, a report of 65 errors keeping 11 was captioned "All 11 findings"
    and its repr read ``errors=11 findings=11``; keeping none, "Les 0 constats" over an empty
    table and ``<ScdlReport ok=False errors=0 findings=0>`` -- a failed file read as clean.
    The caption says the kept ones out of those found; nothing kept, no empty table; the repr
    counts every finding met, and the kept ones beside."""
    from essconv.display import scdl_report_html
    path = SCDL / "scdl-subventions-exemple-invalide-cellules.csv"
    whole = essconv.validate_scdl(path, max_findings=None)
    found = len(whole)                               # every finding, each one kept
    errors = sum(f.severity == "error" for f in whole.findings)
    group = "\u202f" if lang == "fr" else ","
    total = f"{found:,}".replace(",", group)
    for limit in (0, 1, 3):
        report = essconv.validate_scdl(path, max_findings=limit)
        kept = len(report)
        assert kept < found
        assert repr(report) == (f"<ScdlReport ok=False errors={errors} findings={found}, "
                                f"{kept} kept (max_findings={limit} per code)>")
        page = Tables(scdl_report_html(report, lang=lang))
        if kept == 0:
            assert len(page.tables) == 1 and len(page.captions) == 1   # the counts alone
            continue
        assert page.captions[1] == kept_all.format(n=f"{kept:,}".replace(",", group), total=total)
        assert len(page.tables[1]) - 1 == kept
        page = Tables(scdl_report_html(report, 1, lang=lang))
        assert page.captions[1] == kept_first.format(kept=kept, total=total)
        assert len(page.tables[1]) - 1 == 1
    assert repr(whole) == f"<ScdlReport ok=False errors={errors} findings={found}>"


@pytest.mark.parametrize("lang, blank, missing_key", [("fr", "(vide)", "(clé manquante)"),
                                                      ("en", "(blank)", "(missing key)")])
def test_a_ledger_tells_a_missing_value_from_a_label_written_as_its_sign_in_text(lang, blank, missing_key):
    """A missing value and a label "—" both showed "—" (the grey colour alone told them apart):
    the missing value says so in words, as the aggregates do, "(clé manquante)" beside a label
    written "(vide)"."""
    dash = Ledger.from_columns({"f": ["—", None, "CDC"], "annee": [2009, None, 2010],
                                "montant": ["1", "2", "3"]}, amount="montant")
    rows = Tables(essconv.display.ledger_html(dash, lang=lang)).tables[0][1:]
    assert [r[0] for r in rows] == ["—", blank, "CDC"]
    assert [r[1] for r in rows] == ["2009", blank, "2010"]
    written = Ledger.from_columns({"f": [blank, None], "montant": ["1", "2"]}, amount="montant")
    rows = Tables(essconv.display.ledger_html(written, lang=lang)).tables[0][1:]
    assert [r[0] for r in rows] == [blank, missing_key]
    assert len({r[0] for r in rows}) == len(rows)   # each told from the other in text


@pytest.mark.parametrize("lang, unstated, consistent, overflowed", [
    ("fr", "totaux non vérifiés : le tableau n'indique aucun total", "totaux cohérents",
     "totaux non vérifiés : leurs sommes dépassent"),
    ("en", "totals not checked: the table states no total", "totals consistent",
     "totals not checked: their sums pass")])
def test_a_plans_text_says_whether_its_totals_were_checked(lang, unstated, consistent,
                                                           overflowed):
    """The text view (``str(plan)``, the text report's plan) said nothing of its totals: a plan
    stating no Total to check its cells against read like a checked one.  Its title line now
    says the state the HTML caption says -- and the caption says the unchecked totals too."""
    from essconv.display import plan_html, plan_text

    def title(table: str) -> str:
        first = plan_text(essconv.read_plan(table.encode()), lang=lang).splitlines()[0]
        return first.replace("\u00a0", " ")

    def caption(table: str) -> str:
        [said] = Tables(plan_html(essconv.read_plan(table.encode()), lang=lang)).captions
        return said.replace("\u00a0", " ")

    bare = "Ligne;CDC;Etat\nA;10;20\nB;5;5\n"
    assert title(bare).endswith(" — " + unstated)
    assert caption(bare).endswith(" — " + unstated)
    holding = "Ligne;CDC;Etat;Total\nA;10;20;30\nB;5;5;10\nTotal;15;25;40\n"
    assert title(holding).endswith(" — " + consistent) and unstated not in title(holding)
    wrong = holding.replace("40\n", "41\n")
    assert title(wrong).endswith(" — " + ("incohérences : 1" if lang == "fr"
                                          else "inconsistencies: 1"))
    past = "Ligne;CR;CDC;Total\nA;92233720368547758,07;1;\nB;1;1;2\nTotal;;2;\n"
    assert overflowed in title(past) and consistent not in title(past)
    # a ledger's pivot computes its totals: nothing to check, nothing said
    pivot = essconv.Ledger.read_csv(b"f;n;montant\nA;x;1\nB;y;2\n", amount="montant").pivot("f", "n")
    assert not any(w in plan_text(pivot, lang=lang).splitlines()[0]
                   for w in (unstated, consistent, "totaux", "totals"))


# --- a group of similar labels summed in Python past int64 cents (two spellings each under the
# limit) made str(), the notebook view and the English text raise MoneyOverflowError from
# format_amount: a Decimal of any size is a number, and is printed
def test_similar_labels_whose_group_sums_past_int64_cents_are_printed_exactly():
    from essconv.display import similar_labels_html, similar_labels_text
    big = 6 * 10**18   # cents: each label fits, their group's 120 000 000 000 000 000 € do not
    ledger = Ledger.from_columns({"nom": ["Ville de Paris", "VILLE DE PARIS"],
                                  "montant": [big, big + 1]}, amount="montant", cents=True)
    similar = ledger.similar_labels("nom")
    assert similar[0].amount * 100 == 2 * big + 1 > 2**63
    french = str(similar).splitlines()
    assert french[1].endswith(f"2 enregistrements, 120{NNBSP}000{NNBSP}000{NNBSP}000{NNBSP}000"
                              f"{NNBSP}000,01{NBSP}€")
    english = similar_labels_text(similar, lang="en").splitlines()
    assert english[1].endswith("2 records, 120,000,000,000,000,000.01 €")
    assert Tables(similar_labels_html(similar, lang="en")).tables[0][1][-1] == (
        "120,000,000,000,000,000.01")
    assert Tables(similar._repr_html_()).tables[0][1][-1] == (
        f"120{NNBSP}000{NNBSP}000{NNBSP}000{NNBSP}000{NNBSP}000,01")


def test_a_pivots_text_keeps_apart_labels_alike_in_their_first_44_characters():
    # the text view cut every row label at 46 columns: the objects of two grants alike in their
    # first 44 characters read as one label twice, with two different amounts beside it
    alike = ["Association intégrée au dispositif des critères " + end
             for end in ("sociaux de l'année", "environnementaux")]
    long_label = "B" * 100
    ledger = essconv.Ledger.from_columns(
        {"objet": [*alike, long_label], "f": ["CDC"] * 3, "montant": ["1", "2", "3"]},
        amount="montant")
    for text in (str(ledger.pivot(rows="objet", columns="f")),
                 essconv.display.plan_text(ledger.pivot(rows="objet", columns="f"), lang="en")):
        shown = [line.split("  ")[1] for line in text.splitlines() if line.startswith("  ")]
        assert shown[:2] == alike
        # past 80 characters, the first 79 and « … », as every view cuts a label
        assert shown[2] == "B" * 79 + "…"
