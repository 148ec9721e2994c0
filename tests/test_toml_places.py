"""A description's refusal names file:line:column of the key it is about (tomllib keeps no
positions): the key path -> place mapping of essconv.toml_places, against the parsed TOML
(every path it gives is one tomllib reads, every path tomllib reads it places, each at the key
as written) and against places the tests find in the text themselves."""
import tomllib
from importlib import resources

import pytest

import essconv
from essconv.messages import language
from essconv.toml_places import place_of, places

HEAD = '''[convention]
title = "T"
territory = "B"
start = 2020-01-01
end = 2021-12-31
'''


def paths_of(value, path=""):
    """Every key path of parsed TOML, the reader's way: ``a.b``, ``a[0].b``."""
    found = set()
    if isinstance(value, dict):
        for key, item in value.items():
            sub = f"{path}.{key}" if path else key
            found |= {sub} | paths_of(item, sub)
    elif isinstance(value, list):
        for k, item in enumerate(value):
            found |= {f"{path}[{k}]"} | paths_of(item, f"{path}[{k}]")
    return found


def _spellings(value, path, prefix=""):
    """Each way of reaching ``path`` in parsed TOML (one per dict key or index that spells it)."""
    if prefix == path:
        yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _spellings(item, path, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list):
        for k, item in enumerate(value):
            yield from _spellings(item, path, f"{prefix}[{k}]")


def written_at(path, shown):
    """Whether ``shown`` (the text from a place on) begins with the key ``path`` ends with: its
    last key bare or quoted, or a header ``[...]`` naming it; an array element is anywhere."""
    import re
    if shown.startswith("[[") or (shown.startswith("[") and not path.endswith("]")):
        header = shown.split("]")[0]
        return re.sub(r"\[\d+\]$", "", path).rsplit(".", 1)[-1].split("[")[0] in header
    if path.endswith("]"):
        return True
    m = re.match(r'("(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_-]+)', shown)
    key = tomllib.loads(f"k = {m.group()}")["k"] if m.group()[0] in "\"'" else m.group()
    return path == key or path.endswith("." + key)


def where(text, needle, after=""):
    """The line and column of ``needle`` in ``text`` (the first after ``after``), found by the
    test alone."""
    at = text.index(needle, text.index(after) if after else 0)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


AWKWARD = '''# a comment with [brackets] and key = "value"
title = """a string
[not.a.table]
meetings_per_year = 3 \\"""
still = 1
"""
literal = \'\'\'C:\\path [x]
name = 2\'\'\'
"quoted key" = 1
'dotted.literal' = 2
site.city = "Lille"  # dotted keys
site."zip code" = "59000"
when = 1979-05-27 07:32:00
inline = { text = "x, y", by = { code = "CR" }, list = [1, [2, 3]] }
array = [
  "one", # comment
  { code = "A" },
  \'\'\'
  two\'\'\',
]

[[parties]]
code = "CR"

[[parties]]
code = "CG59"
aliases = ["Nord", "CG 59"]

[parties.extra]
note = "for the second party"

[[parties.sirets]]
number = "1"

[[plan]]
year = 2009
table = """
Action\tCR
code = 12\t4
"""

[[plan]]
year = 2010
'''


def test_every_key_tomllib_reads_is_placed_at_the_key_as_written():
    found = places(AWKWARD)
    assert set(found) == paths_of(tomllib.loads(AWKWARD))
    lines = AWKWARD.split("\n")
    for path, (line, column) in found.items():
        assert written_at(path, lines[line - 1][column - 1:]), path


@pytest.mark.parametrize("path, needle, after", [
    ("title", "title", ""), ('quoted key', '"quoted key"', ""),
    ("dotted.literal", "'dotted.literal'", ""), ("site.zip code", '"zip code"', ""),
    ("site", "site.city", ""), ("when", "when", ""), ("inline.by", "by = {", ""),
    ("inline.by.code", "code", "by = {"), ("inline.list[1]", "[2, 3]", ""),
    ("array[1]", '{ code = "A" }', ""), ("array[1].code", 'code = "A"', ""),
    ("array[2]", "\'\'\'\n  two", ""),
    ("parties", "[[parties]]", ""), ("parties[0]", "[[parties]]", ""),
    ("parties[1]", "[[parties]]", 'code = "CR"\n'),
    ("parties[0].code", "code", "[[parties]]"), ("parties[1].code", 'code = "CG59"', ""),
    ("parties[1].aliases[1]", '"CG 59"', ""), ("parties[1].extra", "[parties.extra]", ""),
    ("parties[1].extra.note", "note", ""), ("parties[1].sirets", "[[parties.sirets]]", ""),
    ("parties[1].sirets[0].number", "number", ""),
    ("plan[1].year", "year = 2010", ""), ("plan[0].table", "table", "[[plan]]"),
])
def test_a_key_path_is_placed_where_the_text_says_it(path, needle, after):
    assert place_of(AWKWARD, path) == where(AWKWARD, needle, after)


