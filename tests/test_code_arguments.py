"""A funder code, a label or an axis number given to the convention's look-ups the way a
notebook user may give them: None, a number, bytes, a str with a NUL or a lone surrogate, one
code where a list is expected.  Each is refused with essconv's own error naming the argument,
or answered truly -- never a bare TypeError from the core, nor "CDC\\x00x" found as "CDC"."""
from __future__ import annotations

import pytest

import essconv
from essconv.errors import ArgumentTypeError, InvalidValueError, UnknownLabelError


@pytest.fixture(scope="module")
def conv():
    return essconv.default()


BY_CODE = {
    "party": (lambda c, v: c.party(v), "code"),
    "party_of": (lambda c, v: c.party_of(v), "code"),
    "party_named": (lambda c, v: c.party_named(v), "label"),
    "nearest_party": (lambda c, v: c.nearest_party(v), "code"),
    "other_funder": (lambda c, v: c.other_funder(v), "code"),
    "commitments_of": (lambda c, v: c.commitments_of(v), "code"),
}


@pytest.mark.parametrize("method", sorted(BY_CODE))
@pytest.mark.parametrize("value", [None, 3, 3.0, True, b"CDC", ["CDC"]])
def test_a_code_that_is_no_str_is_refused_naming_the_argument(conv, method, value):
    call, argument = BY_CODE[method]
    with pytest.raises(ArgumentTypeError) as caught:
        call(conv, value)
    assert str(caught.value).startswith(f"{argument} must be a str")
    assert type(value).__name__ in str(caught.value)


@pytest.mark.parametrize("method", sorted(BY_CODE))
def test_a_code_holding_a_lone_surrogate_is_refused_naming_the_argument(conv, method):
    call, argument = BY_CODE[method]
    with pytest.raises(InvalidValueError) as caught:
        call(conv, "CD\udc80C")
    assert str(caught.value).startswith(f"{argument}: 'CD\\udc80C' holds a lone surrogate "
                                        f"('\\udc80', character 3)")


def test_a_code_holding_a_nul_is_no_party(conv):
    # the core read a code up to its NUL: "CDC\x00x" was the Caisse des Dépôts.  Against the
    # obvious twin: a code with a NUL in it equals no code, alias or name of any party
    known = {n for p in conv.parties for n in (p.code, p.name, *p.aliases)}
    for name in sorted(known):
        for spoiled in (name + "\x00", name + "\x00x", name[:1] + "\x00" + name[1:]):
            assert spoiled not in known
            assert conv.party_of(spoiled) is None, spoiled
            assert conv.party_named(spoiled) is None, spoiled
            assert conv.nearest_party(spoiled) is None, spoiled
            with pytest.raises(UnknownLabelError):
                conv.party(spoiled)
    assert conv.other_funder("FSE\x00") is None
    assert conv.party_of("CDC").code == "CDC"   # and the code itself still is


def test_one_code_given_as_the_funders_is_refused_not_read_letter_by_letter(conv):
    with pytest.raises(ArgumentTypeError, match=r"funders must be a list of codes, not one "
                                                r"str 'CDC': write \['CDC'\]"):
        conv.party_groups("CDC")
    assert conv.party_groups(["CDC"]) == (["CDC"], [0])


@pytest.mark.parametrize("number", [True, 3.0, "3", None])
def test_an_axis_number_that_is_no_int_is_refused(conv, number):
    # True was the axis 1 and 3.0 the axis 3
    with pytest.raises(ArgumentTypeError, match=r"^number must be an axis number as an int"):
        conv.axis(number)


def test_an_axis_number_from_a_table_is_a_number(conv):
    np = pytest.importorskip("numpy")
    assert conv.axis(np.int64(3)) is conv.axis(3)
    assert [a.number for a in conv.axes] == [conv.axis(a.number).number for a in conv.axes]


@pytest.mark.parametrize("funders", [3, None, 2.5, object()])
def test_funders_that_are_no_list_are_refused_naming_the_argument(conv, funders):
    # a number or None escaped as a bare TypeError "'int' object is not iterable"
    with pytest.raises(ArgumentTypeError, match=r"^funders must be a list of codes"):
        conv.party_groups(funders)


def test_a_funder_that_is_no_code_is_named_by_its_place(conv):
    with pytest.raises(ArgumentTypeError, match=r"^funders\[1\] must be a str"):
        conv.party_groups(["CDC", 3])
    # a generator is a list of codes as well as a list is
    assert conv.party_groups(f for f in ["CDC", "DRASS"]) == conv.party_groups(["CDC", "DRASS"])


@pytest.mark.parametrize("group", [["Soutenir la création d'activité"], 3, b"x", ("a",)])
def test_a_group_that_is_no_label_is_refused_naming_the_argument(conv, group):
    # a list escaped as a bare "unhashable type: 'list'"; axis_key(3) answered 3
    with pytest.raises(ArgumentTypeError, match=r"^group must be a str"):
        conv.axis_for(group)
    with pytest.raises(ArgumentTypeError, match=r"^group must be a str"):
        conv.axis_key(group)


def test_a_group_label_still_finds_its_axis(conv):
    # against the description's own list: each group an axis claims is keyed by that axis
    for axis in conv.axes:
        for group in axis.plan_groups:
            assert conv.axis_for(group) is axis
            assert conv.axis_key(group) == f"Axe {axis.number}"
    assert conv.axis_for(None) is None and conv.axis_for("") is None
    assert conv.axis_key("Hors axe") == "Hors axe"
