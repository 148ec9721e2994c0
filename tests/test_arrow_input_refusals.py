"""Arrow data that does not hold what a ledger would read from it -- texts that are not what
their type promises, records marked missing -- refused by the core naming the column and the
row, never read as something else.

Arrow's ``utf8``, ``large_utf8`` and ``utf8_view`` types (and a dictionary of them) promise
UTF-8, but nothing makes a producer keep the promise: a binary column cast with ``safe=False``,
buffers assembled by hand.  Such bytes became labels that Python decoded with U+FFFD in place of
each bad byte -- a name altered without a word, and two different byte strings one label on
screen.  The refusal is a :class:`essconv.ParseError` (a ``ValueError``) whose message names the
column, the index of the row as the Arrow table counts it (from 0, over every chunk) and the
byte; ``.line`` is that row counted from 1, as for every other row an Arrow import refuses.

Exact amounts, on the other hand, are read whatever the width of their decimal (32 to 256
bits) and their scale, against a ``Decimal`` twin: a digit past the cent refused, never
rounded.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

import essconv

pa = pytest.importorskip("pyarrow")

#: labels as bytes, one of them not UTF-8 (a CP1252 'é', then a lone continuation byte...)
NOT_UTF8 = [b"Ville de Lille", b"R\xe9gion", b"\x80", b"caf\xc3", b"\xed\xa0\x80", b"\xc0\xaf"]


def texts(raw: list, kind: str):
    """``raw`` (bytes, or None) as an Arrow column of ``kind``, its bytes as they are (no check)."""
    column = pa.array(raw, pa.binary()).cast(pa.string(), safe=False)
    if kind == "large":
        return column.cast(pa.large_string(), safe=False)
    if kind == "view":
        return column.cast(pa.string_view(), safe=False)
    if kind == "dictionary":
        return column.dictionary_encode()
    return column


def first_not_utf8(raw: list) -> int:
    """The slow twin: the index of the first text Python's own decoder refuses."""
    for k, value in enumerate(raw):
        if value is None:
            continue
        try:
            value.decode("utf-8", "strict")
        except UnicodeDecodeError:
            return k
    return -1


