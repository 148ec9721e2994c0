"""A Ledger read from SQL and aggregates written back, through ADBC: SQLite (embedded, always) and a
real PostgreSQL server (the one .ci/run starts; ESSCONV_TEST_POSTGRES_URI names it)."""
from __future__ import annotations

import contextlib
import datetime as dt
import os
from decimal import Decimal

import pytest

pytest.importorskip("adbc_driver_sqlite")
pa = pytest.importorskip("pyarrow")

import essconv  # noqa: E402
import essconv.sql  # noqa: E402
from conftest import report_with_total, run_isolated  # noqa: E402
from scale_data import random_rows, twin, write_csv  # noqa: E402

POSTGRES = os.environ.get("ESSCONV_TEST_POSTGRES_URI")
needs_postgres = pytest.mark.skipif(
    not POSTGRES, reason="no PostgreSQL server: set ESSCONV_TEST_POSTGRES_URI (.ci/run starts one)")


def sqlite(path):
    import adbc_driver_sqlite.dbapi as driver
    return driver.connect(str(path))


@pytest.fixture
def grants_db(tmp_path):
    """A SQLite grant table as funders keep them: text amounts as printed, NULLs, accents."""
    rows = random_rows(7, 400)
    path = tmp_path / "grants.db"
    with sqlite(path) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE subventions (annee INTEGER, financeur TEXT, ligne TEXT, "
                    "beneficiaire TEXT, montant TEXT, montant_reel REAL, centimes INTEGER)")
        table = pa.table({
            "annee": pa.array([int(r[0]) for r in rows]), "financeur": [r[1] for r in rows],
            "ligne": [r[2] for r in rows], "beneficiaire": [r[3] for r in rows],
            "montant": [r[4] for r in rows], "montant_reel": pa.array([1.5] * len(rows)),
            "centimes": pa.array([int(r[4].replace("\u00a0", "").replace(",", "")) for r in rows]),
        })
        cur.adbc_ingest("subventions", table, mode="append")
        cur.execute("INSERT INTO subventions VALUES (2012, 'CDC', 'DLA', 'Sans montant', NULL, NULL, NULL)")
        cur.execute("INSERT INTO subventions VALUES (2012, 'CDC', 'DLA', 'Illisible', '12 0x0,00', 1, 1)")
        conn.commit()
    csv_path = write_csv(tmp_path / "same.csv", rows)
    return path, rows, csv_path


def test_sqlite_text_amounts_equal_the_independent_twin_with_bad_rows_placed(grants_db):
    path, rows, csv_path = grants_db
    ledger = essconv.Ledger.read_sql(
        "SELECT annee, financeur, ligne, montant FROM subventions", str(path), amount="montant")
    sums, counts, _, _ = twin([csv_path], ["annee", "financeur"])
    assert ledger.group_by("annee", "financeur").sum().to_dict() == sums
    assert ledger.group_by("annee", "financeur").count().to_dict() == counts
    # NULL and unreadable amounts are bad rows: the result's row and the amount's column
    assert [(p.line, p.column) for p in ledger.bad_rows] == [(len(rows) + 1, 4), (len(rows) + 2, 4)]
    assert "NULL" in ledger.bad_rows[0].message and "not an amount" in ledger.bad_rows[1].message
    assert ledger.kinds == {"annee": "int", "financeur": "label", "ligne": "label", "montant": "amount"}
    with pytest.raises(essconv.ParseError) as caught:
        essconv.Ledger.read_sql("SELECT montant FROM subventions", str(path), amount="montant",
                                bad_rows="raise")
    assert (caught.value.path, caught.value.line, caught.value.column) == (str(path), len(rows) + 1, 1)


def test_text_amounts_mean_what_they_mean_in_a_csv_file(grants_db):
    path, _, csv_path = grants_db
    from_sql = essconv.Ledger.read_sql("SELECT montant FROM subventions WHERE montant IS NOT NULL "
                                       "AND beneficiaire <> 'Illisible'", str(path), amount="montant")
    from_csv = essconv.Ledger.read_csv(csv_path, amount="montant")
    assert from_sql.values("montant") == from_csv.values("montant")


def test_a_float_amount_is_refused_naming_the_column_and_the_cast(grants_db):
    path, _, _ = grants_db
    with pytest.raises(essconv.AmountTypeError) as caught:
        essconv.Ledger.read_sql("SELECT annee, montant_reel FROM subventions", str(path),
                                amount="montant_reel")
    message = str(caught.value)
    assert "'montant_reel'" in message and "double" in message and "NUMERIC(14,2)" in message
    assert isinstance(caught.value, TypeError) and caught.value.column == 2


def test_integer_amounts_are_euros_or_cents_on_request(grants_db):
    path, rows, csv_path = grants_db
    query = "SELECT financeur, centimes FROM subventions WHERE centimes IS NOT NULL AND beneficiaire <> 'Illisible'"
    cents = essconv.Ledger.read_sql(query, str(path), amount="centimes", cents=True)
    sums, _, _, _ = twin([csv_path], ["financeur"])
    assert cents.group_by("financeur").sum().to_dict() == sums
    euros = essconv.Ledger.read_sql(query, str(path), amount="centimes")
    assert euros.total() == cents.total() * 100


def test_an_aggregate_written_back_reads_back_to_the_cent(grants_db):
    path, _, csv_path = grants_db
    ledger = essconv.Ledger.read_sql("SELECT annee, ligne, montant FROM subventions", str(path),
                                     amount="montant")
    agg = ledger.group_by("annee", "ligne").agg()
    assert agg.to_sql("totaux", str(path)) == len(agg)
    back = essconv.Ledger.read_sql("SELECT annee, ligne, sum, count FROM totaux", str(path),
                                   amount="sum")
    assert back.group_by("annee", "ligne").sum().to_dict() == agg.to_dict("sum")
    with sqlite(path) as conn, conn.cursor() as cur:
        cur.execute("SELECT typeof(sum) FROM totaux LIMIT 1")
        assert cur.fetchone() == ("text",)     # SQLite has no exact decimal: never REAL
    with pytest.raises(essconv.DatabaseError):  # "create" refuses to overwrite
        agg.to_sql("totaux", str(path))
    assert agg.to_sql("totaux", str(path), mode="replace") == len(agg)


def test_a_write_that_fails_midway_leaves_nothing_behind(grants_db):
    path, _, _ = grants_db
    ledger = essconv.Ledger.read_sql("SELECT annee, financeur, montant FROM subventions",
                                     str(path), amount="montant")
    with sqlite(path) as conn, conn.cursor() as cur:
        # the last rows break a constraint: the ones before them must not stay
        cur.execute("CREATE TABLE copie (annee INTEGER CHECK (annee < 2013), financeur TEXT, montant TEXT)")
        conn.commit()
    with pytest.raises(essconv.DatabaseError):
        ledger.to_sql("copie", str(path), mode="append")
    with sqlite(path) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM copie")
        assert cur.fetchone() == (0,)


def test_a_bad_query_and_a_missing_column_are_essconv_errors(grants_db):
    path, _, _ = grants_db
    with pytest.raises(essconv.DatabaseError, match="no such table"):
        essconv.Ledger.read_sql("SELECT * FROM nulle_part", str(path), amount="montant")
    with pytest.raises(essconv.ParseError, match="no column 'somme'"):
        essconv.Ledger.read_sql("SELECT * FROM subventions", str(path), amount="somme")


# ---------------------------------------------------------------------------- PostgreSQL
@pytest.fixture
def postgres_table():
    import adbc_driver_postgresql.dbapi as driver
    rows = random_rows(11, 300)
    name = f"subventions_{os.getpid()}"
    with driver.connect(POSTGRES) as conn, conn.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {name}")
        cur.execute(f"CREATE TABLE {name} (annee INTEGER, financeur TEXT, ligne TEXT, "
                    f"beneficiaire TEXT, signee DATE, montant NUMERIC(14,2), reel DOUBLE PRECISION)")
        for r in rows:
            cur.execute(f"INSERT INTO {name} VALUES ($1, $2, $3, $4, $5, "
                        f"CAST($6 AS NUMERIC(14,2)), 1.5)",
                        (int(r[0]), r[1], r[2], r[3], dt.date(int(r[0]), 3, 1),
                         r[4].replace("\u00a0", "").replace(",", ".")))
        cur.execute(f"INSERT INTO {name} VALUES (2012, 'CDC', 'DLA', NULL, NULL, NULL, NULL)")
        conn.commit()
    yield name, rows
    with driver.connect(POSTGRES) as conn, conn.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {name}")
        cur.execute(f"DROP TABLE IF EXISTS {name}_totaux")
        conn.commit()


