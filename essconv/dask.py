"""essconv on Dask: grant records spread over many files, read and grouped on a cluster's workers.

    import essconv.dask
    from distributed import Client
    client = Client("tcp://scheduler:8786")                    # or Client() on one machine
    grants = essconv.dask.read_csv("grants/*.csv", amount="montant", ints=["annee"])
    grants.group_by("annee", "financeur").sum().to_dict()      # an ordinary Aggregate

Each partition (one file, one Parquet fragment, one ``dask.dataframe`` partition) becomes one
:class:`essconv.Ledger` built *on a worker*: the file's bytes never travel to the client.  Every
verb runs the C kernels per partition on the workers; what travels is small — partial
aggregates, counts, bad rows — and partial aggregates are combined exactly (int64 cents, checked)
by a tree of ``Aggregate + Aggregate``, the same ``+`` that combines the aggregates of separate
ledgers on one machine.  Results are ordinary :class:`Aggregate`, :class:`Plan` (pivots) and
execution objects, equal to the one-process result on the same records to the cent.

Dask schedules: whatever scheduler is current runs the graph (a ``distributed.Client`` when one
is open, else Dask's local threads).  Nothing here is a scheduler of its own.  A Ledger crosses
process boundaries (a task retried elsewhere, a result gathered) inside :class:`_Part`, which
travels as an Arrow table; aggregates travel as their exact integer cells.
"""
from __future__ import annotations

import datetime as _dt
import functools
import glob as _glob
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Iterable, Sequence
from urllib.parse import unquote

import essconv._core as _core
from .conditions import DateDimension
from .errors import (ArgumentTypeError, BadRow, ConditionError, InvalidValueError, MissingExtraError,
                     MoneyOverflowError, ParseError, UnknownColumnError, UnknownLabelWarning,
                     give_warning, warnings_kept_aside)
from .ledger import (Aggregate, ExactGroups, Ledger as _Ledger, aggregate_from,
                     aggregate_of_groups, exact_groups, from_arrow_located, merged_groups,
                     HIVE_MISSING, UNIT_EUR, is_plain_int, parquet_dataset, read_parquet_files,
                     marked_arrow, refuse_unit_over_numbers, said_amount_unit, said_unit)
from .money import from_cents
from .plan import Plan

try:
    import dask
    from dask import delayed
except ImportError as exc:  # pragma: no cover - the extra is documented
    raise MissingExtraError("essconv.dask needs dask: pip install 'essconv[dask]'") from exc

#: how many partial aggregates one combining task adds up (the fan-in of the reduction tree)
SPLIT_EVERY = 8


class _Part:
    """One partition's Ledger, as a worker holds it, with what its reader found aside.

    The wrapper exists so that a partition can cross a process boundary (a retried task, a
    result gathered by the client) without the Ledger itself being picklable: it travels as an
    Arrow table (amounts decimal128, labels dictionary-encoded: exact) with its file name, bad
    rows and blank-row count, and is rebuilt through the core's Arrow import.  A filtered
    partition keeps its reader's bad and blank rows: they describe the file, not the query."""

    def __init__(self, ledger: _Ledger, *, bad_rows: list[Any] | None = None,
                 blank_rows: int | None = None, path: str | None = None,
                 said: list[Warning] | None = None) -> None:
        self.ledger = ledger
        #: the warnings its reader gave on the worker (a mixed encoding, rows put back...),
        #: carried to the client with every result made from it, which gives them there
        self.said = list(said or ())
        self.path = path if path is not None else ledger.path
        # every bad row names its file: a partition's line numbers mean nothing alone
        self.bad_rows = [b if isinstance(b, BadRow)
                         else BadRow(self.path, b.line, b.column, b.message,
                                     getattr(b, "reason", ()))
                         for b in (ledger.bad_rows if bad_rows is None else bad_rows)]
        self.blank_rows = ledger.blank_rows if blank_rows is None else blank_rows

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        import pyarrow as pa
        return (_Part._rebuild, (pa.table(self.ledger), self.ledger.amount, self.path,
                                 self.bad_rows, self.blank_rows, self.said))

    @staticmethod
    def _rebuild(table: Any, amount: str, path: str | None, bad_rows: list[Any],
                 blank_rows: int, said: list[Warning] = ()) -> "_Part":
        # a ledger's own columns: its amounts are euros whatever its amount's name says
        ledger = from_arrow_located(table, amount, False, None, read_unit=False)
        ledger.path = path
        return _Part(ledger, bad_rows=bad_rows, blank_rows=blank_rows, path=path, said=said)

    def __sizeof__(self) -> int:
        # Dask weighs results to decide where tasks run: a partition is its columns, not a
        # few pointers, so dependent tasks stay beside it
        return 8 * len(self.ledger) * max(1, len(self.ledger.columns))