KINDS = ["utf8", "large", "view", "dictionary"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("bad", NOT_UTF8[1:])
def test_a_text_that_is_not_utf8_is_refused_naming_column_and_index(kind, bad):
    raw = [b"Ville de Lille", None, b"Ville de Lille", bad, b"Lot"]
    where = first_not_utf8(raw)
    assert where == 3
    table = pa.table({"nomBeneficiaire": texts(raw, kind),
                      "montant": pa.array([Decimal(k) for k in range(5)], pa.decimal128(12, 2))})
    with pytest.raises(essconv.ParseError) as caught:
        essconv.Ledger.from_columns(table, amount="montant")
    said = str(caught.value)
    assert "'nomBeneficiaire'" in said and f"index {where}" in said and "not UTF-8" in said, said
    assert caught.value.line == where + 1
    with pytest.raises(UnicodeDecodeError) as decoded:   # where Python's decoder stops
        bad.decode("utf-8", "strict")
    start = decoded.value.start
    assert f"byte 0x{bad[start]:02X} at its byte {start + 1}," in said, said


@pytest.mark.parametrize("kind", KINDS)
def test_the_index_counts_the_whole_table_over_its_chunks_and_slices(kind):
    # a stream of chunks, the bad text in the third, after a slice: the index is the table's
    raw = [b"a%d" % k for k in range(10)] + [b"caf\xe9"] + [b"z"]
    column = texts(raw, kind)
    chunks = pa.chunked_array([column.slice(0, 4), column.slice(4, 3), column.slice(7, 5)])
    amounts = pa.chunked_array([pa.array([Decimal(1)] * n, pa.decimal128(12, 2))
                                for n in (4, 3, 5)])
    table = pa.table({"f": chunks, "m": amounts})
    assert table["f"].num_chunks == 3
    with pytest.raises(essconv.ParseError, match=r"'f'.* index 10 ") as caught:
        essconv.Ledger.from_columns(table, amount="m")
    assert caught.value.line == first_not_utf8(raw) + 1
    # the same rows sliced so the bad one is second: counted from the slice, as Arrow does
    sliced = pa.table({"f": column.slice(9, 3), "m": pa.array([Decimal(1)] * 3,
                                                               pa.decimal128(12, 2))})
    with pytest.raises(essconv.ParseError, match=r" index 1 "):
        essconv.Ledger.from_columns(sliced, amount="m")
    # and the slice that stops before it reads, label for label as Python decodes the bytes
    fine = essconv.Ledger.from_columns(pa.table({"f": column.slice(2, 8), "m": pa.array(
        [Decimal(1)] * 8, pa.decimal128(12, 2))}), amount="m")
    assert fine.group_by("f").sum().to_dict() == {v.decode(): Decimal(1) for v in raw[2:10]}


def test_a_record_batch_reader_and_a_record_batch_are_refused_alike():
    raw = [b"ok", b"\xff", b"x"]
    batch = pa.record_batch([texts(raw, "utf8"), pa.array([1, 2, 3])], names=["f", "m"])
    reader = pa.RecordBatchReader.from_batches(batch.schema, [batch])
    for source in (batch, reader):
        with pytest.raises(essconv.ParseError, match=r"'f'.*index 1 .*0xFF"):
            essconv.Ledger.from_columns(source, amount="m")


def test_valid_utf8_of_every_length_reads_exactly_as_python_decodes_it():
    # accents, a 4-byte character and texts past 12 bytes (a view's out-of-line texts), each
    # read back equal to its bytes decoded strictly (a NUL, valid UTF-8, is no label's: below)
    raw = ["Région", "Caisse des Dépôts", "€ 😀", "x" * 40, "", "ÉCOLE ŒUVRE"]
    for kind in KINDS:
        column = texts([v.encode() for v in raw], kind)
        ledger = essconv.Ledger.from_columns(
            pa.table({"f": column, "m": pa.array(range(len(raw)), pa.int64())}), amount="m")
        twin: dict = {}
        for k, v in enumerate(raw):
            key = v or None   # a blank text is a missing label, as a blank CSV cell
            twin[key] = twin.get(key, Decimal(0)) + k
        assert ledger.group_by("f").sum().to_dict() == twin, kind


@pytest.mark.parametrize("kind", KINDS + ["python"])
def test_a_label_holding_a_nul_is_refused_at_its_row_and_column_wherever_it_comes_from(kind):
    # a CSV file holding a NUL is refused at its line and column; the same text given as Python
    # or Arrow columns became a label, cut at the NUL wherever C reads it (a party's code, a
    # pivot's line, an export): it is refused there too, naming its row and column
    from essconv.messages import language
    raw = ["Région", "Oise", "Ré\x00gion" + "x" * 60, None]
    if kind == "python":
        source = {"m": [1, 2, 3, 4], "f": raw}
    else:
        column = texts([v.encode() if v is not None else None for v in raw], kind)
        source = pa.table({"m": pa.array([1, 2, 3, 4], pa.int64()), "f": column})
    with pytest.raises(essconv.ParseError) as refused:
        essconv.Ledger.from_columns(source, amount="m")
    error = refused.value
    assert (error.line, error.column) == (3, 2)
    message = str(error)
    assert "'f'" in message and "NUL" in message and "character 3" in message
    assert "\x00" not in message and "R\u00e9\\x00gion" in message
    said = language("fr").refusal(error)
    assert "colonne" in said and "octet NUL au caractère 3" in said and "column" not in said
    # a NUL the rows do not use is no label's: an unused dictionary entry is not read
    if kind == "dictionary":
        unused = pa.DictionaryArray.from_arrays(pa.array([0, 0]), pa.array(["a", "b\x00"]))
        ledger = essconv.Ledger.from_columns(pa.table({"m": pa.array([1, 2]), "f": unused}),
                                             amount="m")
        assert ledger.values("f") == ["a", "a"]


def test_a_dictionary_entry_no_row_uses_is_not_read():
    # only the labels rows use become the column's: an unused entry that is not UTF-8 is no
    # label, and refusing it would refuse data that holds none
    entries = pa.array([b"a", b"\xff", b"b"], pa.binary()).cast(pa.string(), safe=False)
    column = pa.DictionaryArray.from_arrays(pa.array([0, 2, 0], pa.int8()), entries)
    ledger = essconv.Ledger.from_columns(pa.table({"f": column, "m": pa.array([1, 2, 3])}),
                                         amount="m")
    assert ledger.group_by("f").sum().to_dict() == {"a": Decimal(4), "b": Decimal(2)}


def test_a_parquet_file_holding_such_texts_is_refused_naming_the_file(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "grants.parquet"
    pq.write_table(pa.table({"f": texts([b"a", b"b\xe9"], "utf8"),
                             "m": pa.array([Decimal(1), Decimal(2)], pa.decimal128(12, 2))}),
                   path)
    try:
        written = pq.read_table(path)
    except Exception:   # a reader that checks UTF-8 itself: nothing reaches essconv
        pytest.skip("pyarrow refuses the file's texts itself")
    del written
    with pytest.raises(essconv.ParseError) as caught:
        essconv.Ledger.read_parquet(path, amount="m")
    assert caught.value.path == str(path) and "index 1" in str(caught.value)


def test_a_record_its_struct_array_marks_null_is_refused_not_read_as_a_row():
    # a StructArray's own validity bitmap marks whole rows missing, whatever its children hold
    # there: read through, row 1 came in as ("b", 2), a record pyarrow shows as None
    records = pa.StructArray.from_arrays(
        [pa.array(["a", "b", "c", "d"]), pa.array([1, 2, 3, 4])], names=["f", "m"],
        mask=pa.array([False, True, False, True]))
    shown = records.to_pylist()
    first = shown.index(None)
    with pytest.raises(essconv.ParseError, match=rf"record at index {first} is null") as caught:
        essconv.Ledger.from_columns(records, amount="m")
    assert caught.value.line == first + 1
    # sliced past it, the next null one is counted from the slice, as Arrow counts
    with pytest.raises(essconv.ParseError, match=r"record at index 1 is null"):
        essconv.Ledger.from_columns(records.slice(2), amount="m")
    # the records left once the null ones are filtered out read as Python sees them
    kept = records.filter(records.is_valid())
    ledger = essconv.Ledger.from_columns(kept, amount="m")
    twin = {r["f"]: Decimal(r["m"]) for r in shown if r is not None}
    assert ledger.group_by("f").sum().to_dict() == twin
    # and a struct array with no null record reads whole, as a table of the same columns does
    whole = pa.StructArray.from_arrays([pa.array(["a", "b"]), pa.array([1, 2])], names=["f", "m"])
    assert essconv.Ledger.from_columns(whole, amount="m").group_by("f").sum().to_dict() == \
        {"a": Decimal(1), "b": Decimal(2)}


DECIMAL_TYPES = {32: (getattr(pa, "decimal32", None), 9), 64: (getattr(pa, "decimal64", None), 18),
                 128: (pa.decimal128, 38), 256: (pa.decimal256, 76)}
INT64 = 2**63


def cents_twin(values: list) -> "Decimal | str":
    """The slow twin: the exact sum of the values, "sub-cent" at a value past the cent,
    "overflow" at one beyond int64 cents."""
    for value in values:
        cents = value * 100
        if cents != cents.to_integral_value():
            return "sub-cent"
        if not -INT64 <= cents < INT64:
            return "overflow"
    return sum(values, Decimal(0))


@pytest.mark.parametrize("bits", sorted(DECIMAL_TYPES))
@pytest.mark.parametrize("scale", [-3, -1, 0, 1, 2, 3, 5])
def test_a_decimal_amount_of_any_width_and_scale_reads_exactly_or_is_refused(bits, scale):
    # a decimal256 (pyarrow's type past 38 digits) and Arrow's decimal32/64 were refused as
    # no money; a scale below zero too.  Each now reads as its exact value, and a digit past
    # the cent is refused, never rounded
    make, digits = DECIMAL_TYPES[bits]
    if make is None:
        pytest.skip(f"this pyarrow has no decimal{bits}")
    import decimal
    with decimal.localcontext() as exact:
        exact.prec = 200   # the twin's arithmetic exact for 76 digits
        check_decimal_amounts(make, precision_of(bits, digits), scale, bits)


def precision_of(bits: int, digits: int) -> int:
    return 25 if bits == 256 else digits   # past int64 cents either way


def check_decimal_amounts(make, precision: int, scale: int, bits: int) -> None:
    import random
    rng = random.Random(bits * 100 + scale)
    step = Decimal(1).scaleb(-scale)   # the value of the last digit
    for trial in range(40):
        count = rng.randint(1, 6)
        # mostly whole cents, sometimes a digit past them, sometimes the widest value
        unscaled = []
        for _ in range(count):
            top = 10 ** rng.choice([1, 3, precision // 2, precision]) - 1
            unscaled.append(rng.randint(-top, top))
            if scale > 2 and rng.random() < 0.8:
                unscaled[-1] -= unscaled[-1] % 10 ** (scale - 2)   # whole cents
        values = [Decimal(u) * step for u in unscaled]
        expected = cents_twin(values)
        # the unscaled integers laid out by pyarrow at scale 0, then given the scale: the
        # values' own digits whatever the scale (pyarrow converts no Decimal to a scale < 0)
        laid = pa.array([Decimal(u) for u in unscaled], make(precision, 0))
        amounts = pa.Array.from_buffers(make(precision, scale), count, laid.buffers())
        table = pa.table({"f": ["x"] * count, "m": amounts})
        if expected == "sub-cent":
            with pytest.raises(essconv.AmountError, match="more than two decimals"):
                essconv.Ledger.from_columns(table, amount="m")
        elif expected == "overflow":
            with pytest.raises(essconv.MoneyOverflowError):
                essconv.Ledger.from_columns(table, amount="m")
        else:
            ledger = essconv.Ledger.from_columns(table, amount="m")
            assert [Decimal(v) for v in ledger.to_pandas()["m"]] == values, (bits, scale)
            if -INT64 <= expected * 100 < INT64:
                assert ledger.total() == expected, (values, bits, scale)
            else:   # each value fits, their sum does not: refused when asked, never wrapped
                with pytest.raises(essconv.MoneyOverflowError):
                    ledger.total()


def test_a_decimal256_beyond_128_bits_is_an_overflow_not_a_wrap():
    huge = Decimal(2**130)
    table = pa.table({"m": pa.array([Decimal(1), huge], pa.decimal256(60, 0))})
    with pytest.raises(essconv.MoneyOverflowError, match="row 2"):
        essconv.Ledger.from_columns(table, amount="m")
    # and its negative, whose high words are all ones past the 128 bits
    table = pa.table({"m": pa.array([-huge], pa.decimal256(60, 0))})
    with pytest.raises(essconv.MoneyOverflowError, match="row 1"):
        essconv.Ledger.from_columns(table, amount="m")


def test_two_columns_of_one_name_are_refused_saying_so():
    # "cannot add the column 'nom'" said neither why nor what to do
    table = pa.Table.from_arrays([pa.array(["a"]), pa.array(["b"]), pa.array([1])],
                                 names=["nom", "nom", "m"])
    assert table.column_names.count("nom") == 2
    with pytest.raises(essconv.ArgumentTypeError, match="two columns named 'nom'"):
        essconv.Ledger.from_columns(table, amount="m")
    # the amount twice too
    table = pa.Table.from_arrays([pa.array([2]), pa.array([1])], names=["m", "m"])
    with pytest.raises(essconv.ArgumentTypeError, match="two columns named 'm'"):
        essconv.Ledger.from_columns(table, amount="m")



def test_a_pandas_frame_with_two_columns_of_one_name_is_an_essconv_error():
    # pandas exports the frame through pyarrow, which refused it with Python's bare ValueError
    # ("Duplicate column names found"), no essconv error for a caller to catch
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame([[1, "a", "b"]], columns=["m", "nom", "nom"])
    with pytest.raises(essconv.ArgumentTypeError, match="nom"):
        essconv.Ledger.from_columns(frame, amount="m")


@pytest.mark.parametrize("column", ["m", "n"])
def test_a_pandas_int_past_int64_is_an_overflow_naming_its_column_and_row(column):
    # an object column of Python ints past int64 met pyarrow's bare OverflowError ("Python
    # int too large to convert to C long"), naming neither the column nor the row
    pd = pytest.importorskip("pandas")
    values = {"m": [1, 2, 3], "n": [4, 5, 6]}
    values[column] = [1, 2**70, 3]
    with pytest.raises(essconv.MoneyOverflowError) as caught:
        essconv.Ledger.from_columns(pd.DataFrame(values, dtype=object), amount="m")
    said = str(caught.value)
    assert repr(column) in said and "row 2" in said and str(2**70) in said, said


# each value a row of an Arrow import refuses, in the field it stands in: (the column's Arrow
# values with the bad one at row 2, the error class)
_BAD_IN_A_FIELD = {
    "amount missing": ("montant", lambda: pa.array([Decimal("1.00"), None, Decimal("2.00")],
                                                   pa.decimal128(10, 2)), essconv.AmountError),
    "amount past the cent": ("montant", lambda: pa.array(
        [Decimal("1.000"), Decimal("0.125"), Decimal("2.000")], pa.decimal128(10, 3)),
        essconv.AmountError),
    "amount past int64": ("montant", lambda: pa.array(
        [Decimal(1), Decimal(2**63), Decimal(2)], pa.decimal128(38, 0)),
        essconv.MoneyOverflowError),
    "int of -2^63": ("n", lambda: pa.array([1, -2**63, 2], pa.int64()),
                     essconv.MoneyOverflowError),
    "text not UTF-8": ("f", lambda: texts([b"a", b"R\xe9gion", b"b"], "plain"),
                       essconv.ParseError),
}


@pytest.mark.parametrize("bad", sorted(_BAD_IN_A_FIELD))
@pytest.mark.parametrize("order", [("montant", "f", "n"), ("f", "montant", "n"),
                                   ("n", "f", "montant")])
def test_a_refused_row_is_placed_at_its_row_and_the_place_of_its_field(tmp_path, bad, order):
    """An Arrow import placed its refusals by row alone, and the summed amount's missing value
    at column 1 whatever its place (the label column of a table whose labels come first): a
    Parquet file's `f.parquet:2:1` pointed at the wrong column.  Each is placed at its row and
    at its field's place in the table, as the SQL reader places its refusals, from Arrow and
    from Parquet alike."""
    pq = pytest.importorskip("pyarrow.parquet")
    name, values, error = _BAD_IN_A_FIELD[bad]
    good = {"montant": pa.array([Decimal("1.00")] * 3, pa.decimal128(10, 2)),
            "f": pa.array(["a", "b", "c"]), "n": pa.array([1, 2, 3], pa.int64())}
    table = pa.table({column: values() if column == name else good[column] for column in order})
    place = table.schema.get_field_index(name) + 1       # counted by the test, from the schema
    with pytest.raises(error) as caught:
        essconv.Ledger.from_columns(table, amount="montant")
    assert (caught.value.line, caught.value.column) == (2, place)
    assert str(caught.value).startswith(f":2:{place}: ")
    path = tmp_path / "f.parquet"
    pq.write_table(table, path)
    with pytest.raises(error) as caught:
        essconv.Ledger.read_parquet(path, amount="montant")
    assert (caught.value.path, caught.value.line, caught.value.column) == (str(path), 2, place)
    assert str(caught.value).startswith(f"{path}:2:{place}: ")
