"""Hostile arguments to the C extension's functions and methods: a clear Python exception or a
right answer, never a crash of the interpreter (which loses an analyst's whole notebook).

Each snippet that once crashed runs in a child interpreter (conftest.run_isolated): should it
crash again, the test fails instead of taking the run down.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import run_isolated
from test_bad_input import mixed_places_twin


# a mixed text: mostly UTF-8, with 3 CP1252 bytes, the places the warning names
MIXED = ("Café;1\n" * 5).encode() + b"caf\xe9;2\n" * 3


@pytest.mark.parametrize("most", [2**61, 2**62, 2**63 - 1, 2**31, len(MIXED) + 1])
def test_a_huge_count_of_places_asked_is_all_places_not_a_crash(most):
    # the room for `most` places was sized by a product that wrapped around past 2**61 (24
    # bytes for 2**61 places, the core writing every place past them; mixed_tally's second
    # list 2**61 places away) or asked malloc for terabytes (an abort under ASan)
    done = run_isolated(f"""
        from essconv import _core
        print(_core.mixed_places({MIXED!r}, {most}))
        print(_core.mixed_tally({MIXED!r}, {most}))
    """)
    assert done.returncode == 0, done.stderr
    places, tally = done.stdout.splitlines()
    assert eval(places) == mixed_places_twin(MIXED, most)
    cp1252, utf8, lines, cp1252_at, utf8_at = eval(tally)
    assert (cp1252, utf8, lines) == (3, 5, 8)
    assert len(cp1252_at) == 3 and len(utf8_at) == 5
    assert [b for _, _, b in cp1252_at] == [0xE9] * 3


def altered_plan_states():
    """A plan's state as an altered pickle may hand it back: a cell, a sub-total or the whole
    state replaced by what is no tuple."""
    import essconv
    good = essconv.read_plan(
        b"Axe\tLigne\tCR\tCDC\tTotal\nAxe 1 : Structurer\t\t10\t5\t15\n\tA\t4\t2\t6\n"
        b"\tB\t6\t3\t9\nTotal\t\t10\t5\t15\n")._core.state()
    *head, cells, subtotals = good
    assert subtotals, "the plan read has an axis row's sub-totals"
    return good, [
        ("a str", "not a state"), ("an int", 5), ("a list", list(good)),
        ("a cell that is an int", (*head, [7] + cells[1:], subtotals)),
        ("a cell that is a list", (*head, [list(cells[0])] + cells[1:], subtotals)),
        ("a cell that is None", (*head, cells[:-1] + [None], subtotals)),
        ("a sub-total that is a str", (*head, cells, ["x"] + subtotals[1:])),
        ("a sub-total that is a list", (*head, cells, [list(subtotals[0])] + subtotals[1:])),
    ]


def test_an_altered_plan_pickle_is_refused_by_an_essconv_error_not_a_system_error():
    # PyArg_ParseTuple handed no tuple raised SystemError ("new style getargs format but
    # argument is not a tuple"): the error of a bug in the interpreter's C, not of a bad pickle
    import essconv
    from essconv import _core
    good, altered = altered_plan_states()
    for what, state in altered:
        with pytest.raises(essconv.Error, match="not the state of a plan"):
            _core.Plan.from_state(state)
    assert _core.Plan.from_state(good).state() == good


def test_a_foreign_arrow_array_export_that_is_no_tuple_is_named():
    import essconv

    class NotAPair:
        def __arrow_c_array__(self, requested_schema=None):
            return ["schema", "array"]

    with pytest.raises(essconv.Error, match=r"__arrow_c_array__\(\) returned list"):
        essconv.Ledger.from_columns(NotAPair(), amount="m")


def test_a_convention_date_that_is_no_tuple_is_a_type_error():
    from essconv import _core
    for date in ([2009, 12, 2], "2009-12-02", None):
        with pytest.raises(TypeError, match=r"a date is a \(year, month, day\) tuple"):
            _core.Convention(date, (2013, 12, 31))


@pytest.mark.parametrize("names", [{"amount": "m\0x"}, {"amount": "m", "dims": ["fin\0zz"]}])
def test_a_column_asked_with_a_nul_character_is_refused_not_read_as_its_head(names):
    # the core read a name up to its NUL: amount='m\0x' summed the column 'm' without a word
    import io

    import essconv
    with pytest.raises(essconv.Error, match="NUL"):
        essconv.Ledger.read_csv(io.BytesIO(b"fin;m\na;1\nb;2\n"), **names)


@pytest.mark.parametrize("columns", [{"f\0x": ["a"], "m": ["1,00"]}, {"f": ["a"], "m\0x": ["1,00"]}])
def test_a_column_built_with_a_nul_character_in_its_name_is_refused(columns):
    # from_columns / from_arrays kept the name up to its NUL: a column "f" without a word
    import essconv
    amount = next(n for n in columns if n.startswith("m"))
    with pytest.raises(essconv.InvalidValueError, match="NUL") as caught:
        essconv.Ledger.from_columns(columns, amount=amount)
    assert repr(next(n for n in columns if "\0" in n)) in str(caught.value)
    with pytest.raises(essconv.InvalidValueError, match="NUL"):
        essconv._core.Ledger.from_arrays(["k\0z"], [essconv._core.COL_INT],
                                         [__import__("array").array("q", [1])], [None])


@pytest.mark.parametrize("attempt, named", [
    (lambda e, L: e.Ledger.read_csv(b"k;m\nA;1\n", amount="m\ud800"), "amount"),
    (lambda e, L: e.Ledger.read_csv(b"k;m\nA;1\n", amount="m", dims=["k\udcff"]), "dims"),
    (lambda e, L: L.filter(k="\ud800"), "'k'"),
    (lambda e, L: L.has_label("k", "A\ud800"), "'k'"),
    (lambda e, L: e.parse_amount("1\ud800"), "parse_amount"),
])
def test_a_lone_surrogate_is_an_essconv_error_naming_the_argument(attempt, named):
    # it escaped as a bare UnicodeEncodeError, outside essconv's hierarchy
    import essconv
    ledger = essconv.Ledger.read_csv(b"k;m\nA;1\n", amount="m")
    with pytest.raises(essconv.InvalidValueError, match="lone surrogate") as caught:
        attempt(essconv, ledger)
    assert named in str(caught.value) and not isinstance(caught.value, UnicodeError)


def _core_ledger():
    import essconv
    return essconv.Ledger.read_csv(b"f;m\nA;1\nB;2\n", amount="m")._core


@pytest.mark.parametrize("call, named", [
    (lambda l: l.filter([5]), "filter()'s condition 0"),
    (lambda l: l.filter([(0, None, True, 0, 0), [0, None, True, 0, 0]]),
     "filter()'s condition 1"),
    (lambda l: l.filter([], 5), "filter()'s scope"),
    (lambda l: l.filter([], [3, (0, 0)]), "filter()'s scope"),
    (lambda l: l.filter_sum(["f"]), "filter_sum()'s condition 0"),
    (lambda l: __import__("essconv")._core.Plan.from_rows([[5]]), "row 0, cell 0"),
    (lambda l: __import__("essconv")._core.Plan.from_rows(
        [[("Axe", 1, 1), ("A", 1, 2)], [("x", 2, 1), "10"]]), "row 1, cell 1"),
])
def test_a_list_or_a_number_where_a_tuple_is_expected_is_a_type_error_naming_it(call, named):
    """PyArg_ParseTuple handed no tuple raised SystemError ("new style getargs format but
    argument is not a tuple"), the error of a bug in the interpreter: a TypeError of essconv's
    that names the argument."""
    import essconv
    with pytest.raises(essconv.ArgumentTypeError) as caught:
        call(_core_ledger())
    assert isinstance(caught.value, TypeError) and named in str(caught.value), caught.value


def test_the_tuples_expected_still_read():
    """The same calls with tuples answer as the Python API does."""
    from decimal import Decimal

    import essconv
    from essconv import _core
    ledger = essconv.Ledger.read_csv(b"f;m\nA;1\nB;2\n", amount="m")
    core = ledger._core
    kept = core.filter([(ledger.columns.index("f"), ["A"], False, 0, 0)])
    assert essconv.Ledger(kept).total() == ledger.filter(f="A").total() == Decimal("1")
    plan, problems, error, line, column = _core.Plan.from_rows(
        [[("Action", 1, 1), ("A", 1, 2), ("Total", 1, 3)],
         [("x", 2, 1), ("10", 2, 2), ("10", 2, 3)],
         [("Total", 3, 1), ("10", 3, 2), ("10", 3, 3)]])
    assert error is None and plan is not None, (problems, error)


@pytest.mark.parametrize("days", [2**31 - 1, -(2**31) + 1, 2932897, -719163])
def test_a_date32_past_the_years_python_holds_is_refused_naming_its_column_and_row(days):
    """An Arrow date32 holds ±5.8 million years: `values()` raised timedelta's bare
    OverflowError ("days=2147483647; must have magnitude <= 999999999"), naming neither the
    column nor the row among millions."""
    pa = pytest.importorskip("pyarrow")
    import datetime

    import essconv
    table = pa.table({"d": pa.array([0, None, days], type=pa.date32()),
                      "m": pa.array([1, 2, 3], type=pa.int64())})
    # refused where it comes in, so that no later step (values, head, to_pandas, year()) meets
    # it; the rows before it (a real date, a missing one) are no reason to refuse
    with pytest.raises(essconv.InvalidValueError) as caught:
        essconv.Ledger.from_columns(table, amount="m", cents=True)
    said = str(caught.value)
    assert "'d'" in said and "row 3" in said and str(days) in said, said
    kept = essconv.Ledger.from_columns(table.slice(0, 2), amount="m", cents=True)
    assert kept.values("d") == [datetime.date(1970, 1, 1), None]


@pytest.mark.parametrize("days", [-719162, -1, 0, 1, 2932896, 20000])
def test_a_date32_of_a_real_date_reads_as_datetime_says(days):
    """The first and the last date Python holds, and dates between, read as the ordinal twin."""
    pa = pytest.importorskip("pyarrow")
    import datetime

    import essconv
    table = pa.table({"d": pa.array([days], type=pa.date32()),
                      "m": pa.array([1], type=pa.int64())})
    ledger = essconv.Ledger.from_columns(table, amount="m", cents=True)
    assert ledger.values("d") == [datetime.date.fromordinal(
        datetime.date(1970, 1, 1).toordinal() + days)]


# An Arrow stream's schema promises each batch's layout, but a producer may break its word
# (pyarrow's RecordBatchReader.from_batches passes a generator's batches on unchecked): a batch
# whose column has fewer buffers than its field's type read pointers past the array's buffers
# (a segfault, the notebook lost).  Each field's type against a batch column of another layout.
BATCH_AGAINST_ITS_SCHEMA = """
    import pyarrow as pa
    from decimal import Decimal
    import essconv
    fields = {{"str": pa.string(), "large": pa.large_string(), "view": pa.string_view(),
              "dict": pa.dictionary(pa.int32(), pa.string()), "int": pa.int64(),
              "date": pa.date32()}}
    field = fields["{field}"]
    given = {{"null": pa.array([None, None]), "struct": pa.array([{{"x": 1}}, {{"x": 2}}]),
             "bool": pa.array([True, False])}}["{given}"]
    amount = pa.array([Decimal("1.00"), Decimal("2.50")], pa.decimal128(12, 2))
    schema = pa.schema([("f", field), ("m", pa.decimal128(12, 2))])
    batch = pa.record_batch([given, amount], names=["f", "m"])
    try:
        essconv.Ledger.from_columns(pa.RecordBatchReader.from_batches(schema, iter([batch])),
                                    amount="m")
        print("read")
    except essconv.Error as exc:
        print(type(exc).__name__, exc)
    # the same field, given the layout it promised, still reads
    good = pa.array(["a", "b"]).cast(field) if "{field}" not in ("int", "date") else \\
        pa.array([3, 4], pa.int32()).cast(field)
    ledger = essconv.Ledger.from_columns(pa.RecordBatchReader.from_batches(
        schema, iter([pa.record_batch([good, amount], schema=schema)])), amount="m")
    print(ledger.total())
"""


@pytest.mark.parametrize("field, given", [
    *((field, given) for field in ("str", "large", "view", "dict", "int", "date")
      for given in ("null", "struct")),
    # booleans have two buffers, as ints do: only where texts were promised do they differ
    *((field, "bool") for field in ("str", "large", "view", "dict"))])
def test_an_arrow_batch_breaking_its_streams_schema_is_refused_not_a_crash(field, given):
    pytest.importorskip("pyarrow")
    done = run_isolated(BATCH_AGAINST_ITS_SCHEMA.format(field=field, given=given))
    assert done.returncode == 0, done.stderr[-2000:]
    refused, total = done.stdout.splitlines()
    assert refused.startswith("ArgumentTypeError"), refused
    assert "'f'" in refused and "does not match" in refused, refused
    assert Decimal(total) == Decimal("1.00") + Decimal("2.50")


def test_more_than_16_grouping_columns_is_an_essconv_error_naming_the_count():
    # a bare ValueError("at most 16 keys") left the project's one hierarchy (essconv.Error
    # missed it) and named neither what took the keys nor how many were given
    import essconv
    names = [f"c{j}" for j in range(17)]
    rows = [[f"v{(i * (j + 1)) % 3}" for j in range(17)] for i in range(40)]
    amounts = [Decimal(i) / 4 for i in range(40)]
    columns = {name: [row[j] for row in rows] for j, name in enumerate(names)}
    ledger = essconv.Ledger.from_columns({**columns, "m": amounts}, amount="m")
    with pytest.raises(essconv.InvalidValueError, match=r"at most 16 columns.*17"):
        ledger.group_by(*names).sum()
    # sixteen still group, against a dict of Decimal sums
    twin: dict[tuple, Decimal] = {}
    for row, amount in zip(rows, amounts):
        twin[tuple(row[:16])] = twin.get(tuple(row[:16]), Decimal(0)) + amount
    grouped = ledger.group_by(*names[:16]).sum()
    assert grouped.to_dict() == twin


# Arrow text offsets that go backwards or below zero (pyarrow's StringArray.from_buffers does
# not check them): the core read a label from before the characters' buffer (a heap read out
# of bounds, ASan's heap-buffer-overflow; far enough, a segfault), or took a text going
# backwards as empty, a label lost without a word.
TEXT_OFFSETS = """
    import struct
    import pyarrow as pa
    from decimal import Decimal
    import essconv
    offsets = {offsets!r}
    texts = pa.StringArray.from_buffers(3, pa.py_buffer(struct.pack("<4i", *offsets)),
                                        pa.py_buffer(b"abcdef"))
    amount = pa.array([Decimal(1), Decimal(2), Decimal(3)], pa.decimal128(12, 2))
    if {dictionary}:   # the texts as a dictionary's entries, each row its own
        texts = pa.DictionaryArray.from_arrays(pa.array([0, 1, 2], pa.int8()), texts)
    table = pa.table({{"f": texts, "m": amount}})
    try:
        essconv.Ledger.from_columns(table, amount="m")
        print("read")
    except essconv.Error as exc:
        print(type(exc).__name__, exc)
"""


@pytest.mark.parametrize("dictionary", [False, True])
@pytest.mark.parametrize("offsets", [(0, 1, -(1 << 30), 2), (0, 1, -100, 2), (0, 5, 2, 6)])
def test_arrow_text_offsets_out_of_order_are_refused_naming_column_and_row(offsets, dictionary):
    pytest.importorskip("pyarrow")
    done = run_isolated(TEXT_OFFSETS.format(offsets=offsets, dictionary=dictionary))
    assert done.returncode == 0, done.stderr[-2000:]
    said = done.stdout.strip()
    assert said.startswith("ArgumentTypeError"), said
    assert "'f'" in said and "offsets" in said, said
    # the first text whose offsets start below zero or go backwards, counted from 1
    first = next(k for k in range(3) if offsets[k] < 0 or offsets[k + 1] < offsets[k]) + 1
    assert f"{'entry' if dictionary else 'row'} {first}" in said, said


def test_a_foreign_arrow_export_of_no_capsule_or_a_consumed_one_is_an_essconv_error():
    # a capsule of another kind, no capsule, a pair of one, or a capsule a consumer already
    # took raised bare ValueErrors ("PyCapsule_GetPointer called with invalid PyCapsule
    # object") and a TypeError ("function takes exactly 2 arguments"): outside
    # `except essconv.Error`, and naming neither the export nor what it should give
    pa = pytest.importorskip("pyarrow")
    import essconv
    table = pa.table({"f": ["a"], "m": pa.array([Decimal(1)], pa.decimal128(5, 2))})
    taken = table.__arrow_c_stream__()
    schema_capsule = table.schema.__arrow_c_schema__()

    class Stream:
        def __init__(self, gives):
            self.gives = gives

        def __arrow_c_stream__(self, requested_schema=None):
            return self.gives

    class Array:
        def __init__(self, gives):
            self.gives = gives

        def __arrow_c_array__(self, requested_schema=None):
            return self.gives

    # a producer that caches its capsule: the first read takes it, the second is refused
    assert essconv.Ledger.from_columns(Stream(taken), amount="m").total() == Decimal(1)
    with pytest.raises(essconv.InvalidValueError, match="already consumed"):
        essconv.Ledger.from_columns(Stream(taken), amount="m")
    for hostile, named in [
                           (Stream(5), r"__arrow_c_stream__\(\) returned int"),
                           (Stream(schema_capsule), r"__arrow_c_stream__\(\) returned .*arrow_schema"),
                           (Array((5, 6)), r"__arrow_c_array__\(\) returned int"),
                           (Array((schema_capsule,)), r"tuple of 1"),
                           (Array((schema_capsule, schema_capsule)), r"arrow_schema")]:
        with pytest.raises(essconv.ArgumentTypeError, match=named):
            essconv.Ledger.from_columns(hostile, amount="m")


@pytest.mark.parametrize("gives", [None, 5, [b"f;m\n"], {"f": "a"}])
@pytest.mark.parametrize("reader", ["read_csv", "read_plan", "read_scdl"])
def test_a_file_object_whose_read_gives_no_bytes_is_an_essconv_error_naming_it(reader, gives):
    # read() of None, an int or a list reached the parsers as it was: "'NoneType' object is
    # not subscriptable", "a bytes-like object is required", outside `except essconv.Error`
    import essconv

    class Careless:
        name = "subventions.csv"

        def read(self, *size):
            return gives

    read = {"read_csv": lambda src: essconv.Ledger.read_csv(src, amount="m"),
            "read_plan": essconv.read_plan, "read_scdl": essconv.read_scdl}[reader]
    with pytest.raises(essconv.ArgumentTypeError,
                       match=rf"subventions\.csv.*read\(\) returned {type(gives).__name__}"):
        read(Careless())


@pytest.mark.parametrize("column, values", [
    ("x", "abc"),                 # one record's label: its characters became three rows
    ("m", "125"),                 # one record's amount: 1 + 2 + 5 euros
    ("x", b"ab"),                 # bytes: an int column of their byte values
    ("m", b"\x01\x02"),           # bytes as euros, one a byte
    ("x", {"a", "b"}),            # a set: its order is not the amount's, rows mispaired
    ("x", frozenset({"a"})),
    ("m", {125: "a"}),            # a mapping: its keys alone, its values dropped
])
def test_a_column_given_as_one_text_a_set_or_a_mapping_is_refused_naming_it(column, values):
    """``from_columns({"montant": "125", "nom": "abc"})``, one record written as a mapping of
    its cells, gave three records of 1, 2 and 5 euros named 'a', 'b' and 'c': a text, bytes, a
    set or a mapping is iterable, but none is a column's values in the order of its rows."""
    import essconv
    given = {"m": [125], "x": ["abc"]}
    given[column] = values
    with pytest.raises(essconv.ArgumentTypeError) as caught:
        essconv.Ledger.from_columns(given, amount="m")
    assert repr(column) in str(caught.value) and "sequence" in str(caught.value)


def test_the_sequences_a_column_is_given_as_still_read():
    import array

    import essconv
    ledger = essconv.Ledger.from_columns(
        {"m": (v for v in [1, 2]), "x": ("a", "b"), "i": range(2), "n": array.array("q", [3, 4]),
         "k": {"p": 0, "q": 0}.keys()}, amount="m")
    assert ledger.values("x") == ["a", "b"] and ledger.values("n") == [3, 4]
    assert ledger.values("k") == ["p", "q"] and ledger.total() == 3


def test_pandas_series_of_different_indexes_are_refused_not_paired_by_position():
    """``from_columns({"nom": a, "montant": m})`` with Series whose indexes differ paired
    their rows by position, where pandas pairs them by index label: 'x' took the amount
    pandas gives 'y', a sum per beneficiary wrong without a word."""
    pd = pytest.importorskip("pandas")
    import essconv
    a = pd.Series(["x", "y"], index=[0, 1])
    m = pd.Series(["1", "2"], index=[1, 0])
    with pytest.raises(essconv.InvalidValueError) as caught:
        essconv.Ledger.from_columns({"nom": a, "montant": m}, amount="montant")
    said = str(caught.value)
    assert "'nom'" in said and "'montant'" in said and "index" in said
    assert "reset_index" in said and "DataFrame" in said
    # indexes of other labels (a selection of each), or the same labels unlike in length
    with pytest.raises(essconv.InvalidValueError):
        essconv.Ledger.from_columns({"nom": a, "montant": pd.Series(["1", "2"], index=[5, 6])},
                                    amount="montant")


def test_pandas_series_of_one_index_and_a_frame_s_columns_still_read():
    pd = pytest.importorskip("pandas")
    import essconv
    frame = pd.DataFrame({"nom": ["x", "y"], "montant": ["1", "2"]}, index=[5, 3])
    for given in ({"nom": frame["nom"], "montant": frame["montant"]},
                  {"nom": pd.Series(["x", "y"]), "montant": pd.Series(["1", "2"], index=[0, 1])},
                  {"nom": frame["nom"], "montant": ["1", "2"]}):   # a list beside: positional
        ledger = essconv.Ledger.from_columns(given, amount="montant")
        assert ledger.head() == [{"nom": "x", "montant": Decimal("1")},
                                 {"nom": "y", "montant": Decimal("2")}]
    # a frame's columns share its index: read as Arrow, whatever that index
    frame = frame.assign(montant=[Decimal("1"), Decimal("2")])
    assert essconv.Ledger.from_columns(frame, amount="montant").values("nom") == ["x", "y"]


@pytest.mark.parametrize("column, cents", [("m", True), ("m", False), ("x", False)])
def test_a_column_of_more_than_one_dimension_is_refused_naming_it(column, cents):
    """A 2-D numpy array given as a column (``[[1, 2], [3, 4]]`` int64 cents) was flattened
    into 4 rows without a word: its rows and columns are no one column's values."""
    np = pytest.importorskip("numpy")
    import essconv
    given = {"m": np.array([1, 2], dtype="int64"), "x": np.array([3, 4], dtype="int64")}
    given[column] = np.array([[1, 2], [3, 4]], dtype="int64")
    with pytest.raises(essconv.ArgumentTypeError) as caught:
        essconv.Ledger.from_columns(given, amount="m", cents=cents)
    said = str(caught.value)
    assert repr(column) in said and "2 dimensions" in said
    # one value as an array of no dimension: one row in cents, a bare TypeError otherwise
    with pytest.raises(essconv.ArgumentTypeError, match=f"{column!r}.*0 dimensions"):
        essconv.Ledger.from_columns({**given, column: np.array(5, dtype="int64")},
                                    amount="m", cents=cents)
    with pytest.raises(essconv.ArgumentTypeError, match="'m'"):   # a buffer's view alike
        essconv.Ledger.from_columns({"m": memoryview(np.zeros((2, 2), dtype="int64"))},
                                    amount="m", cents=True)


@pytest.mark.parametrize("cell", [[1], (1, 2), {"a": 1}, {"a"}])
def test_a_label_cell_holding_a_list_or_a_mapping_is_refused_naming_its_row(cell):
    """``from_columns({"m": [1, 2], "x": ["a", [1]]})`` read the list as the label '[1]', its
    repr: a label no one wrote, grouped and exported as a funder's name."""
    import essconv
    with pytest.raises(essconv.ArgumentTypeError) as caught:
        essconv.Ledger.from_columns({"m": [1, 2], "x": ["a", cell]}, amount="m")
    said = str(caught.value)
    assert "'x'" in said and "row 2" in said and type(cell).__name__ in said
