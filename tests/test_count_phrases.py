"""Every number of things a committee reads agrees with its count and groups its figures: "1
ligne × 200 financeurs", "12 345 lignes × 1 financeur", "… et 1 autre", "1 est daté hors 2009",
"Total (12 345 lignes)" -- the size of a plan said "1 lignes" and "1 financeurs", and some counts
ran ungrouped ("écartées : 1011 lignes illisibles").

The twin is the rule written out apart from the code: the singular for one (and for none in
French), the plural else, the figure grouped by threes from the right by hand."""
from __future__ import annotations

import csv
import io

import pytest

import essconv
from essconv import Ledger
from essconv.cli import main
from essconv.display import plan_html, plan_text
from essconv.export import plan_delimited
from essconv.report import nothing_matched_reasons

NNBSP = "\u202f"
NBSP = "\u00a0"
WORDS = {"line": {"fr": ("ligne", "lignes"), "en": ("line", "lines")},
         "funder": {"fr": ("financeur", "financeurs"), "en": ("funder", "funders")}}


def grouped(count: int, lang: str) -> str:
    digits, out, mark = str(count), "", NNBSP if lang == "fr" else ","
    while len(digits) > 3:
        digits, out = digits[:-3], mark + digits[-3:] + out
    return digits + out


def counted(count: int, thing: str, lang: str) -> str:
    one, many = WORDS[thing][lang]
    singular = count == 1 or (count == 0 and lang == "fr")
    return f"{grouped(count, lang)} {one if singular else many}"


def size(lines: int, funders: int, lang: str) -> str:
    times = "×" if lang == "fr" else "x"
    return f"{counted(lines, 'line', lang)} {times} {counted(funders, 'funder', lang)}"


def pivot_of(lines: int, funders: int):
    rows = max(lines, funders)
    return Ledger.from_columns({"ligne": [f"L{k % lines}" for k in range(rows)],
                                "financeur": [f"F{k % funders}" for k in range(rows)],
                                "montant": ["1"] * rows}, amount="montant").pivot("ligne", "financeur")


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("lines, funders", [(1, 200), (200, 1), (12_345, 1), (50, 30)])
def test_a_plans_size_says_each_count_in_its_number(lines, funders, lang):
    pivot = pivot_of(lines, funders)
    assert (len(pivot.lines), len(pivot.funders)) == (lines, funders)
    title = plan_text(pivot, lang=lang).splitlines()[0]
    assert title.endswith(f"({size(lines, funders, lang)})")
    caption = plan_html(pivot, lang=lang).split("<caption>", 1)[1].split("</caption>", 1)[0]
    assert size(lines, funders, lang) in caption
    assert "1 lignes" not in title + caption and "1 financeurs" not in title + caption
    assert "1 lines" not in title + caption and "1 funders" not in title + caption


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_total_beside_a_line_named_total_groups_its_count(lang):
    n = 12_345
    ledger = Ledger.from_columns({"ligne": ["Total"] + [f"L{k}" for k in range(n - 1)],
                                  "financeur": ["CDC"] * n, "montant": ["1"] * n}, amount="montant")
    pivot = ledger.pivot("ligne", "financeur")
    rows = list(csv.reader(io.StringIO(plan_delimited(pivot, ";", lang=lang)), delimiter=";"))
    assert rows[-1][0] == f"Total ({counted(n, 'line', lang)})"


def test_one_more_row_set_aside_is_said_in_the_singular_and_many_grouped(tmp_path, capsys):
    for bad, more in ((11, "… et 1 autre"), (1_011, f"… et 1{NNBSP}001 autres")):
        path = tmp_path / f"l{bad}.csv"
        path.write_text("f;montant\nCDC;1\n" + "CR;x\n" * bad, encoding="utf-8")
        assert main(["aggregate", str(path), "--by", "f", "--amount", "montant",
                     "--bad-rows", "collect"]) == 0
        said = capsys.readouterr()
        text = said.out + said.err
        assert f"écartées{NBSP}: {grouped(bad, 'fr')} lignes illisibles" in text
        assert f"  {more}" in text.splitlines()


class _Accounting:
    def __init__(self, outside, unmapped, no_line):
        self.outside_year, self.unmapped, self.no_line, self.years = outside, unmapped, no_line, [2017]


class _Execution:
    def __init__(self, outside, unmapped, no_line):
        self.accounting = _Accounting(outside, unmapped, no_line)
        self.year, self.unmapped = 2009, []