@needs_postgres
def test_postgres_numeric_dates_nulls_and_accents_exact(postgres_table, tmp_path):
    name, rows = postgres_table
    ledger = essconv.Ledger.read_sql(f"SELECT annee, financeur, beneficiaire, signee, montant "
                                     f"FROM {name}", POSTGRES, amount="montant")
    csv_path = write_csv(tmp_path / "same.csv", rows)
    sums, counts, _, _ = twin([csv_path], ["annee", "financeur"])
    assert ledger.group_by("annee", "financeur").sum().to_dict() == sums
    assert ledger.kinds["signee"] == "date" and ledger.kinds["annee"] == "int"
    assert "Région Hauts-de-France" in ledger.labels("financeur")
    assert [(p.line, p.column) for p in ledger.bad_rows] == [(len(rows) + 1, 5)]
    with pytest.raises(essconv.AmountTypeError, match="'reel' is a binary float"):
        essconv.Ledger.read_sql(f"SELECT reel FROM {name}", POSTGRES, amount="reel")


@needs_postgres
def test_postgres_round_trip_of_records_and_aggregates(postgres_table):
    name, _ = postgres_table
    ledger = essconv.Ledger.read_sql(f"SELECT annee, financeur, ligne, montant FROM {name} "
                                     f"WHERE montant IS NOT NULL", POSTGRES, amount="montant")
    agg = ledger.group_by("annee", "ligne").agg()
    agg.to_sql(f"{name}_totaux", POSTGRES)
    back = essconv.Ledger.read_sql(f"SELECT annee, ligne, sum FROM {name}_totaux", POSTGRES,
                                   amount="sum")
    assert back.group_by("annee", "ligne").sum().to_dict() == agg.to_dict("sum")
    kinds = essconv.sql.read_table(
        "SELECT data_type FROM information_schema.columns "
        f"WHERE table_name = '{name}_totaux' AND column_name = 'sum'", POSTGRES)
    assert kinds.column(0).to_pylist() == ["numeric"]


@needs_postgres
@pytest.mark.parametrize("amount, euros", [("montant (k€)", 1000), ("montant (M€)", 10**6)])
def test_postgres_numeric_under_a_k_euro_name_holds_k_euros(amount, euros):
    """A ledger read under 'montant (k€)' went to PostgreSQL as NUMERIC euros under that name
    (1500.00 for 1,5 k€), summed by SQL and read back by read_sql a thousand times too large.
    The NUMERIC holds the figure in the name's unit (1.5), read back to the cent."""
    import adbc_driver_postgresql.dbapi as driver
    table = f"k_euros_{os.getpid()}"
    ledger = essconv.Ledger.read_csv(f"nom;{amount}\na;1,5\nb;2\nc;1 234,56 €\n".encode(),
                                     amount=amount)
    oracle = Decimal("3.5") * euros + Decimal("1234.56")
    try:
        ledger.to_sql(table, POSTGRES)
        with driver.connect(POSTGRES) as conn, conn.cursor() as cur:
            cur.execute(f'SELECT CAST(SUM("{amount}") AS TEXT) FROM {table}')
            assert Decimal(cur.fetchall()[0][0]) == oracle / euros
        back = essconv.Ledger.read_sql(f"SELECT * FROM {table}", POSTGRES, amount=amount)
        assert back.total() == oracle == ledger.total()
    finally:
        with driver.connect(POSTGRES) as conn, conn.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {table}")
            conn.commit()


@needs_postgres
def test_postgres_lost_connection_is_an_essconv_error_and_nothing_is_written(postgres_table):
    import adbc_driver_postgresql.dbapi as driver
    name, _ = postgres_table
    ledger = essconv.Ledger.read_sql(f"SELECT annee, montant FROM {name} WHERE montant IS NOT NULL",
                                     POSTGRES, amount="montant")
    with driver.connect(POSTGRES) as doomed, driver.connect(POSTGRES) as admin:
        with doomed.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            pid = cur.fetchone()[0]
        with admin.cursor() as cur:
            cur.execute(f"SELECT pg_terminate_backend({pid})")
            admin.commit()
        with pytest.raises(essconv.DatabaseError):
            ledger.to_sql(f"{name}_totaux", doomed)
    with pytest.raises(essconv.DatabaseError, match="does not exist"):
        essconv.Ledger.read_sql(f"SELECT * FROM {name}_totaux", POSTGRES, amount="sum")


@needs_postgres
def test_postgres_write_failing_midway_leaves_nothing(postgres_table):
    import adbc_driver_postgresql.dbapi as driver
    name, _ = postgres_table
    ledger = essconv.Ledger.read_sql(f"SELECT annee, montant FROM {name} WHERE montant IS NOT NULL",
                                     POSTGRES, amount="montant")
    with driver.connect(POSTGRES) as conn, conn.cursor() as cur:
        # rows of 2013 break the constraint; those before them must not stay
        cur.execute(f"CREATE TABLE {name}_totaux (annee BIGINT CHECK (annee < 2013), montant NUMERIC)")
        conn.commit()
    with pytest.raises(essconv.DatabaseError, match="nothing was written"):
        ledger.to_sql(f"{name}_totaux", POSTGRES, mode="append")
    count = essconv.sql.read_table(f"SELECT count(*) FROM {name}_totaux", POSTGRES)
    assert count.column(0).to_pylist() == [0]


def test_bad_rows_from_sql_are_worded_in_the_listing_s_language(grants_db):
    from essconv.messages import language
    path, rows, _ = grants_db
    ledger = essconv.Ledger.read_sql(
        "SELECT annee, financeur, montant FROM subventions", str(path), amount="montant")
    null, unreadable = ledger.bad_rows
    fr, en = language("fr"), language("en")
    nbsp = "\u00a0"
    column = f"colonne «{nbsp}montant{nbsp}»{nbsp}: "
    assert fr.problem(null) == column + "le montant est NULL (la base n'en a pas)"
    cell = "12 0x0,00"
    said = fr.problem(unreadable)
    assert said.startswith(column + f"«{nbsp}{cell}{nbsp}» n'est pas un montant")
    assert f"au caractère {cell.index('x') + 1}" in said   # the parser's detail, not a generic line
    for bad in (null, unreadable):
        assert not any(w in fr.problem(bad) for w in ("column", "is not", "amount", "NULL'"))
        assert en.problem(bad) == bad.message


# ------------------------------------------------------ dates and ints back from SQLite
ROUND_TRIP_FILES = ("dilcrah-2019-subventions-anonymise.csv",   # 10/05/2019: day first
                    "somme-2017-conventions.csv",               # 2017/09/08
                    "lot-2017-subventions.csv",                 # CP1252, ISO, idRAE all blank
                    "haute-garonne-datalocale-subventions.csv")  # 2400.0, idRAE all blank


def csv_twin(path):
    """(date, amount) of each record of a clean SCDL file, read with the csv module, a
    strptime of the forms French files print and a Decimal of the French amount."""
    import csv
    import io
    import re
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header = [h.strip().strip("*").strip().lower() for h in rows[0]]
    k = next(i for i, h in enumerate(header)
             if h in ("montant", "montant total de la subvention"))
    d = next(i for i, h in enumerate(header) if h in ("dateconvention", "date de convention"))
    records = []
    for row in rows[1:]:
        if not any(c.strip() for c in row):
            continue
        amount = re.sub(r"[\s\u00a0]", "", row[k]).replace(",", ".")
        for form in ("%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y"):
            try:
                day = dt.datetime.strptime(row[d].strip(), form).date()
                break
            except ValueError:
                continue
        records.append((day, Decimal(amount)))
    return records


