"""Grant records spread over several files, and the independent exact twin the Dask, Parquet and
SQL tests compare with: the ``csv`` module and ``Decimal``, nothing of essconv."""
from __future__ import annotations

import csv
import io
import random
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

HEADER = ["annee", "financeur", "ligne", "beneficiaire", "montant"]
FUNDERS = ["CDC", "CR-NPDC", "ETAT", "CG-59", "Région Hauts-de-France"]
LINES = ["DLA", "MPA", "FIDESS", "Émergence", "Observatoire CRESS"]


def random_rows(seed: int, n: int) -> list[list[str]]:
    """Rows as printed: French amounts (``1 250,05``, negatives, cents), accented labels."""
    rnd = random.Random(seed)
    rows = []
    for _ in range(n):
        cents = rnd.choice([rnd.randrange(-10**6, 10**6), rnd.randrange(0, 10**11), 1, 0])
        sign, cents = ("-" if cents < 0 else ""), abs(cents)
        euros = f"{cents // 100:,}".replace(",", "\u00a0")
        rows.append([str(rnd.randrange(2009, 2014)), rnd.choice(FUNDERS), rnd.choice(LINES),
                     f"Association n°{rnd.randrange(40)}", f"{sign}{euros},{cents % 100:02d}"])
    return rows


def write_csv(path: Path, rows: list[list[str]], *, blank_after: int | None = None) -> Path:
    lines = [";".join(HEADER)]
    for i, r in enumerate(rows):
        lines.append(";".join(r))
        if blank_after is not None and i == blank_after:
            lines.append(";;;;")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def twin(paths: list[Path], keys: list[str]) -> tuple[dict, dict, list[tuple[str, int]], int]:
    """(sum by key, count by key, unreadable (file, line), blank rows), read with csv + Decimal."""
    sums: dict = defaultdict(Decimal)
    counts: dict = defaultdict(int)
    bad, blank = [], 0
    for path in paths:
        rows = list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8")), delimiter=";"))
        header = rows[0]
        for line, r in enumerate(rows[1:], start=2):
            if not any(c.strip() for c in r):
                blank += 1
                continue
            record = dict(zip(header, r))
            try:
                amount = Decimal(record["montant"].replace("\u00a0", "").replace(",", "."))
            except InvalidOperation:
                bad.append((str(path), line))
                continue
            key = tuple(int(record[k]) if k == "annee" else record[k] for k in keys)
            key = key if len(key) > 1 else key[0]
            sums[key] += amount
            counts[key] += 1
    return dict(sums), dict(counts), bad, blank