@pytest.mark.parametrize("count", [1, 2, 1_234])
def test_why_nothing_matched_agrees_with_its_count(count):
    fr, en = essconv.messages.language("fr"), essconv.messages.language("en")
    said = nothing_matched_reasons(_Execution(count, count, count), fr)
    verb = ("est", "daté") if count == 1 else ("sont", "datés")
    assert said[0].startswith(f"{grouped(count, 'fr')} {verb[0]} {verb[1]} hors 2009")
    assert said[1].startswith(f"{grouped(count, 'fr')} {'vient' if count == 1 else 'viennent'} ")
    assert said[2].startswith(f"{grouped(count, 'fr')} {verb[0]} d'une partie")
    english = nothing_matched_reasons(_Execution(count, count, count), en)
    assert english[0].startswith(f"{grouped(count, 'en')} {'is' if count == 1 else 'are'} dated")
    assert english[1].startswith(f"{grouped(count, 'en')} {'has' if count == 1 else 'have'} a funder")


def english(count: int, one: str, more: str) -> str:
    return f"{count} {one if count == 1 else more}"


@pytest.mark.parametrize("lines", [1, 2])
def test_a_pivots_repr_says_each_count_in_its_number(lines):
    body = "".join(f"\tL{k}\t4\t4\n" for k in range(lines))
    plan = essconv.read_plan((f"en k€\t\tCDC\tTotal\nAxe 1{body}Total\t\t{4 * lines}\t{4 * lines}\n")
                             .encode())
    pivot = plan.pivot()
    assert (len(plan.lines), len(plan.axes), len(plan.funders)) == (lines, 1, 1)
    assert repr(pivot).startswith(f"<Pivot: {english(lines, 'line', 'lines')} in 1 axis x 1 funder, ")


@pytest.mark.parametrize("groups", [1, 3])
def test_an_aggregates_repr_says_its_groups_in_their_number(groups):
    ledger = Ledger.from_columns({"f": [f"b{k}" for k in range(groups)], "montant": ["1"] * groups},
                                 amount="montant")
    said = repr(ledger.group_by("f").sum().top(1))
    assert said.endswith(f": 1 of {english(groups, 'group', 'groups')} shown>")


def _findings_heading(shown: int, found: int, lang: str) -> str:
    """The rule written out: the one finding, every finding, the first of many, the first n."""
    g = lambda k: grouped(k, lang)   # noqa: E731
    if lang == "fr":
        return ("le constat :" if found == 1 else f"les {g(found)} constats :") if shown == found \
            else f"le premier sur {g(found)} :" if shown == 1 \
            else f"les {g(shown)} premiers sur {g(found)} :"
    return ("the finding:" if found == 1 else f"all {g(found)} findings:") if shown == found \
        else f"first of {g(found)}:" if shown == 1 else f"first {g(shown)} of {g(found)}:"


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("negatives, first", [(1, 10), (3, 1), (3, 10), (4, 2)])
def test_an_scdl_summary_heads_its_findings_in_their_number(negatives, first, lang):
    from test_scdl import VALID
    head, row = VALID.read_text(encoding="utf-8").splitlines()[:2]
    names, cells = head.split(","), row.split(",")
    rows = []
    for k in range(negatives):   # each record its own, negative: one warning each
        own = list(cells)
        own[names.index("montant")] = f"-{k + 1}"
        own[names.index("objet")] = f"objet {k}"
        rows.append(",".join(own))
    report = essconv.validate_scdl(("\n".join([head, *rows]) + "\n").encode())
    found = len(report.findings)
    assert found == negatives   # one negative-amount warning each
    lines = report.summary(first, lang=lang).replace(NBSP, " ").splitlines()
    heading = _findings_heading(min(first, found), found, lang).replace(NBSP, " ")
    assert heading in lines
    assert len(lines) - lines.index(heading) - 1 == min(first, found)


