"""essconv beside pandas, pyarrow, polars and duckdb on the files analysts really have: ingest,
group-by, filter, pivot and memory.

    python benchmarks/bench_peers.py --rows 10000000      # the README's size (the files take minutes to write)
    python benchmarks/bench_peers.py --rows 2000 --repeat 1 --memory essconv   # a smoke run

Files, written once per (--rows, --seed) and cached in a temporary folder (--cache-dir):
  benchmark    the friendly file: ``annee,territoire,ligne,financeur,montant``, unquoted, ``1234.56``
  french       the same records as a French export: ``;``, every field quoted, ``"12 345,67"`` grouped
               with NBSP (U+00A0)
  scdl         SCDL "subventions" shaped: the schema's 16 columns in its order, ``;``, every field quoted,
               amounts ``"40 000,00"`` grouped with U+202F, ISO dates, ~12 000 beneficiaries of whom some
               are ``insertion`` (case matters: ``Insertion`` too)
  names        ``annee,nomAttribuant,nomBeneficiaire,montant``, unquoted, 1e6 distinct beneficiary names
               (--names; at most rows / 2) each on several rows
  french_cp1252  the french file saved as CP1252, as Excel saves it for a French user: ingest only.
               essconv finds the encoding; every peer is told it (pandas and pyarrow ``cp1252``, polars
               ``windows-1252``, duckdb ``latin-1``: the one it reads without a download, the same
               characters here since none of the file's lies in 0x80-0x9F)
  french_gz    the french file gzipped (level 6, gzip's own), as data portals publish large exports:
               ingest only, every tool given the path (each decompresses .gz itself; essconv with
               ISA-L's inflate when ``isal`` is installed, as the bench extra does); its floor is the
               inflate alone, on one core (ISA-L's and zlib's), which no reader of one gzip stream can beat
Cases: ingest of each file (essconv's SCDL file both with read_scdl, the analyst's call, and with
Ledger.read_csv); low-cardinality group-by (one key, two keys); filter of 5 territories + sum;
pivot with margins; high-cardinality group-by (beneficiary x funder); label ``contains`` filter + sum and
group-by year of a date ("n/a (not in this build)" where essconv lacks the verb); peak
memory while loading, each tool in a child process.  --files runs some of the files only.

Memory: for a file's queries every tool's copy is held at once (of the SCDL file only the four columns
the queries read).  read_scdl on a quoted file peaked at ~14x the file's size on 2026-11-28 (it
parsed the whole file into Python cells to find its header): at 1e7 rows that is more than a 23 GB
machine has; until that is fixed run the SCDL file at 2e6 rows, or leave it out with --files.

Honesty rules: each peer runs in its usual settings (defaults, amounts as float64) AND in exact settings
(amounts as integer cents or decimals), labelled as such; grouped French amounts are read by no peer, so
both settings strip the grouping from the text (exact ones then rely on every amount having two decimals,
which the generator guarantees: a help the peers would not get on real files).  Tools are timed in turns
(each repetition runs every tool once, the order rotated), best of --repeat.  Every result is checked
before a time is kept: against the generator's own sums (Python integers of cents: the obvious twin)
where it has them, else against essconv's result; exact tools must be equal to the cent, float ones
within float rounding (their largest error is printed).  A tool with a wrong answer is shown as such,
never given a ratio.  A C floor (read() of the cached file, then one memchr pass counting newlines,
compiled with the system cc) is printed beside the ingests.  Ratios are peer time / essconv time
(> 1: essconv is faster); the markdown tables at the end are what the README shows.
Needs: pip install -e '.[bench]'
"""
from __future__ import annotations

import argparse
import datetime as _dt
import gc
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

FORMAT_VERSION = 1   # bump when a generator changes: the cache is keyed on it
PEERS = ("pandas", "pyarrow", "polars", "duckdb")
SETTINGS = ("usual", "exact")
#: essconv's plain reader on the SCDL file beside read_scdl (the analyst's call, which also maps the
#: header's spellings to the schema's names): shows what the mapping costs
PLAIN_READER = "Ledger.read_csv"

YEARS = list(range(2009, 2014))
TERRITORIES = [f"T{k:03d}" for k in range(100)]
LINES = [f"L{k:02d}" for k in range(20)]
FUNDERS = ["CR-NPDC", "DRTEFP", "DRASS", "CDC", "CG-59", "CG-62", "FSE", "Territoires", "FDF", "CAF"]
FIVE_TERRITORIES = ["T003", "T017", "T042", "T063", "T088"]
NBSP, NNBSP = "\u00a0", "\u202f"
NEEDLE = "insertion"

# ------------------------------------------------------------------------------------------ files
SCDL_COLUMNS = ["nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision", "nomBeneficiaire",
                "idBeneficiaire", "rnaBeneficiaire", "objet", "montant", "nature", "conditionsVersement",
                "datesPeriodeVersement", "idRAE", "notificationUE", "pourcentageSubvention", "dispositifAide"]
PLACES = ["Lille", "Roubaix", "Tourcoing", "Douai", "Valenciennes", "Cambrai", "Maubeuge", "Arras", "Lens",
          "Béthune", "Calais", "Boulogne-sur-Mer", "Dunkerque", "Saint-Omer", "Hénin-Beaumont", "Liévin",
          "Armentières", "Villeneuve-d'Ascq", "Wattrelos", "Marcq-en-Barœul", "Avesnes-sur-Helpe", "Fourmies",
          "Denain", "Caudry", "Hazebrouck", "Bailleul", "Montreuil", "Étaples", "Berck", "Bruay-la-Buissière",
          "Carvin", "Lomme", "Seclin", "Halluin", "Sin-le-Noble", "Anzin", "Aulnoye-Aymeries", "Le Cateau",
          "Saint-Amand-les-Eaux", "Condé-sur-l'Escaut"]
ATTRIBUTANT_KINDS = ["Commune de", "Ville de", "Communauté d'agglomération de", "CCAS de", "Syndicat mixte de"]
BENEFICIARY_FORMS = ["Association", "Comité", "Club", "Fédération", "Union", "Amicale", "Atelier",
                     "Régie de quartier", "Société coopérative", "Chantier", "Maison", "Collectif"]
BENEFICIARY_THEMES = ["sportif", "culturel", "d'insertion", "Insertion et emploi", "des familles", "des aînés",
                      "de jeunesse", "solidaire", "\"Les Amis du livre\"", "de l'économie sociale",
                      "d'éducation populaire", "des parents d'élèves", "de prévention", "pour l'insertion",
                      "musical", "de randonnée", "théâtral", "d'aide à domicile", "environnemental",
                      "des commerçants", "numérique", "de quartier", "de l'ESS", "de réinsertion",
                      "des Restos"]