class _Partial:
    """A partial aggregate as it travels between workers: its groups' exact states by key
    (:class:`essconv.ledger.ExactGroups`, whose sums may pass int64 cents between partitions
    and come back), None for a partition of no row."""

    def __init__(self, aggregate: Aggregate | None = None, *,
                 groups: ExactGroups | None = None) -> None:
        self.groups = exact_groups(aggregate) if aggregate is not None else groups

    @property
    def aggregate(self) -> Aggregate | None:
        """The aggregate of the partitions added: a sum past int64 cents is refused here."""
        return None if self.groups is None else aggregate_of_groups(self.groups)


# ---------------------------------------------------------------------------- tasks (on workers)
def _read_csv_part(path: str, hive: dict[str, str], kwargs: dict[str, Any]) -> _Part:
    return _with_hive_columns(_Part(_Ledger.read_csv(path, **kwargs)), hive)


def _read_scdl_part(path: str, hive: dict[str, str], kwargs: dict[str, Any]) -> _Part:
    from .scdl import read_scdl
    return _with_hive_columns(_Part(read_scdl(path, **kwargs)), hive)


def _with_hive_columns(part: _Part, hive: dict[str, Any]) -> _Part:
    """The partition's directory values as columns, typed by _paths over every directory (an
    int, a label as one dictionary entry -- the codes are the only per-row cost -- or None for
    a missing value of either)."""
    if not hive:
        return part
    import pyarrow as pa
    ledger = part.ledger
    table = pa.table(ledger)
    n = len(ledger)
    for key, value in hive.items():
        if key in table.column_names:
            raise ParseError(f"the directory {key}={value} names a column the file already has",
                             path=part.path)
        if isinstance(value, _MissingHive):
            column = pa.nulls(n, pa.int64() if value.kind == "int" else pa.string())
        elif isinstance(value, int):
            column = pa.array([value] * n, pa.int64())
        else:
            column = pa.DictionaryArray.from_arrays(pa.array([0] * n, pa.int32()), [value])
        table = table.append_column(key, column)
    rebuilt = from_arrow_located(table, ledger.amount, False, None, read_unit=False)
    rebuilt.path = ledger.path
    return _Part(rebuilt, bad_rows=part.bad_rows, blank_rows=part.blank_rows, path=part.path)


def _read_parquet_part(path: str, base_dir: str | None, partitioning: Any,
                       kwargs: dict[str, Any]) -> _Part:
    ledger = read_parquet_files([path], base_dir=base_dir, partitioning=partitioning,
                                         **kwargs)
    ledger.path = path
    return _Part(ledger)


def _from_arrow_part(frame: Any, amount: str, cents: bool) -> _Part:
    import pyarrow as pa
    # a frame of to_pandas says its amount's unit in its attrs, kept by each partition: the
    # table says it in the amount's field, as the core reads it (k€ figures, 1.50000)
    marked = marked_arrow(frame)
    table = marked if hasattr(marked, "__arrow_c_stream__") else pa.Table.from_pandas(
        frame, preserve_index=False)
    if not isinstance(table, pa.Table):
        table = pa.table(table)
    if amount in table.column_names:
        kind = table.schema.field(amount).type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            # dask makes a pandas column of Decimal objects text by default
            # (dataframe.convert-string): "1250.50", each Decimal printed (a decimal point,
            # no grouping: "12.500" is 12,5), is read back exactly by the CSV money parser,
            # as SQL's text amounts are (euros)
            # (numbers, whatever the column's name says: under "montant (k€)" they are read
            # in the unit essconv's to_pandas said they are in (the name's: 1.50000 is
            # 1 500 €), the frame's attrs kept by each partition, and refused otherwise, as
            # from_columns refuses such numbers: their unit applied once, never twice or not
            # at all)
            from .sql import text_amounts_in_cents
            unit = said_unit(amount)
            said = said_amount_unit(frame, amount)
            if unit > UNIT_EUR and said not in (unit, UNIT_EUR):
                refuse_unit_over_numbers(amount, unit)
            table = text_amounts_in_cents(table, amount, decimal=".",
                                          in_euros=unit > UNIT_EUR and said == UNIT_EUR)
            return _Part(from_arrow_located(table, amount, True, None, read_unit=False))
    return _Part(from_arrow_located(table, amount, cents, None))


def _map_part(func: Callable[[Any], _Ledger], item: Any) -> _Part:
    ledger = func(item)
    if not isinstance(ledger, _Ledger):
        raise ArgumentTypeError(f"from_map's function returned {type(ledger).__name__}, not a Ledger")
    return _Part(ledger)