@pytest.mark.parametrize("renamed", [1, 2])
def test_scdl_findings_count_in_french_in_their_number(tmp_path, renamed):
    """A grant file's French findings said "1 colonne(s) portent…" and "1 valeur(s) ne
    diffèrent…": each count is said in its number, the verb agreeing with it."""
    from conftest import SCDL
    from essconv.scdl import validate_scdl
    src = (SCDL / "scdl-subventions-exemple-valide.csv").read_text(encoding="utf-8")
    head, *rows = src.split("\n")
    legacy = {"montant": "Montant total de la subvention*", "objet": "Objet de la convention"}
    for name in list(legacy)[:renamed]:
        head = head.replace(name, legacy[name], 1)
    cased = [row.replace("aide en numéraire", "Aide en numéraire", 1) if i < renamed else row
             for i, row in enumerate(rows)]
    assert sum(r != c for r, c in zip(rows, cased)) == renamed      # the premise
    path = tmp_path / "g.csv"
    path.write_text("\n".join([head, *cased]), encoding="utf-8")
    report = validate_scdl(path)
    [older] = [f for f in report if f.code == "legacy-column"]
    [case] = [f for f in report if f.code == "enum-case"]
    one = renamed == 1
    assert older.message_fr.startswith(
        f"{renamed} colonne porte un nom ancien ou un libellé du décret, lue comme celle du"
        if one else
        f"{renamed} colonnes portent des noms anciens ou les libellés du décret, lues comme")
    assert case.message_fr.startswith(f"{renamed} valeur ne diffère de" if one
                                      else f"{renamed} valeurs ne diffèrent de"), case.message_fr
    for f in (older, case):
        assert "(s)" not in f.message_fr


_SCDL_HEAD = ("nomAttribuant,idAttribuant,dateConvention,nomBeneficiaire,objet,montant,nature,"
              "conditionsVersement,datesPeriodeVersement,notificationUE\n")
_SPLIT_ROW = ("Ville,21860194600013,2019-03-08,Club,Fête, repas et bal,1 200,50,aide en numéraire,"
              "unique,2019-04-01,non\n")
_ODD_ROW = "Ville,21860194600013,2019-03-08,Club,a,b,c,d,e,f,g,h,i,j\n"   # fits no single way


@pytest.mark.parametrize("rows, fits", [(1, True), (2, True), (1, False), (2, False)])
def test_scdl_rows_with_more_cells_are_counted_in_their_number(tmp_path, rows, fits):
    """"47 ligne(s) ont plus de cellules…", "1 row(s) have…": the unquoted delimiter's finding
    says its count in its number, in French as in English, whether the cells are put back or
    not."""
    from essconv.scdl import validate_scdl
    path = tmp_path / "g.csv"
    path.write_text(_SCDL_HEAD + (_SPLIT_ROW if fits else _ODD_ROW) * rows, encoding="utf-8")
    [f] = [f for f in validate_scdl(path) if f.code == "unquoted-delimiter"]
    french = "1 ligne a plus de cellules" if rows == 1 else f"{rows} lignes ont plus de cellules"
    english = "1 row has more cells" if rows == 1 else f"{rows} rows have more cells"
    assert f.message_fr.replace(NBSP, " ").startswith(french), f.message_fr
    assert f.message.startswith(english), f.message
    assert "(s)" not in f.message + f.message_fr


@pytest.mark.parametrize("lang, all_kept, first_kept", [
    ("fr", "les {kept} constats gardés sur {found} :", "les {shown} premiers des {kept} constats gardés sur {found} :"),
    ("en", "the {kept} findings kept of {found}:", "first {shown} of the {kept} findings kept of {found}:")])
def test_an_scdl_summary_keeping_fewer_findings_than_it_found_heads_them_as_kept(
        lang, all_kept, first_kept):
    """With ``max_findings=1`` a summary headed the 11 findings it kept of 65 "all 11
    findings:", as the notebook's caption did: they are said kept, out of those found."""
    from conftest import SCDL
    path = SCDL / "scdl-subventions-exemple-invalide-cellules.csv"
    found = len(essconv.validate_scdl(path, max_findings=None))
    report = essconv.validate_scdl(path, max_findings=1)
    kept = len(report)
    assert kept < found
    g = lambda k: grouped(k, lang)   # noqa: E731
    lines = report.summary(kept, lang=lang).replace(NBSP, " ").splitlines()
    heading = all_kept.format(kept=g(kept), found=g(found)).replace(NBSP, " ")
    assert heading in lines and len(lines) - lines.index(heading) - 1 == kept
    lines = report.summary(3, lang=lang).replace(NBSP, " ").splitlines()
    heading = first_kept.format(shown=3, kept=g(kept), found=g(found)).replace(NBSP, " ")
    assert heading in lines and len(lines) - lines.index(heading) - 1 == 3
