"""Where each key of a TOML text is: its line and column, by the key path a description's
refusal names (``bodies[1].meetings_per_year``, ``relabel.beneficiaire.Old``, ``plan[0].unit``).

``tomllib`` keeps no positions, so a refusal named the file and the key alone.  This reads a
text ``tomllib`` already accepted a second time, keeping where each key starts: tables,
arrays of tables (``[[parties]]``, counted), dotted and quoted keys, inline tables and arrays
(an element by its index), strings on several lines skipped whole.  A path two places would
give (``"a.b" = 1`` beside ``a.b = 2``: both read ``a.b``) has no place: a refusal then names
its key path alone, never a wrong line.

Example: ``place_of('[convention]\\nstart = "x"\\n', "convention.start")`` -> ``(2, 1)``
"""
from __future__ import annotations

import re
import tomllib

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SPACE = " \t"


class _Lost(Exception):
    """The scanner cannot follow the text: caught in :func:`places`, it never leaves this
    module (a refusal then keeps its key path alone)."""


class _Scanner:
    """One pass over the text, filling ``places`` (key path -> offset of its key)."""

    def __init__(self, text: str) -> None:
        self.text, self.i = text, 0
        # a path as its keys and indices (("parties", 1, "code")): two paths the reader spells
        # alike ("a.b" quoted, a.b dotted) stay apart here, and are both left out at the end
        self.places: dict[tuple, int] = {}
        self.arrays: dict[tuple, int] = {}   # an array of tables' path -> its last index

    def place(self, path: tuple, at: int) -> None:
        """The first place a path is said (a table dotted keys make is said on several lines)."""
        self.places.setdefault(path, at)

    def skip(self, newlines: bool) -> None:
        """Spaces, and comments and line ends where ``newlines``."""
        text = self.text
        while self.i < len(text):
            char = text[self.i]
            if char in _SPACE or (newlines and char in "\r\n"):
                self.i += 1
            elif newlines and char == "#":
                while self.i < len(text) and text[self.i] != "\n":
                    self.i += 1
            else:
                return

    def key(self) -> list[tuple[str, int]]:
        """A dotted key's parts, each with its offset."""
        parts = []
        while True:
            self.skip(False)
            start, text = self.i, self.text
            if text.startswith('"', start) or text.startswith("'", start):
                end = self.string_end(start)
                part = tomllib.loads(f"k = {text[start:end]}")["k"]   # its escapes read
                self.i = end
            else:
                m = _BARE_KEY.match(text, start)
                if not m:
                    raise _Lost(f"no key at offset {start}")
                part, self.i = m.group(), m.end()
            parts.append((part, start))
            self.skip(False)
            if not self.text.startswith(".", self.i):
                return parts
            self.i += 1

    def string_end(self, start: int) -> int:
        """The offset just past the string starting at ``start`` (any of the four kinds)."""
        text = self.text
        for quotes in ('"""', "'''"):
            if text.startswith(quotes, start):
                i = start + 3
                while True:
                    if quotes == '"""' and text[i] == "\\":
                        i += 2
                    elif text.startswith(quotes, i):
                        i += 3
                        while i < len(text) and text[i] == quotes[0]:   # up to two more
                            i += 1
                        return i
                    else:
                        i += 1
        quote, i = text[start], start + 1
        while text[i] != quote:
            i += 2 if quote == '"' and text[i] == "\\" else 1
        return i + 1

    def value(self, path: tuple) -> None:
        text, start = self.text, self.i
        char = text[start]
        if char in "\"'":
            self.i = self.string_end(start)
        elif char == "[":
            self.i, index = start + 1, 0
            while True:
                self.skip(True)
                if text[self.i] == "]":
                    break
                self.place(path + (index,), self.i)
                self.value(path + (index,))
                index += 1
                self.skip(True)
                if text[self.i] == ",":
                    self.i += 1
                elif text[self.i] != "]":
                    raise _Lost(f"no ',' or ']' at offset {self.i}")
            self.i += 1
        elif char == "{":
            self.i = start + 1
            self.skip(False)
            while text[self.i] != "}":
                self.assignment(path)
                self.skip(False)
                if text[self.i] == ",":
                    self.i += 1
                    self.skip(False)
                elif text[self.i] != "}":
                    raise _Lost(f"no ',' or '}}' at offset {self.i}")
            self.i += 1
        else:   # a number, a boolean, a date or a time (which may hold one space)
            while self.i < len(text) and text[self.i] not in ",]}#\r\n":
                self.i += 1

    def assignment(self, table: tuple) -> None:
        """``key = value`` in ``table``: each dotted part's table placed where it is first
        said, the whole key where it is."""
        path = table
        parts = self.key()
        for part, at in parts:
            path += (part,)
            self.place(path, at)
        if not self.text.startswith("=", self.i):
            raise _Lost(f"no '=' at offset {self.i}")
        self.i += 1
        self.skip(False)
        self.value(path)

    def header(self) -> tuple:
        """``[table]`` or ``[[array]]``: the path of the table the lines below fill."""
        double = self.text.startswith("[[", self.i)
        at = self.i   # a table is where its header opens
        self.i += 2 if double else 1
        parts = self.key()
        path: tuple = ()
        for number, (part, part_at) in enumerate(parts):
            path += (part,)
            if number < len(parts) - 1:
                if path in self.arrays:
                    path += (self.arrays[path],)   # [[a.b]] fills the last a
                self.place(path, part_at)   # [a.b] alone makes a
        if double:
            self.place(path, at)   # the array: its first table
            index = self.arrays[path] = self.arrays.get(path, -1) + 1
            path += (index,)
        self.i += 2 if double else 1
        self.place(path, at)
        return path

    def document(self) -> None:
        table: tuple = ()
        while True:
            self.skip(True)
            if self.i >= len(self.text):
                return
            if self.text[self.i] == "[":
                table = self.header()
            else:
                self.assignment(table)


