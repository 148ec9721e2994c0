"""Real SCDL grant files, read and checked as they are published (never cleaned)."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import hypothesis
import pytest
from hypothesis import strategies as st

import essconv
from essconv.scdl import read_scdl, siret_ok, validate_scdl
from conftest import SCDL

LOT = SCDL / "lot-2017-subventions.csv"
NIEVRE = SCDL / "nievre-2016-subventions.csv"
VALID = SCDL / "scdl-subventions-exemple-valide.csv"
INVALID = SCDL / "scdl-subventions-exemple-invalide-cellules.csv"


def oracle(path, encoding, delimiter, amount_column):
    """An independent reading with the csv module and Decimal: (records, readable sum)."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    text = raw.decode(encoding)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = [h.strip() for h in rows[0]]
    k = header.index(amount_column)
    records, total, unreadable = 0, Decimal(0), 0
    for r in rows[1:]:
        if not any(c.strip() for c in r):
            continue
        records += 1
        v = r[k].replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            total += Decimal(v)
        except Exception:
            unreadable += 1
    return records, total, unreadable


@pytest.mark.parametrize("path, encoding, delimiter, amount", [
    (LOT, "cp1252", ";", "montant"),
    (NIEVRE, "cp1252", ",", "SUB_MONTANT"),
    (VALID, "utf-8", ",", "montant"),
    (INVALID, "utf-8", ",", "montant"),
])
def test_real_files_load_with_counts_and_totals_of_an_independent_reading(path, encoding, delimiter, amount):
    ledger = read_scdl(path)
    records, total, unreadable = oracle(path, encoding, delimiter, amount)
    assert len(ledger) + len(ledger.bad_rows) == records
    assert len(ledger.bad_rows) == unreadable
    assert ledger.total() == total
    assert "montant" in ledger.columns and "nomAttribuant" in ledger.columns


def test_lot_as_published():
    ledger = read_scdl(LOT)
    assert len(ledger) == 13 and ledger.blank_rows == 21 and not ledger.bad_rows
    assert "datesPeriodeVersement" in ledger.columns        # header case variant mapped
    names = ledger.values("nomBeneficiaire")
    assert 'Association "Ecaussystème"' in names          # CP1252 and quotes decoded
    assert any("\n" in (o or "") for o in ledger.values("objet"))   # bare LF inside a quoted cell


def test_nievre_old_column_names_and_text_amounts():
    ledger = read_scdl(NIEVRE)
    assert "montant" in ledger.columns and "SUB_MONTANT" not in ledger.columns
    assert any("'NC'" in b.message for b in ledger.bad_rows)
    assert any("'SEM'" in b.message for b in ledger.bad_rows)
    assert all(b.line > 1 and b.column > 1 for b in ledger.bad_rows)
    report = validate_scdl(NIEVRE)
    assert "legacy-column" in report.codes()
    assert any(f.code == "text-in-number" and f.value == "NC" for f in report)


def test_invalid_example_reports_every_planted_error_on_its_row():
    report = validate_scdl(INVALID)
    assert not report.ok and report.records == 29
    def has(row, code, field, suggestion=None):
        found = [f for f in report.on_row(row) if f.code == code and f.field == field]
        assert found, (row, code, field, [str(f) for f in report.on_row(row)])
        if suggestion is not None:
            assert found[0].suggestion == suggestion
    assert any(f.code == "missing-column" and f.field == "dispositifAide" and f.row is None for f in report)
    has(5, "date-format", "dateConvention", "2016-12-05")                # 05/12/2016
    has(6, "number-format", "montant", "100000.1")                       # "100000,1"
    has(2, "range", "pourcentageSubvention", "1")                        # 100
    has(3, "range", "pourcentageSubvention", "0.8")                      # 80
    has(6, "boolean", "notificationUE", "non")                           # no
    has(8, "boolean", "notificationUE", "oui")                           # yes
    has(7, "pattern", "idAttribuant")                                    # a 9-digit SIREN
    has(8, "pattern", "datesPeriodeVersement", "2017-06-27/2018-06-27")  # _ between dates
    has(5, "pattern", "rnaBeneficiaire")                                 # W3222
    has(16, "enum", "nature", "aide en numéraire;aide en nature")        # a comma in the enum
    has(10, "required", "montant")                                       # an empty amount
    has(2, "siret-check", "idAttribuant")                                # check digit
    has(6, "mangled-siret", "idBeneficiaire")                            # 32402138500000.0
    # its digits fail the check: the lost ones are not recoverable, so no fix is offered
    assert [f.suggestion for f in report.on_row(6) if f.code == "mangled-siret"] == [None]
    has(9, "number-format", "pourcentageSubvention", "0.5")              # "0,5"
    has(9, "one-of-required", "idBeneficiaire")
    assert all(f.severity == "error" for f in report.errors)


def test_valid_example_passes_the_schema_and_what_it_gets_wrong_beyond_is_reported():
    report = validate_scdl(VALID)
    schema_codes = {"missing-column", "required", "pattern", "enum", "max-length", "range",
                    "date-format", "number-format", "boolean", "siret-check", "one-of-required"}
    assert not [f for f in report if f.code in schema_codes]
    beyond = {(f.row, f.code) for f in report}
    assert (27, "impossible-date") in beyond                  # 2017-30-05 matches the pattern
    assert any(code == "period-order" for _, code in beyond)  # a period that ends before it starts


def test_siret_check_digit_and_la_poste():
    assert siret_ok("73282932000074")           # a valid Luhn SIRET
    assert not siret_ok("73282932000075")
    assert siret_ok("35600000000001")           # La Poste: digit sum multiple of 5, not Luhn
    assert not siret_ok("3560000000004")


def test_execution_plan_versus_actual(tmp_path):
    conv = essconv.default()
    p = tmp_path / "paid.csv"
    p.write_text("nomAttribuant;dispositifAide;montant;dateConvention\n"
                 "CDC;DLA;200 000,00;2009-03-01\n"
                 "Région;Innovation;573 000,00;2009-06-01\n"
                 "DRTEFP;DLA;45 000,00;2009-07-01\n"
                 "Mairie de Lens;DLA;1 000,00;2009-07-01\n"
                 "CDC;Inconnu;5,00;2009-08-01\n"
                 "CDC;DLA;99 999,00;2010-01-01\n", encoding="utf-8")
    ledger = essconv.Ledger.read_csv(p, amount="montant", dates=["dateConvention"])
    ex = conv.execution(2009, ledger)
    assert ex.planned["funder"]["CDC"] == Decimal(1_240_000)
    assert ex.paid["funder"]["CDC"] == Decimal("200005")
    assert ex.paid["party"]["ETAT"] == Decimal(45_000)
    assert ex.paid["line"]["Innovation"] == Decimal(573_000) and ex.rate("line", "Innovation") == Decimal("100.0")
    assert ex.paid["axis"]["Axe 3"] == Decimal(818_000)
    assert {(u.funder, u.line) for u in ex.unmapped} == {("Mairie de Lens", "DLA"), ("CDC", "Inconnu")}
    assert ex.total_paid + sum(u.amount for u in ex.unmapped if u.funder == "Mairie de Lens") == \
        ledger.filter(dateConvention=(__import__("datetime").date(2009, 1, 1), __import__("datetime").date(2009, 12, 31))).total()
    assert "map to no funder or line" in ex.text("en") and "aucun financeur" in str(ex)