@pytest.mark.parametrize("name", ROUND_TRIP_FILES)
def test_a_scdl_file_through_sqlite_reads_back_with_its_dates(name, tmp_path):
    from conftest import SCDL
    original = essconv.read_scdl(SCDL / name)
    db = str(tmp_path / "scdl.db")
    assert original.to_sql("subventions", db) == len(original)
    label_columns = [c for c, kind in original.kinds.items() if kind == "label"]
    order = original.date_orders["dateConvention"]
    back = essconv.Ledger.read_sql("SELECT * FROM subventions", db, amount="montant",
                                   dates=["dateConvention"], labels=label_columns,
                                   date_order=None if order == "unknown" else order)
    assert back.kinds == original.kinds
    assert back.date_orders == original.date_orders
    assert back.bad_rows == []
    for column in original.columns:
        assert back.values(column) == original.values(column), column
    records = csv_twin(SCDL / name)
    days = sorted(day for day, _ in records)
    first, last = days[len(days) // 4], days[3 * len(days) // 4]
    expected = sum((a for day, a in records if first <= day <= last), Decimal(0))
    chosen = back.filter(dateConvention=(first.isoformat(), last.isoformat()))
    assert chosen.total() == original.filter(dateConvention=(first, last)).total() == expected
    assert len(chosen) == sum(1 for day, _ in records if first <= day <= last)


def test_text_dates_decide_their_order_and_unreadable_ones_are_placed_bad_rows(tmp_path):
    db = tmp_path / "dates.db"
    with sqlite(db) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE t (montant TEXT, signee DATE, annee TEXT, code TEXT, vide TEXT)")
        cur.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?)", [
            ("10,00", "04/03/2017", "2017", "01", None),
            ("20,00", "25/03/2017 10:30", "2017", "2A", None),
            ("30,00", None, None, None, None),
            ("40,00", "le 3 mars", "2017", "01", None),
            ("50,00", "2017-03-26", "deux mille", "01", None),
        ])
        conn.commit()
    query = "SELECT montant, signee, annee, code, vide FROM t"
    ledger = essconv.Ledger.read_sql(query, str(db), amount="montant", dates=["signee"],
                                     ints=["annee"], labels=["vide", "code"])
    assert ledger.kinds == {"montant": "amount", "signee": "date", "annee": "int",
                            "code": "label", "vide": "label"}
    # 25/03 can only be day first: the column is, as read_csv decides it
    assert ledger.date_orders == {"signee": "dmy"}
    assert ledger.values("signee") == [dt.date(2017, 3, 4), dt.date(2017, 3, 25), None]
    assert ledger.values("annee") == [2017, 2017, None]
    assert ledger.values("code") == ["01", "2A", None]
    assert ledger.values("vide") == [None, None, None]
    assert ledger.total() == Decimal("60")
    # nothing dropped silently: the two other rows are set aside at their row and column
    assert [(p.line, p.column) for p in ledger.bad_rows] == [(4, 2), (5, 3)]
    assert "'le 3 mars' is not a date" in ledger.bad_rows[0].message
    from essconv.messages import language
    assert "n'est pas une date" in language("fr").problem(ledger.bad_rows[0])
    with pytest.raises(essconv.ParseError) as caught:
        essconv.Ledger.read_sql(query, str(db), amount="montant", dates=["signee"],
                                bad_rows="raise")
    assert (caught.value.path, caught.value.line, caught.value.column) == (str(db), 4, 2)
    month_first = essconv.Ledger.read_sql(
        "SELECT montant, signee FROM t WHERE montant = '10,00'", str(db), amount="montant",
        dates=["signee"], date_order="mdy")
    assert month_first.values("signee") == [dt.date(2017, 4, 3)]
    assert month_first.date_orders == {"signee": "mdy"}


def test_dates_ints_and_labels_are_checked_as_read_csv_checks_them(tmp_path):
    db = tmp_path / "t.db"
    with sqlite(db) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE t (montant TEXT, dateConvention TEXT, reel REAL)")
        cur.execute("INSERT INTO t VALUES ('1', '2017-01-02', 1.5)")
        conn.commit()
    read = lambda **kw: essconv.Ledger.read_sql("SELECT * FROM t", str(db), amount="montant",
                                                **kw)
    with pytest.raises(essconv.UnknownColumnError, match="did you mean 'dateConvention'"):
        read(dates=["dateconvention"])
    with pytest.raises(essconv.InvalidValueError, match="'dateConvention' is asked for twice"):
        read(dates=["dateConvention"], labels=["dateConvention"])
    with pytest.raises(essconv.InvalidValueError, match="'montant' is asked for twice"):
        read(ints=["montant"])
    with pytest.raises(essconv.InvalidValueError, match=r"dates=\['dateConvention'\]"):
        read(dates="dateConvention")
    with pytest.raises(essconv.InvalidValueError, match="date_order"):
        read(dates=["dateConvention"], date_order="ymd")
    with pytest.raises(essconv.InvalidValueError, match="CAST"):
        read(dates=["reel"])
    # a column both orders read and another only day first: refused as read_csv refuses it
    with sqlite(db) as conn, conn.cursor() as cur:
        cur.execute("INSERT INTO t VALUES ('2', '25/03/2017', 1), ('3', '03/25/2017', 1)")
        conn.commit()
    with pytest.raises(essconv.ParseError) as caught:
        read(dates=["dateConvention"])
    assert caught.value.path == str(db)


def test_a_column_of_nulls_is_a_column_of_missing_values_of_the_kind_asked(tmp_path):
    db = tmp_path / "t.db"
    with sqlite(db) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE t (montant TEXT, signee DATE, annee INTEGER, code TEXT)")
        cur.executemany("INSERT INTO t VALUES (?, ?, NULL, NULL)", [("1,50", None), ("2", None)])
        conn.commit()
    for where in ("", " WHERE 0"):   # rows of NULLs, and no row at all (the driver's int64)
        ledger = essconv.Ledger.read_sql(f"SELECT * FROM t{where}", str(db), amount="montant",
                                         dates=["signee"], ints=["annee"], labels=["code"])
        assert ledger.kinds == {"montant": "amount", "signee": "date", "annee": "int",
                                "code": "label"}
        rows = 0 if where else 2
        assert ledger.values("signee") == ledger.values("annee") == [None] * rows
        assert ledger.values("code") == [None] * rows and ledger.bad_rows == []


def test_appending_to_a_sqlite_column_that_would_convert_the_text_is_refused(tmp_path):
    db = tmp_path / "t.db"
    with sqlite(db) as conn, conn.cursor() as cur:
        # SQLite gives DECIMAL(14,2) numeric affinity: '1250.50' would be kept as a REAL
        cur.execute("CREATE TABLE decimale (departement TEXT, montant DECIMAL(14,2))")
        cur.execute("CREATE TABLE entiere (departement INTEGER, montant TEXT)")
        cur.execute('CREATE TABLE "sans type" (departement, montant)')
        conn.commit()
    ledger = essconv.Ledger.from_columns({"departement": ["01", "2A"],
                                          "montant": ["1 250,50", "0,10"]}, amount="montant")
    with pytest.raises(essconv.DatabaseError, match=r"'montant' is declared 'DECIMAL\(14,2\)'.*float"):
        ledger.to_sql("decimale", str(db), mode="append")
    with pytest.raises(essconv.DatabaseError, match="'departement' is declared 'INTEGER'"):
        ledger.to_sql("entiere", str(db), mode="append")
    with sqlite(db) as conn, conn.cursor() as cur:   # nothing written to either
        for name in ("decimale", "entiere"):
            cur.execute(f"SELECT count(*) FROM {name}")
            assert cur.fetchone() == (0,)
    # columns that keep text as written (TEXT, or no declared type) take it, to the cent
    assert ledger.to_sql("sans type", str(db), mode="append") == 2
    back = essconv.Ledger.read_sql('SELECT * FROM "sans type"', str(db), amount="montant")
    assert back.values("departement") == ["01", "2A"]
    assert back.values("montant") == [Decimal("1250.50"), Decimal("0.10")]
    with sqlite(db) as conn, conn.cursor() as cur:
        cur.execute('SELECT typeof(montant), typeof(departement) FROM "sans type"')
        assert set(cur.fetchall()) == {("text", "text")}


def test_a_column_blank_in_the_first_thousands_of_records_reads_back(tmp_path):
    # SQLite's driver types a column on its first 1 024 rows: NULL in all of them, then text,
    # failed the whole query
    blank, filled = 2000, 1500
    columns = {
        "idRAE": [None] * blank + [f"RAE{i:05d}" for i in range(filled)],
        "signee": [None] * blank + [dt.date(2012, 1, 1) + dt.timedelta(days=i % 365)
                                    for i in range(filled)],
        "montant": [f"{i},{i % 100:02d}" for i in range(blank + filled)],
    }
    ledger = essconv.Ledger.from_columns(columns, amount="montant")
    db = str(tmp_path / "t.db")
    ledger.to_sql("subventions", db)
    back = essconv.Ledger.read_sql("SELECT * FROM subventions", db, amount="montant",
                                   dates=["signee"])
    assert back.kinds == {"idRAE": "label", "signee": "date", "montant": "amount"}
    assert back.values("idRAE") == columns["idRAE"]
    assert back.values("signee") == columns["signee"]
    assert back.total() == sum((Decimal(a.replace(",", ".")) for a in columns["montant"]),
                               Decimal(0))