class _LabelNotInPartition(Warning):
    """One partition's UnknownLabelWarning, carried to the client: a partition lacking a label
    says nothing of the others, so the client gives the warning only when every partition of
    the filter said it (:func:`_given`), once, as a one-process ledger of the files says it."""

    def __init__(self, partition: int, partitions: int, said: Warning) -> None:
        # the partition in the words: _once keeps each partition's, not the first alone
        super().__init__(f"partition {partition + 1} of {partitions}: {said}")
        self.partition, self.partitions, self.said = partition, partitions, said

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (_LabelNotInPartition, (self.partition, self.partitions, self.said))


def _filter_part(part: _Part, conditions: dict[str, Any], partition: int = 0,
                 partitions: int = 1) -> _Part:
    # Kept aside in this thread, not filtered out by warnings.catch_warnings, whose state is
    # the whole process's: partitions filtered beside it by Dask's threads lost theirs
    with warnings_kept_aside() as said:
        kept = part.ledger.filter(**conditions)
    for w in said:
        # the labels this partition counted in one warning go one by one: another partition
        # may hold some of them; the client counts them again (_given)
        for one in getattr(w, "counted", (w,)):
            # so is a value no row of this partition holds (Ledger.filter's .nothing)
            if (isinstance(one, UnknownLabelWarning) and hasattr(one, "unknown")) or \
                    hasattr(one, "nothing"):
                one = _LabelNotInPartition(partition, partitions, one)
            give_warning(one)
    return _Part(kept, bad_rows=part.bad_rows, blank_rows=part.blank_rows, path=part.path,
                 said=part.said)


def _group_part(part: _Part, dims: list[str], minmax: bool) -> _Partial:
    ledger = part.ledger
    if not len(ledger):
        return _Partial(None)   # an empty partition: nothing to add, and its dims may be untyped
    groups = ledger.group_by(*dims)
    return _Partial(groups.agg() if minmax else groups.sum())


def _combine(*partials: _Partial) -> _Partial:
    """Adds partial aggregates exactly, by the rule ``+`` adds two with; their sums are
    checked once every partition is in (``_Partial.aggregate``), not at each task of the tree: a
    running sum may pass int64 cents and come back, as in one process's group-by."""
    present = [p.groups for p in partials if p.groups is not None]
    return _Partial(groups=merged_groups(present) if present else None)


def _total_part(part: _Part) -> int:
    """The partition's total in exact cents, a Python int: past int64 when its rows' sum is,
    for the other partitions may bring it back (as one process's total adds modulo 2^64 and
    counts its wraps)."""
    try:
        return part.ledger._core.total()
    except MoneyOverflowError:
        with part.ledger.column(part.ledger.amount) as cents:
            return sum(cents.tolist())


def _add_cents(*cents: int) -> int:
    # exact, unchecked: the total is checked once every partition is in (Ledger.total)
    return sum(cents)


def _len_part(part: _Part) -> int:
    return len(part.ledger)


def _date_orders_part(part: _Part) -> tuple[str | None, dict[str, str]]:
    return part.path, part.ledger.date_orders


def _two_way_dates(value: Any) -> list[tuple[str, Any, Any]]:
    """The texts of a filter's value (a text, a range's ends, a list's items) that read as two
    dates, day first and month first (``04/05/2017``), with both readings."""
    texts = [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)] \
        if isinstance(value, (tuple, list, set, frozenset)) else []
    found = []
    for text in texts:
        readings = []
        for way in ("d", "m"):
            try:
                days = _core.parse_date(text.strip(), way)
            except ValueError:
                continue
            if days is not None:   # days since 1970-01-01, as the core keeps dates
                readings.append(_dt.date(1970, 1, 1) + _dt.timedelta(days=days))
        if len(readings) == 2 and readings[0] != readings[1]:
            found.append((text.strip(), *(d.isoformat() for d in readings)))
    return found


def _schema_part(part: _Part) -> tuple[list[str], dict[str, str]]:
    return part.ledger.columns, part.ledger.kinds


def _bad_part(part: _Part) -> tuple[list[BadRow], int]:
    return part.bad_rows, part.blank_rows


def _concat(*parts: _Part) -> _Part:
    """The rows of the parts in order, in a new Ledger (the parts may be kept by the workers, so
    none is extended in place)."""
    import pyarrow as pa
    whole = from_arrow_located(pa.table(parts[0].ledger), parts[0].ledger.amount, False, None,
                               read_unit=False)   # a ledger's own columns: euros
    for part in parts[1:]:
        whole.extend(part.ledger)
    return _Part(whole, bad_rows=[b for p in parts for b in p.bad_rows],
                 blank_rows=sum(p.blank_rows for p in parts),
                 said=_once([w for p in parts for w in p.said]))


def _dim_name(dim: str | DateDimension) -> str:
    """A dimension's key column name in an aggregate: "year(dateConvention)" for a date one."""
    return dim.name if isinstance(dim, DateDimension) else dim


# ---------------------------------------------------------------------------- graph helpers
#: a step of a partition's work: a function of this module and its arguments after the partition
_Step = tuple[Callable[..., Any], tuple[Any, ...]]