def places(text: str) -> dict[str, tuple[int, int]]:
    """Every key path of ``text`` (TOML that ``tomllib`` reads) with its key's 1-based line and
    column; a path two places give is left out, and so is every path of a text this cannot
    follow."""
    scanner = _Scanner(text)
    try:
        scanner.document()
    except (_Lost, IndexError, RecursionError, tomllib.TOMLDecodeError):
        return {}
    spelt: dict[str, list[int]] = {}
    for path, at in scanner.places.items():
        spelt.setdefault(_spelling(path), []).append(at)
    found = {}
    for path, ats in spelt.items():
        if len(ats) == 1:
            at = ats[0]
            found[path] = (text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1)
    return found


def _spelling(path: tuple) -> str:
    """A path as the reader's refusals spell it: ``parties[1].code``."""
    said = ""
    for step in path:
        said += f"[{step}]" if isinstance(step, int) else f".{step}" if said else step
    return said


def place_of(text: str, key_path: str) -> tuple[int, int] | None:
    """The line and column of ``key_path`` in ``text``, or None where it cannot be told."""
    return places(text).get(key_path)


_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def string_places(text: str, key_path: str) -> tuple[str, list[tuple[int, int]]] | None:
    """The string value of ``key_path`` as TOML reads it, with the line and column in ``text``
    of each of its characters (an escape such as ``\\t`` is placed at its backslash), and one
    more place after the last (the closing quote's): where a table written inside a TOML file
    (an inline plan) puts what it says about its own line and column.  None where it cannot
    be told (the key's place unknown, the value no string)."""
    found = place_of(text, key_path)
    if found is None:
        return None
    line_starts = [0]
    for k, char in enumerate(text):
        if char == "\n":
            line_starts.append(k + 1)
    i = line_starts[found[0] - 1] + found[1] - 1
    while i < len(text) and text[i] not in "=\n":   # the key, quoted or bare, and spaces
        if text[i] in "\"'":
            i = text.find(text[i], i + 1) + 1
            if i == 0:
                return None
        else:
            i += 1
    if i >= len(text) or text[i] != "=":
        return None
    i += 1
    while i < len(text) and text[i] in _SPACE:
        i += 1
    opener = next((q for q in ('"""', "'''", '"', "'") if text.startswith(q, i)), None)
    if opener is None:
        return None
    i += len(opener)
    many, basic = len(opener) == 3, opener[0] == '"'
    if many and text.startswith("\r\n", i):   # a line end right after the opener is none
        i += 2
    elif many and text.startswith("\n", i):
        i += 1
    chars: list[str] = []
    offsets: list[int] = []
    while i < len(text):
        if text.startswith(opener, i):
            # a multi-line string may end on one or two quotes of its own before the closer
            extra = 0
            while many and extra < 2 and text.startswith(opener[0], i + len(opener) + extra):
                extra += 1
            for k in range(extra):
                chars.append(opener[0])
                offsets.append(i + k)
            i += extra
            break
        char = text[i]
        if basic and char == "\\":
            nxt = text[i + 1:i + 2]
            if nxt in _ESCAPES:
                chars.append(_ESCAPES[nxt])
                offsets.append(i)
                i += 2
            elif nxt in ("u", "U"):
                size = 4 if nxt == "u" else 8
                try:
                    chars.append(chr(int(text[i + 2:i + 2 + size], 16)))
                except ValueError:
                    return None
                offsets.append(i)
                i += 2 + size
            elif many and nxt in _SPACE + "\r\n":
                # a line-ending backslash: the spaces and line ends after it are no text
                i += 1
                while i < len(text) and text[i] in _SPACE + "\r\n":
                    i += 1
            else:
                return None
            continue
        if many and text.startswith("\r\n", i):
            chars.append("\n")
            offsets.append(i)
            i += 2
            continue
        chars.append(char)
        offsets.append(i)
        i += 1
    else:
        return None
    offsets.append(i)   # after the last character: the closing quote

    def place(at: int) -> tuple[int, int]:
        import bisect
        row = bisect.bisect_right(line_starts, at)
        return row, at - line_starts[row - 1] + 1
    return "".join(chars), [place(at) for at in offsets]


__all__ = ["place_of", "places", "string_places"]