# ---------------------------------------------------------------------------- as producers publish
def test_older_column_names_are_mapped_in_full(tmp_path):
    header = ["Nom de l'attribuant", "COLL_SIRET", "Date de la convention", "ATTRIB_NOM",
              "SUB_OBJ", "Montant total de la subvention", "nature", "Conditions de versement",
              "Date ou période de versement", "Notification à la commission Européenne",
              "pourcentage_subvention"]
    row = ["Ville", "21860194600013", "2017-01-02", "Club", "Fête", "1200.50", "aide en numéraire",
           "unique", "2017-02-01", "non", "1"]
    path = tmp_path / "ancien.csv"
    path.write_text(";".join(header) + "\n" + ";".join(row) + "\n", encoding="utf-8")
    ledger = read_scdl(path)
    assert set(ledger.columns) == {"nomAttribuant", "idAttribuant", "dateConvention",
                                   "nomBeneficiaire", "objet", "montant", "nature",
                                   "conditionsVersement", "datesPeriodeVersement",
                                   "notificationUE", "pourcentageSubvention"}
    assert ledger.total() == Decimal("1200.50") and ledger.values("objet") == ["Fête"]
    report = validate_scdl(path)
    names = set(essconv.scdl.field_names())
    assert all(f.field is None or f.field in names for f in report)
    assert "extra-column" not in report.codes()


def test_rows_set_aside_name_the_schema_column():
    ledger = read_scdl(NIEVRE)
    assert ledger.bad_rows and all("'SUB_MONTANT'" not in b.message for b in ledger.bad_rows)
    assert any("column 'montant'" in b.message for b in ledger.bad_rows)


def test_one_fault_one_finding_for_a_mangled_siret_that_fails_its_check():
    report = validate_scdl(INVALID)
    on_6 = [f for f in report.on_row(6) if f.field == "idBeneficiaire"]
    assert [f.code for f in on_6] == ["mangled-siret"]
    assert "fail the SIRET check digit" in on_6[0].message


def test_counts_by_severity_and_code_and_a_one_screen_summary():
    report = validate_scdl(INVALID)
    counts = report.counts()
    twin: dict = {}
    for f in report:
        twin.setdefault(f.severity, {}).setdefault(f.code, 0)
        twin[f.severity][f.code] += 1
    assert counts == twin and list(counts) == ["error"]
    summary = report.summary(lang="en")
    assert summary.splitlines()[0].endswith(f"FAILED — 29 records, {len(report)} error{'s' if len(report) > 1 else ''}, 0 warnings")
    assert f"siret-check {counts['error']['siret-check']}" in summary
    assert len(summary.splitlines()) <= 15


def test_the_summary_is_french_by_default_as_the_command_line_and_the_notebook_say_it():
    """What a committee reads speaks French unless English is asked for: summary() as
    ``essconv validate`` prints it and as the notebook's table says it, one language."""
    report = validate_scdl(INVALID)
    french, english = report.summary(), report.summary(lang="en")
    assert french == report.summary(lang="fr") != english
    assert "ÉCHEC" in french.splitlines()[0] and "FAILED" not in french
    assert "FAILED" in english.splitlines()[0] and "ÉCHEC" not in english


def test_a_file_that_is_not_a_grant_file_is_refused_saying_so(tmp_path):
    path = tmp_path / "grand-livre.csv"
    path.write_text("financeur;annee;montant\nCDC;2009;10\n", encoding="utf-8")
    with pytest.raises(essconv.ParseError, match=r"not an SCDL grant file: of the schema's 11 "
                                                 r"required columns, its header has 1 \(montant\)"):
        read_scdl(path)
    report = validate_scdl(path)
    assert report.codes() == ["not-scdl"]


def test_two_spellings_of_one_field_are_refused_at_the_second(tmp_path):
    header = essconv.scdl.field_names() + ["COLL_NOM"]
    row = ["A" if h == "nomAttribuant" else "B" if h == "COLL_NOM" else "10" if h == "montant"
           else "" for h in header]
    path = tmp_path / "deux.csv"
    path.write_text(";".join(header) + "\n" + ";".join(row) + "\n", encoding="utf-8")
    with pytest.raises(essconv.ParseError) as info:
        read_scdl(path)
    column = len(";".join(header[:-1])) + 2
    assert f"{path}:1:{column}:" in str(info.value)
    assert "'nomAttribuant' and 'COLL_NOM' both stand for the schema's 'nomAttribuant'" in str(info.value)


# ---------------------------------------------------------------------------- real files not shipped
VENDEE = SCDL / "vendee-2019-03-subventions.csv"
DILCRAH = SCDL / "dilcrah-2019-subventions-anonymise.csv"
SOMME_2017 = SCDL / "somme-2017-conventions.csv"
HAUTE_GARONNE = SCDL / "haute-garonne-datalocale-subventions.csv"


def test_unquoted_french_amounts_in_a_comma_file_are_put_back_and_said_once():
    # 47 records, 6 969 345,00 by the anchored reading of SOURCES.md (the nature cell follows
    # the amount's two halves); every row also has unquoted commas in its text cells
    with pytest.warns(essconv.RepairedRowsWarning) as said:
        ledger = read_scdl(VENDEE)
    [warning] = said
    text = str(warning.message)
    assert str(VENDEE) in text and "47 rows had" in text and "line 2" in text and "'25 000,00'" in text
    assert (len(ledger), ledger.total(), ledger.bad_rows, ledger.blank_rows) == \
        (47, Decimal("6969345.00"), [], 1)
    assert ledger.group_by("nature").sum().to_dict() == {"aide en numéraire": Decimal("6969345.00")}
    assert set(ledger.values("notificationUE")) == {"non"}
    report = validate_scdl(VENDEE)
    assert report.codes().count("unquoted-delimiter") == 1 and "row-length" not in report.codes()
    assert not [f for f in report if f.field == "nature"]          # no knock-on finding
    assert [f.suggestion for f in report.on_row(2) if f.code == "number-format"] == ["25000"]


