"""An Arrow producer that fails partway (a generator raising inside
``pyarrow.RecordBatchReader.from_batches``, a cursor losing its connection) is no wrong
argument: essconv's ProducerError, a RuntimeError, quoting the producer's whole message with the
batch that failed and the rows read before it.  It was an ArgumentTypeError (a TypeError) whose
message was cut at 200 bytes, the producer's own error line lost behind pyarrow's prefix."""
from __future__ import annotations

from decimal import Decimal

import pytest

import essconv

pa = pytest.importorskip("pyarrow")

SCHEMA = pa.schema([("nomBeneficiaire", pa.string()), ("montant", pa.decimal128(12, 2))])


def _batch(names, amounts):
    return pa.record_batch([pa.array(names), pa.array([Decimal(a) for a in amounts],
                                                      pa.decimal128(12, 2))], schema=SCHEMA)


BATCHES = [_batch(["Asso A", "Asso B"], ["1.00", "2.50"]), _batch(["Asso C"], ["3.00"])]


def _failing_after(batches, exc):
    yield from batches
    raise exc


def _read(batches, exc):
    reader = pa.RecordBatchReader.from_batches(SCHEMA, _failing_after(batches, exc))
    return essconv.Ledger.from_columns(reader, amount="montant")


@pytest.mark.parametrize("given", [0, 1, 2])
def test_a_producer_failing_partway_is_a_producer_error_naming_batch_and_rows(given):
    batches = BATCHES[:given]
    rows_before = sum(b.num_rows for b in batches)   # the twin: counted by pyarrow
    with pytest.raises(essconv.ProducerError) as caught:
        _read(batches, OSError("the export's disk went away"))
    exc = caught.value
    assert isinstance(exc, essconv.Error) and isinstance(exc, RuntimeError)
    assert not isinstance(exc, TypeError)   # the argument was of the right kind
    assert (exc.batch, exc.rows) == (given, rows_before)
    said = "row was" if rows_before == 1 else "rows were"
    assert f"at batch {given} (0-based), after {rows_before} {said} read" in str(exc)
    assert "the export's disk went away" in str(exc)


def test_the_producer_s_whole_message_is_kept_not_cut_at_200_bytes():
    why = "the cursor lost its server: " + "détail " * 80 + "LAST WORDS"
    assert len(why.encode()) > 400
    with pytest.raises(essconv.ProducerError) as caught:
        _read(BATCHES, ConnectionError(why))
    assert why in str(caught.value)


def test_a_runaway_message_is_bounded_and_says_it_was_cut():
    why = "x" * 20000
    with pytest.raises(essconv.ProducerError) as caught:
        _read(BATCHES, ValueError(why))
    text = str(caught.value)
    assert len(text) < 4200
    assert "more characters)" in text


def test_a_well_behaved_stream_still_reads_every_batch():
    """The twin of the failing stream: the same batches, no failure."""
    reader = pa.RecordBatchReader.from_batches(SCHEMA, iter(BATCHES))
    ledger = essconv.Ledger.from_columns(reader, amount="montant")
    assert ledger.total() == sum(Decimal(str(v)) for b in BATCHES
                                 for v in b.column("montant").to_pylist())


def test_a_producer_error_is_documented_and_exported():
    assert essconv.ProducerError is essconv.errors.ProducerError
    assert "ProducerError" in essconv.errors.__all__ and "ProducerError" in essconv.__all__
    assert essconv.ProducerError.__doc__ and "Example" in essconv.ProducerError.__doc__


@pytest.mark.parametrize("given", ["list of batches", "tuple of batches", "generator", "None",
                                   "int", "list of pairs"])
def test_from_columns_refuses_what_is_no_mapping_nor_arrow_object_saying_what_it_takes(given):
    """A list of batches, a generator of them or None fell on Python's bare AttributeError
    ("'list' object has no attribute 'items'"), no essconv error and no word of what is taken."""
    mapping = {"list of batches": lambda: list(BATCHES), "tuple of batches": lambda: tuple(BATCHES),
               "generator": lambda: (b for b in BATCHES), "None": lambda: None, "int": lambda: 3,
               "list of pairs": lambda: [("montant", [1])]}[given]()
    with pytest.raises(essconv.ArgumentTypeError, match="mapping of column names") as caught:
        essconv.Ledger.from_columns(mapping, amount="montant")
    assert ("RecordBatchReader.from_batches" in str(caught.value)) == given.endswith("batches")
    # the twin: the same batches, said as the message says, read
    ledger = essconv.Ledger.from_columns(pa.Table.from_batches(BATCHES), amount="montant")
    assert len(ledger) == sum(b.num_rows for b in BATCHES)


@pytest.mark.parametrize("raised", [KeyboardInterrupt(), SystemExit(3), MemoryError("no room")],
                         ids=["KeyboardInterrupt", "SystemExit", "MemoryError"])
@pytest.mark.parametrize("given", [0, 1, 2])
def test_an_interrupted_producer_is_the_interrupt_itself_not_a_producer_error(raised, given):
    """Ctrl-C in a generator behind pyarrow's reader came out as a ProducerError (a
    RuntimeError an ``except Exception`` swallows): the Arrow C interface carries the producer's
    failure as text alone.  The interrupt (a SystemExit, a MemoryError) is the very object the
    generator raised."""
    with pytest.raises(type(raised)) as caught:
        _read(BATCHES[:given], raised)
    assert caught.value is raised
    assert not isinstance(caught.value, essconv.ProducerError)


