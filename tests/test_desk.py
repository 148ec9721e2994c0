"""The analyst's desk: display, pictures, the dashboard in a real browser, the command line."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import essconv
from essconv.cli import main
from conftest import not_under_asan


def test_html_repr_of_a_faulty_plan_highlights_the_total_and_shows_the_fix():
    plan = essconv.default().plan(2009)
    html = plan._repr_html_()
    # French by default, amounts grouped by narrow no-break spaces (English: tests/test_language.py)
    assert 'class="n bad"' in html and "les cellules donnent 41" in html   # CRESS's 51, marked
    assert 'class="n fix"' in html and "→ 10" in html                   # the blank CDC cell
    assert "les cellules donnent 8\u202f105" in html and "1 2618" in html and "→ 1\u202f261" in html
    assert "8\u202f115" in html and "k€" in html
    text = str(plan)
    assert "51!" in text and "·*" in text and "= sous-total" in text
    assert "<Report ok=False" in repr(plan.validate())
    assert "essconv" in essconv.default()._repr_html_() and "Lille" in essconv.default()._repr_html_()


@not_under_asan
def test_pictures_return_axes():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    conv = essconv.default()
    plan = conv.plan(2009)
    ax = plan.plot.by_axis(convention=conv)
    assert len(ax.patches) == len(plan.funders) * len(plan.axes)
    assert any("5\u202f764" in t.get_text() for t in ax.texts)   # grouped as French prints
    heat = plan.plot.heatmap()
    marked = [p for p in heat.patches if p.get_edgecolor()[:3] == (0.0, 0.5019607843137255, 0.0)]
    assert marked and any("→ 10" in t.get_text() for t in heat.texts)
    years = conv.plot.years()
    assert sum(1 for t in years.texts if t.get_text() == "pas de plan") == 4   # French by default
    matplotlib.pyplot.close("all")


def test_dashboard_is_self_contained(tmp_path):
    out = tmp_path / "dash.html"
    assert main(["report", "--html", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg") >= 1 and "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<script" not in page and "8\u202f115" in page and "Comité stratégique" in page
    assert "Calendrier de la gouvernance" in page


def test_the_chart_by_axis_has_a_bar_for_the_lines_under_no_axis():
    # a line printed above the first axis belongs to none: the chart left it out, so its bars
    # said 9 k€ of a 12 k€ plan.  Each bar's label is checked against a Decimal twin.
    import re
    from decimal import Decimal
    from essconv.dashboard import plan_by_axis_svg
    plan = essconv.read_plan("en k€\t\tA\tB\tTotal\n\tL0\t1\t2\t3\nAxe 1\tL1\t4\t-5,5\t-1,5\n"
                             "Total\t\t5\t-3,5\t1,5\n".encode(), year=2012)
    texts = [t.replace("\xa0", " ") for t in re.findall(r"<text[^>]*>([^<]*)</text>", plan_by_axis_svg(plan))]
    assert texts[1:5] == ["hors axe", "3 k€", "Axe 1", "-1,5 k€"]
    bars = [Decimal(t.removesuffix(" k€").replace(",", ".")) for t in texts[2:5:2]]
    assert sum(bars) == plan.total() == Decimal("1.5")
    whole = essconv.read_plan("en k€\tA\tB\nx\t1\t2\n".encode(), year=2010)
    assert re.findall(r"<text[^>]*>([^<]*)</text>", plan_by_axis_svg(whole, lang="en"))[1:3] == [
        "Total", "3\xa0k€"]


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(CHROMIUM is None and os.environ.get("CI") != "true",
                    reason="no headless Chromium here (CI installs Debian's chromium)")
def test_dashboard_renders_in_headless_chromium(tmp_path):
    assert CHROMIUM, "CI must have chromium installed (.ci/run installs it)"
    out = tmp_path / "dash.html"
    grants = tmp_path / "grants.csv"
    # --grants takes an SCDL grant file: every required column, two grants of 2009
    grants.write_text(
        "nomAttribuant;idAttribuant;dateConvention;referenceDecision;nomBeneficiaire;idBeneficiaire;"
        "rnaBeneficiaire;objet;montant;nature;conditionsVersement;datesPeriodeVersement;idRAE;"
        "notificationUE;pourcentageSubvention;dispositifAide\n"
        "CDC;18002002600019;2009-03-01;D1;Asso A;;W123456789;Accompagnement;200 000,00;"
        "aide en numéraire;unique;2009-03-01;;non;100;DLA\n"
        "Région;23590001500018;2009-06-01;D2;Coop B;;W987654321;Innovation;573 000,00;"
        "aide en numéraire;unique;2009-06-01;;non;100;Innovation\n", encoding="utf-8")
    assert main(["report", "--html", str(out), "--grants", str(grants)]) == 0
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--enable-logging=stderr", "--v=0", f"--user-data-dir={tmp_path / 'profile'}"]
    shot = tmp_path / "dash.png"
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}   # not under our ASan run
    run = subprocess.run(flags + [f"--screenshot={shot}", "--window-size=1200,1800", out.as_uri()],
                         capture_output=True, text=True, timeout=120, env=env)
    assert shot.exists() and shot.stat().st_size > 20_000, run.stderr[-2000:]
    console = [l for l in run.stderr.splitlines() if "CONSOLE" in l or "Uncaught" in l]
    assert console == []
    dom = subprocess.run(flags + ["--dump-dom", out.as_uri()], capture_output=True, text=True,
                         timeout=120, env=env).stdout
    assert dom.count("<svg") >= 2 and "<rect" in dom            # plan chart + planned vs paid
    assert "8\u202f115" in dom and "Exécution 2009" in dom
    # the picture is not blank: many distinct colours
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(set(png[1000:20000])) > 200


def test_cli_exit_codes_aggregate_convert_calendar(tmp_path, capsys, annex_tsv):
    assert main(["aggregate", str(annex_tsv), "--by", "party"]) == 0
    out = capsys.readouterr().out
    assert "ETAT\t739" in out and "CR-NPDC\t4 076" in out
    assert main(["aggregate", str(annex_tsv), "--by", "axis,funder"]) == 0
    pivot_out = capsys.readouterr().out                     # axes down, funders across
    assert "CR-NPDC" in pivot_out.splitlines()[0] and "= Promouvoir" in pivot_out
    assert main(["convert", str(annex_tsv), "--to", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == "8105" and data["stated_total"] == "8115"
    assert main(["convert", str(annex_tsv), "--to", "csv"]) == 0
    assert "1 2618" in capsys.readouterr().out            # as printed: converting never corrects
    xlsx = tmp_path / "p.xlsx"
    assert main(["convert", str(annex_tsv), "--to", "xlsx", "-o", str(xlsx)]) == 0
    assert essconv.read_plan(xlsx).total() == essconv.read_plan(annex_tsv).total()
    capsys.readouterr()
    assert main(["calendar", "--year", "2010"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 8
    assert main(["calendar", "--year", "2011", "--ics"]) == 0
    ics = capsys.readouterr().out
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.count("BEGIN:VEVENT") == 9
    assert "DTSTART;VALUE=DATE:20110101" in ics and all(len(l.encode()) <= 75 for l in ics.split("\r\n"))
    ledger_csv = tmp_path / "l.csv"
    ledger_csv.write_text("f;montant\nCDC;1,50\nCR;2\nCDC;0,50\n", encoding="utf-8")
    assert main(["aggregate", str(ledger_csv), "--by", "f", "--amount", "montant"]) == 0
    assert "CDC      2 €" in capsys.readouterr().out.splitlines()   # formatted, aligned
    assert main(["aggregate", str(tmp_path / "missing.tsv"), "--by", "funder"]) == 2


def test_help_for_each_command():
    for cmd in ("report", "validate", "aggregate", "convert", "calendar"):
        proc = subprocess.run([sys.executable, "-m", "essconv", cmd, "--help"], capture_output=True,
                              text=True, timeout=60)
        assert proc.returncode == 0 and "usage:" in proc.stdout


def test_docstrings_with_an_example_everywhere():
    """help() is the first documentation an analyst reads: every public function, class,
    method and property has a docstring with an example (a doctest or inline code)."""
    import inspect

    def has_example(doc):
        return bool(doc) and (">>>" in doc or "``" in doc)

    missing = []
    for name in essconv.__all__:
        obj = getattr(essconv, name)
        if callable(obj) and not has_example(inspect.getdoc(obj)):
            missing.append(name)
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if attr.startswith("_"):
                    continue
                if isinstance(member, property):
                    member = member.fget
                elif not callable(member):
                    continue
                if not has_example(inspect.getdoc(member)):
                    missing.append(f"{name}.{attr}")
    assert missing == []


def test_the_report_calls_no_unstated_total_different(tmp_path, capsys):
    """A plan with no Total row is clean: its funder totals are not stated, not "different"."""
    plan = tmp_path / "plan-2010.csv"
    plan.write_text("en K€;CR-NPDC;CDC;Total\nDLA;327;274;601\nInnovation;573;;573\n",
                    encoding="utf-8")
    assert main(["report", "--plan", str(plan)]) == 0
    out = capsys.readouterr().out
    out = out[out.index("Plan 2010 —"):]
    block = out[out.index("Totaux par financeur"):out.index("Totaux par partie")]
    assert "—" in block and "diffère" not in block
    # a stated total that does differ is still marked
    plan.write_text("en K€;CR-NPDC;CDC;Total\nDLA;327;274;601\nTotal;328;274;601\n",
                    encoding="utf-8")
    main(["report", "--plan", str(plan)])
    out = capsys.readouterr().out
    out = out[out.index("Plan 2010 —"):]
    block = out[out.index("Totaux par financeur"):out.index("Totaux par partie")]
    assert block.count("diffère") == 1