def write(tmp_path, text, name="f.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEAD = "nomAttribuant,idAttribuant,dateConvention,nomBeneficiaire,objet,montant,nature," \
       "conditionsVersement,datesPeriodeVersement,notificationUE\n"


def test_a_split_amount_keeps_its_cents_and_a_comma_in_prose_stays_in_its_cell(tmp_path):
    path = write(tmp_path, HEAD +
                 "Ville,21860194600013,2019-03-08,Club,Fête, repas et bal,1 200,50,aide en "
                 "numéraire,unique,2019-04-01,non\n"
                 "Ville,21860194600013,2019-03-09,Chorale,Concert,300,aide en numéraire,"
                 "unique,2019-04-01,non\n")
    with pytest.warns(essconv.RepairedRowsWarning, match=r"1 row had more cells.*line 2"):
        ledger = read_scdl(path)
    assert ledger.total() == Decimal("1500.50") and len(ledger) == 2
    assert ledger.values("objet") == ["Fête, repas et bal", "Concert"]
    # with ";" as delimiter a decimal comma cannot split an amount: such a row stays aside
    path = write(tmp_path, HEAD.replace(",", ";") +
                 "Ville;21860194600013;2019-03-08;Club;Fête;1 200;50;aide en numéraire;unique;2019-04-01;non\n")
    ledger = read_scdl(path)
    assert len(ledger) == 0 and len(ledger.bad_rows) == 1


def test_over_long_rows_that_fit_two_ways_are_set_aside_not_guessed(tmp_path):
    # "A,B,C" over nomBeneficiaire + objet: ("A,B", "C") or ("A", "B,C") -- nothing tells
    ambiguous = "Ville,21860194600013,2019-03-08,A,B,C,300,aide en numéraire,unique,2019-04-01,non\n"
    fits = "Ville,21860194600013,2019-03-08,Club,Fête, bal,1 200,50,aide en numéraire,unique,2019-04-01,non\n"
    path = write(tmp_path, HEAD + fits + ambiguous)
    many = write(tmp_path, HEAD + fits.replace("Fête, bal", "Fête" + ", bal" * 40), "many.csv")
    assert len(read_scdl(many)) == 0   # 40 stray commas: no search, the row stays aside
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error", essconv.RepairedRowsWarning)   # nothing is repaired
        ledger = read_scdl(path)
    assert len(ledger) == 0 and [b.line for b in ledger.bad_rows] == [2, 3]
    report = validate_scdl(path)
    assert report.codes().count("unquoted-delimiter") == 1          # the cause, said once
    assert [f.row for f in report if f.code == "row-length"] == [2, 3]


def test_the_decrees_labels_as_a_header_are_the_schemas_columns():
    ledger = read_scdl(DILCRAH)
    assert (len(ledger), ledger.total()) == (4, Decimal(110000))
    assert set(ledger.columns) <= set(essconv.scdl.field_names())
    assert set(ledger.values("nomAttribuant")) == {"SPM - DILCRAH"}   # "attributaire": the grantor
    assert set(ledger.values("notificationUE")) == {"non"}           # its label is mojibake
    assert str(min(ledger.values("dateConvention"))) == "2019-05-10"   # 10/05/2019, day first
    report = validate_scdl(DILCRAH)
    assert {f.field for f in report if f.code == "missing-column"} == {"rnaBeneficiaire", "dispositifAide"}
    assert "extra-column" not in report.codes()
    # a day-first payment date gets its ISO spelling as the suggestion
    assert [f.suggestion for f in report.on_row(2) if f.field == "datesPeriodeVersement"] == ["2019-05-20"]


@pytest.mark.parametrize("label,field", [
    ("Aide notifiÃ©e Ã\u00a0 l'Europe", "notificationUE"),
    ("Date(s) ou période(s) de versement (AAAA-MM-JJ)", "datesPeriodeVersement"),
    ("N° SIRET", "idBeneficiaire"),
    ("Montant voté", "montant"),
    ("Date de la convention (AAAA-MM-JJ)", "dateConvention"),
    ("Montant de la subvention (en euros)", "montant"),
])
def test_header_names_seen_in_the_wild_map_to_the_schema(label, field):
    mapping, _ = essconv.scdl._header_map([label])
    assert mapping == {label: field}
    # a unit other than the euro is not dropped with its parentheses: no amount 1 000 times off
    assert essconv.scdl._header_map(["Montant (k€)", "Montant (en milliers d'euros)"])[0] == {}


def test_la_postes_head_office_passes_the_siret_check():
    assert siret_ok("35600000000048")           # Luhn-valid, not by La Poste's digit sum
    assert not siret_ok("35600000000049")
    report = validate_scdl(SOMME_2017)
    assert not [f for f in report if f.value == "35600000000048"]


def test_a_mangled_siret_gets_one_finding_and_a_fix_only_when_certain(tmp_path):
    rows = ["32402138500000.0",    # digits fail the check: no fix
            "21860194600000.0",    # zeros where digits were lost (passes or not: uncertain)
            "73282932000074.0",    # all 14 digits, valid: certain
            "3.56E+13",            # 3 significant digits kept: no fix
            "3.5600000000048E+13"]  # all 14 digits, La Poste's head office: certain
    body = "".join(f"Ville,21860194600013,2019-03-08,Club,{s},Fête,300,aide en numéraire,"
                   f"unique,2019-04-01,non\n" for s in rows)
    path = write(tmp_path, HEAD.replace("nomBeneficiaire,", "nomBeneficiaire,idBeneficiaire,") + body)
    report = validate_scdl(path)
    found = {f.row: f for f in report if f.field == "idBeneficiaire"}
    assert [f.code for f in report if f.field == "idBeneficiaire"] == ["mangled-siret"] * 5
    assert [found[r].suggestion for r in range(2, 7)] == \
        [None, None, "73282932000074", None, "35600000000048"]
    assert "SIREN 218601946" in found[3].message and "no certain fix" in found[3].message


def test_slash_periods_get_their_iso_spelling_as_suggestion():
    report = validate_scdl(SOMME_2017)
    [f] = [f for f in report.on_row(2) if f.field == "datesPeriodeVersement"]
    assert (f.value, f.suggestion) == ("2017/09/08_2021/09/07", "2017-09-08/2021-09-07")
    assert "decree's first versions" in f.message                 # why a "_" was there


def test_a_case_only_enum_difference_is_one_error_per_column_with_its_count():
    # the schema's enum is exact ('aide en numéraire'): a case variant violates it, so it is an
    # error (the file is not ok), said once per column with the count and the right spelling
    report = validate_scdl(HAUTE_GARONNE)
    nature = [f for f in report if f.field == "nature"]
    assert [(f.code, f.severity) for f in nature] == [("enum-case", "error")]
    assert "69 values differ" in nature[0].message and nature[0].suggestion == "aide en numéraire"
    assert "enum" not in validate_scdl(HAUTE_GARONNE).codes()


def _valid_example_with(field, value):
    """The schema's valid example without the 4 rows it gets wrong (so it is ok), its first
    record's ``field`` set to ``value``."""
    rows = list(csv.reader(io.StringIO(VALID.read_text(encoding="utf-8"), newline="")))
    header, body = rows[0], [r for i, r in enumerate(rows[1:], 2) if i not in (24, 25, 27, 29)]
    body[0][header.index(field)] = value
    out = io.StringIO()
    csv.writer(out).writerows([header] + body)
    return out.getvalue().encode()


def test_the_valid_example_without_its_faults_is_ok():
    assert validate_scdl(_valid_example_with("nature", "aide en numéraire")).ok


@pytest.mark.parametrize("field, value, spelled", [
    ("nature", "Aide en numéraire", "aide en numéraire"),
    ("notificationUE", "Oui", "oui"),
    ("notificationUE", "NON", "non"),
])
def test_a_single_case_only_enum_value_makes_the_report_fail(field, value, spelled):
    report = validate_scdl(_valid_example_with(field, value))
    assert not report.ok
    [f] = report.findings
    assert (f.code, f.severity, f.field, f.row, f.suggestion) == ("enum-case", "error", field, 2, spelled)
    assert repr(spelled) in f.message                     # the hint of the right value
    assert report.counts() == {"error": {"enum-case": 1}}


def test_a_header_that_differs_from_the_schema_only_by_case_is_an_error():
    # read as the schema's field (read_scdl maps it), but a Table Schema's names are matched
    # exactly, so a validator of the schema rejects the file: not ok, as an enum's case is
    text = _valid_example_with("nature", "aide en numéraire").replace(b"nomBeneficiaire",
                                                                         b"NomBeneficiaire", 1)
    report = validate_scdl(text)
    assert not report.ok
    [f] = report.findings
    assert (f.code, f.severity, f.field, f.suggestion) == \
        ("header-case", "error", "nomBeneficiaire", "nomBeneficiaire")
    assert "'NomBeneficiaire'" in f.message


@pytest.mark.parametrize("value", ["2017-02-30", "2017-13-01", "2017-01-01/2017-02-30"])
def test_an_impossible_payment_date_alone_or_in_a_period_is_an_error(value):
    # the schema's pattern lets one date stand for the period, so 2017-02-30 matches it; read_scdl
    # refuses it (period_start raises), so the validator must not say ok
    report = validate_scdl(_valid_example_with("datesPeriodeVersement", value))
    assert not report.ok
    assert [(f.code, f.field, f.row) for f in report] == \
        [("impossible-date", "datesPeriodeVersement", 2)]


def test_the_two_ends_of_the_payment_period_are_joined_into_one_column(tmp_path):
    # the first exports' layout (Nièvre 2016): SUB_DATE_DEBUT and SUB_DATE_FIN, no period column
    path = write(tmp_path,
                 "COLL_NOM,COLL_SIRET,ACTE_DATE,ATTRIB_NOM,ATTRIB_SIRET,SUB_OBJET,SUB_MONTANT,"
                 "SUB_NATURE,SUB_DATE_DEBUT,SUB_DATE_FIN,SUB_VERSEMENT,NOTIF_EU\n"
                 "Dép,22580001000018,2016-01-01,Club,73282932000074,Fête,100,aide en numéraire,"
                 "2016-02-01,2016-12-31,unique,non\n"
                 "Dép,22580001000018,2016-01-01,Chorale,73282932000074,Chant,NC,aide en numéraire,"
                 "2016-03-01,,unique,non\n"
                 "Dép,22580001000018,2016-01-01,Bal,73282932000074,Bal,50,aide en numéraire,"
                 "2016-05-01,2016-04-01,unique,non\n")
    # the Chorale's period has one end: said (its row is set aside anyway, for its amount)
    with pytest.warns(essconv.HalfPeriodWarning):
        ledger = read_scdl(path)
    assert "datesPeriodeVersement" in ledger.columns
    assert not {"SUB_DATE_DEBUT", "SUB_DATE_FIN"} & set(ledger.columns)
    assert ledger.values("datesPeriodeVersement") == ["2016-02-01/2016-12-31", "2016-05-01/2016-04-01"]
    assert ledger.total() == Decimal(150)
    [bad] = ledger.bad_rows                       # its place is the file's, not the rewrite's
    assert (bad.line, bad.column) == (3, 1 + len("Dép,22580001000018,2016-01-01,Chorale,73282932000074,Chant,"))
    report = validate_scdl(path)
    assert "datesPeriodeVersement" not in {f.field for f in report if f.code == "missing-column"}
    assert "extra-column" not in report.codes()
    assert [f.code for f in report.on_row(4) if f.field == "datesPeriodeVersement"] == ["period-order"]
    [older] = [f for f in report if f.code == "legacy-column"]   # one finding for the header
    assert "'SUB_DATE_DEBUT + SUB_DATE_FIN' -> datesPeriodeVersement" in older.message


def test_period_ends_written_day_first_are_joined_into_a_period_that_reads(tmp_path):
    # SUB_DATE_DEBUT 01/04/2017 and SUB_DATE_FIN 31/12/2017 were joined with the schema's '/'
    # into '01/04/2017/31/12/2017', which is no period: period_start/period_end refused it
    lines = ["COLL_NOM;COLL_SIRET;ACTE_DATE;ATTRIB_NOM;ATTRIB_SIRET;SUB_OBJET;SUB_MONTANT;"
             "SUB_NATURE;SUB_DATE_DEBUT;SUB_DATE_FIN;SUB_VERSEMENT;NOTIF_EU",
             "Rég;23590003000011;25/03/2017;A;77567227223498;O;1 234,56;aide en numéraire;"
             "01/04/2017;31/12/2017;unique;non",
             "Rég;23590003000011;26/03/2017;B;77567227223498;O;2 000,00;aide en numéraire;"
             "2017/05/02;2018/06/30;unique;non",
             "Rég;23590003000011;27/03/2017;C;77567227223498;O;3 000,00;aide en numéraire;"
             "2017-06-01;2017-12-31;unique;non"]
    path = tmp_path / "anciens-noms.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="cp1252")
    ledger = read_scdl(path)
    # what the cells say, read by hand: (start, end) of each record, its amount
    import datetime as dt
    starts, ends, amounts = {}, {}, {}
    for row in list(csv.reader(io.StringIO("\n".join(lines)), delimiter=";"))[1:]:
        start, end = (dt.datetime.strptime(c, f).date() for c, f in zip(
            row[8:10], [next(f for f in ("%d/%m/%Y", "%Y/%m/%d", "%Y-%m-%d")
                             if _parses(c, f)) for c in row[8:10]]))
        amount = Decimal(row[6].replace(" ", "").replace(",", "."))
        starts[start] = starts.get(start, 0) + amount
        ends[end] = ends.get(end, 0) + amount
    assert ledger.group_by(essconv.period_start("datesPeriodeVersement")).sum().to_dict() == starts
    assert ledger.group_by(essconv.period_end("datesPeriodeVersement")).sum().to_dict() == ends
    assert ledger.values("datesPeriodeVersement")[2] == "2017-06-01/2017-12-31"   # ISO: the schema's
    report = validate_scdl(path)
    assert [f.suggestion for f in report if f.field == "datesPeriodeVersement"] == [
        "2017-04-01/2017-12-31", "2017-05-02/2018-06-30"]


def _parses(text, form):
    import datetime as dt
    try:
        dt.datetime.strptime(text, form)
        return True
    except ValueError:
        return False


def test_a_case_only_boolean_difference_is_one_error():
    report = validate_scdl(SCDL / "poitiers-2017-subventions-extrait.csv")   # NON for non
    assert "boolean" not in report.codes()
    [f] = [f for f in report if f.field == "notificationUE"]
    assert (f.code, f.severity, f.suggestion) == ("enum-case", "error", "non")
    assert "46 values differ" in f.message


def test_attributaire_is_the_grantor_only_beside_a_beneficiary_column():
    header_map = lambda names: essconv.scdl._header_map(names)[0]
    decree = header_map([" Nom attributaire* ", " Nom du bénéficiaire* ", "Montant"])
    assert decree[" Nom attributaire* "] == "nomAttribuant"           # DILCRAH
    export = header_map(["Nom de l'attribuant", "Nom attributaire", "N° SIRET attributaire", "Montant"])
    assert (export["Nom attributaire"], export["N° SIRET attributaire"]) == \
        ("nomBeneficiaire", "idBeneficiaire")                        # Data.Subvention's reading
    alone = header_map(["Nom attributaire", "Montant"])
    assert alone["Nom attributaire"] == "nomBeneficiaire"


def test_a_quoted_header_is_read_from_the_head_of_the_file_not_the_whole_file(monkeypatch):
    """read_scdl used to tokenize a whole quoted file into Python cells just to learn its header
    (37 GB at 1e7 rows); the header now comes from a prefix, grown only while it is unsure."""
    import essconv.scdl as scdl
    seen = []
    real = scdl._core.read_table

    def spy(data, *args, **kwargs):
        seen.append(len(data))
        return real(data, *args, **kwargs)

    monkeypatch.setattr(scdl._core, "read_table", spy)
    body = b'"CDC";"Asso";"1 000,00"\n' * 200_000
    data = b'"nomAttribuant";"nom\nBeneficiaire";"montant"\n' + body
    assert scdl.header_of(data) == ["nomAttribuant", "nom\nBeneficiaire", "montant"]
    assert seen and max(seen) < len(data) // 20
    # a cut that falls inside a quoted cell after the header reads further, not fails
    seen.clear()
    long_cell = b'"CDC";"' + b"x" * 70_000 + b'\nsuite";"1,00"\n'
    assert scdl.header_of(b'"a";"b";"c"\n' + long_cell + body) == ["a", "b", "c"]


def _valid_example_plus(*rows):
    """The schema's valid example without its faults (as _valid_example_with), then ``rows``:
    each a copy of its first record with some fields changed."""
    text = _valid_example_with("nature", "aide en numéraire").decode()
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    header, first = parsed[0], parsed[1]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(parsed)
    for changes in rows:
        writer.writerow([changes.get(name, value) for name, value in zip(header, first)])
    return out.getvalue().encode(), len(parsed) + 1   # the line of the first added row


def test_a_record_published_twice_is_reported_on_its_second_line():
    # read_scdl sums what the file says, so a record exported twice doubles its grant in every
    # total: the validator names the copy and the line it repeats
    data, line = _valid_example_plus({}, {"montant": "+99786.57", "objet": "Autre libellé"})
    report = validate_scdl(data)
    assert [(f.code, f.severity, f.field, f.row) for f in report] == \
        [("duplicate-record", "warning", "montant", line),        # the same record
         ("duplicate-record", "warning", "montant", line + 1)]    # 99786.57 written otherwise
    assert all("repeats line 2" in f.message for f in report)
    assert "répète la ligne 2" in report.findings[0].text("fr")
    assert report.ok                                    # a warning: it may be two real grants
    assert read_scdl(data).total() == read_scdl(_valid_example_with("nature", "aide en numéraire")
                                                ).total() + 2 * Decimal("99786.57")


def test_records_that_differ_by_beneficiary_or_decision_are_no_duplicates():
    first = _valid_example_with("nature", "aide en numéraire")
    data, _ = _valid_example_plus(
        {"idBeneficiaire": "73282932000074"},             # another beneficiary, same grant
        {"referenceDecision": "CONV N° 9999-15"},         # another decision
        {"idBeneficiaire": "", "rnaBeneficiaire": "W111111111"},   # no SIRET: its RNA tells
        {"idBeneficiaire": "", "rnaBeneficiaire": "", "nomBeneficiaire": "CLUB"},   # or its name
        {"idBeneficiaire": "", "rnaBeneficiaire": "", "nomBeneficiaire": "CHORALE"})
    assert "duplicate-record" not in validate_scdl(data).codes()
    assert validate_scdl(first).ok


def test_a_negative_amount_is_reported():
    report = validate_scdl(_valid_example_with("montant", "-1500.50"))
    [f] = report.findings
    assert (f.code, f.severity, f.field, f.row, f.value) == \
        ("negative-amount", "warning", "montant", 2, "-1500.50")
    assert "montant négatif" in f.text("fr")
    assert read_scdl(_valid_example_with("montant", "-1500.50")).total() < \
        read_scdl(_valid_example_with("montant", "1500.50")).total()   # summed as published


def test_a_grant_shared_by_beneficiaries_is_reported_as_counted_once_per_row():
    # the schema: montant is "calculé avant répartition entre les bénéficiaires", so a grant
    # of 99 786,57 split 60/40 is two rows of 99 786,57 each: read_scdl's sum counts it twice
    data, line = _valid_example_plus(
        {"idBeneficiaire": "73282932000074", "pourcentageSubvention": "0.6"},
        {"idBeneficiaire": "44306184100047", "pourcentageSubvention": "0.4"})
    report = validate_scdl(data)
    assert [(f.code, f.severity, f.field, f.row) for f in report] == \
        [("shared-grant", "warning", "montant", line),       # shares row 2's grant (0.05)
         ("shared-grant", "warning", "montant", line + 1)]
    assert "shares the grant of line 2" in report.findings[0].message
    assert "montant × pourcentageSubvention" in report.findings[1].text("fr")
    # a grant given whole to each (pourcentageSubvention 1) is two grants, not one shared
    alone = _valid_example_with("pourcentageSubvention", "1")
    text = alone.decode().splitlines()
    header, first = next(csv.reader([text[0]])), next(csv.reader([text[1]]))
    other = [("73282932000074" if n == "idBeneficiaire" else v) for n, v in zip(header, first)]
    out = io.StringIO()
    csv.writer(out).writerow(other)
    assert "shared-grant" not in validate_scdl(alone + out.getvalue().encode()).codes()


@pytest.mark.parametrize("shares", [("0,6", "0,4"), ("60 %", "40%")])
def test_a_grant_shared_in_shares_written_the_french_way_is_still_reported(shares):
    # "0,6" and "60 %" break the schema's number format (an error each), yet say the share
    # plainly: the sum of montant still counts the grant twice, and that must be said too
    data, line = _valid_example_plus(
        {"idBeneficiaire": "73282932000074", "pourcentageSubvention": shares[0]},
        {"idBeneficiaire": "44306184100047", "pourcentageSubvention": shares[1]})
    found = [(f.code, f.row) for f in validate_scdl(data)]
    assert ("shared-grant", line) in found and ("shared-grant", line + 1) in found
    assert ("number-format", line) in found   # the format is still an error of its own


def test_a_share_of_a_hundred_per_cent_written_the_french_way_shares_nothing():
    data, line = _valid_example_plus(
        {"idBeneficiaire": "73282932000074", "pourcentageSubvention": "1,0"},
        {"idBeneficiaire": "44306184100047", "pourcentageSubvention": "100 %"})
    assert "shared-grant" not in validate_scdl(data).codes()


def _with_amounts(amounts, delimiter=";"):
    """The valid example's first records, their amounts replaced (the CSV module quotes)."""
    rows = list(csv.reader(io.StringIO(
        (SCDL / "scdl-subventions-exemple-valide.csv").read_text(encoding="utf-8"))))
    at = rows[0].index("montant")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(rows[0])
    for k, amount in enumerate(amounts):
        record = list(rows[1 + k % (len(rows) - 1)])
        record[at] = amount
        writer.writerow(record)
    return out.getvalue().encode("utf-8")


AWKWARD_AMOUNTS = ["1,234,567.89", "-1,234.50", "+1,234.50", "1,000.00", "1,234.56 €",
                   "1,234.5", "1,234", "1,234,567", "1,23,4.5", "1,2345.6", "1,234.567",
                   "1 234 567,89", "1.234.567,89", "12,50", "1.234,56", "99786.570", "1234.5",
                   "12 €", "12,5 k€", "1e3", "douze", "1.234.567"]


@pytest.mark.parametrize("amount", AWKWARD_AMOUNTS)
@pytest.mark.parametrize("beside", [[], ["1000.50"], ["1 000,50"], ["33000"]])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_the_validator_and_the_reader_agree_on_every_amount(amount, beside, delimiter):
    """"1,234,567.89" was "not a number" to validate_scdl where read_scdl reads 1234567.89:
    an analyst fixing the file by the validator's words would retype an amount the reader
    had right.  Alone or beside a point-decimal, a comma-decimal or a whole amount."""
    from scdl_validate_twin import amount_disagreements
    assert amount_disagreements(_with_amounts([amount, *beside], delimiter)) == []


def test_a_comma_grouped_amount_gets_the_readers_value_as_its_suggestion():
    data = _with_amounts(["1,234,567.89", "1,234"])
    said = {f.row: f for f in validate_scdl(data) if f.field == "montant"}
    assert said[2].code == "number-format" and said[2].suggestion == "1234567.89"
    assert read_scdl(data).values("montant")[0] == Decimal(said[2].suggestion)
    assert said[3].code == "number-format" and said[3].suggestion is None
    assert "not a number" not in said[3].message and "1234" in said[3].message
    assert "n'est pas un nombre" not in said[3].text("fr")


@pytest.mark.parametrize("written", ["1,234,567", "12,345,678", "999,999"])
def test_a_french_finding_says_the_amount_read_grouped_as_french_prints_it(written):
    # "read_scdl le lit 1234567": French output groups every amount's thousands with a
    # narrow no-break space, as the report's own amounts; the cell stays quoted as written
    data = _with_amounts([written])
    [f] = [f for f in validate_scdl(data) if f.field == "montant"]
    value = int(written.replace(",", ""))           # what the commas group
    french = f"{value:,}".replace(",", "\u202f")
    assert f"read_scdl le lit {french} quand" in f.message_fr, f.message_fr
    assert f"«\xa0{written}\xa0»" in f.message_fr
    # English as before: the value the schema's way, as the suggestion fields give amounts
    assert f"read_scdl reads it as {value} when" in f.message


@hypothesis.settings(max_examples=150, deadline=None)
@hypothesis.given(st.lists(st.text(alphabet="0123456789,. -", min_size=1, max_size=12),
                           min_size=1, max_size=3))
def test_the_validator_and_the_reader_agree_on_any_amount(amounts):
    from scdl_validate_twin import amount_disagreements
    amounts = [a for a in amounts if a.strip()]
    hypothesis.assume(amounts)
    assert amount_disagreements(_with_amounts(amounts)) == []


@pytest.mark.parametrize("written", ["1,234,567.89", "1 234,50", "-2 000,05"])
def test_a_french_report_says_an_amounts_suggestion_the_french_way_too(written):
    """A French report's suggestion for an amount printed "1234.50" alone, which a French
    reader takes for 1 234 500 € (a point grouping thousands): it gives the value to write,
    as the schema wants it, then the amount the French way -- the amount read_scdl reads."""
    from essconv.display import scdl_report_html
    data = _with_amounts([written])
    found = [f for f in validate_scdl(data) if f.field == "montant" and f.suggestion]
    assert len(found) == 1
    f = found[0]
    read = read_scdl(data).values("montant")[0]
    line = f.line("fr")
    said = line[line.index("soit ") + len("soit "):line.rindex("€")]
    in_french = Decimal(said.replace("\u202f", "").replace("\xa0", "").replace(",", "."))
    assert in_french == read == Decimal(f.suggestion)
    assert "," in said.strip() or read == read.to_integral_value()
    assert f"«\xa0{f.suggestion}\xa0»" in line
    assert f.line("en").endswith(f"(suggestion: {f.suggestion!r})") and "soit" not in f.line("en")
    assert "soit" in scdl_report_html(validate_scdl(data)) and \
        "soit" not in scdl_report_html(validate_scdl(data), lang="en")


@pytest.mark.parametrize("cell", ["03/25/2017", "12/31/2016", "25/03/2017", "04/05/2017",
                                  "25/13/2017", "31/02/2017", "02/30/2017", "25.03.2017",
                                  "2017-03-25T10:00:00", "2017-03-25 10:00", "25/03/2017 10:00",
                                  "2017-02-30T10:00", "2017-03-25T10"])
def test_a_date_suggestion_is_a_real_date_and_the_one_read_scdl_reads(cell, tmp_path):
    # '03/25/2017' was called "a day-first date" and given the suggestion '2017-25-03', a date
    # that does not exist (and '25/13/2017' the suggestion '2017-13-25'); '2017-03-25T10:00:00',
    # which read_scdl reads as its day, was "not a date" with nothing to suggest
    path = tmp_path / "une-date.csv"
    path.write_text("nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;objet;montant\n"
                    f"Région;23590003000011;{cell};Asso;Objet;100.00\n", encoding="utf-8")
    read = read_scdl(path)
    dates = [f for f in validate_scdl(path) if f.field == "dateConvention"]
    assert len(dates) == 1 and dates[0].code in ("date-format", "impossible-date")
    suggestion = dates[0].suggestion
    if read.bad_rows:   # no date the reader can read: nothing to suggest
        assert suggestion is None, cell
    else:               # the reader's own date, written as the schema wants it
        assert suggestion == read.values("dateConvention")[0].isoformat(), cell
    if suggestion is not None:
        assert _date_is_real(suggestion)
        why = dates[0].text("en")
        assert ("month-first" in why) == (suggestion[5:7] == cell[:2] != cell[3:5]), why
        if len(cell) > 10 and _date_is_real(cell[:10]):   # the day as the schema writes it
            assert "time" in why and "heure" in dates[0].text("fr"), why
        assert "pas une date" not in dates[0].text("fr")


def _date_is_real(text):
    import datetime
    try:
        datetime.date.fromisoformat(text)
        return True
    except ValueError:
        return False


def test_a_date_column_mixing_day_first_and_month_first_is_said_as_read_scdl_refuses_it(tmp_path):
    # read_scdl refuses such a file whole (which is 04/05/2017?); the validator listed each
    # date's format and never said why the file cannot be read
    path = tmp_path / "deux-ordres.csv"
    path.write_text("nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;objet;montant\n"
                    "R;1;25/03/2017;A;O;1\nR;1;04/05/2017;A;O;2\nR;1;03/26/2017;A;O;4\n"
                    "R;1;12/31/2017;A;O;8\n", encoding="utf-8")
    with pytest.raises(essconv.ParseError, match="mix two orders"):
        read_scdl(path)
    report = validate_scdl(path)
    [mixed] = [f for f in report if f.code == "date-order-mixed"]
    assert (mixed.severity, mixed.field, mixed.row) == ("error", "dateConvention", 4)
    for said in ("25/03/2017", "03/26/2017", "2", "4"):
        assert said in mixed.text("en") and said in mixed.text("fr")
    assert report.counts()["error"]["date-order-mixed"] == 1
    # one order alone, day first or month first: nothing of the kind, and read_scdl reads it
    for rows in ("R;1;25/03/2017;A;O;1\nR;1;04/05/2017;A;O;2\n",
                 "R;1;03/26/2017;A;O;1\nR;1;04/05/2017;A;O;2\n"):
        path.write_text("nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;objet;"
                        "montant\n" + rows, encoding="utf-8")
        assert len(read_scdl(path)) == 2
        assert "date-order-mixed" not in validate_scdl(path).codes()


def test_a_date_both_orders_read_is_suggested_in_the_order_read_scdl_takes_for_its_column(tmp_path):
    # in a column whose 03/26/2017 makes read_scdl read 04/05/2017 month first (5 April), the
    # validator suggested 2017-05-04, the day-first reading, a month away from the ledger
    for rows in ("R;1;03/26/2017;A;O;1\nR;1;04/05/2017;A;O;2\nR;1;06/07/2017;A;O;3\n",
                 "R;1;26/03/2017;A;O;1\nR;1;04/05/2017;A;O;2\nR;1;06/07/2017;A;O;3\n",
                 "R;1;04/05/2017;A;O;2\nR;1;06/07/2017;A;O;3\n"):
        path = tmp_path / "ordre.csv"
        path.write_text("nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;objet;montant\n"
                        + rows, encoding="utf-8")
        read = read_scdl(path).values("dateConvention")
        found = [f for f in validate_scdl(path) if f.field == "dateConvention"]
        assert [f.suggestion for f in found] == [d.isoformat() for d in read], rows


# ------------------------------------------------------------ a finding names its cell
def _cell_starts(text: str, delimiter: str) -> dict[int, list[int]]:
    """Each line's cells' 1-based character positions, by a plain scan of the text (a quote
    opens a cell's quoting only at its start; no line ending inside a cell)."""
    starts = {}
    for number, line in enumerate(text.splitlines(), 1):
        at, quoted, cell_start = [1], False, True
        for k, ch in enumerate(line):
            if ch == '"' and (cell_start or quoted):
                quoted = not quoted if not cell_start else True
            elif ch == delimiter and not quoted:
                at.append(k + 2)
                cell_start = True
                continue
            cell_start = False
        starts[number] = at
    return starts


#: findings of a whole record, not of one of its cells
_ROW_CODES = {"duplicate-record", "shared-grant", "row-length"}


def _quoted_faulty_file() -> str:
    rows = list(csv.reader(io.StringIO(
        (SCDL / "scdl-subventions-exemple-valide.csv").read_text(encoding="utf-8"))))
    header, out = rows[0], io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    faults = [("montant", "12 500,00"), ("dateConvention", "31/02/2017"),
              ("idBeneficiaire", "52499120500014"), ("notificationUE", "NON"),
              ("montant", "99999999999999999999,00"), ("pourcentageSubvention", "50"),
              ("nature", "aide en numeraire"), ("montant", "douze")]
    for k, (field, value) in enumerate(faults):
        record = list(rows[1 + k % (len(rows) - 1)])
        record[header.index(field)] = value
        record[header.index("objet")] = f"Objet ; numéro {k}"   # a delimiter inside quotes
        writer.writerow(record)
    return out.getvalue()


@pytest.mark.parametrize("name", ["scdl-subventions-exemple-invalide-cellules.csv",
                                  "scdl-subventions-exemple-valide.csv", "quoted"])
def test_each_finding_on_a_cell_names_its_line_and_column(name, tmp_path):
    """A finding on a cell said its line alone: in a row of 16 cells an analyst had to count
    which one.  It carries the cell's column, the 1-based character position read_scdl gives
    a bad row, in ``.column``, in ``line()`` (path:line:column) and in the CLI's JSON."""
    if name == "quoted":
        text, delimiter = _quoted_faulty_file(), ";"
        path = tmp_path / "quoted.csv"
        path.write_bytes(text.encode("utf-8"))
    else:
        path = SCDL / name
        text, delimiter = path.read_text(encoding="utf-8"), ","
    starts = _cell_starts(text, delimiter)
    header = next(csv.reader(io.StringIO(text), delimiter=delimiter))
    report = validate_scdl(path, max_findings=None)
    on_cells = [f for f in report if f.row and f.row > 1 and f.field and f.code not in _ROW_CODES]
    assert on_cells
    for f in on_cells:
        assert f.column == starts[f.row][header.index(f.field)], f
        assert f.line("fr").startswith(f"{path}:{f.row}:{f.column}: ")
        assert f.line("en").startswith(f"{path}:{f.row}:{f.column}: ")
    if name == "quoted":
        import json
        from essconv.cli import main
        out = io.StringIO()
        import contextlib
        with contextlib.redirect_stdout(out):
            main(["validate", "--format", "json", str(path)])
        said = json.loads(out.getvalue())
        findings = said[0]["findings"] if isinstance(said, list) else said["files"][0]["findings"]
        assert [(f["row"], f["column"]) for f in findings] == [(f.row, f.column) for f in report]


@pytest.mark.parametrize("amount", ["99999999999999999999,00", "99999999999999999999.00",
                                    "92233720368547758.08", "-92233720368547758.09",
                                    "1 000 000 000 000 000 000"])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_an_amount_past_int64_cents_is_an_error_as_read_scdl_sets_it_aside(amount, delimiter):
    """"99999999999999999999.00" was clean to the validator (and the comma one "not a number")
    while read_scdl set its row aside as too large: the validator says the reader's reason, at
    the reader's line and column."""
    from scdl_validate_twin import amount_disagreements
    data = _with_amounts([amount, "92233720368547758.07"], delimiter)
    assert amount_disagreements(data) == []
    [bad] = read_scdl(data).bad_rows
    [said] = [f for f in validate_scdl(data) if f.field == "montant" and f.severity == "error"]
    assert said.code == "amount-too-large" and (said.row, said.column) == (bad.line, bad.column)
    assert bad.message == f"column 'montant': {said.message}"
    # its side and the limit, as the reader's bad row says them
    limit = ("-92\u202f233\u202f720\u202f368\u202f547\u202f758,08\u00a0€ au moins"
             if amount.startswith("-")
             else "92\u202f233\u202f720\u202f368\u202f547\u202f758,07\u00a0€ au plus")
    assert said.text("fr") == (f"« {amount} » dépasse ce qu'un montant en centimes peut tenir "
                               f"({limit})").replace("« ", "«\u00a0").replace(" »", "\u00a0»")
    side = "below -92,233,720,368,547,758.08" if amount.startswith("-") else \
        "beyond 92,233,720,368,547,758.07"
    assert said.message == f"'{amount}' does not fit an amount in cents ({side}\u00a0€)"


def test_one_end_of_the_older_layouts_period_alone_is_said_not_read_as_one_payment_day(tmp_path):
    """SUB_DATE_DEBUT without SUB_DATE_FIN (or the reverse) was joined into one date, which the
    schema reads as a single payment day: period_end() put a grant running from March on the
    1st of March, without a word, and the validator said nothing.  The validator says it at the
    cell given; read_scdl leaves that period missing and warns once, naming the first."""
    import datetime as dt
    import warnings
    header = ("COLL_NOM;COLL_SIRET;ACTE_DATE;ATTRIB_NOM;ATTRIB_SIRET;SUB_OBJET;SUB_MONTANT;"
              "SUB_NATURE;SUB_DATE_DEBUT;SUB_DATE_FIN;SUB_VERSEMENT;NOTIF_EU")
    body = [("Club", "100,00", "2016-02-01", "2016-12-31"), ("Chorale", "200,50", "2016-03-01", ""),
            ("Bal", "50,00", "", "2016-04-01"), ("Fanfare", "7,00", "", "")]
    lines = [header] + [f"Dép;22580001000018;2016-01-01;{who};73282932000074;Fête;{amount};"
                        f"aide en numéraire;{start};{end};unique;non"
                        for who, amount, start, end in body]
    text = "\r\n".join(lines) + "\r\n"
    path = tmp_path / "nievre-ancien.csv"
    path.write_text(text, encoding="cp1252")
    starts = _cell_starts(text, ";")
    names = header.split(";")
    # what the cells say, by hand: the rows giving one end alone, and where that end stands
    halves = [(k + 2, names.index("SUB_DATE_DEBUT" if start else "SUB_DATE_FIN"))
              for k, (_, _, start, end) in enumerate(body) if bool(start) != bool(end)]
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        ledger = read_scdl(path)
    [said] = [w.message for w in seen if issubclass(w.category, essconv.HalfPeriodWarning)]
    assert (said.path, said.line, said.column) == (str(path), halves[0][0],
                                                     starts[halves[0][0]][halves[0][1]])
    assert f"{len(halves)} {'record gives' if len(halves) == 1 else 'records give'}" in str(said)
    assert "une seule borne" in essconv.messages.language("fr").warning(said)
    assert ledger.values("datesPeriodeVersement") == ["2016-02-01/2016-12-31", None, None, None]
    twin_end: dict = {}
    for _, amount, start, end in body:
        day = dt.date.fromisoformat(end) if start and end else None
        twin_end[day] = twin_end.get(day, 0) + Decimal(amount.replace(",", "."))
    assert ledger.group_by(essconv.period_end("datesPeriodeVersement")).sum().to_dict() == twin_end
    report = validate_scdl(path)
    found = [(f.row, f.column) for f in report if f.code == "period-half"]
    assert found == [(line, starts[line][k]) for line, k in halves]
    assert all(f.severity == "error" and "SUB_DATE" in f.text("fr") and "seul" in f.text("fr")
               for f in report if f.code == "period-half")


@pytest.mark.parametrize("name", ["lot-2017-subventions.csv", "somme-2018-conventions.csv",
                                  "poitiers-2017-subventions-extrait.csv"])
def test_a_finding_on_a_header_cell_names_its_column(name):
    """A column spelled with another case, or not in the schema, was placed on line 1 alone."""
    raw = (SCDL / name).read_bytes()
    text = raw.decode("utf-8-sig", errors="replace").splitlines()[0]
    delimiter = ";" if text.count(";") > text.count(",") else ","
    starts = _cell_starts(text, delimiter)[1]
    header = [h.strip().strip('"') for h in next(csv.reader([text], delimiter=delimiter))]
    on_header = [f for f in validate_scdl(SCDL / name)
                 if f.code in ("header-case", "extra-column", "duplicate-column")]
    assert on_header
    for f in on_header:
        assert f.row == 1 and f.column == starts[header.index(f.value)], f


def test_a_warning_of_validate_scdl_points_at_the_analysts_line(tmp_path):
    """A mixed encoding said by validate_scdl was placed at ``essconv/scdl.py:1106``, inside
    essconv (its stack level counted from the reader, one call short of the analyst's), where
    a filter on the analyst's module does not see it; read_scdl's was placed right.  Each is
    placed at the line that called essconv."""
    import inspect
    import warnings
    mixed = tmp_path / "mixed.csv"
    *lines, last = (SCDL / "scdl-subventions-exemple-valide.csv").read_text(
        encoding="utf-8").splitlines()
    mixed.write_bytes("\n".join(lines).encode("utf-8") + b"\n" + last.encode("cp1252") + b"\n")
    for call in (lambda: validate_scdl(mixed), lambda: read_scdl(mixed)):
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            here = inspect.currentframe().f_lineno + 1   # the twin: this test's own next line
            call()
        placed = [(w.filename, w.lineno) for w in said
                  if issubclass(w.category, essconv.errors.MixedEncodingWarning)]
        # the lambda is the frame that called essconv: its line is the loop's header
        assert placed == [(__file__, here - 4)], placed


def test_a_validation_groups_its_large_counts_in_each_language():
    """"ÉCHEC — 1500 enregistrements, 750 erreurs, 2248 avertissements" and "les 10 premiers
    sur 2998": the summary and its HTML printed counts digit by digit, where French output
    groups them (narrow no-break spaces) and English with commas, as the aggregate's notes."""
    import re as _re

    from essconv.display import scdl_report_html
    head, first = VALID.read_text(encoding="utf-8").splitlines()[:2]
    names, base = head.split(","), first.split(",")
    records = 1500
    rows = []
    for i in range(records):   # two records, each written 750 times: the odd ones negative
        cells = list(base)
        cells[names.index("montant")] = "-12345.5" if i % 2 else "100"
        rows.append(",".join(cells))
    report = validate_scdl(("\n".join([head, *rows]) + "\n").encode())
    negative = sum(1 for i in range(records) if i % 2)
    repeated = records - 2                       # every record after the first of each kind
    found = negative + repeated
    assert (report.records, len(report)) == (records, found)
    for lang, group in (("fr", "\u202f"), ("en", ",")):
        g = lambda n: f"{n:,}".replace(",", group)  # noqa: E731
        said = report.summary(lang=lang).replace("\xa0", " ")
        html = scdl_report_html(report, lang=lang).replace("\xa0", " ")
        if lang == "fr":
            assert f"{g(records)} enregistrements" in said and \
                f"{g(found)} avertissements" in said, said
            assert f"duplicate-record {g(repeated)}" in said and f"sur {g(found)} :" in said
            assert f"sur {g(found)}</caption>" in html
        else:
            assert f"{g(records)} records" in said and f"{g(found)} warnings" in said, said
            assert f"duplicate-record {g(repeated)}" in said and f"of {g(found)}:" in said
            assert f"of {g(found)} findings" in html
        assert f'<td class="n">{g(repeated)}</td>' in html
        assert not _re.search(r"\b\d{4,}\b", said.split("\n")[0]), said


def test_a_value_outside_the_schemas_list_names_the_values_in_words_in_each_language():
    """The English finding listed the schema's values as a Python list, "is not one of
    ['aide en numéraire', 'aide en nature', ...]", where the French says them in words."""
    import json
    from pathlib import Path
    schema = json.loads((Path(essconv.__file__).parent / "data" /
                         "scdl-subventions-schema-v2.1.1.json").read_text(encoding="utf-8"))
    values = next(f["constraints"]["enum"] for f in schema["fields"] if f["name"] == "nature")
    finding = next(f for f in validate_scdl(INVALID) if f.code == "enum" and f.row == 16)
    english, french = finding.line("en"), finding.line("fr").replace("\u00a0", " ")
    assert ("is not one of " + ", ".join(f"'{v}'" for v in values)) in english, english
    assert ("n'est pas l'une des valeurs " + ", ".join(f"« {v} »" for v in values)) in french
    assert "[" not in finding.message and "]" not in finding.message


def test_a_finding_of_no_field_is_listed_without_a_space_before_its_colon_in_english():
    """`essconv validate` printed a header finding that names no field "warning[legacy-column]
    : 14 columns ...": a French space before the colon in the English listing. Both languages
    keep their own typography, the field named or not."""
    report = validate_scdl(NIEVRE)
    older = next(f for f in report if f.code == "legacy-column")
    named = next(f for f in report if f.code == "missing-column")
    assert older.field is None and named.field
    assert f"warning[legacy-column]: {older.message}" in older.line("en")
    assert str(older) == older.line("en")
    assert f"error[missing-column] {named.field}: " in named.line("en")
    assert f"avertissement[legacy-column]\xa0: " in older.line("fr")
    assert f"erreur[missing-column] {named.field}\xa0: " in named.line("fr")