def _once(said: list[Warning]) -> list[Warning]:
    """Each warning once (by its kind and words), in the order first given."""
    seen: dict[tuple[type, str], Warning] = {}
    for w in said:
        seen.setdefault((type(w), str(w)), w)
    return list(seen.values())


def _carried(func: Callable[..., Any], *args: Any) -> tuple[Any, list[Warning]]:
    """``func(*args)`` and the warnings it gave, kept to travel with its result: a worker's
    warnings stay in its process, where no one reads them.  Kept aside in this thread
    (:func:`essconv.errors.warnings_kept_aside`), never by ``warnings.catch_warnings``: under
    Dask's threads scheduler partitions run side by side in one process, whose one warnings
    state that would swap gave one partition the warnings of the others and could leave a
    finished task's recorder in place."""
    with warnings_kept_aside() as said:
        value = func(*args)
    return value, list(said)


def _run_steps(source: Any, steps: tuple[_Step, ...]) -> Any:
    """A partition's pending steps in one task: with no source the first step reads it
    (``func(*args)``), each next one works on the result (``func(part, *args)``).  A partition
    keeps the warnings of the steps that made it (its reader's) in ``said``."""
    return _run_carrying(source, steps)[0]


def _run_carrying(source: Any, steps: tuple[_Step, ...]) -> tuple[Any, list[Warning]]:
    """:func:`_run_steps`, its result beside the warnings given on the way, the partition's
    own first (a persisted one was read in an earlier task)."""
    value = source
    said = list(source.said) if isinstance(source, _Part) else []
    for i, (func, args) in enumerate(steps):
        try:
            value, given = _carried(func, *args) if i == 0 and source is None \
                else _carried(func, value, *args)
        except UnknownColumnError as exc:
            # files of one dataset may differ in their columns: the refusal lists this
            # partition's, so it says whose they are
            path = getattr(value, "path", None) if isinstance(value, _Part) else None
            if path is None:
                raise
            raise UnknownColumnError(f"{path}: {exc}", reason=exc.reason) from None
        said = _once(said + given)
        if isinstance(value, _Part):
            value.said = said
    return value, said


def _carry(combine: Callable[..., Any], *carried: tuple[Any, list[Warning]]) -> tuple[Any, list[Warning]]:
    """``combine`` of the results, their warnings joined (each once): a reduction tree's step."""
    return combine(*(value for value, _ in carried)), _once([w for _, said in carried for w in said])


def _given(said: list[Warning], already: set[tuple[type, str]]) -> None:
    """The workers' warnings given on the client, once each for a dataset's ledger (its
    files are read again by each verb not persisted), as the one-file readers give them.  A
    filter's label that partitions lack is said once every partition of the filter lacks it
    (:func:`_held_nowhere`): a label no file holds selected nothing without a word."""
    from .ledger import unknown_labels_said
    for w in unknown_labels_said(_held_nowhere(said)):
        key = (type(w), str(w))
        if key not in already:
            already.add(key)
            give_warning(w)   # at the analyst's line, whichever verb gathered it


def _held_nowhere(said: list[Warning]) -> list[Warning]:
    """``said`` with the partitions' :class:`_LabelNotInPartition` replaced by one
    UnknownLabelWarning for each label every partition of its filter lacks, in the words of a
    one-process ledger: the close labels the best of every partition's, "no row holds" when a
    partition read it in rows set aside.  A label some partition holds says nothing."""
    from .ledger import closest_labels, no_row_holds_warning, unknown_label_warning
    found: dict[tuple[Any, ...], list[Any]] = {}
    kept: list[Warning | tuple[Any, ...]] = []
    for w in said:
        if not isinstance(w, _LabelNotInPartition):
            kept.append(w)
            continue
        if hasattr(w.said, "nothing"):
            # an int, date or amount no row of the partition holds: said when none holds it,
            # with the least and greatest values of them all
            column, lo, hi, held = w.said.nothing
            key = ("nothing", column, lo, hi)
            if key not in found:
                found[key] = [set(), w.partitions, None, w.said.path]
                kept.append(key)
            entry = found[key]
            entry[0].add(w.partition)
            if entry[3] != w.said.path:
                entry[3] = None   # files of the dataset: none named
            if held is not None:
                entry[2] = held if entry[2] is None else (min(entry[2][0], held[0]),
                                                          max(entry[2][1], held[1]))
            continue
        column, label, close, read, effect = w.said.unknown
        key = (column, label, effect)
        if key not in found:
            found[key] = [set(), w.partitions, set(), False]
            kept.append(key)   # said where the first partition said it
        entry = found[key]
        entry[0].add(w.partition)
        entry[2].update(close)
        entry[3] = entry[3] or read
    given: list[Warning] = []
    for item in kept:
        if not isinstance(item, tuple):
            given.append(item)
            continue
        lacking, partitions, close, read = found[item]
        if len(lacking) < partitions:
            continue   # a partition not said lacking holds it (or was not run)
        if item[0] == "nothing":
            given.append(no_row_holds_warning(*item[1:], close, read))
            continue
        column, label, effect = item
        best = closest_labels(label, sorted(close)) if isinstance(label, str) else ()   # a range
        given.append(unknown_label_warning(column, label, best, read, effect))
    return given