OBJECTS = ["Fonctionnement", "Subvention de fonctionnement 2019", "Aide au projet", "Investissement",
           "Soutien à l'emploi associatif", "Organisation du festival d'été", "Chantier d'insertion",
           "Accompagnement des créateurs d'activité", "Actions de prévention", "Aide exceptionnelle",
           "Soutien des actions de l'association dans le domaine des loisirs", "Formation des bénévoles",
           "Équipement sportif", "Mise en œuvre du programme annuel d'activités", "Manifestation culturelle"]
DISPOSITIFS = ["", "", "", "Fonds de développement de la vie associative", "Politique de la ville",
               "Contrat de ville", "Appel à projets ESS"]
NAME_WORDS = ["SPORTIVE", "CULTURELLE", "SOLIDAIRE", "DES AMIS", "POPULAIRE", "FAMILIALE", "DU QUARTIER",
              "INTERCOMMUNALE", "DES JEUNES", "LAIQUE", "MUSICALE", "DE PECHE", "DES RETRAITES", "THEATRALE",
              "DE SAUVEGARDE", "D'ENTRAIDE"]
NAME_HEADS = ["ASSOCIATION", "AMICALE", "CLUB", "UNION", "COMITE", "SOCIETE", "FOYER", "CERCLE"]


def french_amount(cents: int, group: str) -> str:
    """``12 345,67`` with ``group`` between thousands, as a French spreadsheet exports it."""
    return f"{cents // 100:,}".replace(",", group) + f",{cents % 100:02d}"


def _key(*parts: Any) -> str:
    return "\x1f".join(str(p) for p in parts)


def _add(table: dict[str, int], key: str, cents: int) -> None:
    table[key] = table.get(key, 0) + cents


def write_benchmark_and_french(plain: Path, french: Path, rows: int, seed: int) -> dict[str, Any]:
    """The friendly file and the same records as a quoted French export; returns their exact sums."""
    rng = random.Random(seed)
    total, by_funder, by_terr_line, by_terr_funder = 0, {}, {}, {}
    with open(plain, "w", encoding="utf-8", newline="") as fp, open(french, "w", encoding="utf-8", newline="") as ff:
        fp.write("annee,territoire,ligne,financeur,montant\n")
        ff.write('"annee";"territoire";"ligne";"financeur";"montant"\n')
        out_p, out_f = [], []
        for i in range(rows):
            year, terr, line, funder = (rng.choice(YEARS), rng.choice(TERRITORIES), rng.choice(LINES),
                                        rng.choice(FUNDERS))
            cents = rng.randrange(1, 50_000_000)
            out_p.append(f"{year},{terr},{line},{funder},{cents // 100}.{cents % 100:02d}\n")
            out_f.append(f'"{year}";"{terr}";"{line}";"{funder}";"{french_amount(cents, NBSP)}"\n')
            total += cents
            _add(by_funder, _key(funder), cents)
            _add(by_terr_line, _key(terr, line), cents)
            _add(by_terr_funder, _key(terr, funder), cents)
            if len(out_p) == 100_000:
                fp.write("".join(out_p)), ff.write("".join(out_f))
                out_p.clear(), out_f.clear()
        fp.write("".join(out_p)), ff.write("".join(out_f))
    return {"rows": rows, "total": total, "by_funder": by_funder, "by_terr_line": by_terr_line,
            "by_terr_funder": by_terr_funder}


