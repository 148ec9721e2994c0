"""A party counted twice under two of its names: "Région" beside "CR-NPDC" (or "Région
Nord-Pas de Calais") in one plan.  Read with a convention, the plan is refused naming both
header cells (a column of percentages as the party's share, a column of amounts as its second
column); read without one, names alone decide, as before."""
from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest

import essconv
from essconv.messages import language

ANNEX = Path(essconv.__file__).parent / "data" / "annexe1-2009.tsv"


def _with_column(header: str, cell_of) -> str:
    """The real 2009 plan with one more column before Total: ``cell_of(cells)`` gives each row's
    cell from the row's cells as printed."""
    rows = ANNEX.read_text(encoding="utf-8").splitlines()
    out = []
    for i, row in enumerate(rows):
        cells = row.split("\t")
        cells.insert(len(cells) - 1, header if i == 0 else cell_of(cells))
        out.append("\t".join(cells))
    return "\n".join(out) + "\n"


def _refusal(text: str) -> essconv.PlanFormatError:
    with pytest.raises(essconv.PlanFormatError) as info:
        essconv.read_plan(io.BytesIO(text.encode("utf-8")), convention=essconv.default())
    return info.value


def _header_place(text: str, label: str) -> tuple[int, int]:
    header = text.splitlines()[0]
    return 1, header.split("\t").index(label) + 1 + sum(
        len(c) for c in header.split("\t")[:header.split("\t").index(label)])


def test_a_region_column_beside_cr_npdc_is_refused_naming_both_header_cells():
    text = _with_column("Région", lambda cells: cells[2])   # CR-NPDC's amounts again
    error = _refusal(text)
    twice = [p for p in error.problems if p.reason and p.reason[0] == "plan-party-twice"]
    assert len(twice) == 1
    problem = twice[0]
    assert (problem.line, problem.column) == _header_place(text, "Région")
    assert problem.reason[1:3] == _header_place(text, "CR-NPDC")
    assert "'Région'" in problem.message and "'CR-NPDC'" in problem.message
    french = language("fr").problem(problem)
    assert "Région" in french and "CR-NPDC" in french and "deux fois" in french
    assert "deux fois" in language("fr").refusal(error)
    assert "added twice" in language("en").refusal(error)


def test_a_column_starting_with_a_party_s_name_at_a_word_boundary_is_that_party_s():
    text = _with_column("Caisse des Dépôts Consignations", lambda cells: "1")
    problem = [p for p in _refusal(text).problems if p.reason
               and p.reason[0] == "plan-party-twice"][0]
    assert problem.reason[4] == "CDC" and problem.reason[5] == "CDC"
    # "Régional" is no "Région": a word boundary, not any prefix
    plan = essconv.read_plan(io.BytesIO(_with_column("Régionales", lambda c: "1").encode()),
                             convention=essconv.default())
    assert "Régionales" in plan.funders


def test_a_part_region_column_of_percentages_is_the_region_s_share():
    text = _with_column("Part Région", lambda cells: "10 %")
    error = _refusal(text)
    share = [p for p in error.problems if p.reason and p.reason[0] == "plan-party-share"]
    assert len(share) == 1 and share[0].reason[4] == "CR-NPDC"
    assert "pourcentages" in language("fr").problem(share[0])
    assert "percentages" in share[0].message


def test_without_a_convention_the_plan_reads_as_before():
    text = _with_column("Région", lambda cells: cells[2])
    plan = essconv.read_plan(io.BytesIO(text.encode("utf-8")))
    assert plan.funders[-1] == "Région"


def test_add_plan_refuses_a_party_twice():
    text = _with_column("Région", lambda cells: cells[2])
    plan = essconv.read_plan(io.BytesIO(text.encode("utf-8")))
    conv = essconv.default()
    with pytest.raises(essconv.PlanFormatError) as info:
        conv.add_plan(plan, 2010)
    assert any(p.reason and p.reason[0] == "plan-party-twice" for p in info.value.problems)
    assert 2010 not in conv.plans


