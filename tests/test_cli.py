"""The command line: the main job on the embedded default, and validate's exit codes."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings
from decimal import Decimal
from pathlib import Path

import pytest

import essconv
from essconv.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "essconv", *args], capture_output=True,
                          text=True, timeout=120)


def test_main_job_prints_the_report():
    proc = run("--lang", "en")   # French by default: tests/test_language.py
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for funder, amount in [("CR-NPDC", "4,076"), ("DRTEFP", "643"), ("DRASS", "96"),
                           ("CDC", "1,240"), ("CG-59", "805"), ("ESE", "600"), ("CG-67", "375"),
                           ("Territoires", "270")]:
        line = next(l for l in out.splitlines() if l.strip().startswith(funder + " ")
                    and "/" in l)
        assert amount in line, line
    total = next(l for l in out.splitlines() if l.strip().startswith("Total ") and "/" in l)
    assert "8,105" in total and "8,115" in total and "differs" in total
    assert "row-total" in out and "cell-correction" in out and "'1 2618'" in out
    assert "Strategic Committee (Comité stratégique): 4 meetings a year" in out
    assert "ETAT" in out and "739" in out     # DRTEFP + DRASS rolled up to the State


def test_the_report_by_axis_counts_the_lines_under_no_axis():
    # a plan line printed above the first axis: the report's totals by axis said 9 k€ (100 %
    # of what it listed) of a 12 k€ plan, in the text and in the JSON
    import datetime as dt
    from decimal import Decimal
    import essconv
    from essconv.report import build, render_text
    conv = essconv.default()
    conv.add_plan(essconv.read_plan("en k€\t\tCDC\tCG-59\tTotal\n\tL0\t1\t2\t3\n"
                                    "Axe 1\tL1\t4\t-5,5\t-1,5\nTotal\t\t5\t-3,5\t1,5\n".encode()), 2010)
    out = render_text(conv, today=dt.date(2026, 1, 1), lang="en")
    block = out[out.index("Totals by axis", out.index("Plan 2010")):].splitlines()[1:3]
    assert [l.split()[-2:] for l in block] == [["-1.5", "-100.0%"], ["3", "200.0%"]]
    assert block[1].split()[:3] == ["under", "no", "axis"]
    by_axis = build(conv, dt.date(2026, 1, 1), "en")["plans"]["2010"]["by_axis"]
    assert sum(Decimal(a["computed"]) for a in by_axis) == conv.plan(2010).total() == Decimal("1.5")
    assert [a["label"] for a in by_axis] == ["Axe 1", None]
    # the embedded plan has no such line: nothing added
    assert len(build(conv, dt.date(2026, 1, 1))["plans"]["2009"]["by_axis"]) == 3


def test_main_job_json_has_the_same_content():
    proc = run("--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    plan = data["plans"]["2009"]
    assert plan["computed_total"] == "8105" and plan["stated_total"] == "8115"
    assert {f["funder"]: f["computed"] for f in plan["by_funder"]}["CDC"] == "1240"
    assert [f["code"] for f in plan["findings"]].count("unknown-funder") == 2
    assert data["term"]["years"] == [2009, 2010, 2011, 2012, 2013]


def test_validate_exit_codes(tmp_path, annex_tsv, capsys):
    assert main(["validate", str(annex_tsv)]) == 1
    out = capsys.readouterr().out
    assert f"{annex_tsv}:3:35: error[row-total]" in out
    clean = tmp_path / "clean.tsv"
    clean.write_text("en k€\tA\tTotal\nx\t1\t1\nTotal\t1\t1\n", encoding="utf-8")
    assert main(["validate", str(clean)]) == 0
    broken = tmp_path / "broken.tsv"
    broken.write_text("en k€\tA\tB\tTotal\nx\t1\n", encoding="utf-8")
    assert main(["validate", str(broken)]) == 2
    assert "broken.tsv" in capsys.readouterr().err
    assert main(["validate", str(tmp_path / "missing.tsv")]) == 2
    # compiler-style, as the findings: the file first, not "[Errno 2] ...: 'FILE'"
    assert capsys.readouterr().err == f"{tmp_path / 'missing.tsv'}: No such file or directory\n"


# ---------------------------------------------------------------------------- grant files
from conftest import SCDL  # noqa: E402


def test_validate_recognises_a_grant_file(tmp_path, capsys):
    # the official valid example was read as a plan and rejected (exit 2); it is validated as
    # a grant file now: every schema rule passes, what a schema cannot see is an error (exit 1)
    valid = SCDL / "scdl-subventions-exemple-valide.csv"
    assert main(["validate", str(valid)]) == 1
    out = capsys.readouterr().out
    assert "29 records, 4 errors" in out and "impossible-date 1" in out
    clean = tmp_path / "propre.csv"
    lines = valid.read_text(encoding="utf-8").splitlines()
    clean.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    assert main(["validate", str(clean)]) == 0
    assert "ok — 1 record, 0 errors" in capsys.readouterr().out
    assert main(["validate", "--format", "json", str(valid)]) == 1
    [result] = json.loads(capsys.readouterr().out)
    assert result["kind"] == "scdl" and result["counts"]["error"]["period-order"] == 3


def test_aggregate_a_grant_file_by_schema_names_as_a_table(capsys):
    nievre = SCDL / "nievre-2016-subventions.csv"
    assert main(["aggregate", str(nievre), "--by", "nomAttribuant"]) == 2      # NC, SEM...
    assert "--bad-rows collect" in capsys.readouterr().err
    assert main(["aggregate", str(nievre), "--by", "nomAttribuant", "--bad-rows", "collect"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["nomAttribuant", "montant"]
    assert out[2].startswith("Département de la Nièvre") and out[2].endswith("17 140 715 €")
    assert "écartées\u00a0: 7 lignes illisibles" in "\n".join(out) and f"{nievre}:8:97:" in "\n".join(out)
    lot = SCDL / "lot-2017-subventions.csv"
    assert main(["aggregate", str(lot), "--by", "nomAttribuant,nature"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["nomAttribuant", "nature", "montant"]
    assert all(line.endswith("€") for line in out[2:-1]) and out[-1].startswith("total\u00a0: 878 205 €")


def test_a_gzipped_grant_file_is_validated_and_aggregated_as_its_plain_twin(tmp_path, capsys):
    """grants.csv.gz on the command line: recognised as a grant file by the header of its
    content (before, its gzip bytes were taken for a broken plan), the same report and sums."""
    import gzip
    lot = SCDL / "lot-2017-subventions.csv"
    packed = tmp_path / "lot.csv.gz"
    packed.write_bytes(gzip.compress(lot.read_bytes()))
    said = {}
    for command in (["validate"], ["aggregate", "--by", "nomAttribuant,nature"]):
        want = main(command + [str(lot)]), capsys.readouterr().out.replace(str(lot), "F")
        got = main(command + [str(packed)]), capsys.readouterr().out.replace(str(packed), "F")
        assert got == want
        said[command[0]] = want[1]
    assert "13 records" in said["validate"] and "total\u00a0: 878 205 €" in said["aggregate"]


def test_aggregate_says_how_to_decide_an_ambiguous_amount(tmp_path, capsys):
    path = tmp_path / "l.csv"
    path.write_text("f;montant\nCDC;12.500\nCR;7\n", encoding="utf-8")
    assert main(["aggregate", str(path), "--by", "f", "--amount", "montant"]) == 2
    assert f"{path}:2:5:" in capsys.readouterr().err
    assert main(["aggregate", str(path), "--by", "f", "--amount", "montant", "--decimal", "."]) == 0
    assert "total\u00a0: 19,50 € sur 2 enregistrements" in capsys.readouterr().out


def test_validate_json_and_the_report_json_carry_the_same_finding_fields(annex_tsv, capsys):
    """One description of a finding in JSON (Finding.to_dict): `validate --format json` and
    the report's JSON give each finding the same fields (validate's lacked target and rank),
    with the same values but the message, which the report words in its language."""
    import essconv
    from essconv.report import build
    assert main(["validate", "--format", "json", str(annex_tsv)]) == 1
    [result] = json.loads(capsys.readouterr().out)
    reported = build(essconv.default(), lang="en")["plans"]["2009"]["findings"]
    plan_findings = [f for f in reported if f["code"] != "unknown-funder"]   # no convention
    assert [set(f) for f in result["findings"]] == [set(f) for f in plan_findings]
    strip = [{k: v for k, v in f.items() if k != "message"} for f in result["findings"]]
    assert strip == [{k: v for k, v in f.items() if k != "message"} for f in plan_findings]


# ---------------------------------------------------------------------------- one language
_EURO_PLAN = ("en €\tA\tB\tTotal\n"
              "x\t1 327,50\t\t2 655,00\n"
              "y\t1 2x0,00\t1 000,00\t2 250,00\n"
              "Total\t2 577,50\t2 327,50\t4 905,00\n")


def test_validate_lang_en_prints_every_number_of_a_correction_and_a_malformed_one_english(
        tmp_path, capsys):
    """The cell-correction and malformed-number messages came from the core with French
    numbers ("1 327,5", "2 327,5") inside English sentences; validate had no --lang."""
    path = tmp_path / "plan-2012.tsv"
    path.write_text(_EURO_PLAN, encoding="utf-8")
    assert main(["validate", str(path), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert ("x x B is blank; 1,327.50 € there reconciles its line total 2,655 €, the B total "
            "2,327.50 € and the grand total 4,905 €.") in out
    assert "'1 2x0,00' is not a number ('x' at character 4); the other figures give 1,250 €." in out
    assert out.rstrip().endswith("FAILED (3 errors, 0 warnings, 1 suggestion)")   # not "1 suggestions"
    assert main(["validate", str(path)]) == 1            # the default listing: the same English
    assert capsys.readouterr().out == out
    assert main(["validate", str(path), "--lang", "en", "--format", "json"]) == 1
    messages = [f["message"] for f in json.loads(capsys.readouterr().out)[0]["findings"]]
    assert not any("327,5" in m or "1 250" in m for m in messages)


def test_validate_lang_fr_words_the_findings_for_the_committee(tmp_path, capsys):
    nnbsp, nbsp = "\u202f", "\u00a0"
    path = tmp_path / "plan-2012.tsv"
    path.write_text(_EURO_PLAN, encoding="utf-8")
    assert main(["validate", str(path), "--lang", "fr"]) == 1
    out = capsys.readouterr().out.replace(nnbsp, " ").replace(nbsp, " ")
    assert "suggestion[cell-correction]: x × B est vide ; 1 327,50 € à cet endroit" in out
    assert "erreur[malformed-number]: y × A : « 1 2x0,00 » n'est pas un nombre" in out
    assert out.rstrip().endswith("ÉCHEC (3 erreurs, 0 avertissement, 1 suggestion)")
    assert "the " not in out and "1,327" not in out


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_validate_names_each_finding_by_the_word_its_count_uses(lang, tmp_path, capsys):
    """The English listing printed "info[cell-correction]" above "1 suggestion", where the
    README, ``repr(report)`` ("suggestions=1") and the French listing say suggestion: each
    severity is one word a language, in the lines and in the count under them."""
    path = tmp_path / "plan-2012.tsv"
    path.write_text(_EURO_PLAN, encoding="utf-8")
    assert main(["validate", str(path), "--lang", lang]) == 1
    lines = capsys.readouterr().out.splitlines()
    from essconv.messages import language
    words = language(lang)
    shown = {re.search(r": (\w+)\[[a-z-]+\]", l).group(1) for l in lines[:-1]}
    assert shown == {words.severity(s) for s in ("error", "info")}
    assert "info" not in shown and all(w in lines[-1] for w in shown)
    report = essconv.read_plan(path).validate()
    assert repr(report).endswith("suggestions=1>")
    assert any(str(f).startswith(f"{f.where()}: suggestion[cell-correction]: ") for f in report)
    from essconv.testing import format_findings
    assert format_findings(report).count("suggestion[cell-correction]") == 1


def test_aggregate_a_plan_by_two_dimensions_speaks_the_lang_asked(annex_tsv, capsys):
    """The pivot printed "en k€" and "1 261" under --lang en."""
    assert main(["aggregate", str(annex_tsv), "--by", "axis,funder", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("in k€ ") and "en k€" not in out
    total = next(l for l in out.splitlines() if l.startswith("Total "))
    assert total.split()[-2:] == ["270", "8,105"] and "1,240" in total
    assert "1 261" not in out and "1,261" in out
    assert main(["aggregate", str(annex_tsv), "--by", "axis,funder"]) == 0
    french = capsys.readouterr().out
    assert french.splitlines()[0].startswith("en k€ ") and "8 105" in french and "8,105" not in french


@pytest.mark.parametrize("by", ["foo,bar", "line,axis", "funder,party", "line,nomAttribuant"])
def test_aggregate_a_plan_by_a_pair_it_cannot_cross_is_refused(annex_tsv, capsys, by):
    """Any two --by names on a plan printed the line x funder pivot, names it does not know
    included: a table that was not the one asked, and no word of it."""
    with pytest.raises(SystemExit) as caught:
        main(["aggregate", str(annex_tsv), "--by", by])
    captured = capsys.readouterr()
    assert caught.value.code == 2 and captured.out == ""
    assert "--by croise pour un plan" in captured.err
    assert all(f"«\u00a0{name}\u00a0»" in captured.err for name in by.split(","))
    with pytest.raises(SystemExit) as caught:
        main(["aggregate", str(annex_tsv), "--by", by, "--lang", "en"])
    assert "--by crosses a line or axis with a funder or party" in capsys.readouterr().err


@pytest.mark.parametrize("by", ["party,axis", "funder,line"])
def test_aggregate_a_plan_by_a_row_and_a_column_dimension_prints_its_pivot(annex_tsv, capsys, by):
    assert main(["aggregate", str(annex_tsv), "--by", by]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("en k€ ")


def test_aggregate_with_amount_says_how_to_set_a_bad_row_aside(tmp_path, capsys):
    """With --amount, a bad row stopped the command with the core's words alone
    ("'x' is not an amount: ...") where a grant file's error says what to do."""
    path = tmp_path / "l.csv"
    path.write_text("f;montant\nCDC;1 327,50\nCR;x\n", encoding="utf-8")
    assert main(["aggregate", str(path), "--by", "f", "--amount", "montant"]) == 2
    err = capsys.readouterr().err   # French, the output's language by default
    assert f"{path}:3:4:" in err and "(--bad-rows collect écarte de telles lignes)" in err
    assert main(["aggregate", str(path), "--by", "f", "--amount", "montant", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert f"{path}:3:4:" in err and "(--bad-rows collect sets such rows aside)" in err


def test_aggregate_a_ledger_speaks_the_lang_asked(tmp_path, capsys):
    """The ledger branch ignored --lang: French figures under English words, whatever it said."""
    path = tmp_path / "l.csv"
    path.write_text("f;montant\nCDC;1 327,50\nCR;2 000\nCR;x\n", encoding="utf-8")
    command = ["aggregate", str(path), "--by", "f", "--amount", "montant", "--bad-rows",
               "collect", "--share", "--cumulative", "--top", "1", "--others", "--total"]
    assert main(command + ["--lang", "en"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["f", "amount", "share", "cumulative"]
    assert lines[2].split() == ["CR", "2,000.00", "€", "60.11%", "2,000.00", "€"]
    assert lines[3].split() == ["(Others)", "1,327.50", "€", "39.89%", "3,327.50", "€"]
    assert lines[4].split()[0] == "(Total)" and "3,327.50 €" in lines[4]
    assert "total: 3,327.50 € over 2 records" in out and "set aside: 1 row that could not" in out
    assert not any(c in out for c in "\u202f\u00a0é") and "1 327" not in out
    assert main(command) == 0
    nbsp = "\u00a0"
    french = capsys.readouterr().out
    lines = french.splitlines()
    assert lines[0].split() == ["f", "montant", "part", "cumul"]
    assert lines[2].split() == ["CR", "2", "000,00", "€", "60,11", "%", "2", "000,00", "€"]
    assert lines[3].startswith("(Autres)") and lines[3].endswith("3 327,50 €")
    assert f"total{nbsp}: 3 327,50 € sur 2 enregistrements" in french
    assert f"écartée{nbsp}: 1 ligne illisible (hors des sommes)" in french
    assert "over" not in french and "record(s)" not in french and "3,327" not in french


def test_report_with_grants_warns_in_the_reports_language(tmp_path, capsys):
    """A French dashboard (the default) warned on stderr in English: "essconv: warning: ...:
    no record of the 13 matched the plan of 2009"."""
    lot = SCDL / "lot-2017-subventions.csv"
    html = tmp_path / "tdb.html"
    assert main(["report", "--html", str(html), "--grants", str(lot)]) == 0
    err = capsys.readouterr().err
    assert "Aucun enregistrement rapproché du plan 2009" in err and "avertissement" in err
    assert "warning" not in err and "matched" not in err
    assert main(["report", "--html", str(html), "--grants", str(lot), "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert "essconv: warning:" in err and "No record matched the plan of 2009" in err
    assert "Aucun" not in err


def test_report_with_grants_without_a_line_column_says_so_in_the_reports_language(tmp_path,
                                                                                  capsys):
    """The SCDL file has no dispositifAide: the rates by axis are not computed, said on stderr
    in the report's language (the warning's English in a French report otherwise)."""
    lot = SCDL / "lot-2017-subventions.csv"
    html = tmp_path / "tdb.html"
    for lang, said, other in (("fr", "Aucune colonne du registre ne place les versements",
                               "No column"),
                              ("en", "No column of the ledger places the payments", "Aucune")):
        assert main(["report", "--html", str(html), "--grants", str(lot), "--lang", lang]) == 0
        err = capsys.readouterr().err
        assert said in err and other not in err and "dispositifAide" in err


def test_aggregate_usage_errors_exit_2_like_argparse(annex_tsv, capsys):
    """'--by nothing' on a plan and '--to xlsx' without -o exited 1, the status validate gives
    a plan with an error finding; a command that cannot run as given exits 2."""
    for command in (["aggregate", str(annex_tsv), "--by", "nothing"],
                    ["aggregate", str(SCDL / "lot-2017-subventions.csv"), "--by", "nature",
                     "--to", "xlsx"]):
        with pytest.raises(SystemExit) as caught:
            main(command)
        assert caught.value.code == 2, command
        assert capsys.readouterr().err.startswith("essconv: ")


def test_a_where_on_a_label_no_record_holds_is_said_in_the_listings_language(capsys):
    """--where 'nomAttribuant=Département du lot' (a lower-case l) kept no record and printed
    a total of 0 € without a word."""
    lot = SCDL / "lot-2017-subventions.csv"
    args = ["aggregate", str(lot), "--by", "nature", "--where", "nomAttribuant=Département du lot"]
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert "0 € sur 0 enregistrement" in out.replace("\u202f", " ").replace("\u00a0", " ")
    said = err.replace("\u202f", " ").replace("\u00a0", " ")
    assert "aucun libellé « Département du lot » (proche : « Département du Lot »)" in said
    assert main(args + ["--lang", "en"]) == 0
    assert "no label 'Département du lot' (close: 'Département du Lot')" in capsys.readouterr().err
    # a label the file holds says nothing, and its records are kept
    assert main(["aggregate", str(lot), "--by", "nature",
                 "--where", "nomAttribuant=Département du Lot"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "0 € sur 0" not in out


@pytest.mark.parametrize("lang, said, total", [
    ("fr", ["--where n : aucun libellé « Zeste »", " ; ce test n'écarte aucun enregistrement"],
     "total : 15,50 € sur 2 enregistrements"),
    ("en", ["--where n: no label 'Zeste'", "; this test sets no record aside"],
     "total: 15.50 € over 2 records"),
])
def test_a_where_excluding_a_label_no_record_holds_is_said(lang, said, total, tmp_path, capsys):
    """--where 'n!=Zeste' (a typo for the label to leave out) kept every record without a
    word, where ledger.filter(n=~one_of(["Zeste"])) warns: the total looked right and held
    the grants meant to be left out."""
    path = tmp_path / "grants.csv"
    path.write_text("n;montant\nAsso A;10,50\nAsso B;5\n", encoding="utf-8")
    args = ["aggregate", str(path), "--amount", "montant", "--by", "n", "--lang", lang]
    assert main(args + ["--where", "n!=Zeste"]) == 0
    out, err = (t.replace("\u202f", " ").replace("\u00a0", " ") for t in capsys.readouterr())
    assert all(words in err for words in said) and err.count("\n") == 1, err
    assert total in out, out   # 10,50 + 5: every record kept, as the test says
    # a label the file holds says nothing, and leaves its record out
    assert main(args + ["--where", "n!=Asso A"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and ("5 € sur 1 enregistrement" if lang == "fr" else "5 € over 1 record") \
        in out.replace("\u202f", " ").replace("\u00a0", " "), (out, err)


@pytest.mark.parametrize("lang, said", [
    ("fr", ["--where dateConvention : aucun enregistrement daté du 2019-10-05 (« 10/05/2019 » lu "
            "mois d'abord, comme le fichier écrit ses dates ; écrivez 2019-05-10 pour l'autre "
            "lecture) ; ce test ne retient aucun enregistrement",
            "--where dateConvention : aucun enregistrement daté du 2019-12-31 ; ce test"]),
    ("en", ["--where dateConvention: no record dated 2019-10-05 ('10/05/2019' read month first, "
            "as the file writes its dates; write 2019-05-10 for the other reading); this test "
            "keeps no record",
            "--where dateConvention: no record dated 2019-12-31; this test"]),
])
def test_a_where_on_a_day_no_record_holds_says_the_day_read(lang, said, tmp_path, capsys):
    """An SCDL file writing its dates month first (05/21/2019): --where
    'dateConvention=10/05/2019', meant as 10 May, was read in the file's order as 5 October
    and printed 0 € without a word, the help saying dates were read day first."""
    rows = (SCDL / "dilcrah-2019-subventions-anonymise.csv").read_text(
        encoding="utf-8").splitlines()
    month_first = [rows[0]]
    for row in rows[1:]:
        cells = row.split(";")
        day, month, year = cells[2].split("/")
        cells[2] = f"{month}/{day}/{year}"
        month_first.append(";".join(cells))
    path = tmp_path / "mdy.csv"
    path.write_text("\n".join(month_first) + "\n", encoding="utf-8")
    assert rows[1].split(";")[2] == "10/05/2019" and rows[1].split(";")[7] == "45000"
    args = ["aggregate", str(path), "--by", "nomBeneficiaire", "--lang", lang]
    assert main(args + ["--where", "dateConvention=10/05/2019"]) == 0
    out, err = (t.replace("\u202f", " ").replace("\u00a0", " ") for t in capsys.readouterr())
    assert said[0] in err and err.count("\n") == 1, err
    # the other reading, written as the warning says, is the record of 10 May
    assert main(args + ["--where", "dateConvention=2019-05-10"]) == 0
    out, err = (t.replace("\u202f", " ").replace("\u00a0", " ") for t in capsys.readouterr())
    assert err == "" and "45 000 €" in out.replace(",", " "), (out, err)
    # a day one order alone reads, no record holds: said without an order
    assert main(args + ["--where", "dateConvention=12/31/2019"]) == 0
    err = capsys.readouterr().err.replace("\u202f", " ").replace("\u00a0", " ")
    assert said[1] in err and err.count("\n") == 1, err


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_where_with_nothing_after_the_sign_keeps_the_records_with_no_value(lang, tmp_path,
                                                                           capsys):
    """The listing shows the records with no beneficiary as « (vide) », but --where 'n='
    warned "no label ''" and kept nothing, and 'dateConvention=' on a date column was refused:
    the records with no value could not be chosen.  'n=' keeps them, 'n!=' the others."""
    path = tmp_path / "grants.csv"
    path.write_text("n;montant\nA;1,25\n;2\nB;4\n;0,50\n", encoding="utf-8")
    args = ["aggregate", str(path), "--amount", "montant", "--by", "n", "--lang", lang]

    def listed(where):
        assert main(args + ["--where", where]) == 0
        out, err = (t.replace("\u202f", " ").replace("\u00a0", " ")
                    for t in capsys.readouterr())
        assert err == "", err
        return out
    # the twin: the file's rows above, blank n the missing ones
    assert ("2,50 € sur 2 enregistrements" if lang == "fr" else "2.50 € over 2 records") \
        in listed("n=")
    assert ("5,25 € sur 2 enregistrements" if lang == "fr" else "5.25 € over 2 records") \
        in listed("n!=")
    # a date column: the SCDL record whose dateConvention is blank (45 000 €), alone
    rows = (SCDL / "dilcrah-2019-subventions-anonymise.csv").read_text(
        encoding="utf-8").splitlines()
    cells = rows[1].split(";")
    assert cells[7] == "45000"
    cells[2] = ""
    blank = tmp_path / "blank.csv"
    blank.write_text("\n".join([rows[0], ";".join(cells), *rows[2:]]) + "\n", encoding="utf-8")
    args = ["aggregate", str(blank), "--by", "nomBeneficiaire", "--lang", lang]
    out = listed("dateConvention=").replace(",", " ")
    assert "ANNO_1" in out and ("45 000 € sur 1 enregistrement" if lang == "fr"
                                else "45 000 € over 1 record") in out, out


@pytest.mark.parametrize("lang, said, not_said", [
    ("fr", "aucune ligne ne porte le libellé « B » (seules des lignes écartées à la lecture",
     ["aucun libellé", "no row", "UnknownLabelWarning"]),
    ("en", "no row holds the label 'B' (only rows set aside when read",
     ["no label", "aucune", "UnknownLabelWarning"]),
])
def test_a_where_on_a_label_only_set_aside_rows_held_says_so(lang, said, not_said, tmp_path,
                                                              capsys):
    """'B' was read (its row set aside, its amount unreadable): the warning said "aucun libellé"
    / "no label" as for a typo, and the ledger's own English warning followed it."""
    path = tmp_path / "grants.csv"
    path.write_text("n;montant\nA;10\nB;x\nC;5\n", encoding="utf-8")
    args = ["aggregate", str(path), "--amount", "montant", "--by", "n", "--where", "n=B",
            "--bad-rows", "collect", "--lang", lang]
    with warnings.catch_warnings(record=True) as caught:   # said once, in the output's words
        warnings.simplefilter("always")
        assert main(args) == 0
    assert not [w for w in caught if issubclass(w.category, essconv.UnknownLabelWarning)]
    err = capsys.readouterr().err.replace("\u202f", " ").replace("\u00a0", " ")
    assert said in err and err.count("\n") == 1, err
    for words in not_said:
        assert words not in err
    # a label never read is still "no label"
    assert main(args[:-5] + ["n=Z", "--bad-rows", "collect", "--lang", lang]) == 0
    err = capsys.readouterr().err.replace("\u202f", " ").replace("\u00a0", " ")
    assert ("aucun libellé « Z »" if lang == "fr" else "no label 'Z'") in err
    assert err.count("\n") == 1, err


@pytest.mark.parametrize("args", [
    ("--by", "annee,nope", "--amount", "montant"),     # a --by column the ledger lacks
    ("--by", "annee", "--amount", "nope"),             # an amount column the header lacks
    ("--by", "annee", "--amount", "montan"),           # the same, one letter off
    ("--by", "annee", "--amount", "montant", "--where", "nom~x"),   # a --where column
])
def test_an_unknown_column_is_said_in_the_outputs_language(tmp_path, capsys, args):
    grants = tmp_path / "grants.csv"
    grants.write_text("annee;financeur;montant\n2017;Région;1 000,50\n", encoding="utf-8")
    said = {}
    for lang in ("fr", "en"):
        assert main(["aggregate", str(grants), *args, "--lang", lang]) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and "Traceback" not in captured.err
        said[lang] = captured.err
    asked = next(a.split("~")[0] if "~" in a else a.split(",")[-1]
                 for a in reversed(args) if not a.startswith("--"))
    french, english = said["fr"], said["en"]
    # French: the column asked for and those there are, in French words and quotes
    assert f"«\u00a0{asked}\u00a0»" in french and "«\u00a0financeur\u00a0»" in french, french
    for word in ("no column", "header", "ledger has", "its columns", "did you mean"):
        assert word not in french, (word, french)
    assert "colonne" in french
    # English as it was: the column named, quoted the English way
    assert f"'{asked}'" in english and "colonne" not in english and "«" not in english
    if "--where" not in args and "," not in args[1]:   # the reader's refusal names the file
        assert f"{grants}:1:1:" in french and f"{grants}:1:1:" in english
    if asked == "montan":
        assert "«\u00a0montant\u00a0»\u202f?" in french or "«\u00a0montant\u00a0» ?" in french


@pytest.mark.parametrize("command", [
    ["validate", "{missing}"], ["aggregate", "{missing}", "--by", "funder"],
    ["convert", "{missing}", "--to", "csv"], ["report", "--plan", "{missing}"],
    ["calendar", "--convention", "{missing}"], ["convert", "{folder}", "--to", "csv"]])
def test_a_file_the_system_refuses_is_said_in_the_outputs_language(tmp_path, capsys, command):
    missing, folder = tmp_path / "plan-2010.csv", tmp_path
    argv = [a.format(missing=missing, folder=folder) for a in command]
    said = {}
    for lang in ("fr", "en"):
        assert main([*argv, "--lang", lang]) == 2
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        said[lang] = captured.err
    named = str(folder if "{folder}" in command else missing)
    # the file named, what is wrong in the output's words: no "[Errno 2]", no English in French
    for lang, text in said.items():
        assert named in text and "Errno" not in text, text
    assert "No such file" not in said["fr"] and "directory" not in said["fr"], said["fr"]
    assert ("introuvable" if "{missing}" in command else "dossier") in said["fr"]
    assert "introuvable" not in said["en"] and "dossier" not in said["en"] and "«" not in said["en"]


SCDL_LOT = Path(__file__).parent / "data" / "scdl" / "lot-2017-subventions.csv"


@pytest.mark.parametrize("args", [
    ["{scdl}", "--by", "nomAttribuant", "--where", "nomBeneficiaire"],   # no operator
    ["{scdl}", "--by", "nomAttribuant", "--where", "montant~4"],         # a column of no labels
    ["{plan}", "--by", "funder", "--top", "3"],                          # a ledger's option
    ["{plan}", "--by", "funder", "--where", "a=b"],                      # a plan has no records
    ["{plan}", "--by", "nope"],                                          # no such dimension
    ["{scdl}", "--by", "nature", "--to", "xlsx"],                        # no -o
])
def test_a_command_line_aggregate_cannot_run_is_refused_in_the_outputs_language(tmp_path, capsys,
                                                                                args):
    plan = tmp_path / "plan-2010.csv"
    plan.write_text("en k€;CR-NPDC;CDC;Total\nDLA;327;274;601\nTotal;327;274;601\n", encoding="utf-8")
    argv = ["aggregate", *(a.format(scdl=SCDL_LOT, plan=plan) for a in args)]
    said = {}
    for lang in ("fr", "en"):
        try:
            status = main([*argv, "--lang", lang])
        except SystemExit as done:   # argparse's way out, as the usage errors take it
            status = done.code
        assert status == 2
        captured = capsys.readouterr()
        assert captured.out == "" and "Traceback" not in captured.err
        said[lang] = captured.err
    english = ("write ", "holds no", "report on", "filters the", "takes ", "needs ")
    french = ("écrivez", "ne contient", "portent sur", "filtre les", "prend ", "demande ")
    assert any(w in said["en"] for w in english), said["en"]
    assert not any(w in said["fr"] for w in english), said["fr"]
    assert any(w in said["fr"] for w in french), said["fr"]
    assert not any(w in said["en"] for w in french), said["en"]


def test_a_reader_that_stops_reading_gets_no_error_line(tmp_path):
    # `essconv aggregate plan.csv --by line | head -1`: the pipe closed under the listing, and
    # the French CLI printed "essconv: [Errno 32] Broken pipe" (or its worded form) to stderr
    plan = tmp_path / "plan-2010.csv"
    plan.write_text("en k€;CR-NPDC;CDC;Total\n" + "".join(f"Ligne {i};1;2;3\n" for i in range(20000))
                    + "Total;20000;40000;60000\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "essconv", "aggregate", str(plan), "--by", "line"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().startswith(b"# par ligne")
    proc.stdout.close()    # as head does once it has its line
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert proc.returncode != 0 and err == "", err


def test_aggregate_table_gives_a_column_one_number_of_decimals_right_aligned(tmp_path, capsys):
    """"-5 €" printed under "1 000,50 €", the total line "1 013 €" under cents, and only the
    last column right-aligned: a committee compares figures digit under digit."""
    path = tmp_path / "x.csv"
    path.write_text("f;m\nA;1 000,50\nB;-5\nC;17,50\n", encoding="utf-8")
    assert main(["aggregate", str(path), "--amount", "m", "--by", "f", "--share",
                 "--cumulative"]) == 0
    lines = capsys.readouterr().out.splitlines()
    table = lines[:5]
    assert [line.split()[0] for line in table[2:]] == ["A", "B", "C"]
    assert "-5,00 €" in table[3] and "-5 €" not in table[3]
    assert lines[-1] == "total\u00a0: 1 013,00 € sur 3 enregistrements"
    # every figure column right-aligned: its figures (and its heading) end where it ends
    for heading in ("montant", "part", "cumul"):
        end = table[0].index(heading) + len(heading)
        assert all(len(line) >= end and line[end - 1] in "€%" for line in table[2:]), heading
        assert all(line[end:end + 1] in ("", " ") for line in table[2:]), heading
    assert main(["aggregate", str(path), "--amount", "m", "--by", "f", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "-5.00 €" in out and "total: 1,013.00 € over 3 records" in out


def test_validate_counts_every_problem_it_lists_under_a_broken_table(tmp_path, capsys):
    """A ragged row and an unreadable cell: "(1 problème)" then two problems listed."""
    path = tmp_path / "plan.csv"
    path.write_text("en k€;A;B;Total\nL1;1;x;3\nL2;1;2\nTotal;2;4;6\n", encoding="utf-8")
    for lang, head in (("fr", "(2 problèmes)"), ("en", "(2 problems)")):
        assert main(["validate", str(path), "--lang", lang]) == 2
        said = capsys.readouterr().err.splitlines()
        listed = [line for line in said if line.startswith(f"  {path}:")]
        assert said[0].endswith(head) and len(listed) == 2, said
    with pytest.raises(essconv.PlanFormatError) as caught:
        essconv.read_plan(path)
    assert caught.value.reason == ("plan-broken", len(caught.value.problems))


def test_aggregate_refusals_speak_the_outputs_language(tmp_path, capsys):
    """`--sort montant` (the heading of the sums) and shares of a zero total were refused in
    English in the French CLI: "cannot order by 'montant'"."""
    path = tmp_path / "l.csv"
    path.write_text("f;m\nA;5\nB;-5\n", encoding="utf-8")
    command = ["aggregate", str(path), "--amount", "m", "--by", "f"]
    assert main(command + ["--sort", "montant"]) == 2
    err = capsys.readouterr().err.replace("\u00a0", " ")
    assert "impossible de trier par « montant »" in err
    assert "se trie par « sum »" in err and "cannot" not in err
    assert main(command + ["--sort", "cumulative"]) == 2
    err = capsys.readouterr().err
    assert "trier par" in err and "cumul suit" in err and "running" not in err
    assert main(command + ["--share"]) == 2
    err = capsys.readouterr().err
    assert "total nul" in err and "zero" not in err
    assert main(command + ["--sort", "montant", "--lang", "en"]) == 2
    assert "cannot order by 'montant'" in capsys.readouterr().err
    assert main(command + ["--share", "--lang", "en"]) == 2
    assert "add up to 0" in capsys.readouterr().err


def test_aggregate_says_one_group_left_out_in_the_singular(tmp_path, capsys):
    """"… 1 autres groupes" / "… 1 more groups" under a --top that leaves one group out."""
    path = tmp_path / "l.csv"
    path.write_text("f;m\nA;3\nB;2\nC;1\n", encoding="utf-8")
    command = ["aggregate", str(path), "--amount", "m", "--by", "f"]
    assert main(command + ["--top", "2"]) == 0
    assert "… 1 autre groupe\n" in capsys.readouterr().out
    assert main(command + ["--top", "2", "--total", "--lang", "en"]) == 0
    assert "… 1 more group, not shown, counted in the total" in capsys.readouterr().out
    assert main(command + ["--top", "1"]) == 0
    assert "… 2 autres groupes" in capsys.readouterr().out


def test_aggregate_a_euro_plan_prints_its_cents_in_one_column(tmp_path, capsys):
    """`aggregate PLAN --by funder` on a € plan printed "1 001,5" (its cent digit lost) over
    "7": one column, one number of decimals, as the ledger's table."""
    path = tmp_path / "plan.csv"
    path.write_text("en €;A;B;Total\nL1;1,50;2;3,50\nL2;1 000;5;1 005\n"
                    "Total;1 001,50;7;1 008,50\n", encoding="utf-8")
    assert main(["aggregate", str(path), "--by", "funder"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == ["A\t1 001,50", "B\t7,00"]
    assert main(["aggregate", str(path), "--by", "line", "--lang", "en"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == ["L1\t3.50", "L2\t1,005.00"]
    kplan = tmp_path / "k.csv"   # k€: each figure as the plan prints it
    kplan.write_text("en k€;A;B;Total\nx;1,5;1 261;1 262,5\nTotal;1,5;1 261;1 262,5\n",
                     encoding="utf-8")
    assert main(["aggregate", str(kplan), "--by", "funder"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == ["A\t1,5", "B\t1 261"]


def nievre_records() -> tuple[list[list[str]], int, list[int]]:
    """The Nièvre 2016 file's records, its amount column's place, and the lines whose amount is
    no number ("NC", "SEM"...), found with the csv module on its own: the rows a reader must set
    aside and say."""
    import csv as csv_module
    with open(SCDL / "nievre-2016-subventions.csv", encoding="cp1252", newline="") as fh:
        rows = list(csv_module.reader(fh))
    amount_at = rows[0].index("SUB_MONTANT")
    unread = [n for n, row in enumerate(rows[1:], start=2) if row and
              not row[amount_at].replace("\u00a0", "").replace(" ", "").isdigit()]
    assert len(unread) == 7
    return rows, amount_at, unread


@pytest.mark.parametrize("lang, said", [("fr", "écartées\u00a0: 7 lignes illisibles"),
                                        ("en", "set aside: 7 rows that could not be read")])
@pytest.mark.parametrize("to", ["csv-stdout", "csv-file", "xlsx"])
def test_an_export_of_groups_says_the_rows_set_aside(lang, said, to, tmp_path, capsys):
    """``--bad-rows collect --to csv|xlsx`` wrote the groups of the rows read and said nothing
    of the 7 Nièvre rows ("NC", "SEM"...) left out of every sum: the export's total read as the
    file's.  They are listed on stderr (the CSV on stdout stays a CSV), each at its place."""
    import csv as csv_module
    import io
    from decimal import Decimal
    nievre = SCDL / "nievre-2016-subventions.csv"
    command = ["aggregate", str(nievre), "--by", "nomAttribuant", "--bad-rows", "collect",
               "--lang", lang, "--to", "xlsx" if to == "xlsx" else "csv"]
    out_file = tmp_path / ("g.xlsx" if to == "xlsx" else "g.csv")
    if to != "csv-stdout":
        command += ["-o", str(out_file)]
    assert main(command) == 0
    captured = capsys.readouterr()
    rows, amount_at, unread = nievre_records()   # the csv module's, on its own
    assert said in captured.err
    for line in unread:
        assert f"{nievre}:{line}:" in captured.err
    if to == "csv-stdout":   # the CSV itself is untouched: the groups of the rows read, alone
        delimiter = ";" if lang == "fr" else ","
        table = list(csv_module.reader(io.StringIO(captured.out.lstrip("\ufeff")),
                                       delimiter=delimiter))
        assert len(table) == 2 and table[1][0] == "Département de la Nièvre"
        read = sum(Decimal(row[amount_at].replace("\u00a0", "").replace(" ", ""))
                   for n, row in enumerate(rows[1:], start=2) if row and n not in unread)
        assert Decimal(table[1][1].replace(",", ".") if lang == "fr" else table[1][1]) == read


SCDL_HEADER = ("nomAttribuant;idAttribuant;dateConvention;referenceDecision;nomBeneficiaire;"
               "idBeneficiaire;objet;montant;nature;conditionsVersement;datesPeriodeVersement;"
               "idRAE;notificationUE;pourcentageSubvention\n")


@pytest.mark.parametrize("text, args, place", [
    # a quote never closed: the reader's refusal of the whole file, at its line:column
    ("f;montant\nCR;1\n\"CR;2\n", ["--amount", "montant", "--by", "f"], "-:3:1:"),
    ("", ["--amount", "montant", "--by", "f"], "-:1:1:"),
    (SCDL_HEADER + "A;1;2017-01-01;;B;2;o;1;n;u;;;;\n\"A;1", ["--by", "nomAttribuant"],
     "-:3:1:"),
    # a period that ends before it starts, found when grouping: its record, in the file "-"
    (SCDL_HEADER + "A;1;2017-01-01;;B;2;o;1;n;u;2017-05-01/2017-01-01;;;\n",
     ["--by", "year(period_end(datesPeriodeVersement))"], "-: "),
])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_refusal_of_standard_input_names_it_as_the_command_line_did(text, args, place, lang,
                                                                       monkeypatch, capsys):
    """`cat export.csv | essconv aggregate - ...` named the file it refused as nothing:
    "essconv: :3:1: le guillemet ouvert ... n'est jamais fermé", "essconv: enregistrement 1,
    ...", while a bad row of the same input said "-:2:6:".  The refusal names "-", the FILE
    the command line was given, before its line and column."""
    import io
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    from essconv import cli
    monkeypatch.setattr(cli, "_STDIN", [])
    assert main(["aggregate", "-", *args, "--lang", lang]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"essconv: {place}"), err


def test_a_label_with_control_characters_stays_on_its_row_of_the_terminal_table(tmp_path,
                                                                                capsys):
    """A label holding a line break printed the group on two lines ("CR" alone, then
    "FAUX;999  1 €", a row that seemed to be a group of its own), and an escape sequence
    ("\\x1b[2J") reached the terminal as it is, clearing the screen over the rows above: a
    line break reads as a space (as in the report), each other control character is shown as
    its escape, one group a line."""
    import csv as csv_module
    from decimal import Decimal
    labels = ["CR\nFAUX;999", "\x1b[2J", "a\x07b", "tab\there", "\u202eevil", "\x85next", "CDC"]
    amounts = ["1", "2", "3", "4", "5", "6", "7"]
    path = tmp_path / "l.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv_module.writer(fh, delimiter=";")
        writer.writerow(["f", "montant"])
        writer.writerows(zip(labels, amounts))
    assert main(["aggregate", str(path), "--amount", "montant", "--by", "f"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) == 2 + len(labels) + 1     # heading, rule, one line a group, the total
    # no control character but the line ends (and no bidi override) reaches the terminal
    assert not [c for c in out if (ord(c) < 32 and c != "\n") or 0x7f <= ord(c) < 0xa0
                or c == "\u202e"]
    for label, amount, line in zip(labels, amounts, lines[2:]):
        shown = (label.replace("\n", " ").encode("unicode_escape").decode("ascii")
                 if label.isascii() else None)
        if shown is not None:
            assert line.startswith(shown + " "), line
        assert line.endswith(f"{amount} €")
    assert Decimal(sum(map(int, amounts))) == 28 and lines[-1].startswith("total\u00a0: 28 €")


@pytest.mark.parametrize("to", [None, "csv"])
def test_a_where_keeps_the_rows_set_aside_in_the_listing(to, capsys):
    """With --where, --bad-rows collect listed no row set aside: the filter's result holds only
    the records it kept, and the Nièvre file's 7 unreadable amounts vanished from the listing,
    its total standing for the file's.  A row whose amount cannot be read is no record a test
    can keep or leave: every one is listed, as without --where."""
    nievre = SCDL / "nievre-2016-subventions.csv"
    unread = nievre_records()[2]
    command = ["aggregate", str(nievre), "--by", "nomAttribuant", "--bad-rows", "collect",
               "--where", "nomAttribuant~nievre"] + (["--to", to] if to else [])
    assert main(command) == 0
    captured = capsys.readouterr()
    said = captured.out if to is None else captured.err
    assert "écartées\u00a0: 7 lignes illisibles" in said
    for line in unread:
        assert f"{nievre}:{line}:" in said


def _obeyed(text: str) -> list[str]:
    """The characters of ``text`` a terminal would obey rather than show: C0 controls but the
    line end, DEL and C1 controls, the bidi embeddings, overrides and isolates."""
    return [c for c in text if (ord(c) < 32 and c != "\n") or 0x7f <= ord(c) < 0xa0
            or c in "\u200e\u200f" or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_rows_set_aside_and_a_where_warning_show_control_characters_escaped(lang, tmp_path,
                                                                               capsys):
    """The terminal table showed a label's control characters escaped, but the listing of rows
    set aside and the --where warning printed the file's cells as they are: "\\x1b[2J" cleared
    the screen, a line break split a bad row over two lines, U+202E turned the rest backwards.
    Every cell the command line prints is shown as the table shows it, one bad row a line."""
    import csv as csv_module
    rows = [["f", "montant"], ["CR\x1b[2J", "1"], ["CDC", "x\x1b[2J"], ["CD", "1\n2"],
            ["\u202eevil", "z\u202e"], ["Région", "2"]]
    path = tmp_path / "l.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv_module.writer(fh, delimiter=";").writerows(rows)
    command = ["aggregate", str(path), "--amount", "montant", "--by", "f", "--lang", lang]
    assert main(command + ["--bad-rows", "collect", "--where", "f=CR\x1b[2"]) == 0   # a close label: "CR\x1b[2J"
    captured = capsys.readouterr()
    assert not _obeyed(captured.out) and not _obeyed(captured.err), (captured.out, captured.err)
    assert "CR\\x1b[2J" in captured.err and "CR\\x1b[2" in captured.err
    assert len(captured.err.splitlines()) == 1
    listed = [line for line in captured.out.splitlines() if line.startswith(f"  {path}:")]
    # the three unreadable amounts, one line each, at their line in the file (the quoted line
    # break takes two)
    assert [line.split(":")[1] for line in listed] == ["3", "4", "6"], captured.out
    assert "x\\x1b[2J" in listed[0] and "1\\n2" in listed[1] and "z\\u202e" in listed[2]
    assert main(command) == 2   # stopped at the first: its refusal too
    err = capsys.readouterr().err
    assert not _obeyed(err) and "x\\x1b[2J" in err, err


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_undecided_amount_names_the_command_lines_option(lang, tmp_path, capsys):
    """`--amount` on a file whose "12.500" no other amount decides told the analyst to say
    decimal=',', the Python argument; the command line's option is --decimal, and it reads the
    file either way.  The Python API keeps naming its argument."""
    path = tmp_path / "l.csv"
    path.write_text("f;montant\nA;12.500\nB;3\n", encoding="utf-8")
    command = ["aggregate", str(path), "--amount", "montant", "--by", "f", "--lang", lang]
    assert main(command) == 2
    err = capsys.readouterr().err
    assert "--decimal ," in err and "--decimal ." in err and "decimal='" not in err, err
    # what it says to write is what reads the file: 12 500 € or 12,50 €, each plus B's 3 €
    for mark, total in ((",", "12503"), (".", "15.5")):
        assert main(command + ["--decimal", mark, "--to", "csv"]) == 0
        from decimal import Decimal
        out = capsys.readouterr().out.splitlines()[1:]
        amounts = [Decimal(line.split(";")[1].replace("\u202f", "").replace(",", "."))
                   if lang == "fr" else Decimal(line.split(",")[1]) for line in out if line]
        assert sum(amounts) == Decimal(total), out
    with pytest.raises(essconv.Error) as raised:
        essconv.Ledger.read_csv(path.read_bytes(), amount="montant")
    assert "decimal=','" in str(raised.value)
    assert "decimal=','" in essconv.messages.language("fr").refusal(raised.value)


@pytest.mark.parametrize("args", [["validate"], ["validate", "--lang", "fr"],
                                  ["convert", "--to", "csv"], ["aggregate", "--by", "funder"]])
def test_a_plan_refused_for_one_problem_says_it_once(args, tmp_path, capsys):
    """An empty plan file printed "f.csv:1:1: the file is empty", then the same line again,
    indented, as if it were a second problem; two problems are still listed under the head."""
    empty = tmp_path / "f.csv"
    empty.write_bytes(b"")
    assert main([args[0], str(empty), *args[1:]]) == 2
    lines = [line.strip() for line in capsys.readouterr().err.splitlines()]
    assert len(lines) == 1 and lines[0].count(f"{empty}:1:1:") == 1, lines
    with pytest.raises(essconv.PlanFormatError) as raised:
        essconv.read_plan(str(empty))
    assert str(raised.value).count("the file is empty") == 1
    broken = tmp_path / "b.csv"
    broken.write_text("en k€;CR;CR;Total\nA;1;2;4\nB;1;1\n", encoding="utf-8")
    assert main([args[0], str(broken), *args[1:]]) == 2
    lines = [line.strip() for line in capsys.readouterr().err.splitlines()]
    assert len(lines) == 3 and len(set(lines)) == 3 and lines[1].startswith(f"{broken}:1:10:")


@pytest.mark.parametrize("lang", [[], ["--lang", "fr"], ["--lang", "en"]])
@pytest.mark.parametrize("command, text", [
    (["validate", "-"], "en k€;CR;CDC;Total\nA;1;2;4\nB;x;1;1\nTotal;1;3;5\n"),   # findings
    (["validate", "-"], "en k€;CR;CR;Total\nA;1;2;4\nB;1;1\n"),                  # problems
    (["aggregate", "-", "--by", "funder"], "en k€;CR;CR;Total\nA;1;2;4\nB;1;1\n"),
    (["validate", "-"], ""),
    (["report", "--plan", "-"], ""),
    (["validate", "-"], None),   # an SCDL file's findings
])
def test_standard_input_is_named_dash_in_everything_the_command_line_says(command, text, lang,
                                                                       monkeypatch, capsys):
    """Read from `-`, a refusal said ":1:1:", a plan's findings "<plan>", a broken plan's
    problems "<table>", a grant file's report "<scdl>", where its rows set aside said "-:2:3":
    one name, "-", the FILE the command line was given, before every place."""
    import io
    data = ((Path(__file__).parent / "data" / "scdl" /
             "scdl-subventions-exemple-invalide-cellules.csv").read_bytes() if text is None
            else text.encode("utf-8"))
    if command[0] == "report" and lang == ["--lang", "en"]:
        lang = []
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    from essconv import cli
    monkeypatch.setattr(cli, "_STDIN", [])
    assert main([*command, *lang]) in (1, 2)
    captured = capsys.readouterr()
    import re
    # every line that gives a place (a finding, a problem, a refusal, a verdict)
    placed = re.compile(r"(:\d+:|\[|FAILED|ÉCHEC|: ok| : ok)")
    said = [line.strip().removeprefix("essconv: ")
            for line in (captured.out + captured.err).splitlines() if placed.search(line)]
    assert said and all(line.startswith(("-:", "- :", "-\u00a0:")) for line in said), said
    for other in ("<plan>", "<table>", "<scdl>", "<stdin>"):
        assert other not in captured.out + captured.err


@pytest.mark.parametrize("lang, said", [([], "essconv: -: sortie standard fermée"),
                                        (["--lang", "en"], "essconv: -: standard output closed")])
@pytest.mark.parametrize("command", [["aggregate", "{plan}", "--by", "funder"],
                                     ["validate", "{plan}"], ["report"], ["calendar"]])
def test_a_closed_standard_output_is_refused_not_a_silent_success(command, lang, said,
                                                                 annex_tsv):
    """`essconv aggregate plan.csv --by funder >&-` exited 0 having printed nothing: a cron
    job believed its figures were out.  It says so on stderr and exits 2 (README)."""
    argv = [a.replace("{plan}", str(annex_tsv)) for a in command]
    if argv[0] == "validate":   # English unless --lang says
        lang = lang or ["--lang", "fr"]
    proc = subprocess.run(["sh", "-c", 'exec "$0" -m essconv "$@" >&-', sys.executable,
                           *argv, *lang], capture_output=True, timeout=120)
    err = proc.stderr.decode().replace("\u00a0", " ").replace("\u202f", " ")
    assert proc.returncode == 2 and said.replace("essconv: ", "") in err and \
        "Traceback" not in err, err


@pytest.mark.parametrize("by", ["funder", "line", "line,funder"])
def test_a_plans_labels_with_control_characters_are_shown_escaped(by, tmp_path, capsys):
    """`aggregate plan.csv --by funder` printed a funder heading "CR\\x1b[2J" as it is (the
    screen cleared over the listing), and a line label's colour sequence reached the terminal:
    shown escaped, as a ledger's table shows them, the figures unchanged."""
    from decimal import Decimal
    path = tmp_path / "plan.csv"
    path.write_text("en k€;CR\x1b[2J;CDC\u202e;Total\nA\x1b[31m;1;2;3\nB;4;1;5\nTotal;5;3;8\n",
                    encoding="utf-8")
    assert main(["aggregate", str(path), "--by", by]) == 0
    out = capsys.readouterr().out
    assert not [c for c in _obeyed(out) if c != "\t"], out   # the listing's own tab column
    if by == "funder":
        assert out.splitlines()[1:] == ["CR\\x1b[2J\t5", "CDC\\u202e\t3"]
    elif by == "line":
        assert out.splitlines()[1:] == ["A\\x1b[31m\t3", "B\t5"]
    else:
        assert "CR\\x1b[2J" in out and "A\\x1b[31m" in out
        # every line's figures as the file gives them
        plan = essconv.read_plan(str(path))
        assert plan.by_funder() == {"CR\x1b[2J": Decimal(5), "CDC\u202e": Decimal(3)}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("command", [["validate", "{plan}"], ["aggregate", "{plan}", "--by", "funder"],
                                     ["convert", "{plan}", "--to", "json"],
                                     ["report", "--plan", "{plan}"]])
def test_an_undecided_plan_amount_names_an_option_every_plan_command_has(command, lang, tmp_path,
                                                                        capsys):
    """A plan's "12.500" that no other amount decides told the command line's user to say
    decimal=',', the Python argument, on commands that had no --decimal (and `aggregate`'s
    --decimal did not reach a plan): each plan command names --decimal and reads it."""
    from decimal import Decimal
    path = tmp_path / "plan-2011.csv"
    path.write_text("en k€;CDC;CR;Total\nDLA;12.500;3;\n", encoding="utf-8")
    argv = [a.replace("{plan}", str(path)) for a in command] + ["--lang", lang]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "--decimal ," in err and "--decimal ." in err and "decimal='" not in err, err
    for mark, cdc in ((",", Decimal("12500")), (".", Decimal("12.5"))):
        assert main(argv + ["--decimal", mark]) in (0, 1), capsys.readouterr().err
        out = capsys.readouterr().out
        if command[0] == "convert":   # the cell as read, against the plan read in Python
            assert json.loads(out) == essconv.read_plan(str(path), decimal=mark).to_dict()
            assert essconv.read_plan(str(path), decimal=mark).cell("DLA", "CDC") == cdc
    with pytest.raises(essconv.Error) as raised:   # the Python API keeps its argument's name
        essconv.read_plan(str(path))
    assert "decimal=','" in str(raised.value)


def _status(argv: list[str]) -> int:
    """main's exit status, a usage refusal (SystemExit, as argparse gives) included."""
    try:
        return main(argv)
    except SystemExit as stop:
        return stop.code


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_plan_on_standard_input_takes_its_year_from_plan_year(lang, annex_tsv, monkeypatch,
                                                                 capsys):
    """`report --plan -` had no way to give the plan its year (a path gives it by its name:
    plan-2010.csv): refused with "a plan needs a year ..., not None".  --plan-year says it; its
    absence is refused naming the option, and a year contradicting the name is refused too."""
    import io
    from essconv import cli
    data = annex_tsv.read_bytes()

    def report(*extra):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        monkeypatch.setattr(cli, "_STDIN", [])
        return _status(["report", "--plan", "-", "--format", "json", "--lang", lang, *extra])

    assert report() == 2
    err = capsys.readouterr().err
    assert "--plan-year" in err and "None" not in err, err
    assert report("--plan-year", "2011") == 0
    from_stdin = json.loads(capsys.readouterr().out)
    # the same report as the same bytes read from a path whose name says 2011
    named = annex_tsv.parent / "plan-2011.tsv"
    named.write_bytes(data)
    assert main(["report", "--plan", str(named), "--format", "json", "--lang", lang]) == 0
    from_path = json.loads(capsys.readouterr().out)
    assert 2011 in essconv.default().years
    assert from_stdin == json.loads(json.dumps(from_path).replace(str(named), "-"))
    assert _status(["report", "--plan", str(named), "--plan-year", "2012", "--lang", lang]) == 2
    err = capsys.readouterr().err
    assert "2011" in err and "2012" in err, err
    assert "--plan-year" in cli.build_parser()._subparsers._group_actions[0].choices[
        "report"].format_help()


_HIDDEN = ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f", "\u200b",
           "\u00ad", "\ufeff", "\u2028", "\x85", "\U000e0041"]


@pytest.mark.parametrize("command", [["convert", "{plan}", "--to", "json"],
                                     ["validate", "{plan}", "--format", "json"],
                                     ["validate", "{plan}", "--format", "json", "--lang", "fr"],
                                     ["report", "--plan", "{plan}", "--format", "json"]])
def test_json_output_escapes_every_invisible_character(command, tmp_path, capsys):
    """JSON output wrote a label's bidi controls raw (U+202E, U+202D, U+2066-U+2069) and other
    invisible format characters: a reviewer's viewer reordered what followed them.  Each is
    written \\uXXXX; the JSON reads back to the same text, accents stay as they are."""
    import unicodedata
    labels = {f"Région{c}lab": c for c in _HIDDEN}
    path = tmp_path / "plan-2010.csv"
    body = "".join(f"L{k} {label};{k + 1};1;{k + 3}\n" for k, label in enumerate(labels))
    path.write_text(f"en k€;CR-NPDC\u202e;CDC;Total\n{body}", encoding="utf-8")
    plan = essconv.read_plan(str(path))
    assert main([a.replace("{plan}", str(path)) for a in command]) in (0, 1)
    out = capsys.readouterr().out
    shown = [c for c in out if c != "\n" and
             unicodedata.category(c) in ("Cf", "Cc", "Zl", "Zp")]
    assert shown == [], [hex(ord(c)) for c in shown]
    data = json.loads(out)   # valid, and the labels read back whole
    text = json.dumps(data, ensure_ascii=False)
    quoted = [label for label in [*labels, "CR-NPDC\u202e"] if label in text]
    if command[0] == "validate":   # the findings quote some of them
        assert quoted, text
    else:
        assert len(quoted) == len(labels) + 1, quoted
        assert "\\udb40\\udc41" in out
    assert "\\u202e" in out and "Région" in out
    if command[0] == "convert":
        assert data == json.loads(json.dumps(plan.to_dict()))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_two_plans_for_one_year_are_refused_not_one_dropped(lang, annex_tsv, tmp_path, capsys):
    """`report --plan a-2010.csv --plan b-2010.csv` kept the second plan alone and said
    nothing of the first: refused naming both files; one plan a year reports as before."""
    first, second = tmp_path / "a-2010.tsv", tmp_path / "b-2010.tsv"
    first.write_bytes(annex_tsv.read_bytes())
    second.write_bytes(annex_tsv.read_bytes())
    assert _status(["report", "--plan", str(first), "--plan", str(second), "--lang", lang]) == 2
    captured = capsys.readouterr()
    assert str(first) in captured.err and str(second) in captured.err and "2010" in captured.err
    assert captured.out == ""
    third = tmp_path / "c-2011.tsv"
    third.write_bytes(annex_tsv.read_bytes())
    assert main(["report", "--plan", str(first), "--plan", str(third), "--format", "json",
                 "--lang", lang]) == 0
    plans = json.loads(capsys.readouterr().out)["plans"]
    assert {"2010", "2011"} <= set(plans)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("text", ["financeur;montant\nRégion;10,00\nCDC;5,00\n",
                                  "financeur;annee;montant\nRégion;2010;10,00\nCDC;2010;5,00\n"
                                  "CDC;2011;7,00\n"])
@pytest.mark.parametrize("by", ["financeur", "financeur,annee"])
def test_a_ledger_aggregated_without_amount_is_pointed_to_the_option(by, text, lang, tmp_path,
                                                                     capsys):
    """`aggregate grants.csv --by financeur` (no --amount) read the ledger as a plan and
    refused it as a broken one ("no header row", "a column of codes after the line labels"),
    never naming --amount: the --by naming no plan dimension says so first; with --amount the
    same file sums as a Decimal twin of its rows."""
    import csv
    from decimal import Decimal
    path = tmp_path / "grants.csv"
    path.write_text(text, encoding="utf-8")
    assert _status(["aggregate", str(path), "--by", by, "--lang", lang]) == 2
    err = capsys.readouterr().err.replace("\u00a0", " ")
    assert "--amount" in err and ("« financeur »" if lang == "fr" else "'financeur'") in err, err
    assert "structure" not in err and "header" not in err and "en-tête" not in err, err
    assert main(["aggregate", str(path), "--by", "financeur", "--amount", "montant", "--to",
                 "csv", "--lang", "en"]) == 0
    got = {row[0]: Decimal(row[1]) for row in
           csv.reader(capsys.readouterr().out.splitlines()[1:]) if row}
    twin: dict = {}
    for row in csv.DictReader(text.splitlines(), delimiter=";"):
        twin[row["financeur"]] = twin.get(row["financeur"], 0) + Decimal(
            row["montant"].replace(",", "."))
    assert got == twin


@pytest.mark.parametrize("lang, said", [("fr", "écrit : "), ("en", "written ")])
@pytest.mark.parametrize("to", ["csv", "tsv", "json"])
def test_convert_to_a_file_says_where_it_went(to, lang, said, annex_tsv, tmp_path, capsys):
    """`convert plan.csv --to csv -o out.csv` said nothing, where `--to xlsx -o` and
    `aggregate ... -o` say where the output went: one line, the file written whole."""
    out = tmp_path / f"out.{to}"
    assert main(["convert", str(annex_tsv), "--to", to, "-o", str(out), "--lang", lang]) == 0
    shown = capsys.readouterr().out.replace("\u00a0", " ")
    assert shown == f"{said}{out}\n"
    assert main(["convert", str(annex_tsv), "--to", to, "--lang", lang]) == 0
    assert out.read_text(encoding="utf-8") == capsys.readouterr().out


@pytest.mark.parametrize("lang, head", [("fr", "essconv : avertissement : {file} : --where f : "),
                                        ("en", "essconv: warning: {file}: --where f: ")])
def test_a_where_label_no_row_holds_is_warned_as_every_warning(lang, head, tmp_path, capsys):
    """The --where warning began "essconv : attention, f :" and named no file, where every
    other warning of the command line says "essconv : avertissement : FILE : ..." (English:
    "essconv: warning: FILE: ..."): one form, its file named."""
    path = tmp_path / "grants.csv"
    path.write_text("f;montant\nA;1,00\nB;2,50\n", encoding="utf-8")
    assert main(["aggregate", str(path), "--by", "f", "--amount", "montant", "--where", "f=C",
                 "--lang", lang]) == 0
    err = capsys.readouterr().err.replace("\u00a0", " ").replace("\u202f", " ")
    [line] = err.splitlines()
    assert line.startswith(head.format(file=path)), line


def test_lang_and_format_before_the_command_are_the_commands_own(tmp_path, capsys):
    """`essconv --lang en aggregate ...` printed French: the option before the command was
    taken and dropped without a word.  Before the command it is the command's own (after it,
    the command's wins); a command without it refuses it."""
    path = tmp_path / "l.csv"
    path.write_text("f;montant\nCDC;1 000,50\nCR;2\n", encoding="utf-8")
    command = ["aggregate", str(path), "--by", "f", "--amount", "montant"]
    said = {}
    for name, argv in {"after": command + ["--lang", "en"], "before": ["--lang", "en", *command],
                       "french": command, "both": ["--lang", "en", *command, "--lang", "fr"]}.items():
        assert main(argv) == 0
        said[name] = capsys.readouterr().out
    assert said["before"] == said["after"] and "total: 1,002.50 € over 2 records" in said["after"]
    assert said["both"] == said["french"] and "sur 2 enregistrements" in said["french"]
    valid = SCDL / "scdl-subventions-exemple-valide.csv"
    assert main(["--format", "json", "validate", str(valid)]) == 1
    before = capsys.readouterr().out
    assert main(["validate", str(valid), "--format", "json"]) == 1
    assert before == capsys.readouterr().out and before.lstrip().startswith("[")
    with pytest.raises(SystemExit) as info:
        main(["--format", "json", *command])
    assert info.value.code == 2
    # said in the run's language, as argparse's other refusals: French unless --lang en
    assert ("--format json\u00a0: la commande aggregate n'a pas d'option --format"
            in capsys.readouterr().err)
    with pytest.raises(SystemExit) as info:
        main(["--format", "json", "--lang", "en", *command])
    assert info.value.code == 2
    assert "--format json: the command aggregate has no --format" in capsys.readouterr().err


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_render_json_escapes_invisible_characters_as_the_command_line_does(lang, tmp_path,
                                                                           capsys):
    """The Python API's ``report.render_json`` wrote a plan label's bidi controls raw, where
    `essconv report --format json` escaped them: both are one text now, valid JSON reading
    back to the same labels."""
    import unicodedata
    from essconv.report import render_json
    labels = [f"Région{c}lab" for c in _HIDDEN]
    path = tmp_path / "plan-2010.csv"
    body = "".join(f"L{k} {label};{k + 1};1;{k + 3}\n" for k, label in enumerate(labels))
    path.write_text(f"en k€;CR-NPDC;CDC;Total\n{body}", encoding="utf-8")
    conv = essconv.default()
    conv.add_plan(essconv.read_plan(str(path)))
    written = render_json(conv, lang=lang)
    shown = [c for c in written if c != "\n" and
             unicodedata.category(c) in ("Cf", "Cc", "Zl", "Zp")]
    assert shown == [], [hex(ord(c)) for c in shown]
    text = json.dumps(json.loads(written), ensure_ascii=False)
    assert all(label in text for label in labels)
    assert "\\u202e" in written and "Région" in written
    assert main(["report", "--plan", str(path), "--format", "json", "--lang", lang]) == 0
    # the same document as the command line's: only the report's date may differ (none here)
    assert json.loads(capsys.readouterr().out) == json.loads(written)


def test_aggregate_groups_the_counts_of_its_notes_in_each_language(tmp_path, capsys):
    """"… 1197 autres groupes" and "sur 1200 enregistrements": the command line's notes under
    an aggregate printed large counts ungrouped."""
    path = tmp_path / "many.csv"
    path.write_text("f;montant\n" + "".join(f"k{i};1\n" for i in range(1200)), encoding="utf-8")
    assert main(["aggregate", str(path), "--by", "f", "--amount", "montant", "--top", "3"]) == 0
    french = capsys.readouterr().out
    assert "… 1\u202f197 autres groupes" in french
    assert "sur 1\u202f200 enregistrements" in french.replace("\u00a0", " ")
    assert main(["aggregate", str(path), "--by", "f", "--amount", "montant", "--top", "3",
                 "--lang", "en"]) == 0
    english = capsys.readouterr().out
    assert "… 1,197 more groups" in english and "over 1,200 records" in english


@pytest.mark.parametrize("args", [("--by", "nom", "--where", "xx=1"), ("--by", "nom", "--sort", "xx")])
def test_an_unknown_column_lists_the_ledgers_columns_in_words_in_english(tmp_path, capsys, args):
    # "the ledger has ['montant', 'nom']": a Python list in a sentence; the columns are
    # listed as words, each quoted, as the reader lists a header's ("its columns: 'a', 'b'")
    grants = tmp_path / "grants.csv"
    grants.write_text("nom;montant\nA;1,50\n", encoding="utf-8")
    assert main(["aggregate", str(grants), "--amount", "montant", *args, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "'xx'" in err and "[" not in err and "]" not in err, err
    listed = re.search(r"(?:columns:|columns are) ((?:'[^']*'(?:, | and )?)+)$", err.strip())
    assert listed and "'nom'" in listed.group(1), err


def test_a_ledgers_unknown_column_is_said_without_a_python_list():
    ledger = essconv.Ledger.from_columns({"nom": ["A"], "montant": [Decimal(1)]}, amount="montant")
    for ask in (lambda: ledger.group_by("xx"), lambda: ledger.values("xx"),
                lambda: ledger.group_by("nom").sum().sort("xx")):
        with pytest.raises(essconv.errors.UnknownColumnError) as info:
            ask()
        said = str(info.value)
        assert "[" not in said and "'nom'" in said, said


@pytest.mark.parametrize("lang", [None, "fr", "en"])
def test_a_dash_in_a_plans_cell_is_read_as_zero_with_the_option_the_hint_names(lang, tmp_path,
                                                                                capsys):
    """A cell printing a dash alone was an error whose hint named the Python argument,
    "(dash_is_zero=True reads a dash as zero)", on a command line that had no way to say it:
    the hint names --dash-is-zero, which validate, aggregate, convert and report --plan take."""
    rows = [["en K€", "Région", "CDC", "Total"], ["Têtes de réseaux", "1 250,5", "—", "1 250,5"],
            ["DLA", "-", "300", "300"], ["Total", "1 250,5", "300", "1 550,5"]]
    path = tmp_path / "plan-2010.csv"
    path.write_bytes("\r\n".join(";".join(r) for r in rows).encode("cp1252"))
    words = ["--lang", lang] if lang else []
    assert main(["validate", str(path), *words]) == 1
    out = capsys.readouterr().out
    assert "dash_is_zero" not in out
    if lang != "fr":   # the English listing gives the reader's reason, the hint in it
        assert out.count("--dash-is-zero") == 2, out
    assert main(["validate", str(path), "--dash-is-zero", *words]) == 0
    capsys.readouterr()
    # the sums, a dash as zero, against the cells' slow twin
    def amount(text):
        return Decimal(0) if text in ("-", "—") else Decimal(text.replace(" ", "").replace(",", "."))
    want = {f: sum(amount(r[j]) for r in rows[1:3]) for j, f in ((1, "Région"), (2, "CDC"))}
    assert main(["aggregate", str(path), "--by", "funder", "--dash-is-zero", "--lang", "en"]) == 0
    captured = capsys.readouterr()
    got = dict(line.split("\t") for line in captured.out.splitlines()[1:])
    assert {f: Decimal(v.replace(",", "")) for f, v in got.items()} == want
    assert captured.err == ""   # no cell counted as nothing: the dashes are zeros
    assert main(["convert", str(path), "--to", "json", "--dash-is-zero"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [line["cells"] for line in data["lines"]] == [
        {f: str(amount(r[j])) for j, f in ((1, "Région"), (2, "CDC"))} for r in rows[1:3]]
    assert main(["report", "--plan", str(path), "--dash-is-zero", "--lang", "en"]) == 0
    capsys.readouterr()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_validate_json_names_the_command_lines_options_as_its_listing_does(lang, tmp_path,
                                                                          capsys):
    """The JSON of `validate` is the command line's output too: its messages named the Python
    arguments (dash_is_zero=True, decimal=','), where the text listing names --dash-is-zero and
    --decimal ,; and a plan refused whole named dash_is_zero=True in both."""
    found = tmp_path / "plan-2011.csv"   # a dash: a finding of validate
    found.write_text("en k€;CR;CDC;Total\nDLA;-;20;20\nFormation;12;5;17\nTotal;12;25;37\n",
                     encoding="utf-8")
    refused = tmp_path / "plan-2010.csv"   # a dash beside an undecided "12.500": refused whole
    refused.write_text("en k€;CR;CDC;Total\nDLA;-;20;20\nFormation;12.500;5;17.500\n"
                       "Total;12.500;25;37.500\n", encoding="utf-8")
    for path, status in ((found, 1), (refused, 2)):
        assert main(["validate", str(path), "--lang", lang]) == status
        listing = capsys.readouterr()
        assert main(["validate", str(path), "--lang", lang, "--format", "json"]) == status
        data = json.loads(capsys.readouterr().out)
        said = [f["message"] for f in data[0].get("findings", [])] + [data[0].get("error", "")]
        for text in [listing.out + listing.err, *said]:
            assert "dash_is_zero" not in text and "decimal=" not in text, text
        if lang == "en" or path is refused:   # the French finding words no hint
            assert any("--dash-is-zero" in text for text in said), said
        if path is refused:
            assert "--decimal ," in data[0]["error"], data
            assert "--dash-is-zero" in listing.err and "--decimal ," in listing.err, listing.err


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_dash_in_a_ledgers_amount_is_read_as_zero_with_the_option_the_hint_names(lang, tmp_path,
                                                                                  capsys):
    """A ledger's amount printing a dash alone was refused with the hint "dash_is_zero=True",
    a Python argument, and `aggregate --amount` and an SCDL file had no option to say it: they
    take --dash-is-zero, as for a plan, and the hint names it."""
    rows = [("Asso A", "1 250,50"), ("Asso B", "-"), ("Asso A", "—"), ("Asso C", "300")]
    ledger = tmp_path / "grants.csv"
    ledger.write_text("nom;montant\n" + "".join(f"{n};{m}\n" for n, m in rows), encoding="utf-8")
    scdl = tmp_path / "scdl.csv"
    scdl.write_text("nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;objet;montant;nature\n"
                    + "".join(f"Région;23590001;2017-01-02;{n};Projet;{m};aide en numéraire\n"
                              for n, m in rows), encoding="utf-8")
    def amount(text):   # the slow twin: each printed amount by Decimal, a dash a zero
        return Decimal(0) if text in ("-", "—") else Decimal(text.replace(" ", "").replace(",", "."))
    want = sum((amount(m) for _, m in rows), Decimal(0))
    for path, by in ((ledger, ["--amount", "montant", "--by", "nom"]),
                     (scdl, ["--by", "nomBeneficiaire"])):
        assert main(["aggregate", str(path), *by, "--lang", lang]) == 2
        err = capsys.readouterr().err
        assert "dash_is_zero" not in err and "--dash-is-zero" in err, err
        assert main(["aggregate", str(path), *by, "--lang", "en", "--dash-is-zero",
                     "--to", "csv"]) == 0
        captured = capsys.readouterr()
        import csv
        got = list(csv.reader(captured.out.splitlines()))[1:]
        assert sum(Decimal(amount) for _, amount, _ in got) == want, captured.out
        assert sum(int(count) for _, _, count in got) == len(rows)   # no row set aside
        assert captured.err == ""
    # report --grants reads the grant file with it too: no row set aside
    assert main(["report", "--grants", str(scdl), "--dash-is-zero", "--lang", "en",
                 "--format", "json"]) == 0
    assert "dash_is_zero" not in capsys.readouterr().err


def test_aggregate_of_no_record_leaves_its_share_blank_not_none(tmp_path, capsys):
    """A grant file of no record listed with --share --total printed "None %" (Python's None)
    on its Total line; the share of no total is left blank, as its CSV leaves it."""
    path = tmp_path / "empty.csv"
    path.write_text("f;montant\n", encoding="utf-8")
    command = ["aggregate", str(path), "--by", "f", "--amount", "montant", "--share", "--total"]
    for lang in ("fr", "en"):
        assert main(command + ["--lang", lang]) == 0
        out = capsys.readouterr().out
        assert "None" not in out and "%" not in out.splitlines()[2], out
        total_line = out.splitlines()[2].split()
        assert total_line == ["(Total)", "0", "€"], out
    assert main(command + ["--to", "csv"]) == 0        # the export beside it: a blank share
    assert capsys.readouterr().out.splitlines()[1].split(";")[-1] == ""


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("convention", ["absent.toml", "present"])
def test_aggregate_of_a_ledger_refuses_a_convention_it_would_not_use(lang, convention, tmp_path,
                                                                      capsys):
    """--convention on a ledger's aggregate was read by nothing: a mistyped path, or a
    description whose [relabel] merges the Lot's two spellings of its department, printed
    the groups as if it had been applied, exit 0."""
    toml = tmp_path / "desc.toml"
    if convention == "present":
        toml.write_text('[relabel.nomAttribuant]\n"Departement du Lot" = "Département du Lot"\n',
                        encoding="utf-8")
    for file, extra in ((SCDL / "lot-2017-subventions.csv", []),
                        (SCDL / "somme-2018-conventions.csv", ["--amount", "montant"])):
        with pytest.raises(SystemExit) as caught:
            main(["aggregate", str(file), "--by", "nomAttribuant", "--convention", str(toml),
                  "--lang", lang, *extra])
        assert caught.value.code == 2
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err.startswith("essconv: ")
        assert f"--convention {toml}" in captured.err and "relabel" in captured.err
        assert ("registre" in captured.err) == (lang == "fr")


@pytest.mark.parametrize("lang, heading", [("fr", "Exécution 2009"), ("en", "Execution 2009")])
def test_the_execution_section_has_a_blank_line_before_it_as_every_section(lang, heading,
                                                                           capsys):
    """With --grants, the text report's execution section began on the line after the last
    finding, where every other section of the report has a blank line before it."""
    lot = SCDL / "lot-2017-subventions.csv"
    assert main(["report", "--grants", str(lot), "--lang", lang]) == 0
    lines = capsys.readouterr().out.split("\n")
    (at,) = [i for i, line in enumerate(lines) if line.startswith(heading)]
    assert lines[at - 1] == "" and lines[at - 2].strip(), lines[at - 2:at + 1]


@pytest.mark.parametrize("lang, said", [
    ("fr", "annee : aucun enregistrement ne porte 2011 (la colonne va de 2009 à 2010) ; ce test "
           "ne retient aucun enregistrement"),
    ("en", "annee: no row holds 2011 (the column holds 2009–2010); it selects no row")])
def test_a_where_year_no_record_holds_is_said_once_in_the_listings_language(lang, said,
                                                                             tmp_path, capsys):
    """``--where annee=2011`` on a file of 2009 and 2010 printed 0 € without a word; a date
    no record holds is said once (not by the filter and the --where check both)."""
    path = tmp_path / "grants.csv"
    path.write_text("f;annee;jour;montant\nA;2009;01/03/2009;1,00\nB;2010;30/06/2010;2,50\n",
                    encoding="utf-8")
    command = ["aggregate", str(path), "--by", "f", "--amount", "montant", "--ints", "annee",
               "--dates", "jour", "--lang", lang]
    assert main(command + ["--where", "annee=2011"]) == 0
    err = capsys.readouterr().err.replace("\u00a0", " ").replace("\u202f", " ")
    [line] = err.splitlines()
    assert line.endswith(f"{path}{' : ' if lang == 'fr' else ': '}{said}"), line
    assert main(command + ["--where", "jour=02/07/2010"]) == 0
    assert len(capsys.readouterr().err.splitlines()) == 1