def test_nothing_in_a_string_on_several_lines_or_a_comment_is_a_key():
    found = places(AWKWARD)
    assert not {"not.a.table", "meetings_per_year", "still", "name", "key"} & set(found)
    assert "plan[0].code" not in found and "Action" not in found


@pytest.mark.parametrize("text, alone", [
    ('"a.b" = 1\na.b = 2\n', {"a": (2, 1)}),
    ('["a.b"]\nx = 1\n[a]\nb.y = 2\n', {"a": (3, 1), "a.b.y": (4, 3)}),
    ('"p[0]" = 1\n[[p]]\nq = 2\n', {"p": (2, 1), "p[0].q": (3, 1)}),
])
def test_a_path_two_places_give_has_no_place(text, alone):
    """"a.b" (one quoted key) and a.b (a dotted one) both read "a.b": no line is the line."""
    data = tomllib.loads(text)
    twice = {p for p in paths_of(data) if sum(1 for _ in _spellings(data, p)) > 1}
    assert twice and all(place_of(text, p) is None for p in twice)
    assert {p: place_of(text, p) for p in alone} == alone


def test_the_embedded_description_is_placed_whole():
    text = resources.files("essconv").joinpath(
        "data", essconv.description.DEFAULT_DESCRIPTION).read_text(encoding="utf-8")
    found = places(text)
    data = tomllib.loads(text)
    assert set(found) == paths_of(data)
    lines = text.split("\n")
    for path, (line, column) in found.items():
        assert written_at(path, lines[line - 1][column - 1:]), path


def load(tmp_path, text):
    path = tmp_path / "conv.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(essconv.DescriptionError) as info:
        essconv.load(path)
    return path, text, info.value


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("body, key, needle, after", [
    ('[[bodies]]\nname = "C"\nmeetings_per_year = 2\nmembers = []\nroles = []\n'
     '[[bodies]]\nname = "D"\nmeetings_per_year = "deux"\nmembers = []\nroles = []\n',
     "bodies[1].meetings_per_year", "meetings_per_year", 'name = "D"'),
    ('[[bodies]]\nname = "C"\nmeetings_per_year = 2\nmembers = ["a", 3]\nroles = []\n',
     "bodies[0].members[1]", "3]", ""),
    ('[[parties]]\ncode = "CR"\nname = "R"\nkind = "regon"\n', "parties[0].kind", "kind", ""),
    ('[relabel.beneficiaire]\n"Ville de Lille" = 3\n', 'relabel.beneficiaire.Ville de Lille',
     '"Ville de Lille"', ""),
    ('bodies = [{ name = "C", meetings_per_year = 2, members = [], roles = [], colour = 1 }]\n',
     "bodies[0].colour", "colour", ""),
    ('[[bodies]]\nname = "C"\nmeetings_per_year = 366\nmembers = []\nroles = []\n',
     "bodies[0].meetings_per_year", "meetings_per_year", ""),
    ('[convention.extra]\nnote = """\n[[bodies]]\nfoo = 1\n"""\n', "convention.extra", "[convention.extra]", ""),
])
def test_a_refused_key_is_named_at_its_line_and_column(tmp_path, lang, body, key, needle, after):
    # a table the text writes inline goes before [convention], at the top level
    text = body + HEAD if body.startswith("bodies = ") else HEAD + body
    path, text, error = load(tmp_path, text)
    line, column = where(text, needle, after)
    assert error.key == key and (error.line, error.column) == (line, column)
    said = language(lang).refusal(error)
    assert said.startswith(f"{path}:{line}:{column} [{key}]: "), said


def test_a_key_not_in_the_file_keeps_its_key_path_alone(tmp_path):
    """A missing key is written nowhere: no line rather than a wrong one."""
    path, _, error = load(tmp_path, HEAD + '[[bodies]]\nname = "C"\nmembers = []\nroles = []\n')
    assert error.key == "bodies[0].meetings_per_year" and (error.line, error.column) == (0, 0)
    assert str(error).startswith(f"{path} [bodies[0].meetings_per_year]: ")


def test_a_byte_order_mark_does_not_shift_the_place(tmp_path):
    path = tmp_path / "bom.toml"
    text = HEAD + '[[parties]]\ncode = "CR"\nname = "R"\nkind = "regon"\n'
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    with pytest.raises(essconv.DescriptionError) as info:
        essconv.load(path)
    assert (info.value.line, info.value.column) == where(text, "kind")


@pytest.mark.parametrize("text", [
    "a = [1, 2,]\r\nb = {}\r\n[t]\r\nc = 'x'\r\n",
    "x = " + "[" * 300 + "]" * 300 + "\n",
    'k = """\\\n  line ends escaped \\"""\n  still in"""\nz = 1\n',
    "k = '''it''''' \ny = 2\n",
])
def test_odd_texts_tomllib_reads_are_placed_whole(text):
    """CRLF, trailing commas, empty inline tables, deep arrays, quotes closing a string on
    several lines: every path tomllib reads is placed, none other."""
    assert set(places(text)) == paths_of(tomllib.loads(text))