def test_bad_rows_after_texts_holding_line_endings_are_placed_at_their_row(tmp_path):
    db = tmp_path / "t.db"
    cells = [("1", "2019-01-01\n\n", "1"), ("2\r\n", "2019-01-02", "a\r\rb"),
             ("3", "x", "3"), ("4", "2019-01-04\r\n", "4"), ("5 \n0", "2019-01-05", "5"),
             ("6", "2019-01-06", "6")]
    with sqlite(db) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE t (montant TEXT, d TEXT, i TEXT)")
        cur.executemany("INSERT INTO t VALUES (?, ?, ?)", cells)
        conn.commit()
    ledger = essconv.Ledger.read_sql("SELECT * FROM t", str(db), amount="montant",
                                     dates=["d"], ints=["i"])
    # rows 2, 3 and 5 (1-based) hold an unreadable int, date and amount
    assert [(p.line, p.column) for p in ledger.bad_rows] == [(2, 3), (3, 2), (5, 1)]
    assert ledger.values("i") == [1, 4, 6]
    assert ledger.total() == Decimal(1 + 4 + 6)


@pytest.mark.parametrize("dates", [["signee"], []])
def test_the_order_given_is_kept_for_a_column_the_driver_types_as_dates(dates):
    """PostgreSQL hands a DATE column as Arrow dates, not text: read_sql(..., date_order="dmy")
    said the order "unknown" for it, and a filter's 04/03/2017, as the analyst's grant files
    write it, was refused as ambiguous where the same records read from text dates took it."""
    days = [dt.date(2017, 3, 4), dt.date(2017, 4, 3), dt.date(2017, 3, 4), None]
    amounts = [Decimal("10.00"), Decimal("20.50"), Decimal("0.25"), Decimal("7.00")]
    result = pa.table({"montant": pa.array(amounts, pa.decimal128(14, 2)),
                       "signee": pa.array(days, pa.date32())})   # as the driver hands it
    for order, meant in (("dmy", dt.date(2017, 3, 4)), ("mdy", dt.date(2017, 4, 3))):
        ledger = essconv.sql.ledger_from_table(result, amount="montant", cents=False,
                                               bad_rows="collect", source="grants",
                                               dates=dates, date_order=order)
        assert ledger.date_orders == {"signee": order}
        chosen = ledger.filter(signee="04/03/2017")
        assert len(chosen) == days.count(meant)
        assert chosen.total() == sum((a for d, a in zip(days, amounts) if d == meant), Decimal(0))
    # no order given: the driver's dates say none, and the ambiguous day is refused
    ledger = essconv.sql.ledger_from_table(result, amount="montant", cents=False,
                                           bad_rows="collect", source="grants", dates=dates)
    assert ledger.date_orders == {"signee": "unknown"}
    with pytest.raises(essconv.ConditionError, match="day first"):
        ledger.filter(signee="04/03/2017")


@pytest.mark.parametrize("query, twice, places", [
    ("SELECT g.nom, b.nom, g.montant FROM g JOIN b ON g.id = b.id", "nom", (1, 2)),
    ("SELECT g.montant, g.nom, b.montant FROM g JOIN b ON g.id = b.id", "montant", (1, 3)),
])
def test_a_query_returning_a_column_name_twice_is_refused_naming_it(tmp_path, query, twice,
                                                                   places):
    """A join's SELECT of two tables' 'nom' raised AmountTypeError "cannot add the column
    'nom'" (no amount is wrong) and named neither the places nor the way out."""
    db = tmp_path / "join.db"
    with sqlite(db) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE g (id INTEGER, nom TEXT, montant TEXT)")
        cur.execute("CREATE TABLE b (id INTEGER, nom TEXT, montant TEXT)")
        cur.execute("INSERT INTO g VALUES (1, 'Asso A', '10,00')")
        cur.execute("INSERT INTO b VALUES (1, 'Asso A bis', '2,00')")
        conn.commit()
    with pytest.raises(essconv.ParseError) as caught:
        essconv.Ledger.read_sql(query, str(db), amount="montant")
    assert not isinstance(caught.value, essconv.AmountTypeError)
    said = str(caught.value)
    assert f"the query returns the column {twice!r} twice (columns {places[0]} and " \
           f"{places[1]})" in said and " AS " in said, said
    assert (caught.value.path, caught.value.column) == (str(db), places[1])
    # named apart, the same join reads
    apart = query.replace("b.nom", "b.nom AS nom_b").replace("b.montant", "b.montant AS m_b")
    assert essconv.Ledger.read_sql(apart, str(db), amount="montant").total() == Decimal("10")


@pytest.mark.parametrize("connect", [
    lambda db: __import__("sqlite3").connect(db),   # the standard library's: no Arrow
    lambda db: None,
    lambda db: 42,
])
def test_a_connection_that_is_no_adbc_one_is_refused_saying_what_to_give(tmp_path, connect):
    """sqlite3.connect("grants.db"), what an analyst opens first, gave "the query failed:
    parameters are of unsupported type" on read and "'sqlite3.Cursor' object has no attribute
    'adbc_ingest'" on write: refused as an argument of the wrong kind, naming what it was and
    what is taken, before any query or write (nothing is written)."""
    db = str(tmp_path / "grants.db")
    ledger = essconv.Ledger.read_csv(b"n;montant\nA;1,50\n", amount="montant")
    ledger.to_sql("t", db)
    conn = connect(db)
    for attempt in (lambda: essconv.Ledger.read_sql("SELECT * FROM t", conn, amount="montant"),
                    lambda: ledger.to_sql("u", conn)):
        with pytest.raises(essconv.ArgumentTypeError) as caught:
            attempt()
        said = str(caught.value)
        assert type(conn).__name__ in said and "ADBC" in said and "path" in said, said
    with sqlite(db) as check, check.cursor() as cur:
        cur.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        assert cur.fetchall() == [("t",)]
    # the file's path reads it
    assert essconv.Ledger.read_sql("SELECT * FROM t", db, amount="montant").total() == \
        Decimal("1.50")


@pytest.mark.parametrize("report", ["with_total", "top_others_total"])
def test_a_reports_total_line_read_back_is_set_aside_not_counted_twice(tmp_path, report):
    """An aggregate written with its Total line (``with_total()``, ``report_line`` 'total')
    and read back as the aggregate of the README (``amount="sum"``) counted every group twice:
    the ledger's total was twice the records', without a word, where a CSV file's total row
    is set aside.  The Total line is a bad row at its row and ``report_line``'s column (or
    refused with ``bad_rows="raise"``); the others line, the sum of groups not shown, stays."""
    from essconv.messages import language
    written, twin_total = report_with_total(report)   # the records' own sum
    db = str(tmp_path / "totaux.db")
    written.to_sql("totaux", db)
    back = essconv.Ledger.read_sql("SELECT * FROM totaux", db, amount="sum")
    assert back.total() == twin_total
    kinds = written.line_kinds()
    assert kinds.count("total") == 1 and len(back) == len(kinds) - 1
    columns = pa.table(written).column_names
    [aside] = back.bad_rows
    assert (aside.line, aside.column) == (kinds.index("total") + 1,
                                          columns.index("report_line") + 1)
    assert "Total line" in aside.message and "counts them twice" in aside.message
    assert "ligne Total" in language("fr").problem(aside)
    with pytest.raises(essconv.ParseError) as caught:
        essconv.Ledger.read_sql("SELECT * FROM totaux", db, amount="sum", bad_rows="raise")
    assert (caught.value.path, caught.value.line, caught.value.column) == (
        db, aside.line, aside.column)
    # the lines but the Total, selected as such, read as before
    assert essconv.Ledger.read_sql("SELECT * FROM totaux WHERE report_line <> 'total'", db,
                                   amount="sum").total() == twin_total


@pytest.mark.parametrize("order, meant", [("dmy", dt.date(2017, 3, 4)),
                                          ("mdy", dt.date(2017, 4, 3))])