def write_scdl(path: Path, rows: int, seed: int) -> dict[str, Any]:
    """An SCDL-shaped grant file, quoted, with the schema's columns; returns its exact sums."""
    rng = random.Random(seed + 1)
    attributants = [(f"{kind} {place}", f"2{rng.randrange(10**12, 10**13)}")
                    for kind in ATTRIBUTANT_KINDS for place in PLACES]
    beneficiaries = []
    for form in BENEFICIARY_FORMS:
        for theme in BENEFICIARY_THEMES:
            for place in PLACES:
                rna = f"W{rng.randrange(10**8, 10**9)}" if rng.random() < 0.6 else ""
                beneficiaries.append((f"{form} {theme} de {place}", str(rng.randrange(10**13, 10**14)), rna))
    epoch = _dt.date(2015, 1, 1).toordinal()
    total, contains, by_year_funder = 0, 0, {}

    def quoted(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"'

    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(";".join(quoted(c) for c in SCDL_COLUMNS) + "\n")
        out = []
        for i in range(rows):
            funder, funder_id = rng.choice(attributants)
            name, siret, rna = rng.choice(beneficiaries)
            signed = _dt.date.fromordinal(epoch + rng.randrange(3653))
            start = signed + _dt.timedelta(days=rng.randrange(60))
            end = start + _dt.timedelta(days=rng.randrange(30, 730))
            cents = rng.randrange(10_000, 50_000_000)
            cells = [funder, funder_id, signed.isoformat(), f"DEL-{signed.year}-{rng.randrange(10_000):04d}",
                     name, siret, rna, rng.choice(OBJECTS), french_amount(cents, NNBSP),
                     "aide en numéraire" if rng.random() < 0.9 else "aide en nature",
                     "unique" if rng.random() < 0.7 else "échelonné", f"{start.isoformat()}_{end.isoformat()}",
                     "", "non" if rng.random() < 0.97 else "oui", "1" if rng.random() < 0.9 else "0,5",
                     rng.choice(DISPOSITIFS)]
            out.append(";".join(quoted(c) for c in cells) + "\n")
            total += cents
            if NEEDLE in name:
                contains += cents
            _add(by_year_funder, _key(signed.year, funder), cents)
            if len(out) == 50_000:
                fh.write("".join(out))
                out.clear()
        fh.write("".join(out))
    return {"rows": rows, "total": total, "contains": contains, "by_year_funder": by_year_funder}


def write_names(path: Path, rows: int, names: int, seed: int) -> dict[str, Any]:
    """``names`` distinct beneficiaries, each on rows // names rows or one more, in random order."""
    rng = random.Random(seed + 2)
    order = [i % names for i in range(rows)]
    rng.shuffle(order)
    funders = [f"{kind} {place}" for kind in ("Commune de", "Département du") for place in PLACES[:10]]
    total = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("annee,nomAttribuant,nomBeneficiaire,montant\n")
        out = []
        for k in order:
            head = NAME_HEADS[k % len(NAME_HEADS)]
            words = NAME_WORDS[(k // 8) % len(NAME_WORDS)]
            cents = rng.randrange(1, 50_000_000)
            out.append(f"{rng.choice(YEARS)},{rng.choice(funders)},{head} {words} {k:07d},"
                       f"{cents // 100}.{cents % 100:02d}\n")
            total += cents
            if len(out) == 100_000:
                fh.write("".join(out))
                out.clear()
        fh.write("".join(out))
    return {"rows": rows, "total": total, "names": names}


class FileSpec:
    """How one file is dressed: what a peer must be told to read it."""

    def __init__(self, key: str, title: str, path: Path, sep: str, group: str | None, dates: list[str],
                 ints: list[str], encoding: str | None = None) -> None:
        self.key, self.title, self.path, self.sep, self.group = key, title, path, sep, group
        self.dates, self.ints = dates, ints
        self.decimal = "," if group else "."
        # None: UTF-8.  Else the file's encoding, which each peer is told (essconv finds it)
        self.encoding = encoding


def write_cp1252_copy(source: Path, target: Path) -> None:
    """The quoted French file as Excel saves it for a French user: CP1252.  Its text holds no
    character CP1252 lacks, and none it puts in 0x80-0x9F (where latin-1, the one other encoding
    duckdb reads without an extension, differs): both are checked here."""
    partial = target.with_suffix(".partial")
    with open(source, encoding="utf-8", newline="") as src, open(partial, "wb") as dst:
        while True:
            lines = src.readlines(1 << 24)
            if not lines:
                break
            data = "".join(lines).encode("cp1252")
            if any(0x80 <= b <= 0x9F for b in set(data)):
                raise ValueError("the French file holds a character CP1252 puts in 0x80-0x9F")
            dst.write(data)
    partial.rename(target)


def write_gzip_copy(source: Path, target: Path) -> None:
    """The file gzipped at gzip's default level, as a portal's ``.csv.gz`` download is."""
    import gzip
    partial = target.with_suffix(".partial")
    with open(source, "rb") as src, gzip.open(partial, "wb", compresslevel=6) as dst:
        shutil.copyfileobj(src, dst, 1 << 24)
    partial.rename(target)


def prepare_files(cache: Path, rows: int, names: int, seed: int) -> tuple[dict[str, FileSpec], dict]:
    """The six files and their exact sums, from the cache when a complete run wrote them."""
    folder = cache / f"v{FORMAT_VERSION}-rows{rows}-names{names}-seed{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    specs = {
        "benchmark": FileSpec("benchmark", "benchmark file (unquoted)", folder / "benchmark.csv", ",", None, [],
                              ["annee"]),
        "french": FileSpec("french", 'quoted French (`;`, `"12 345,67"`)', folder / "french.csv", ";", NBSP,
                           [], ["annee"]),
        "scdl": FileSpec("scdl", "SCDL-shaped, quoted", folder / "scdl.csv", ";", NNBSP, ["dateConvention"], []),
        "names": FileSpec("names", f"{names:,} distinct beneficiary names", folder / "names.csv", ",", None, [],
                          ["annee"]),
        # the same records as the quoted French file, saved as CP1252 (an Excel export): read last,
        # ingest only; essconv detects the encoding, every peer is told it
        "french_cp1252": FileSpec("french_cp1252", "quoted French saved as CP1252 (Excel)",
                                  folder / "french_cp1252.csv", ";", NBSP, [], ["annee"], encoding="cp1252"),
        "french_gz": FileSpec("french_gz", "quoted French, gzipped (`.csv.gz`)", folder / "french.csv.gz", ";",
                              NBSP, [], ["annee"]),
    }
    oracle_path = folder / "oracle.json"   # written last: its presence says the files are whole
    if oracle_path.exists():
        oracle = json.loads(oracle_path.read_text())
        if not specs["french_cp1252"].path.exists():   # a cache from before it was added
            write_cp1252_copy(specs["french"].path, specs["french_cp1252"].path)
        if not specs["french_gz"].path.exists():
            write_gzip_copy(specs["french"].path, specs["french_gz"].path)
        oracle["french_cp1252"] = oracle["french_gz"] = oracle["french"]
        return specs, oracle
    t0 = time.perf_counter()
    print(f"writing the files in {folder} ...", flush=True)
    oracle = {"benchmark": write_benchmark_and_french(specs["benchmark"].path, specs["french"].path, rows, seed),
              "scdl": write_scdl(specs["scdl"].path, rows, seed),
              "names": write_names(specs["names"].path, rows, names, seed)}
    oracle["french"] = oracle["benchmark"]
    write_cp1252_copy(specs["french"].path, specs["french_cp1252"].path)
    write_gzip_copy(specs["french"].path, specs["french_gz"].path)
    oracle["french_cp1252"] = oracle["french_gz"] = oracle["french"]
    oracle_path.write_text(json.dumps(oracle))
    print(f"  written in {time.perf_counter() - t0:.1f} s", flush=True)
    return specs, oracle


# ------------------------------------------------------------------------------------------ tools
class NotInBuild(Exception):
    """essconv has not this verb yet (another branch adds it): shown as n/a, never a crash."""


def essconv_verb(name: str) -> Any:
    import essconv
    verb = getattr(essconv, name, None)
    if verb is None:
        raise NotInBuild(name)
    return verb


def _amount_text_to_float_pandas(s: Any, spec: FileSpec) -> Any:
    import pandas as pd
    return pd.to_numeric(s.str.replace(spec.group, "", regex=False).str.replace(",", ".", regex=False))


def _amount_text_to_cents_pandas(s: Any, spec: FileSpec) -> Any:
    if spec.group:
        s = s.str.replace(spec.group, "", regex=False)
    return s.str.replace(spec.decimal, "", regex=False).astype("int64")


def ingest(tool: str, setting: str, spec: FileSpec) -> Any:
    """Load ``spec``'s file as ``tool`` would in ``setting``, amounts ready to add up."""
    p = str(spec.path)
    if tool == "essconv":
        import essconv
        if spec.key == "scdl" and setting != PLAIN_READER:
            return essconv.read_scdl(p)
        return essconv.Ledger.read_csv(p, amount="montant", ints=spec.ints, dates=spec.dates)
    if tool == "pandas":
        import pandas as pd
        kw: dict[str, Any] = {"sep": spec.sep}
        if spec.encoding:
            kw["encoding"] = spec.encoding
        if spec.dates:
            kw["parse_dates"] = spec.dates
        if setting == "exact" or spec.group:
            kw["dtype"] = {"montant": str}
        df = pd.read_csv(p, **kw)
        if setting == "exact":
            df["montant"] = _amount_text_to_cents_pandas(df["montant"], spec)
        elif spec.group:
            df["montant"] = _amount_text_to_float_pandas(df["montant"], spec)
        return df
    if tool == "pyarrow":
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pacsv
        target = pa.float64() if setting == "usual" else pa.decimal128(18, 2)
        types = {"montant": pa.string() if spec.group else target}
        t = pacsv.read_csv(p, read_options=pacsv.ReadOptions(encoding=spec.encoding or "utf8"),
                           parse_options=pacsv.ParseOptions(delimiter=spec.sep),
                           convert_options=pacsv.ConvertOptions(column_types=types))
        if spec.group:
            text = pc.replace_substring(pc.replace_substring(t["montant"], spec.group, ""), ",", ".")
            t = t.set_column(t.schema.get_field_index("montant"), "montant", pc.cast(text, target))
        return t
    if tool == "polars":
        import polars as pl
        target = pl.Float64 if setting == "usual" else pl.Decimal(18, 2)
        df = pl.read_csv(p, separator=spec.sep, try_parse_dates=bool(spec.dates),
                         encoding="windows-1252" if spec.encoding == "cp1252" else "utf8",
                         schema_overrides={"montant": pl.String if spec.group else target})
        if spec.group:
            df = df.with_columns(pl.col("montant").str.replace_all(spec.group, "", literal=True)
                                 .str.replace(",", ".", literal=True).cast(target))
        return df
    if tool == "duckdb":
        import duckdb
        con = duckdb.connect()
        sql_type = "DOUBLE" if setting == "usual" else "DECIMAL(18,2)"
        # no CP1252 without the encodings extension (a download): latin-1 reads the same
        # characters here, none of the file's text lying in 0x80-0x9F (write_cp1252_copy)
        enc = ", encoding='latin-1'" if spec.encoding == "cp1252" else ""
        if spec.group:
            con.execute(f"create table t as select * replace (replace(replace(montant, '{spec.group}', ''), "
                        f"',', '.')::{sql_type} as montant) from read_csv('{p}', delim='{spec.sep}', "
                        f"header=true, types={{'montant': 'VARCHAR'}}{enc})")
        else:
            con.execute(f"create table t as select * from read_csv('{p}', delim='{spec.sep}', header=true, "
                        f"types={{'montant': '{sql_type}'}}{enc})")
        return con
    raise ValueError(tool)


def loaded_summary(tool: str, obj: Any) -> tuple[int, Any]:
    """(rows, total amount) of a loaded file, to check the ingest read every record right."""
    if tool == "essconv":
        return len(obj), obj.total()
    if tool == "pandas":
        return len(obj), obj["montant"].sum()
    if tool == "pyarrow":
        import pyarrow.compute as pc
        return obj.num_rows, pc.sum(obj["montant"]).as_py()
    if tool == "polars":
        return obj.height, obj["montant"].sum()
    return tuple(obj.execute("select count(*), sum(montant) from t").fetchall()[0])


#: the columns the queries of a file read, where it has others (the SCDL file's 12 others would
#: multiply the memory of holding nine loaded copies at once, and no query reads them)
QUERY_COLUMNS = {"scdl": ["nomAttribuant", "dateConvention", "nomBeneficiaire", "montant"]}


def project(tool: str, obj: Any, columns: list[str] | None) -> Any:
    """``obj`` keeping only ``columns`` (essconv's ledger is kept whole: its labels are 4-byte codes)."""
    if columns is None or tool == "essconv":
        return obj
    if tool == "pandas":
        return obj[columns].copy()
    if tool in ("pyarrow", "polars"):
        return obj.select(columns)
    obj.execute(f"create table q as select {', '.join(columns)} from t; drop table t; alter table q rename to t")
    return obj


# Each query: tool -> (loaded object -> result).  A group-by's result is an Arrow-convertible table whose
# first columns are the keys and whose column named by VALUE_COLUMN[tool] is the sum.
VALUE_COLUMN = {"essconv": "sum", "pandas": "montant", "pyarrow": "montant", "polars": "montant",
                "duckdb": "montant"}


def _pyarrow_group(t: Any, keys: list[str]) -> Any:
    out = t.group_by(keys).aggregate([("montant", "sum")])
    return out.rename_columns([c if c != "montant_sum" else "montant" for c in out.column_names]) \
              .select(keys + ["montant"])


def _duck(con: Any, sql: str) -> Any:
    """A query's result as an Arrow table, in the way this duckdb prefers (2: to_arrow_table)."""
    relation = con.sql(sql)
    for name in ("to_arrow_table", "fetch_arrow_table", "arrow"):
        if hasattr(relation, name):
            return getattr(relation, name)()
    raise AttributeError("this duckdb has no Arrow result")


def _duck_one(con: Any, sql: str) -> Any:
    """The single value of a one-row query (fetched to the end: duckdb 2 refuses the next query
    while a result is unfinished)."""
    return con.execute(sql).fetchall()[0][0]


def group_queries(keys: list[str]) -> dict[str, Callable[[Any], Any]]:
    """A plain group-by sum over label columns, in each tool's usual idiom (its defaults)."""
    import polars as pl
    cols = ", ".join(keys)
    return {
        "essconv": lambda l: l.group_by(*keys).sum(),
        "pandas": lambda df: df.groupby(keys)["montant"].sum(),
        "pyarrow": lambda t: _pyarrow_group(t, keys),
        "polars": lambda df: df.group_by(keys).agg(pl.col("montant").sum()),
        "duckdb": lambda con: _duck(con, f"select {cols}, sum(montant) as montant from t group by {cols}"),
    }


def filter_territories_queries() -> dict[str, Callable[[Any], Any]]:
    import polars as pl
    import pyarrow.compute as pc
    import pyarrow as pa
    wanted = FIVE_TERRITORIES
    listed = ", ".join(f"'{t}'" for t in wanted)
    return {
        "essconv": lambda l: l.filter(territoire=set(wanted)).total(),
        "pandas": lambda df: df.loc[df["territoire"].isin(wanted), "montant"].sum(),
        "pyarrow": lambda t: pc.sum(t.filter(pc.is_in(t["territoire"], value_set=pa.array(wanted)))["montant"]).as_py(),
        "polars": lambda df: df.filter(pl.col("territoire").is_in(wanted))["montant"].sum(),
        "duckdb": lambda con: _duck_one(con, f"select sum(montant) from t where territoire in ({listed})"),
    }


def contains_queries() -> dict[str, Callable[[Any], Any]]:
    import polars as pl
    import pyarrow.compute as pc

    def ours(l: Any) -> Any:
        return l.filter(nomBeneficiaire=essconv_verb("contains")(NEEDLE)).total()
    return {
        "essconv": ours,
        "pandas": lambda df: df.loc[df["nomBeneficiaire"].str.contains(NEEDLE, regex=False, na=False), "montant"].sum(),
        "pyarrow": lambda t: pc.sum(t.filter(pc.match_substring(t["nomBeneficiaire"], NEEDLE))["montant"]).as_py(),
        "polars": lambda df: df.filter(pl.col("nomBeneficiaire").str.contains(NEEDLE, literal=True))["montant"].sum(),
        "duckdb": lambda con: _duck_one(con, f"select sum(montant) from t where contains(nomBeneficiaire, "
                                             f"'{NEEDLE}')"),
    }


def year_queries() -> dict[str, Callable[[Any], Any]]:
    import polars as pl
    import pyarrow.compute as pc

    def ours(l: Any) -> Any:
        return l.group_by(essconv_verb("year")("dateConvention"), "nomAttribuant").sum()

    def arrow(t: Any) -> Any:
        with_year = t.append_column("annee", pc.year(t["dateConvention"]))
        return _pyarrow_group(with_year, ["annee", "nomAttribuant"])
    return {
        "essconv": ours,
        "pandas": lambda df: df.groupby([df["dateConvention"].dt.year, "nomAttribuant"])["montant"].sum(),
        "pyarrow": arrow,
        "polars": lambda df: df.group_by(pl.col("dateConvention").dt.year().alias("annee"), "nomAttribuant")
                               .agg(pl.col("montant").sum()),
        "duckdb": lambda con: _duck(con, "select year(dateConvention) as annee, nomAttribuant, "
                                         "sum(montant) as montant from t group by all"),
    }


def pivot_queries() -> dict[str, Callable[[Any], Any]]:
    """territoire x financeur with its margins (row totals, column totals, grand total)."""
    import polars as pl

    def ours(l: Any) -> Any:
        plan = l.pivot(rows="territoire", columns="financeur")
        plan.pivot()   # the margins, as a reader of the matrix sees them
        return plan

    def polars_pivot(df: Any) -> Any:
        cells = df.group_by(["territoire", "financeur"]).agg(pl.col("montant").sum())
        wide = cells.pivot(on="financeur", index="territoire", values="montant")
        funders = [c for c in wide.columns if c != "territoire"]
        wide = wide.with_columns(pl.sum_horizontal(funders).alias("*"))
        return wide, wide.select(pl.exclude("territoire").sum())
    return {
        "essconv": ours,
        "pandas": lambda df: df.pivot_table(index="territoire", columns="financeur", values="montant",
                                            aggfunc="sum", margins=True),
        "polars": polars_pivot,
        "duckdb": lambda con: _duck(con, "select territoire, financeur, sum(montant) as montant from t group by "
                                         "grouping sets ((territoire, financeur), (territoire), (financeur), ())"),
    }


# ------------------------------------------------------------------------------------------ checking
class Money:
    """A result's amount: exact cents (int) or a float in euros."""

    @staticmethod
    def of(value: Any) -> int | float:
        if isinstance(value, Decimal):
            cents = value * 100
            if cents != cents.to_integral_value():
                raise ValueError(f"{value} is not a whole number of cents")
            return int(cents)
        if isinstance(value, float) or type(value).__name__.startswith("float"):
            return float(value)
        return int(value)   # integers are cents (pandas in exact settings)


def _cents_array(col: Any, exact: bool) -> Any:
    """An Arrow column of sums as numpy int64 cents (exact) or float64 euros."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    col = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if col.null_count:
        raise ValueError("a sum is null")
    if pa.types.is_decimal(col.type):
        col = pc.cast(col, pa.decimal128(38, 2))   # exact rescale; refuses to lose a digit
        words = np.frombuffer(col.buffers()[1], dtype=np.int64)[2 * col.offset: 2 * (col.offset + len(col))]
        low, high = words[0::2], words[1::2]
        if not (high == (low >> 63)).all():
            raise ValueError("a sum is beyond int64 cents")
        return low.copy()
    values = col.to_numpy(zero_copy_only=False)
    if pa.types.is_floating(col.type):
        if not exact:
            return values.astype(np.float64)
        # pandas turns integer cents into floats when a pivot cell is missing: exact only if whole
        if not (np.isfinite(values).all() and (values == np.round(values)).all() and (abs(values) < 2**53).all()):
            raise ValueError("integer cents came back as inexact floats")
    return values.astype(np.int64)


def canonical_table(table: Any, nkeys: int, value: str, exact: bool) -> tuple[list[Any], Any]:
    """(key columns as text, sums) sorted by key, whatever the tool's key types and names."""
    import pyarrow as pa
    import pyarrow.compute as pc
    keys = []
    for i in range(nkeys):
        col = table.column(i)
        if pa.types.is_dictionary(col.type):
            col = pc.cast(col, col.type.value_type)
        keys.append(pc.cast(col, pa.string()))
    t = pa.table({f"k{i}": k for i, k in enumerate(keys)} | {"v": table.column(value)})
    t = t.sort_by([(f"k{i}", "ascending") for i in range(nkeys)])
    # keys stay Arrow arrays: nine tools' copies of 1e7 groups as Python strings would not fit
    return [t.column(f"k{i}").combine_chunks() for i in range(nkeys)], _cents_array(t.column("v"), exact)


def to_arrow(tool: str, result: Any) -> Any:
    import pyarrow as pa
    if tool == "pandas":
        return pa.Table.from_pandas(result.reset_index(), preserve_index=False)
    if tool == "polars":
        return result.to_arrow()
    return pa.table(result)   # essconv's aggregate (Arrow PyCapsule), pyarrow and duckdb tables


def canonical_pivot(tool: str, result: Any, exact: bool) -> tuple[list[Any], Any]:
    """A pivot with margins as (row, column, sum) triples, '*' standing for a margin."""
    import pyarrow as pa
    rows, cols, values = [], [], []
    if tool == "essconv":
        for line, funder, amount in result.cells():
            if amount is not None:
                rows.append(line), cols.append(funder), values.append(amount)
        for line, amount in result.by_line().items():
            rows.append(line), cols.append("*"), values.append(amount)
        for funder, amount in result.by_funder().items():
            rows.append("*"), cols.append(funder), values.append(amount)
        rows.append("*"), cols.append("*"), values.append(result.total())
        table = pa.table({"r": rows, "c": cols, "v": pa.array(values, pa.decimal128(38, 2))})
    elif tool == "pandas":
        long = result.stack().reset_index()
        long.columns = ["r", "c", "v"]
        long = long[long["v"].notna()].replace({"r": {"All": "*"}, "c": {"All": "*"}})
        table = pa.Table.from_pandas(long, preserve_index=False)
    elif tool == "polars":
        import polars as pl
        wide, totals = result
        long = wide.unpivot(index="territoire").drop_nulls("value")
        margins = totals.unpivot().with_columns(pl.lit("*").alias("territoire")).select(long.columns)
        table = pl.concat([long, margins]).to_arrow()
    else:
        table = result
    table = pa.table([pa.compute.fill_null(pa.compute.cast(table.column(i), pa.string()), "*")
                      if i < 2 else table.column(i) for i in range(3)], names=["r", "c", "v"])
    return canonical_table(table, 2, "v", exact)


def oracle_table(sums: dict[str, int], nkeys: int) -> tuple[list[Any], Any]:
    import numpy as np
    items = sorted((tuple(k.split("\x1f")), v) for k, v in sums.items())
    return [[k[i] for k, _ in items] for i in range(nkeys)], np.array([v for _, v in items], dtype=np.int64)


def oracle_pivot(by_terr_funder: dict[str, int]) -> tuple[list[Any], Any]:
    sums = dict(by_terr_funder)
    for key, cents in by_terr_funder.items():
        terr, funder = key.split("\x1f")
        _add(sums, _key(terr, "*"), cents)
        _add(sums, _key("*", funder), cents)
        _add(sums, _key("*", "*"), cents)
    return oracle_table(sums, 2)


def _same_keys(keys: list[Any], wanted: list[Any]) -> bool:
    import pyarrow as pa
    arrow = [k if isinstance(k, pa.Array) else pa.array(k, pa.string()) for k in keys]
    want = [k if isinstance(k, pa.Array) else pa.array(k, pa.string()) for k in wanted]
    return len(arrow) == len(want) and all(a.equals(b) for a, b in zip(arrow, want))


def compare(result: Any, reference: Any, exact: bool, rows: int) -> tuple[bool, str]:
    """(equal?, what differs).  Results are ('scalar', x) or ('table', keys, sums); the reference is
    exact cents.  An exact setting must give exact cents; a float one is allowed the rounding of
    summing ``rows`` doubles (``rows`` ulps of the sum) and a cent, no more: a row lost or read
    wrong moves a sum by far more than that, unless its amount is below the tolerance."""
    import numpy as np
    slack = rows * 2.0 ** -52
    if result[0] == "scalar":
        got, want = result[1], reference[1]
        if isinstance(got, float):
            err = abs(got * 100 - want)
            return not exact and err <= 1 + slack * abs(want), f"float error {err:.3g} cents"
        return got == want, "" if got == want else f"{got} cents against {want}"
    keys, sums = result[1], result[2]
    if not _same_keys(keys, reference[1]):
        return False, f"different groups ({len(keys[0])} against {len(reference[1][0])})"
    if sums.dtype.kind == "f":
        errors = np.abs(sums * 100 - reference[2])
        err = float(errors.max()) if len(sums) else 0.0
        ok = not exact and bool(np.all(errors <= 1 + slack * np.abs(reference[2])))
        return ok, f"float error up to {err:.3g} cents"
    bad = int(np.count_nonzero(sums != reference[2]))
    return bad == 0, "" if bad == 0 else f"{bad} sums differ"


# ------------------------------------------------------------------------------------------ timing
def _ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:,.0f} ms" if ms >= 10 else f"{ms:.2f} ms"


def _mb(size: float) -> str:
    return f"{size / 1e6:,.0f} MB" if size >= 1e7 else f"{size / 1e6:.2f} MB"

class Contestant:
    def __init__(self, tool: str, setting: str) -> None:
        self.tool, self.setting = tool, setting

    @property
    def label(self) -> str:
        if self.tool == "essconv":
            return "essconv" if self.setting == "exact" else f"essconv, {self.setting}"
        return f"{self.tool} ({self.setting})"

    @property
    def exact(self) -> bool:
        return self.setting == "exact"


def run_in_turns(contestants: list[Contestant], run: Callable[[Contestant], Any],
                 canonical: Callable[[Contestant, Any], Any], repeat: int) -> dict[str, dict[str, Any]]:
    """Best time of ``repeat`` turns, each turn running every contestant once (the order rotated so
    that no tool always runs first, on a cold cache, or last, after the others' garbage).  The first
    result of each is reduced to its canonical form outside the timing and then dropped."""
    out: dict[str, dict[str, Any]] = {c.label: {"best": None} for c in contestants}
    for turn in range(repeat):
        k = turn % len(contestants)
        for c in contestants[k:] + contestants[:k]:
            entry = out[c.label]
            if "skip" in entry:
                continue
            gc.collect()
            try:
                t0 = time.perf_counter()
                result = run(c)
                elapsed = time.perf_counter() - t0
            except NotInBuild:
                entry["skip"] = "n/a (not in this build)"
                continue
            except Exception as exc:   # a peer's API changed, a verb failed: say it, go on
                entry["skip"] = f"error: {type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}"
                continue
            entry["best"] = elapsed if entry["best"] is None else min(entry["best"], elapsed)
            if "result" not in entry:
                try:
                    entry["result"] = canonical(c, result)
                except Exception as exc:
                    entry["skip"] = f"unreadable result: {type(exc).__name__}: {exc}"
            del result
    return out


class Report:
    """The measured times of every case, checked, and the tables they make."""

    def __init__(self, records: int) -> None:
        self.records = records   # rows per file: the float tolerance grows with it
        self.rows: list[tuple[str, dict[str, dict[str, Any]], str]] = []   # (case, entries, floor text)

    def add(self, case: str, entries: dict[str, dict[str, Any]], reference: Any, floor: str = "") -> None:
        ours = entries.get("essconv", {})
        print(f"\n{case}")
        for label, entry in entries.items():
            exact = not label.endswith("(usual)")
            if "skip" not in entry and "result" in entry and reference is not None:
                ok, why = compare(entry["result"], reference, exact, self.records)
                if not ok:
                    entry["skip"] = f"WRONG ANSWER ({why}): not timed"
                    entry["wrong"] = True
                elif why:
                    entry["note"] = why
            if "skip" in entry:
                print(f"  {label:<26} {entry['skip']}")
                continue
            ratio = ""
            if label != "essconv" and "skip" not in ours and ours.get("best"):
                ratio = f"  {entry['best'] / ours['best']:6.2f}x"
            note = f"  ({entry['note']})" if "note" in entry else ""
            print(f"  {label:<26} {entry['best'] * 1000:10.1f} ms{ratio}{note}")
        if floor:
            print(f"  {'C floor':<26} {floor}")
        self.rows.append((case, entries, floor))

    def wrong(self) -> int:
        return sum(1 for _, entries, _ in self.rows for e in entries.values() if e.get("wrong"))

    def markdown(self, setting: str, rows: int) -> str:
        head = f"| {rows:,} rows; peers {setting}: ratio peer / essconv | essconv | " + " | ".join(PEERS) \
               + " | C floor |"
        lines = [head, "|---" * (len(PEERS) + 3) + "|"]
        for case, entries, floor in self.rows:
            ours = entries.get("essconv", {})
            mine = "skip" not in ours and ours.get("best")
            cells = [_ms(ours["best"]) if mine else ours.get("skip", "—")]
            plain = entries.get(f"essconv, {PLAIN_READER}", {})
            if plain.get("best") and "skip" not in plain:
                cells[0] += f" ({PLAIN_READER}: {_ms(plain['best'])})"
            for peer in PEERS:
                entry = entries.get(f"{peer} ({setting})")
                if entry is None:
                    cells.append("—")
                elif "skip" in entry:
                    cells.append("wrong answer" if entry.get("wrong") else entry["skip"].split(":")[0])
                elif mine:
                    cells.append(f"{entry['best'] / ours['best']:.2f}×")
                else:
                    cells.append(_ms(entry["best"]))
            lines.append(f"| {case} | " + " | ".join(cells) + f" | {floor or ''} |")
        return "\n".join(lines)


# ------------------------------------------------------------------------------------------ the C floor
FLOOR_C = r"""
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
/* The floor under any CSV reader: read() the (cached) file into memory, then one memchr pass
   counting its newlines.  Prints: newlines, best memchr ms, best read ms. */
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(int argc, char **argv) {
    int fd = open(argv[1], O_RDONLY); struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) return 1;
    size_t n = (size_t)st.st_size; char *buf = malloc(n + 1); if (!buf) return 1;
    int reps = atoi(argv[2]); double best_scan = 1e30, best_read = 1e30; long lines = 0;
    for (int r = 0; r < reps; r++) {
        double t0 = now(); size_t got = 0;
        if (lseek(fd, 0, SEEK_SET) != 0) return 1;
        while (got < n) { ssize_t k = read(fd, buf + got, n - got); if (k <= 0) return 1; got += (size_t)k; }
        double t1 = now(); const char *p = buf, *end = buf + n; long c = 0;
        while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) { c++; p++; }
        double t2 = now(); lines = c;
        if (t1 - t0 < best_read) best_read = t1 - t0;
        if (t2 - t1 < best_scan) best_scan = t2 - t1;
    }
    printf("%ld %.3f %.3f\n", lines, best_scan * 1e3, best_read * 1e3);
    return 0;
}
"""


def build_floor(folder: Path) -> tuple[Path | None, str]:
    cc = shutil.which(os.environ.get("CC", "cc"))
    if cc is None:
        return None, "no C compiler: floor skipped"
    source, binary = folder / "memchr_floor.c", folder / "memchr_floor"
    source.write_text(FLOOR_C)
    done = subprocess.run([cc, "-O2", "-o", str(binary), str(source)], capture_output=True, text=True)
    if done.returncode != 0:
        return None, f"the C floor did not compile: {done.stderr.strip()[:200]}"
    return binary, ""


def inflate_floor(path: Path, repeat: int) -> str:
    """A gzip file's floor: its inflate alone, to nowhere, best of the turns, by each module
    essconv may open it with (ISA-L's igzip when ``isal`` is installed, as essconv then uses it;
    the standard library's zlib always)."""
    import importlib
    import essconv.files
    said = []
    for name in essconv.files.GZIP_READERS:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        best = float("inf")
        for _ in range(max(repeat, 3)):
            t = time.perf_counter()
            with module.open(path) as fh:
                while fh.read(1 << 22):
                    pass
            best = min(best, time.perf_counter() - t)
        said.append(f"{'ISA-L' if name.startswith('isal') else 'zlib'} {_ms(best)}")
    return "inflate alone: " + ", ".join(said)


def floor_of(binary: Path | None, note: str, spec: FileSpec, rows: int, repeat: int) -> str:
    if spec.path.suffix == ".gz":
        return inflate_floor(spec.path, repeat)
    if binary is None:
        return note
    out = subprocess.run([str(binary), str(spec.path), str(max(repeat, 3))], capture_output=True, text=True)
    if out.returncode != 0:
        return "floor failed"
    lines, scan_ms, read_ms = out.stdout.split()
    if int(lines) != rows + 1:
        return f"floor counted {lines} lines, not {rows + 1}"
    return f"memchr {_ms(float(scan_ms) / 1000)} (+ read() {_ms(float(read_ms) / 1000)})"


# ------------------------------------------------------------------------------------------ memory
def _status_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        return next(int(l.split()[1]) for l in fh if l.startswith(field + ":")) * 1024


def ledger_bytes(ledger: Any) -> int:
    """The loaded ledger's raw columnar size: codes, integers, days and cents, plus its dictionaries' text."""
    width = {"label": 4, "int": 8, "date": 4, "amount": 8}
    size = 0
    for name, kind in ledger.kinds.items():
        size += len(ledger) * width[kind]
        if kind == "label":
            size += sum(len(s.encode("utf-8")) + 1 for s in ledger.labels(name) if s is not None)
    return size


def memory_child(key: str, tool: str, setting: str, rows: int, names: int, seed: int, cache: str) -> None:
    """Run in a child process: the peak resident growth while one tool loads one file, and what
    stays once it is loaded (the loaded table as the process holds it: for essconv the columns,
    the dictionaries' text and their look-up tables).  The peak (VmHWM) is reset after the
    imports (clear_refs 5, Linux >= 4.0), so only the load counts."""
    specs, _ = prepare_files(Path(cache), rows, names, seed)
    __import__(tool)
    if tool == "pandas":
        import pyarrow  # noqa: F401  (pandas reads strings with it: imported before the baseline)
    gc.collect()
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    before = _status_kb("VmRSS")
    obj = ingest(tool, setting, specs[key])
    peak, kept = _status_kb("VmHWM"), _status_kb("VmRSS")
    size = ledger_bytes(obj) if tool == "essconv" else None
    print(json.dumps({"peak": peak - before, "kept": kept - before, "size": size}))


def measure_memory(specs: dict[str, FileSpec], contestants: list[Contestant], args: Any) -> str:
    others = [c.label for c in contestants if c.tool != "essconv"]
    lines = ["| peak resident growth while loading | file | essconv (kept once loaded; peak / kept; "
             "raw columns and text) | "
             + "".join(f"{label} | " for label in others),
             "|---" * (len(others) + 3) + "|"]
    print("\nPeak memory while loading (resident growth in a child process)")
    for key, spec in specs.items():
        cells: dict[str, str] = {}
        plain = [Contestant("essconv", PLAIN_READER)] if key == "scdl" and contestants[0].tool == "essconv" else []
        for c in contestants + plain:
            out = subprocess.run([sys.executable, __file__, "--memory-child", key, c.tool, c.setting,
                                  "--rows", str(args.rows), "--names", str(args.names), "--seed", str(args.seed),
                                  "--cache-dir", str(args.cache_dir)], capture_output=True, text=True)
            if out.returncode != 0:
                cells[c.label] = "failed"
                print(f"  {spec.key:<10} {c.label:<26} failed: {out.stderr.strip().splitlines()[-1:]}")
                continue
            m = json.loads(out.stdout.strip().splitlines()[-1])
            if c.tool == "essconv":
                # a tiny file (the smoke test's) may leave no resident growth to divide by
                ratio = f"{m['peak'] / m['kept']:.2f}×" if m["kept"] > 0 else "n/a"
                cells[c.label] = f"{_mb(m['peak'])} ({_mb(m['kept'])}; {ratio}; {_mb(m['size'])})"
            else:
                cells[c.label] = _mb(m["peak"])
            print(f"  {spec.key:<10} {c.label:<26} {cells[c.label]}")
        row = [cells[c.label] for c in contestants]
        if plain and contestants[0].label in cells:   # the plain reader beside read_scdl, in essconv's cell
            row[0] += f"; {PLAIN_READER}: {cells.pop(plain[0].label)}"
        lines.append(f"| {spec.title} | {_mb(spec.path.stat().st_size)} | " + " | ".join(row) + " |")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------ main
def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            model = next(l.split(":", 1)[1].strip() for l in fh if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{model}, {os.cpu_count()} cores, load average {load:.1f} at start"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=float, default=10_000_000, help="records per file (default 1e7)")
    ap.add_argument("--names", type=float, default=1_000_000, help="distinct names in the names file")
    ap.add_argument("--repeat", type=int, default=5, help="turns; each time is the best of them")
    ap.add_argument("--seed", type=int, default=2009)
    ap.add_argument("--cache-dir", default=str(Path(tempfile.gettempdir()) / "essconv-bench-peers"))
    ap.add_argument("--files", default="benchmark,french,scdl,names,french_cp1252,french_gz",
                    help="which files to run, comma-separated (all six are written)")
    ap.add_argument("--memory", choices=["all", "essconv", "none"], default="all",
                    help="whose peak memory to measure (one child process per tool and file)")
    ap.add_argument("--memory-child", nargs=3, metavar=("FILE", "TOOL", "SETTING"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.rows = int(args.rows)
    args.names = max(1, min(int(args.names), args.rows // 2))
    if args.memory_child:
        memory_child(*args.memory_child, args.rows, args.names, args.seed, args.cache_dir)
        return 0

    import essconv
    versions = {"essconv": getattr(essconv, "__version__", "?")}
    contestants = [Contestant("essconv", "exact")]
    for peer in PEERS:
        try:
            versions[peer] = __import__(peer).__version__
        except ImportError:
            print(f"({peer} is not installed: pip install -e '.[bench]'; left out)")
            continue
        contestants += [Contestant(peer, s) for s in SETTINGS]
    specs, oracle = prepare_files(Path(args.cache_dir), args.rows, args.names, args.seed)
    unknown = set(args.files.split(",")) - set(specs)
    if unknown:
        ap.error(f"--files: no file {', '.join(sorted(unknown))} (the files: {', '.join(specs)})")
    specs = {key: spec for key, spec in specs.items() if key in args.files.split(",")}
    floor_bin, floor_note = build_floor(next(iter(specs.values())).path.parent)
    started = _dt.datetime.now(_dt.timezone.utc)
    at_start = machine()   # the load said in the Markdown too is the start's, not the end's
    print(f"\n{started:%Y-%m-%d %H:%M} UTC; {at_start}; Python {platform.python_version()}; "
          + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(f"{args.rows:,} rows per file; best of {args.repeat} turns; peers usual = defaults, float amounts; "
          "exact = integer cents or decimals")
    report = Report(args.rows)

    def exactness(c: Contestant, value: Any) -> tuple[str, Any]:
        return ("scalar", Money.of(value))

    for key, spec in specs.items():
        truth = oracle[key]
        size = spec.path.stat().st_size
        def every_row(c: Contestant, obj: Any, rows: int = truth["rows"]) -> Any:
            count, total = loaded_summary(c.tool, obj)
            if count != rows:
                raise ValueError(f"{count} rows loaded, not {rows}")
            return ("scalar", Money.of(total))

        readers = contestants + ([Contestant("essconv", PLAIN_READER)] if key == "scdl" else [])
        entries = run_in_turns(readers, lambda c: ingest(c.tool, c.setting, spec), every_row, args.repeat)
        report.add(f"ingest, {spec.title}, {_mb(size)}", entries, ("scalar", truth["total"]),
                   floor_of(floor_bin, floor_note, spec, args.rows, args.repeat))

        queries: list[tuple[str, dict[str, Callable[[Any], Any]], Any, Callable[[Contestant, Any], Any]]] = []

        def grouped(nkeys: int) -> Callable[[Contestant, Any], Any]:
            def canon(c: Contestant, result: Any) -> Any:
                return ("table",) + canonical_table(to_arrow(c.tool, result), nkeys, VALUE_COLUMN[c.tool], c.exact)
            return canon

        if key == "benchmark":
            queries += [
                ("group-by, 1 key (financeur, 10 groups)", group_queries(["financeur"]),
                 ("table",) + oracle_table(truth["by_funder"], 1), grouped(1)),
                ("group-by, 2 keys (territoire × ligne, 2 000 groups)", group_queries(["territoire", "ligne"]),
                 ("table",) + oracle_table(truth["by_terr_line"], 2), grouped(2)),
                ("filter 5 territories + sum", filter_territories_queries(),
                 ("scalar", sum(v for k, v in truth["by_terr_funder"].items()
                                if k.split("\x1f")[0] in FIVE_TERRITORIES)), exactness),
                ("pivot territoire × financeur, with margins", pivot_queries(),
                 ("table",) + oracle_pivot(truth["by_terr_funder"]),
                 lambda c, r: ("table",) + canonical_pivot(c.tool, r, c.exact)),
            ]
        elif key == "scdl":
            queries += [
                (f"label filter: nomBeneficiaire contains \"{NEEDLE}\" + sum", contains_queries(),
                 ("scalar", truth["contains"]), exactness),
                ("group-by year(dateConvention) × nomAttribuant", year_queries(),
                 ("table",) + oracle_table(truth["by_year_funder"], 2), grouped(2)),
            ]
        elif key == "names":
            queries += [(f"group-by nomBeneficiaire ({args.names:,}) × nomAttribuant",
                         group_queries(["nomBeneficiaire", "nomAttribuant"]), None, grouped(2))]
        if not queries:
            continue
        loaded: dict[str, Any] = {}
        for c in contestants:   # every tool's copy is held at once: only the columns the queries read
            loaded[c.label] = project(c.tool, ingest(c.tool, c.setting, spec), QUERY_COLUMNS.get(key))
        for case, fns, reference, canon in queries:
            mine = [c for c in contestants if c.tool in fns]
            entries = run_in_turns(mine, lambda c: fns[c.tool](loaded[c.label]), canon, args.repeat)
            if reference is None:   # no twin from the generator: the exact tools must agree with essconv
                first = next((e for label, e in entries.items() if label == "essconv" and "result" in e
                              and "skip" not in e), None) or \
                        next((e for label, e in entries.items() if label.endswith("(exact)") and "result" in e
                              and "skip" not in e), None)
                reference = first["result"] if first else None
                if reference is not None:
                    total = int(reference[2].sum()) if reference[0] == "table" else reference[1]
                    if total != truth["total"]:
                        print(f"  (the reference's groups add up to {total} cents, the file to {truth['total']})")
                        reference = None
            report.add(case, entries, reference)
        loaded.clear()
        gc.collect()

    memory = measure_memory(specs, [c for c in contestants if args.memory == "all" or c.tool == "essconv"],
                            args) if args.memory != "none" else ""
    print(f"\n## Markdown for the README ({started:%Y-%m-%d}, {at_start})\n")
    print(f"`python benchmarks/bench_peers.py {' '.join(sys.argv[1:])}`\n")
    for setting in SETTINGS:
        print(report.markdown(setting, args.rows) + "\n")
    if memory:
        print(memory + "\n")
    wrong = report.wrong()
    print(f"{wrong} wrong answer(s)" if wrong else "every timed result checked equal to the reference")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
