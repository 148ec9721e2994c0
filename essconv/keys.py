"""What a group's key may be when groups of several aggregates are merged into one table.

A key column holds one kind of value -- labels, ints or dates -- and a table built from keys
of several kinds wrote each as its text: the year 2017 of a file read with ints and the label
"2017" of a file read as text became two lines both reading "2017", and ``to_dict`` kept one
of them (the other's grants vanished from the year's total).  Which of the two the analyst
meant (the same year? a code that only looks like one?) is theirs to say, so such a merge is
refused, naming the column and both kinds.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable

from .errors import InvalidValueError


def _kind(value: Any) -> str:
    if isinstance(value, _dt.date):
        return "date"
    if isinstance(value, int) and not isinstance(value, bool):
        return "int"
    return "text"


def refuse_mixed_key_kinds(dims: list[str], keys: Iterable[Any]) -> None:
    """Raises InvalidValueError when a key column of ``keys`` (scalars for one dim, tuples for
    several; None is a missing key, of any kind) holds values of two kinds."""
    seen: list[dict[str, Any]] = [{} for _ in dims]
    for key in keys:
        for k, value in enumerate(key if len(dims) > 1 else (key,)):
            if value is not None:
                seen[k].setdefault(_kind(value), value)
    for name, kinds in zip(dims, seen):
        if len(kinds) > 1:
            shown = " and ".join(f"{kind} ({value!r})" for kind, value in sorted(kinds.items()))
            raise InvalidValueError(
                f"the key {name!r} holds {shown} in the aggregates combined: one file read it "
                f"as text, the other as ints or dates, and {list(kinds.values())[0]!r} beside "
                f"{list(kinds.values())[1]!r} would be two groups; read {name!r} the same way "
                f"in every ledger (ints=[...] / dims=[...]) before grouping")