def test_a_ledger_s_dates_through_sqlite_are_iso_and_never_read_the_other_way(tmp_path, order,
                                                                               meant):
    """A ledger's dates go to SQLite as ISO text (``2017-03-04``), which reads one way only:
    the days come back the same, and read back they say no day/month order ("unknown", as an
    ISO file's).  A filter's ``04/03/2017`` is then refused naming both readings, never read
    in an order the ledger did not have; ``date_order=`` given as the ledger had it reads the
    filter as the ledger did."""
    other = "25/03/2017" if order == "dmy" else "03/25/2017"   # decides the file's order
    text = (f"financeur;montant;dateConvention\nRégion;10,50;04/03/2017\nCDC;3,25;{other}\n"
            f"Région;1,00;04/03/2017\nCDC;7,00;\n")
    original = essconv.Ledger.read_csv(text.encode(), amount="montant", dates=["dateConvention"])
    assert original.date_orders == {"dateConvention": order}
    db = str(tmp_path / "g.db")
    original.to_sql("subventions", db)
    with sqlite(db) as conn, conn.cursor() as cur:
        cur.execute("SELECT dateConvention FROM subventions")
        assert [r[0] for r in cur.fetchall()] == [
            meant.isoformat(), dt.date(2017, 3, 25).isoformat(), meant.isoformat(), None]
    back = essconv.Ledger.read_sql("SELECT * FROM subventions", db, amount="montant",
                                   dates=["dateConvention"])
    assert back.values("dateConvention") == original.values("dateConvention")
    assert back.date_orders == {"dateConvention": "unknown"}
    with pytest.raises(essconv.ConditionError, match="day first.*month first"):
        back.filter(dateConvention="04/03/2017")
    expected = Decimal("10.50") + Decimal("1.00")   # the two records of that day
    assert back.filter(dateConvention=meant.isoformat()).total() == expected
    assert original.filter(dateConvention="04/03/2017").total() == expected
    kept = essconv.Ledger.read_sql("SELECT * FROM subventions", db, amount="montant",
                                   dates=["dateConvention"], date_order=order)
    assert kept.date_orders == original.date_orders
    assert kept.filter(dateConvention="04/03/2017").total() == expected


@pytest.mark.parametrize("kind", ["amount", "dates", "ints", "labels"])
def test_a_nul_byte_in_a_cell_read_as_text_is_a_bad_row_at_its_row_and_column(tmp_path, kind):
    # a NUL pasted into a cell (an export's padding): the cell is set aside at the query's row
    # and column, not the whole query refused at a line and column of no file the analyst has
    from essconv.messages import language
    db = tmp_path / "t.db"
    cells = [("lab", "1.00", "2019-01-01", "1"), ("nul", "2.00", "2019-01-02", "2"),
             ("z", "4.00", "2019-01-04", "4")]
    # a label too: from_columns and a CSV file refuse one holding a NUL
    column = {"labels": 1, "amount": 2, "dates": 3, "ints": 4}[kind]
    with sqlite(db) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE t (lab TEXT, montant TEXT, d TEXT, i TEXT)")
        cur.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", cells)
        # the second row's cell of that column with a NUL inside it
        name = ("lab", "montant", "d", "i")[column - 1]
        cur.execute(f"UPDATE t SET {name} = substr({name}, 1, 1) || char(0) || "
                    f"substr({name}, 2) WHERE lab = 'nul'")
        conn.commit()
    ledger = essconv.Ledger.read_sql("SELECT * FROM t", str(db), amount="montant",
                                     dates=["d"], ints=["i"])
    assert [(p.line, p.column) for p in ledger.bad_rows] == [(2, column)]
    bad = ledger.bad_rows[0]
    assert "NUL" in bad.message and "\x00" not in bad.message
    said = language("fr").problem(bad)
    assert "octet NUL" in said and "\x00" not in said and "NUL byte" not in said
    # the other rows read, as the twin of the cells written says
    assert ledger.values("lab") == [c[0] for c in cells if c[0] != "nul"]
    assert ledger.total() == sum(Decimal(c[1]) for c in cells if c[0] != "nul")
    with pytest.raises(essconv.ParseError) as refused:
        essconv.Ledger.read_sql("SELECT * FROM t", str(db), amount="montant", dates=["d"],
                                ints=["i"], bad_rows="raise")
    assert (refused.value.line, refused.value.column) == (2, column)
    assert "NUL" in str(refused.value)


@pytest.mark.parametrize("select, name, column, kind", [
    ("SELECT montant, taux FROM t", "taux", 2, "binary float"),        # a REAL beside
    ("SELECT piece, montant FROM t", "piece", 1, "BLOB"),              # a BLOB beside
    ("SELECT lab, piece AS montant FROM t", "montant", 2, "BLOB"),     # a BLOB amount
])
def test_a_column_no_ledger_holds_is_refused_at_its_place_with_the_cast_to_use(
        tmp_path, select, name, column, kind):
    # an SCDL table keeps pourcentageSubvention as REAL, and a scanned decision as a BLOB: the
    # refusal names the column by name and place, what the driver read, and the SQL to write
    db = tmp_path / "t.db"
    with sqlite(db) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE t (lab TEXT, montant TEXT, taux REAL, piece BLOB)")
        cur.execute("INSERT INTO t VALUES ('a', '1.00', 0.05, X'31')")
        conn.commit()
    with pytest.raises(essconv.AmountTypeError) as refused:
        essconv.Ledger.read_sql(select, str(db), amount="montant")
    said = str(refused.value)
    assert refused.value.column == column
    assert f"{name!r}" in said and kind in said and f"CAST({name} AS TEXT)" in said
    assert "Arrow format" not in said
    if name == "taux":   # the cast it says reads the table, the rate as SQLite prints it
        cast = "SELECT montant, CAST(taux AS TEXT) AS taux FROM t"
        assert essconv.Ledger.read_sql(cast, str(db), amount="montant").values("taux") == ["0.05"]


@pytest.mark.parametrize("name, error", [
    ("a\x00b", essconv.InvalidValueError),   # SQLite reads the name up to the NUL: 'a'
    ("", essconv.InvalidValueError),
    ("  ", essconv.InvalidValueError),
    (None, essconv.ArgumentTypeError),
    (b"a", essconv.ArgumentTypeError),
])
@pytest.mark.parametrize("mode", ["create", "append", "replace"])
def test_a_table_name_sqlite_would_cut_or_that_names_nothing_is_refused_before_any_write(
        tmp_path, name, error, mode):
    # to_sql("a\x00b", mode="replace") dropped and rewrote the table 'a': another table's rows
    db = tmp_path / "t.db"
    kept = essconv.Ledger.from_columns({"montant": ["7.00"], "lab": ["gardé"]}, amount="montant")
    kept.to_sql("a", str(db))
    new = essconv.Ledger.from_columns({"montant": ["1.00", "2.50"], "lab": ["x", "y"]},
                                      amount="montant")
    with pytest.raises(error) as refused:
        new.to_sql(name, str(db), mode=mode)
    assert "table" in str(refused.value)
    if isinstance(name, str) and name.strip():
        assert repr(name) in str(refused.value)   # the NUL shown, not cut
    # nothing written: the database's tables, read by the standard library, are as they were
    import sqlite3
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("a",)]
        assert conn.execute("SELECT montant, lab FROM a").fetchall() == [("7.00", "gardé")]
    # an aggregate's write is checked too
    with pytest.raises(error):
        new.group_by("lab").sum().to_sql(name, str(db), mode=mode)


def test_reading_a_sqlite_file_that_is_not_there_is_refused_and_creates_nothing(tmp_path):
    # a mistyped path was opened as a new, empty database: the file created beside the real
    # one, and the query refused as "no such table", sending the analyst to the SQL
    missing = tmp_path / "subventons.db"
    with pytest.raises(essconv.DatabaseError) as refused:
        essconv.Ledger.read_sql("SELECT * FROM subventions", str(missing), amount="montant")
    assert str(missing) in str(refused.value) and "no such table" not in str(refused.value)
    assert "no SQLite file" in str(refused.value)
    assert not missing.exists()
    # a directory given as the file: said so, not the driver's "failed to allocate memory"
    for read in (lambda: essconv.Ledger.read_sql("SELECT 1 AS montant", str(tmp_path),
                                                 amount="montant"),
                 lambda: essconv.Ledger.from_columns({"montant": ["1.00"]}, amount="montant")
                 .to_sql("t", tmp_path)):
        with pytest.raises(essconv.DatabaseError, match="is a directory"):
            read()
    # an in-memory database is no file, and is read as ever
    assert essconv.Ledger.read_sql("SELECT '1.50' AS montant", ":memory:",
                                   amount="montant").total() == Decimal("1.50")
    # and a file that is there reads, as the write that created it says
    essconv.Ledger.from_columns({"montant": ["2.00"]}, amount="montant").to_sql("t", missing)
    assert essconv.Ledger.read_sql("SELECT * FROM t", missing,
                                   amount="montant").total() == Decimal("2.00")