def _tree(items: list[Any], combine: Callable[..., Any], split_every: int = SPLIT_EVERY) -> Any:
    """A reduction tree: each level combines up to ``split_every`` results of the level below,
    so no task receives every partition's result and the client receives one."""
    if not items:
        raise InvalidValueError("a Dask ledger with no partition")
    level = list(items)
    while len(level) > 1:
        level = [delayed(combine, pure=True)(*level[i:i + split_every])
                 for i in range(0, len(level), split_every)]
    return level[0]


@dataclass(frozen=True)
class _MissingHive:
    """A hive column's missing value (``__HIVE_DEFAULT_PARTITION__``, or a file outside the
    key's directories), with the column's kind."""

    kind: str


def _paths(paths_or_glob: Any) -> list[tuple[str, dict[str, Any]]]:
    """The files to read, each with the hive partition values of its directories: a file, a
    glob (``**`` included), a list of either, or a directory (every file under it, hidden ones
    and ``_SUCCESS``-style markers aside; ``annee=2017/`` directories give ``annee``), typed by
    :func:`_typed_hive`."""
    return _typed_hive(_found_paths(paths_or_glob))


def _typed_hive(found: list[tuple[str, dict[str, str]]]) -> list[tuple[str, dict[str, Any]]]:
    """Each hive column typed once over every directory, by the rule that loses nothing (as
    read_parquet types a dataset essconv did not write): int when every value is a plain int
    (``2017``, ``-5``: :func:`essconv.ledger.is_plain_int`), else a label for every partition
    -- ``dep=01`` stays ``'01'``, and ``dep=01`` beside ``dep=2A`` gives one label column, not
    an int column in one partition and a label column in the other.  A value pyarrow writes
    for a missing one (``__HIVE_DEFAULT_PARTITION__``) and a file outside a key's directories
    are missing values."""
    values: dict[str, set[str]] = {}
    for _, hive in found:
        for key, value in hive.items():
            if value != _HIVE_MISSING:
                values.setdefault(key, set()).add(value)
        for key in hive:
            values.setdefault(key, set())
    kinds = {key: "int" if seen and all(is_plain_int(v) for v in seen) else "label"
             for key, seen in values.items()}
    typed = []
    for path, hive in found:
        row: dict[str, Any] = {}
        for key, kind in kinds.items():
            value = hive.get(key, _HIVE_MISSING)
            row[key] = (_MissingHive(kind) if value == _HIVE_MISSING
                        else int(value) if kind == "int" else value)
        typed.append((path, row))
    return typed


#: the directory value pyarrow (and Hive) write for a missing partition value (Ledger.to_parquet
#: refuses a label spelled so, which would be read back as missing)
_HIVE_MISSING = HIVE_MISSING


def _found_paths(paths_or_glob: Any) -> list[tuple[str, dict[str, str]]]:
    if isinstance(paths_or_glob, (str, os.PathLike)):
        paths_or_glob = [paths_or_glob]
    # anything else than paths escaped as a bare TypeError ("'int' object is not iterable")
    if not isinstance(paths_or_glob, (list, tuple)) or not all(
            isinstance(p, (str, os.PathLike)) for p in paths_or_glob):
        raise ArgumentTypeError(f"the files are a path, a glob, a directory or a list of them, "
                                f"not {type(paths_or_glob).__name__} {paths_or_glob!r:.80}")
    found: list[tuple[str, dict[str, str]]] = []
    for entry in paths_or_glob:
        pattern = os.fspath(entry)
        if os.path.isdir(pattern):
            for folder, subdirs, names in os.walk(pattern):
                subdirs[:] = sorted(d for d in subdirs if not d.startswith((".", "_")))
                found += [(os.path.join(folder, n), _hive_values(pattern, folder))
                          for n in sorted(names) if not n.startswith((".", "_"))]
        elif _glob.has_magic(pattern):
            fixed = re.split(r"[*?\[]", pattern, maxsplit=1)[0]   # the part before any wildcard
            found += [(p, _hive_values(os.path.dirname(fixed) or ".", os.path.dirname(p)))
                      for p in sorted(_glob.glob(pattern, recursive=True)) if os.path.isfile(p)]
        else:
            found.append((pattern, {}))
    if not found:
        raise FileNotFoundError(f"no file matches {paths_or_glob!r}")
    return found