def test_an_interrupted_producer_leaves_nothing_behind():
    """The reader, its iterator and the ledger read so far are freed after an interrupt, loop
    after loop: no reference kept, and Python memory grows no more than after a producer
    failing with an OSError (pyarrow itself keeps a few hundred bytes of each failure's
    traceback text: the twin measures that share)."""
    import gc
    import tracemalloc
    import weakref

    class Batches:   # a generator cannot be weakly referenced: an iterator that can
        def __init__(self, raised):
            self.left, self.raised = list(BATCHES) * 50, raised

        def __iter__(self):
            return self

        def __next__(self):
            if not self.left:
                raise self.raised()
            return self.left.pop()

    def once(raised, expected):
        batches = Batches(raised)
        reader = pa.RecordBatchReader.from_batches(SCHEMA, batches)
        with pytest.raises(expected):
            essconv.Ledger.from_columns(reader, amount="montant")
        return weakref.ref(batches)

    def grown(raised, expected):
        for _ in range(20):   # warm up
            once(raised, expected)
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.take_snapshot()
        kept = [once(raised, expected) for _ in range(300)]
        gc.collect()
        after = tracemalloc.take_snapshot()
        tracemalloc.stop()
        assert all(ref() is None for ref in kept)
        return sum(s.size_diff for s in after.compare_to(before, "filename"))

    failing = grown(OSError, essconv.ProducerError)
    interrupted = grown(KeyboardInterrupt, KeyboardInterrupt)
    assert interrupted < failing * 1.5 + 64 * 1024, (interrupted, failing)


@pytest.mark.parametrize("given", [0, 1, 2])
def test_a_producer_error_is_worded_in_french_for_a_french_listing(given):
    """A ProducerError was said in English alone where a French listing words essconv's
    errors (``Language.refusal``): its batch, its rows read (grouped the French way) in French,
    the producer's own words quoted as they are; in English the message itself."""
    from essconv.messages import language
    batches = (BATCHES * 700)[:given * 700]   # 0, 700 or 1 400 batches before the failure
    rows = sum(b.num_rows for b in batches)   # the twin: counted by pyarrow
    why = "the export's disk went away: « Région »"
    with pytest.raises(essconv.ProducerError) as caught:
        _read(batches, OSError(why))
    exc = caught.value
    french = language("fr").refusal(exc)
    grouped = f"{rows:,}".replace(",", "\u202f")
    ligne = "lignes lues" if rows > 1 else "ligne lue"
    assert french.startswith(f"le flux Arrow a échoué au lot {len(batches)} (numéroté à partir "
                             f"de 0), après {grouped} {ligne}, dont aucune n'est gardée\u00a0: ")
    assert why in french and "failed at batch" not in french
    assert language("en").refusal(exc) == str(exc)
    assert exc.reason[:3] == ("producer-failed", len(batches), rows)


@pytest.mark.parametrize("other", ["decimal(14, 3)", "int for text", "three columns"])
def test_a_batch_of_another_schema_than_its_reader_s_is_refused_naming_it(other):
    """A pyarrow reader whose generator gives a batch of other types than its schema's: a
    decimal(14, 3) 1.000 under a decimal(12, 2) schema was read as 10,00 € (the C interface's
    batch carries no types of its own).  Refused, naming the batch, the column and both types;
    the twin, the same batch cast to the schema, reads the amounts written."""
    amounts = [Decimal("1.000"), Decimal("2.125")]
    batch = {"decimal(14, 3)": lambda: pa.record_batch(
                 [pa.array(["Asso D", "Asso E"]), pa.array(amounts, pa.decimal128(14, 3))],
                 names=SCHEMA.names),
             "int for text": lambda: pa.record_batch(
                 [pa.array([59, 62]), pa.array(amounts, pa.decimal128(12, 3))], names=SCHEMA.names),
             "three columns": lambda: pa.record_batch(
                 [pa.array(["Asso D", "Asso E"]), pa.array(amounts, pa.decimal128(12, 3)),
                  pa.array([1, 2])], names=SCHEMA.names + ["x"])}[other]()
    reader = pa.RecordBatchReader.from_batches(SCHEMA, iter([BATCHES[0], batch]))
    with pytest.raises(essconv.ArgumentTypeError) as caught:
        essconv.Ledger.from_columns(reader, amount="montant")
    said = str(caught.value)
    assert "batch 1 (0-based" in said and "does not match its schema" in said
    if other == "decimal(14, 3)":
        assert "'montant'" in said and "decimal128(14, 3)" in said and "decimal128(12, 2)" in said
        # the twin: the same amounts at the schema's scale (2.125 has no cent: 2.12 is cast)
        fitting = pa.record_batch([batch.column(0), pa.array([Decimal("1.00"), Decimal("2.12")],
                                                             pa.decimal128(12, 2))], schema=SCHEMA)
        reader = pa.RecordBatchReader.from_batches(SCHEMA, iter([BATCHES[0], fitting]))
        ledger = essconv.Ledger.from_columns(reader, amount="montant")
        assert ledger.total() == sum(v for b in (BATCHES[0], fitting)
                                     for v in b.column("montant").to_pylist())