@pytest.mark.parametrize("existing", ["TABLE", "VIEW"])
def test_writing_over_an_existing_table_is_refused_saying_the_mode_to_ask_for(tmp_path,
                                                                              existing):
    # the driver's refusal dumped its CREATE TABLE statement and said nothing of mode=
    import sqlite3
    db = tmp_path / "t.db"
    first = essconv.Ledger.from_columns({"montant": ["7.00"], "lab": ["avant"]},
                                        amount="montant")
    first.to_sql("base", str(db))
    if existing == "VIEW":
        with contextlib.closing(sqlite3.connect(db)) as conn:
            conn.execute("CREATE VIEW subventions AS SELECT * FROM base")
            conn.commit()
    else:
        first.to_sql("subventions", str(db))
    new = essconv.Ledger.from_columns({"montant": ["1.00", "2.50"], "lab": ["x", "y"]},
                                      amount="montant")
    with pytest.raises(essconv.DatabaseError) as refused:
        new.to_sql("subventions", str(db))
    said = str(refused.value)
    assert "'subventions' already exists" in said and "nothing was written" in said
    assert "CREATE TABLE" not in said
    if existing == "TABLE":
        assert "mode='replace'" in said and "mode='append'" in said
    else:   # a view is no table essconv replaces or appends to
        assert "a view" in said and "mode=" not in said
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT montant, lab FROM subventions").fetchall() == [
            ("7.00", "avant")]
    if existing == "TABLE":   # what the refusal says to ask for does what it says
        new.to_sql("subventions", str(db), mode="append")
        with contextlib.closing(sqlite3.connect(db)) as conn:
            assert conn.execute("SELECT lab FROM subventions").fetchall() == [
                ("avant",), ("x",), ("y",)]
        new.to_sql("subventions", str(db), mode="replace")
        with contextlib.closing(sqlite3.connect(db)) as conn:
            assert conn.execute("SELECT lab FROM subventions").fetchall() == [("x",), ("y",)]


def test_a_binary_float_among_text_amounts_is_a_bad_row_said_to_be_one(tmp_path):
    # SQLite keeps each value's own type: a column declared without one (or NUMERIC) holds the
    # texts '1.00' beside numbers inserted unquoted; the driver gives a REAL among texts as
    # '2.500000e+00', a text no one wrote, that the bad row quoted as "not an amount: 'e'"
    from essconv.messages import language
    db = tmp_path / "t.db"
    values = ["1.00", 2.5, 3, -1250.57, "4.25"]
    import sqlite3   # the standard library binds each value with its own type
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE t (lab TEXT, montant)")
        conn.executemany("INSERT INTO t VALUES (?, ?)",
                         [(f"r{k}", v) for k, v in enumerate(values)])
        conn.commit()
    ledger = essconv.Ledger.read_sql("SELECT * FROM t", str(db), amount="montant")
    floats = [k + 1 for k, v in enumerate(values) if isinstance(v, float)]
    assert [(p.line, p.column) for p in ledger.bad_rows] == [(k, 2) for k in floats]
    for bad in ledger.bad_rows:
        assert "binary float" in bad.message and "REAL" in bad.message
        assert "is not an amount" not in bad.message
        said = language("fr").problem(bad)
        assert "virgule flottante" in said and "n'est pas un montant" not in said
    # the texts and the integers (euros) read, as the values written say
    assert ledger.total() == sum(Decimal(v) if isinstance(v, str) else Decimal(v)
                                 for v in values if not isinstance(v, float))
    # a text the driver did not write stays what it is: not an amount
    with sqlite(db) as conn, conn.cursor() as cur:
        cur.execute("INSERT INTO t VALUES ('texte', '2.5e+00')")
        conn.commit()
    last = essconv.Ledger.read_sql("SELECT * FROM t", str(db), amount="montant").bad_rows[-1]
    assert last.line == len(values) + 1 and "not an amount" in last.message


@pytest.mark.parametrize("cents", [False, True])
def test_an_integer_amount_past_int64_cents_is_a_bad_row_at_its_place_of_the_query(tmp_path,
                                                                                   cents):
    # INTEGER euros past int64 cents refused the whole query even with bad_rows="collect",
    # where a text amount as large is a bad row; rows set aside before it (NULL amounts) once
    # moved its place up too ("row 2" for the fourth row)
    import sqlite3

    from essconv.messages import language
    db = tmp_path / "t.db"
    huge = 2**63 - 1 if cents else 2**63 // 100 + 1   # past int64 cents either way
    values = [None, 1, None, -huge, 2, 10**17]
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE t (lab TEXT, montant INTEGER)")
        conn.executemany("INSERT INTO t VALUES (?, ?)",
                         [(f"r{k}", v) for k, v in enumerate(values)])
        conn.commit()
    row = values.index(-huge) + 1
    if cents:   # -(2**63 - 1) cents fit: the sum of the rows is what overflows, not a row
        ledger = essconv.Ledger.read_sql("SELECT * FROM t WHERE lab <> 'r5'", str(db),
                                         amount="montant", cents=True)
        assert len(ledger) == 3 and [p.line for p in ledger.bad_rows] == [1, 3]
        return
    ledger = essconv.Ledger.read_sql("SELECT * FROM t", str(db), amount="montant")
    assert [(p.line, p.column) for p in ledger.bad_rows] == [(1, 2), (3, 2), (row, 2), (6, 2)]
    assert ledger.values("lab") == ["r1", "r4"] and ledger.total() == 3
    beyond = ledger.bad_rows[2]
    assert "'montant'" in beyond.message and str(-huge) in beyond.message
    assert beyond.reason[0] == "amount-too-large"
    said = language("fr").problem(beyond)
    # under the floor: its side and the limit, never "too large" of a negative amount
    assert said.endswith("dépasse ce qu'un montant en centimes peut tenir (-92\u202f233\u202f720"
                         "\u202f368\u202f547\u202f758,08\u00a0€ au moins)"), said
    assert "too large" not in said and "trop grand" not in said
    with pytest.raises(essconv.MoneyOverflowError) as refused:
        essconv.Ledger.read_sql("SELECT * FROM t WHERE montant IS NOT NULL", str(db),
                                amount="montant", bad_rows="raise")
    assert (refused.value.line, refused.value.column) == (2, 2)
    assert "'montant'" in str(refused.value) and str(-huge) in str(refused.value)
    assert refused.value.below
    assert "dépasse ce qu'un montant en centimes peut tenir (-92\u202f233" in language(
        "fr").refusal(refused.value)
    assert "does not fit an amount in cents (below -92,233,720,368,547,758.08\u00a0€)" in str(
        refused.value)


def test_a_query_of_no_row_gives_its_columns_the_kinds_of_its_rows(tmp_path):
    # SQLite's driver types a column on its values: with no row every column came back int64,
    # a funder an int column and a date an int, where the same query with rows gives labels;
    # the columns' declared types say what their values would be
    import sqlite3
    db = tmp_path / "t.db"
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE s (financeur TEXT, montant TEXT, annee INTEGER, d DATE, "
                     "code VARCHAR(5), centimes INTEGER)")
        conn.execute("INSERT INTO s VALUES ('CDC', '1 250,50', 2017, '2017-09-08', '01', 125050)")
        conn.commit()
    for amount in ("montant", "centimes"):
        for asked in ({}, {"dates": ["d"]}, {"labels": ["annee"]}):
            full = essconv.Ledger.read_sql("SELECT * FROM s", str(db), amount=amount, **asked)
            empty = essconv.Ledger.read_sql("SELECT * FROM s WHERE annee = 1999", str(db),
                                            amount=amount, **asked)
            assert len(full) == 1 and len(empty) == 0 and not empty.bad_rows
            assert empty.kinds == full.kinds, (amount, asked)
            assert empty.total() == 0
    # a column named in the SELECT keeps its table's type; an expression has none to say
    empty = essconv.Ledger.read_sql("SELECT financeur AS f, montant FROM s WHERE 0", str(db),
                                    amount="montant")
    assert empty.kinds == {"f": "label", "montant": "amount"}