def _hive_values(root: str, folder: str) -> dict[str, str]:
    """``{"annee": "2017"}`` for ``root/annee=2017/``: the key=value directories under root."""
    relative = os.path.relpath(folder, root)
    parts = [] if relative == "." else relative.split(os.sep)
    # values are escaped in directory names as pyarrow writes them (``R%C3%A9gion``)
    return {key: unquote(value) for key, value in (p.split("=", 1) for p in parts if "=" in p)}


# ---------------------------------------------------------------------------- the Dask ledger
class Ledger:
    """Financing records in partitions, one :class:`essconv.Ledger` per partition on the workers.

    The same verbs as a Ledger — ``filter``, ``group_by(...).sum()/count()/min()/max()/agg()``,
    ``pivot``, ``total()``, ``len()`` and ``conv.execution(year, ledger)`` — each computed by Dask
    and returned as an ordinary (one-machine) result.

    Example: ``essconv.dask.read_csv("grants-*.csv", amount="montant").total()``
    """

    def __init__(self, partitions: Sequence[tuple[Any, tuple[_Step, ...]]], *,
                 schema: tuple[list[str], dict[str, str]] | None = None,
                 said: set[tuple[type, str]] | None = None) -> None:
        if not partitions:
            raise InvalidValueError("a Dask ledger needs at least one partition")
        #: per partition, (source, steps): a Dask object holding its _Part (persisted, or a
        #: dask.dataframe partition) or None, and the steps still to run on it (the reader
        #: first when the source is None).  Steps run in the task of the next verb, so reading,
        #: filtering and grouping a partition is one task on one worker, not three.
        self._partitions = list(partitions)
        self._schema = schema
        #: the workers' warnings already given on the client (shared with the ledgers made
        #: from this one: one dataset, each warning once)
        self._said = set() if said is None else said

    def _each(self, func: Callable[..., Any], *args: Any) -> list[Any]:
        """One task per partition: its pending steps, then func(part, *args); each computes
        to (result, the warnings given on the way): see _gathered."""
        return [delayed(_run_carrying, pure=True)(source, steps + ((func, args),))
                for source, steps in self._partitions]

    def _gathered(self, *carried: tuple[Any, list[Warning]]) -> list[Any]:
        """The results of computed tasks, their workers' warnings given here."""
        _given(_once([w for _, said in carried for w in said]), self._said)
        return [value for value, _ in carried]

    def _then(self, func: Callable[..., Any], *args: Any) -> "Ledger":
        """The same partitions with one more step pending (lazy: no task yet)."""
        return Ledger([(source, steps + ((func, args),)) for source, steps in self._partitions],
                      schema=self._schema, said=self._said)

    @property
    def npartitions(self) -> int:
        """How many partitions (files, fragments) the records are in."""
        return len(self._partitions)

    def to_delayed(self) -> list[Any]:
        """The partitions as ``dask.delayed`` objects (each computes to an internal wrapper)."""
        return [delayed(_run_steps, pure=True)(source, steps) for source, steps in self._partitions]

    def persist(self) -> "Ledger":
        """Read the partitions now and keep them in the workers' memory (``dask.persist``), so
        the next verbs do not read the files again.

        Example: ``grants = essconv.dask.read_csv("*.csv", amount="montant").persist()``"""
        return Ledger([(part, ()) for part in dask.persist(*self.to_delayed())],
                      schema=self._schema, said=self._said)

    # ------------------------------------------------------------------ shape
    def _ensure_schema(self) -> tuple[list[str], dict[str, str]]:
        if self._schema is None:
            first = Ledger(self._partitions[:1], said=self._said)
            self._schema = self._gathered(*dask.compute(first._each(_schema_part)[0]))[0]
        return self._schema

    @property
    def columns(self) -> list[str]:
        """The column names, as the first partition has them (every partition must agree)."""
        return list(self._ensure_schema()[0])

    @property
    def kinds(self) -> dict[str, str]:
        """Each column's kind: label, int, date or amount."""
        return dict(self._ensure_schema()[1])

    def __len__(self) -> int:
        counts = self._gathered(*dask.compute(*self._each(_len_part)))
        return sum(counts)

    def _bad_and_blank(self) -> tuple[list[BadRow], int]:
        found = self._gathered(*dask.compute(*self._each(_bad_part)))
        return [b for rows, _ in found for b in rows], sum(n for _, n in found)

    @property
    def bad_rows(self) -> list[BadRow]:
        """Every record that a partition could not read (``bad_rows="collect"``, SCDL), with
        its file, line and column, in partition order.

        Example: ``[str(b) for b in grants.bad_rows]`` -> ``['lot-3.csv:12:30: ...']``"""
        return self._bad_and_blank()[0]

    @property
    def blank_rows(self) -> int:
        """Blank records skipped by the readers, over every partition."""
        return self._bad_and_blank()[1]

    # ------------------------------------------------------------------ verbs
    def filter(self, **conditions: Any) -> "Ledger":
        """Rows meeting every condition, as :meth:`essconv.Ledger.filter` (lazy: per partition).

        A date written day and month before the year that reads both ways (``04/05/2017``)
        is read by each partition in the order its file's dates were read in (see
        :meth:`essconv.Ledger.filter`); when files were read in both orders it is refused,
        as by a one-process ledger of those files, after one pass over the partitions to
        learn their orders.

        Example: ``grants.filter(annee=range(2010, 2013))``"""
        two_way = {name: found for name, value in conditions.items()
                   if (found := _two_way_dates(value))}
        if two_way:
            # each partition would read it in its own file's order: 5 April in one file and
            # 4 May in the next, added up into one wrong sum without a word
            orders = self._gathered(*dask.compute(*self._each(_date_orders_part)))
            for name, found in two_way.items():
                by_order: dict[str, str | None] = {}
                for path, said in orders:
                    if said.get(name) in ("dmy", "mdy"):
                        by_order.setdefault(said[name], path)
                if len(by_order) == 2:
                    text, day_first, month_first = found[0]
                    raise ConditionError(
                        f"column {name!r} holds dates: {text!r} reads day first as "
                        f"{day_first} and month first as {month_first}, and the files were "
                        f"read in both orders ({by_order['dmy'] or '?'} day first, "
                        f"{by_order['mdy'] or '?'} month first): write the one meant as such "
                        f"(year-month-day)",
                        reason=("filter-date-ambiguous", name, text, day_first, month_first))
        # each partition's filter knows its place: a label is said unknown once all lack it
        n = len(self._partitions)
        return Ledger([(source, steps + ((_filter_part, (conditions, k, n)),))
                       for k, (source, steps) in enumerate(self._partitions)],
                      schema=self._schema, said=self._said)

    def group_by(self, *dims: str) -> "GroupBy":
        """Group by columns: ``.sum()``, ``.count()``, ``.min()``, ``.max()``, ``.agg()``,
        each grouped per partition in C and combined exactly."""
        if not dims:
            raise InvalidValueError("group_by needs at least one column")
        for dim in dims:   # refused here as in memory, not only by a partition that has rows
            if not isinstance(dim, (str, DateDimension)):
                raise ArgumentTypeError(f"a dimension is a column name or essconv.year/quarter/"
                                        f"month/period_start/period_end of one, not {dim!r}")
        return GroupBy(self, list(dims))

    def total(self) -> Decimal:
        """The sum of the amounts, exact (OverflowError past int64 cents)."""
        total = dask.compute(_tree(self._each(_total_part), functools.partial(_carry, _add_cents)))
        # past int64 cents: the core's error, saying which end the total passes
        return from_cents(_core.checked_sum([self._gathered(*total)[0]]))

    def pivot(self, rows: str | tuple[str, str], columns: str) -> Plan:
        """A matrix of sums with the Plan API, as :meth:`essconv.Ledger.pivot`: the cells are
        the exactly combined sums of ``group_by(rows..., columns)``, laid out by the core's
        pivot on the (small) aggregate."""
        keys = list(rows) if isinstance(rows, tuple) else [rows]
        # each key grouped once: pivot("nature", "nature") is a matrix in memory (its sums on
        # the diagonal), where a group-by refuses a key given twice; the pivot below lays the
        # one key out as often as it is named
        grouped = {_dim_name(k): k for k in [*keys, columns]}
        sums = self.group_by(*grouped.values()).sum()
        # the aggregate is itself a ledger whose amount is the sum: its pivot is the matrix.
        # A date dimension (year("dateConvention")) is a key column of that ledger named as
        # written ("year(dateConvention)"), not the date column it was computed from
        named = tuple(_dim_name(k) for k in keys)
        plan = sums.to_ledger().pivot(named if isinstance(rows, tuple) else named[0],
                                      _dim_name(columns))
        plan.dimensions = (named, _dim_name(columns))
        return plan

    def compute(self) -> _Ledger:
        """Every partition gathered into one Ledger on the client (for data that fits); its
        ``bad_rows`` are the partitions' :class:`BadRow` records, each with its file."""
        whole = dask.compute(_tree(self.to_delayed(), _concat))[0]
        _given(whole.said, self._said)
        whole.ledger.bad_rows = whole.bad_rows
        return whole.ledger

    def __repr__(self) -> str:
        return f"<essconv.dask.Ledger in {self.npartitions} partitions>"