PARTIES_APART = ("en k€\tRégion Nord-Pas de Calais\tDépartement du Nord\tCD-62\tCaisse des Dépôts"
                 "\tFSE\n"
                 "Têtes de réseaux\t197,5\t20\t32\t20\t7\n"
                 "DLA\t12\t\t3\t274\t1\n")


def test_columns_of_distinct_parties_read_with_the_convention_add_as_decimals():
    plan = essconv.read_plan(io.BytesIO(PARTIES_APART.encode("utf-8")),
                             convention=essconv.default())
    # the slow obvious twin: every figure of the text as a Decimal, summed by column
    rows = [r.split("\t") for r in PARTIES_APART.splitlines()]
    funders = rows[0][1:]
    expected = {f: sum((Decimal(r[j + 1].replace(",", ".")) for r in rows[1:] if r[j + 1]),
                       Decimal(0)) for j, f in enumerate(funders)}
    assert plan.by_funder() == expected
    assert plan.total() == sum(expected.values(), Decimal(0))


def test_a_description_s_plan_naming_a_party_twice_is_refused(tmp_path):
    from test_description import MINIMAL
    (tmp_path / "plan-2020.tsv").write_text(
        "en k€\tETAT\tCR\tConseil régional de Bretagne\tTotal\nAmorçage\t8\t12\t12\t32\n",
        encoding="utf-8")
    path = tmp_path / "c.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(essconv.PlanFormatError) as info:
        essconv.load(path)
    assert info.value.path.endswith("plan-2020.tsv")
    problem = [p for p in info.value.problems if p.reason][0]
    assert problem.reason[0] == "plan-party-twice" and problem.reason[5] == "CR"
    assert (problem.line, problem.column) == (1, len("en k€\tETAT\tCR\t") + 1)


def test_the_default_convention_still_loads_its_plan():
    assert essconv.default().plan(2009).total() == sum(
        essconv.default().plan(2009).by_funder().values(), Decimal(0))


TWICE_NO_TOTAL = "en k€\tCR-NPDC\tCDC\tRégion\nDLA\t10\t5\t10\n"


@pytest.mark.parametrize("lang, said", [("fr", "deux fois"), ("en", "added twice")])
def test_the_cli_by_party_refuses_a_party_twice_rather_than_adding_it_twice(tmp_path, capsys,
                                                                           lang, said):
    from essconv.cli import main
    path = tmp_path / "plan-2010.tsv"
    path.write_text(TWICE_NO_TOTAL, encoding="utf-8")
    assert main(["aggregate", str(path), "--by", "party", "--lang", lang]) == 2
    captured = capsys.readouterr()
    assert said in captured.err and "CR-NPDC" in captured.err and captured.out == ""
    assert main(["validate", str(path), "--against-default", "--lang", lang]) == 2
    assert said in capsys.readouterr().err
    # without a convention, names alone decide: the plan validates as before
    assert main(["validate", str(path)]) == 0


@pytest.mark.parametrize("header,code", [("La Région", "CR-NPDC"), ("la Région Nord-Pas de Calais", "CR-NPDC"),
                                         ("La Caisse des Dépôts", "CDC"), ("L’État", None),
                                         ("Le Département du Nord", "CG-59")])
def test_a_party_named_after_its_article_beside_its_column_is_refused(header, code):
    """"La Région" rolls up to the Région (Convention.party_of reads a name after its article):
    beside the plan's CR-NPDC column it was a second column of one party, added twice to the
    Région's total.  Refused as "Région" is -- and "L’État" beside the DRTEFP and DRASS
    columns (the State's services, columns of their own) stays a plan of its own."""
    conv = essconv.default()
    assert conv.party_of(header).code == (code or "ETAT")
    column = ANNEX.read_text(encoding="utf-8").splitlines()[0].split("\t").index(code) if code else 2
    text = _with_column(header, lambda cells: cells[column])
    if code is None:
        plan = essconv.read_plan(io.BytesIO(text.encode("utf-8")), convention=conv)
        assert header in plan.funders
        return
    error = _refusal(text)
    assert f"'{header}' and '{code}'" in str(error) or f"'{code}' and '{header}'" in str(error)