def test_a_query_of_no_row_with_parameters_types_its_columns_as_without(tmp_path):
    # with params the empty result kept the driver's int64 for every column (a funder an int,
    # a date an int) where the same query written with its values typed them as declared
    import sqlite3
    db = tmp_path / "t.db"
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE s (financeur TEXT, montant TEXT, annee INTEGER, d DATE, "
                     "code VARCHAR(5), \"a$b\" TEXT, [x?] TEXT)")
        conn.execute("INSERT INTO s VALUES ('CDC', '1 250,50', 2017, '2017-09-08', '01', 'z', "
                     "'y')")
        conn.commit()
    for asked in ({}, {"dates": ["d"]}, {"labels": ["annee"]}):
        written = essconv.Ledger.read_sql("SELECT * FROM s WHERE annee = 1999", str(db),
                                          amount="montant", **asked)
        for query, params in (("SELECT * FROM s WHERE annee = ?", [1999]),
                              ("SELECT * FROM s WHERE annee = ?1 AND code <> '?'", [1999]),
                              ("SELECT * FROM s -- a '?' said\nWHERE annee = ? /* ? */",
                               (1999,))):
            bound = essconv.Ledger.read_sql(query, str(db), amount="montant", params=params,
                                            **asked)
            assert len(bound) == 0 and not bound.bad_rows
            assert bound.kinds == written.kinds, (query, asked)
            assert bound.kinds["financeur"] == "label" and bound.kinds["code"] == "label"
            assert bound.kinds["a$b"] == "label" and bound.kinds["x?"] == "label"
    # the same query with rows: the parameters change which rows, never a column's kind
    full = essconv.Ledger.read_sql("SELECT * FROM s WHERE annee = ?", str(db), amount="montant",
                                   params=[2017])
    empty = essconv.Ledger.read_sql("SELECT * FROM s WHERE annee = ?", str(db), amount="montant",
                                    params=[1999])
    assert len(full) == 1 and empty.kinds == full.kinds


def test_a_text_column_of_nulls_alone_is_read_as_labels_all_missing(tmp_path):
    # SQLite's driver types a column on its values: a TEXT column no row fills (an idRAE left
    # blank) came back an int column, where a CSV file's blank column is labels all missing,
    # and a ledger written by to_sql read back with another kind
    import sqlite3
    db = tmp_path / "t.db"
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE s (financeur TEXT, montant TEXT, idrae TEXT, d DATE, "
                     "n INTEGER, r REAL)")
        conn.executemany("INSERT INTO s VALUES (?, ?, NULL, NULL, NULL, NULL)",
                         [("CDC", "1,50"), ("CR", "2")])
        conn.commit()
    ledger = essconv.Ledger.read_sql("SELECT * FROM s", str(db), amount="montant")
    csv = essconv.Ledger.read_csv(b"financeur;montant;idrae;d;n;r\nCDC;1,50;;;;\nCR;2;;;;\n",
                                  amount="montant", ints=["n", "r"])
    assert ledger.kinds == csv.kinds == {"financeur": "label", "montant": "amount",
                                         "idrae": "label", "d": "label", "n": "int", "r": "int"}
    import pyarrow as pa
    assert pa.table(ledger).column("idrae").to_pylist() == [None, None]
    assert ledger.total() == Decimal("3.50") and not ledger.bad_rows
    # asked for, it is read as asked, as before
    asked = essconv.Ledger.read_sql("SELECT * FROM s", str(db), amount="montant",
                                    dates=["d"], ints=["idrae"])
    assert asked.kinds["d"] == "date" and asked.kinds["idrae"] == "int"


def test_an_integer_an_int_column_cannot_hold_is_a_bad_row_at_its_place_of_the_query(tmp_path):
    # -2**63, which an int column keeps for a missing value, refused the whole query, even with
    # bad_rows="collect": it is now a bad row at its row and column, as an amount none holds
    import sqlite3

    from essconv.messages import language
    db = tmp_path / "t.db"
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE t (lab TEXT, montant TEXT, n INTEGER)")
        conn.executemany("INSERT INTO t VALUES (?, ?, ?)",
                         [("a", None, 1), ("b", "2", 2), ("c", "4", -2**63), ("d", "8", None)])
        conn.commit()
    ledger = essconv.Ledger.read_sql("SELECT * FROM t", str(db), amount="montant")
    assert [(p.line, p.column) for p in ledger.bad_rows] == [(1, 2), (3, 3)]
    assert ledger.values("lab") == ["b", "d"] and ledger.values("n") == [2, None]
    bad = ledger.bad_rows[1]
    assert "'n'" in bad.message and str(-2**63) in bad.message
    said = language("fr").problem(bad)
    assert "colonne" in said and "manquante" in said and "missing" not in said
    with pytest.raises(essconv.MoneyOverflowError) as refused:
        essconv.Ledger.read_sql("SELECT * FROM t WHERE montant IS NOT NULL", str(db),
                                amount="montant", bad_rows="raise")
    assert (refused.value.line, refused.value.column) == (2, 3)
    assert "manquante" in language("fr").refusal(refused.value)


# --- "the query returns the column 'reel' as double, which is not read as label" (and "as
# int"): the article was missing where dates had it
@pytest.mark.parametrize("argument, said", [("labels", "a label"), ("ints", "an int"),
                                            ("dates", "a date")])
def test_a_column_of_no_readable_kind_is_refused_in_whole_words(tmp_path, argument, said):
    db = tmp_path / "t.db"
    with sqlite(db) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE t (montant TEXT, reel REAL)")
        cur.execute("INSERT INTO t VALUES ('1', 1.5)")
        conn.commit()
    with pytest.raises(essconv.InvalidValueError) as refused:
        essconv.Ledger.read_sql("SELECT * FROM t", str(db), amount="montant",
                                **{argument: ["reel"]})
    assert f"as double, which is not read as {said}; select it as text" in str(refused.value)


@pytest.mark.parametrize("params", [{"b": 2017}, "2017", {2017}], ids=repr)
def test_parameters_that_are_no_list_or_tuple_are_refused_naming_the_rule(tmp_path, params):
    # ADBC binds by position: a dict met the driver's "could not find parameter `b`", a str
    # would bind one character a marker, a set in no order
    import sqlite3
    db = tmp_path / "t.db"
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE t (lab TEXT, montant INTEGER, y INTEGER)")
        conn.execute("INSERT INTO t VALUES ('a', 5, 2017)")
        conn.commit()
    with pytest.raises(essconv.ArgumentTypeError,
                       match=f"a list or a tuple: ADBC binds no names; not {type(params).__name__}"):
        essconv.Ledger.read_sql("SELECT * FROM t WHERE y = :b", str(db), amount="montant",
                                params=params)
    # the same value in a list is read
    assert essconv.Ledger.read_sql("SELECT * FROM t WHERE y = ?", str(db), amount="montant",
                                   params=[2017]).total() == 5


@pytest.mark.parametrize("before", [2, 1500])
def test_a_binary_float_among_text_amounts_is_a_bad_row_wherever_it_stands(tmp_path, before):
    # SQLite's driver types a column on its first 1 024 rows and gave a REAL after them as
    # '2.5' (its shortest digits), which read as 2,50 €: the same table set it aside or summed
    # it by where the row stood
    import sqlite3
    db = tmp_path / "t.db"
    rows = [("1.00", "a")] * before + [(2.5, "b"), (12.3, "c"), ("4.25", "d")]
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE t (montant, lab TEXT)")
        conn.executemany("INSERT INTO t VALUES (?, ?)", rows)
        conn.commit()
    ledger = essconv.Ledger.read_sql("SELECT * FROM t", str(db), amount="montant")
    assert [(p.line, p.column) for p in ledger.bad_rows] == [(before + 1, 1), (before + 2, 1)]
    assert all("binary float" in p.message for p in ledger.bad_rows)
    assert ledger.total() == Decimal("1.00") * before + Decimal("4.25")


@pytest.mark.parametrize("before", [1, 1500])
def test_a_binary_float_among_text_labels_is_a_bad_row_not_a_label_no_one_wrote(tmp_path,
                                                                                before):
    # the driver gave a REAL among a column's texts as '3.000000e-01' (printf's %e) in its
    # first 1 024 rows and as '0.30000000000000004' after them: either was a label, grouped
    # and exported as the funder's name, where from_columns refuses a float in a label column
    import sqlite3
    from essconv.messages import language
    db = tmp_path / "t.db"
    rows = [("1.00", "a")] * before + [("2.00", 0.1 + 0.2), ("4.00", 12.5), ("8.00", "b")]
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE t (montant TEXT, lab)")
        conn.executemany("INSERT INTO t VALUES (?, ?)", rows)
        conn.commit()
    ledger = essconv.Ledger.read_sql("SELECT * FROM t", str(db), amount="montant")
    assert set(ledger.values("lab")) == {"a", "b"}
    assert [(p.line, p.column) for p in ledger.bad_rows] == [(before + 1, 2), (before + 2, 2)]
    for bad in ledger.bad_rows:
        assert "binary float" in bad.message and "REAL" in bad.message and "label" in bad.message
        said = language("fr").problem(bad)
        assert "virgule flottante" in said and "libellé" in said, said
    assert ledger.total() == Decimal("1.00") * before + Decimal("8.00")
    with pytest.raises(essconv.ParseError, match="binary float"):
        essconv.Ledger.read_sql("SELECT * FROM t", str(db), amount="montant", bad_rows="raise")
    # a text written so by hand is no REAL: it stays a label
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("INSERT INTO t VALUES ('1.00', '2.5e+00')")
        conn.commit()
    assert "2.5e+00" in essconv.Ledger.read_sql("SELECT * FROM t", str(db),
                                                amount="montant").values("lab")