class GroupBy:
    """A pending distributed group-by."""

    def __init__(self, ledger: Ledger, dims: list[str]) -> None:
        self.ledger = ledger
        self.dims = dims

    def _run(self, minmax: bool) -> Aggregate:
        partials = self.ledger._each(_group_part, self.dims, minmax)
        combined = self.ledger._gathered(
            *dask.compute(_tree(partials, functools.partial(_carry, _combine))))[0].aggregate
        if combined is None:   # every partition empty: an empty aggregate of the same dims
            # named as the partitions' aggregates name them: a date dimension by its key
            # column's name ("month(dateConvention)"), as aggregate_from takes column names
            # with min and max when they were asked for, as one process's group-by of no row
            combined = aggregate_from([_dim_name(d) for d in self.dims], {}, "sum",
                                      minmax=minmax)
        return combined

    def sum(self) -> Aggregate:
        return self._run(False).select("sum")

    def count(self) -> Aggregate:
        return self._run(False).select("count")

    def min(self) -> Aggregate:
        return self._run(True).select("min")

    def max(self) -> Aggregate:
        return self._run(True).select("max")

    def mean(self) -> Aggregate:
        """Each group's mean, from the merged partials' exact sum and count (half-even cents)."""
        return self._run(False).select("mean")

    def agg(self) -> Aggregate:
        """sum, count, mean, min and max at once."""
        return self._run(True)


# ---------------------------------------------------------------------------- readers
def read_csv(paths_or_glob: Any, *, amount: str, **kwargs: Any) -> Ledger:
    """One partition per file, each read on a worker by :meth:`essconv.Ledger.read_csv` with the
    same arguments (``dims``, ``dates``, ``ints``, ``bad_rows="collect"``...).  A directory means
    every file under it, and hive directories (``annee=2017/``) become columns.

    Example: ``essconv.dask.read_csv("grants/*.csv", amount="montant", ints=["annee"])``"""
    kwargs = dict(kwargs, amount=amount, threads=kwargs.get("threads", 1))
    return Ledger([(None, ((_read_csv_part, (path, hive, kwargs)),))
                   for path, hive in _paths(paths_or_glob)])


def read_scdl(paths_or_glob: Any, **kwargs: Any) -> Ledger:
    """One partition per SCDL grant file, each read on a worker by :func:`essconv.read_scdl`
    (bad rows kept aside with their file and line, blank rows counted).

    Example: ``essconv.dask.read_scdl("subventions/*.csv").group_by("nomAttribuant").sum()``"""
    return Ledger([(None, ((_read_scdl_part, (path, hive, kwargs)),))
                   for path, hive in _paths(paths_or_glob)])


def read_parquet(path_or_dataset: Any, *, amount: str, **kwargs: Any) -> Ledger:
    """One partition per Parquet file of a dataset (hive directories such as ``annee=2017/``
    become columns), each read on a worker by the same code as
    :meth:`essconv.Ledger.read_parquet`.  The client lists the files; it reads no row.

    Example: ``essconv.dask.read_parquet("grants/", amount="montant")``"""
    try:
        import pyarrow.dataset as ds
    except ImportError as exc:
        raise MissingExtraError("read_parquet needs pyarrow: pip install 'essconv[parquet]'") from exc
    dataset = parquet_dataset(path_or_dataset)
    base_dir = os.fspath(path_or_dataset) if isinstance(path_or_dataset, (str, os.PathLike)) \
        and os.path.isdir(path_or_dataset) else None
    partitioning = ds.HivePartitioning(dataset.partitioning.schema) \
        if getattr(dataset, "partitioning", None) is not None else None
    kwargs = dict(kwargs, amount=amount)
    return Ledger([(None, ((_read_parquet_part, (f, base_dir, partitioning, kwargs)),))
                   for f in dataset.files])


def from_dask_dataframe(ddf: Any, *, amount: str, cents: bool = False) -> Ledger:
    """Each partition of a ``dask.dataframe`` becomes a Ledger on its worker, through Arrow
    (strings and categoricals as labels, Decimal or integer amounts; floats are refused).
    Decimal amounts dask made text (its ``dataframe.convert-string``, on by default) are
    read back exactly, as euros with a decimal point; a text no amount reads is refused at
    its row of the partition.

    Example: ``essconv.dask.from_dask_dataframe(ddf, amount="montant").total()``"""
    return Ledger([(part, ((_from_arrow_part, (amount, cents)),)) for part in ddf.to_delayed()])


def from_map(func: Callable[[Any], _Ledger], items: Iterable[Any]) -> Ledger:
    """One partition per item, made on a worker by ``func(item)``, which returns a Ledger: any
    source essconv reads (an SQL query per year, a file in an object store...).

    Example: ``essconv.dask.from_map(lambda y: essconv.Ledger.read_csv(f"{y}.csv", amount="m"), years)``"""
    return Ledger([(None, ((_map_part, (func, item)),)) for item in items])


__all__ = ["BadRow", "GroupBy", "Ledger", "from_dask_dataframe", "from_map", "read_csv",
           "read_parquet", "read_scdl"]