def test_read_sql_reads_text_amounts_in_the_name_s_unit_and_refuses_numbers_under_it(tmp_path):
    """Text under 'montant (k€)' is read as a CSV file's (k€); numbers under it are refused, as
    from_columns refuses them, where they were summed as euros."""
    path = tmp_path / "k.db"
    with sqlite(path) as conn, conn.cursor() as cur:
        cur.execute('CREATE TABLE t (nom TEXT, "montant (k€)" TEXT, n INTEGER)')
        cur.execute("INSERT INTO t VALUES ('a', '1,5', 1), ('b', '2', 2)")
        conn.commit()
    ledger = essconv.Ledger.read_sql('SELECT nom, "montant (k€)" FROM t', str(path),
                                     amount="montant (k€)")
    assert ledger.total() == Decimal("3500")
    with pytest.raises(essconv.AmountTypeError) as caught:
        essconv.Ledger.read_sql('SELECT nom, n AS "montant (k€)" FROM t', str(path),
                                amount="montant (k€)")
    assert caught.value.reason == ("unit-numbers",)



def test_read_sql_reads_amounts_beside_the_sum_in_their_name_s_unit(tmp_path):
    """``amounts=[...]`` follows the summed amount's rule on each column's name: text under
    'sub (k€)' is read in k€ ('1,5' is 1 500 €, where 1,50 € would be a thousandth), a name the
    rule refuses ('sub (USD)') is refused naming the column, never read as euros."""
    path = tmp_path / "k.db"
    with sqlite(path) as conn, conn.cursor() as cur:
        cur.execute('CREATE TABLE t (nom TEXT, montant TEXT, "sub (k€)" TEXT, "sub (USD)" TEXT)')
        cur.execute("INSERT INTO t VALUES ('a', '10', '1,5', '2'), ('b', '1', '0,25', '3')")
        conn.commit()
    ledger = essconv.Ledger.read_sql('SELECT nom, montant, "sub (k€)" FROM t', str(path),
                                     amount="montant", amounts=["sub (k€)"])
    assert ledger.values("sub (k€)") == [Decimal("1500"), Decimal("250")]
    assert ledger.total() == Decimal("11")
    with pytest.raises(essconv.ParseError) as caught:
        essconv.Ledger.read_sql('SELECT nom, montant, "sub (USD)" FROM t', str(path),
                                amount="montant", amounts=["sub (USD)"])
    assert "'sub (USD)'" in str(caught.value) and caught.value.column == 3

def _read_outcome(db, query, **options):
    """What read_sql gives: each column's kind and values, the total and the bad rows placed
    and worded, or the error's type, place and message."""
    try:
        ledger = essconv.Ledger.read_sql(query, str(db), **options)
    except essconv.Error as exc:
        return type(exc), getattr(exc, "line", None), getattr(exc, "column", None), str(exc)
    return (ledger.kinds, {name: ledger.values(name) for name in ledger.kinds}, ledger.total(),
            [(p.line, p.column, p.message, p.reason) for p in ledger.bad_rows])


#: columns whose first rows (the first batch, of 4 rows in the test) hold one kind of value and
#: whose later rows another: (declared type, the first rows' value, the later rows', read_sql's
#: options, what a row past the first batch must read as)
PAST_THE_FIRST_BATCH = {
    # a REAL came as '2.5' past the first batch, read as 2,50 €: a bad row read one batch
    "real-among-text-amounts": ("", "1.00", [2.5, "3.00", 7, "4.25", 12.5], {},
                                {"bad": [5, 9]}),
    "text-after-integer-amounts": ("", 1, ["2.50", 3, "x", 4, 5], {}, {"bad": [7]}),
    "real-among-labels": ("", "a", [0.3, 1, "01", "b", 0.5], {}, {"bad": [5, 9]}),
    "text-after-null-labels": ("TEXT", None, ["x", None, "y", "z", "w"], {}, {"bad": []}),
    "text-after-ints": ("", 1, [2, "7", 2.5, "x", 3], {"ints": ["v"]}, {"bad": [7, 8]}),
    "real-among-dates": ("", "2017-01-01", [3.5, 20170101, "2017-01-02", "2017-01-03", 1.0],
                         {"dates": ["v"]}, {"bad": [5, 6, 9]}),
}


@pytest.mark.parametrize("case", list(PAST_THE_FIRST_BATCH))
def test_a_result_past_one_batch_reads_every_row_as_one_batch_reads_it(tmp_path, monkeypatch,
                                                                        case):
    # past 2**20 rows SQLite's driver gave more batches, each later one held to the types of
    # the first: a REAL among text amounts past row 1 048 576 came as '2.5' and was summed as
    # 2,50 € (a bad row in a smaller result), a REAL label became the label '0.3', and a text
    # under a column of ints in the first rows failed the whole query ("Type mismatch").  The
    # same rows must read the same, one batch or many (4 rows a batch here, not 2**20)
    import sqlite3
    declared, first, later, options, expected = PAST_THE_FIRST_BATCH[case]
    db = tmp_path / "t.db"
    amount_case = case.endswith("amounts") and "labels" not in case
    values = [first] * 4 + later   # rows 5 and after: the second and the third batch
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute(f"CREATE TABLE t (n INTEGER, v {declared}, montant TEXT)")
        conn.executemany("INSERT INTO t VALUES (?, ?, ?)",
                         [(k + 1, v, f"{k + 1}.00") for k, v in enumerate(values)])
        conn.commit()
    query, amount = ("SELECT n, v FROM t", "v") if amount_case else ("SELECT * FROM t", "montant")
    one_batch = _read_outcome(db, query, amount=amount, **options)
    monkeypatch.setattr(essconv.database, "_SQLITE_BATCH", 4)
    many_batches = _read_outcome(db, query, amount=amount, **options)
    assert many_batches == one_batch
    assert not isinstance(one_batch[0], type), one_batch   # a ledger, its bad rows placed
    assert [line for line, *_ in one_batch[3]] == expected["bad"]
    if amount_case:   # what the rows kept say, to the cent: never a REAL as euros
        kept = [v for k, v in enumerate(values) if k + 1 not in expected["bad"]]
        assert one_batch[2] == sum(Decimal(str(v)) for v in kept)


def test_a_sqlite_read_asks_the_driver_for_no_batch_far_past_its_rows(tmp_path):
    # the driver reserves room for the whole batch it is asked for: at its bound (2**31 - 2
    # rows) each query of a few rows took 86 GB of address space (refused where the system does
    # not overcommit).  A read of one row, or of a result past one batch, must take about what
    # the driver's default read takes (2**20 rows asked: 40 MB more), never gigabytes
    import sqlite3
    db = tmp_path / "t.db"
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE t (lab TEXT, montant TEXT)")
        conn.executemany("INSERT INTO t VALUES (?, ?)", [("a", "1.00")] * 6)
        conn.commit()
    done = run_isolated(f"""
        import adbc_driver_sqlite.dbapi as driver
        import essconv

        def peak():
            with open("/proc/self/status") as status:
                return next(int(l.split()[1]) for l in status if l.startswith("VmPeak:"))
        with driver.connect({str(db)!r}) as conn, conn.cursor() as cur:
            cur.execute("SELECT * FROM t")
            cur.fetch_arrow_table()
        baseline = peak()
        one = essconv.Ledger.read_sql("SELECT * FROM t LIMIT 1", {str(db)!r}, amount="montant")
        # a result past the batch (4 rows here) is read again as one batch of its own rows
        essconv.database._SQLITE_BATCH = 4
        many = essconv.Ledger.read_sql("SELECT * FROM t", {str(db)!r}, amount="montant")
        assert (one.total(), many.total()) == (1, 6)
        print(baseline, peak())
    """)
    assert done.returncode == 0, done.stderr
    baseline, after = map(int, done.stdout.split())
    assert after - baseline < 2**20, (baseline, after)   # kB: under 1 GiB more
