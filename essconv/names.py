"""One beneficiary, one name: labels that are probably the same entity, and merging them.

Grant files spell one beneficiary several ways ("Departement du Lot" / "Département du Lot",
"Asso. Les Amis" / "ASSOCIATION LES AMIS"), and each spelling is a group of its own in a
group-by.  :meth:`Ledger.similar_labels <essconv.Ledger.similar_labels>` lists the groups of
labels that are probably one entity, for two reasons:

- ``same-siret``: one SIRET written with different names (by default the SIRET column of an
  SCDL name column: ``idBeneficiaire`` for ``nomBeneficiaire``, ``idAttribuant`` for
  ``nomAttribuant``; ``siret=`` names another); the SIRET is compared without its spaces;
- ``same-name``: names equal once folded -- case and Latin accents (precomposed "é" or
  decomposed "e" + U+0301, as macOS writes it), points
  ("S.A.R.L."), punctuation, spacing, and the words of a legal form (association, asso, assoc,
  sarl, sas, sasu, sa, scop, scic, eurl) -- by the core's key (``essconv._core.label_key``,
  relabel.c says each rule).  "Fondation", "Société", "Union" are not dropped: they are part of
  names, and dropping them would merge distinct entities.

The key is computed once per distinct label, in C; the counts and exact sums of each label come
from the ledger's group-by (one pass over the codes).  A label may be in a ``same-siret`` group
and a ``same-name`` group at once.

:meth:`Ledger.relabel <essconv.Ledger.relabel>` merges labels: it returns a **new ledger** whose
column's dictionary is rewritten (its codes remapped in one pass in C, the amounts untouched, the
other columns copied as they are), sharing nothing mutable with the ledger it came from -- so a
thread reading the old one, or an aggregate made from it, never sees a label change under it.

A mapping can be kept with a convention (``[relabel.nomBeneficiaire]`` in its description, see
:mod:`essconv.description`) and applied to each year's files with ``conv.relabel(ledger)``.

    >>> import essconv
    >>> ledger = essconv.Ledger.from_columns(
    ...     {"nomBeneficiaire": ["Département du Lot", "Departement du Lot", "Asso. Les Amis",
    ...                          "Association Les Amis", "Mairie"],
    ...      "montant": ["100", "50", "10", "5", "1"]}, amount="montant")
    >>> similar = ledger.similar_labels("nomBeneficiaire")
    >>> [[c.label for c in g.labels] for g in similar]
    [['Département du Lot', 'Departement du Lot'], ['Asso. Les Amis', 'Association Les Amis']]
    >>> merged = ledger.relabel("nomBeneficiaire", similar.mapping())
    >>> merged.group_by("nomBeneficiaire").sum().to_dict()
    {'Département du Lot': Decimal('150'), 'Asso. Les Amis': Decimal('15'), 'Mairie': Decimal('1')}
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterator, Mapping

import essconv._core as _core
from .errors import MoneyOverflowError, RelabelError, UnknownLabelError, names_listed
from .money import from_cents

# Below the ledger: the ledger is read, never imported (the floor above); a new one is type(ledger)(...).

#: why a group's labels are probably one entity
REASONS = ("same-siret", "same-name")


@dataclass(frozen=True)
class LabelCount:
    """One spelling: the label as the file writes it, its records and their exact sum."""

    label: str
    records: int
    amount: Decimal


@dataclass(frozen=True)
class LabelGroup:
    """Labels that are probably one entity, most records first.  ``reason`` is ``same-siret``
    (``key`` is the SIRET) or ``same-name`` (``key`` is the folded name)."""

    reason: str
    key: str
    labels: tuple[LabelCount, ...]

    @property
    def records(self) -> int:
        return sum(c.records for c in self.labels)

    @property
    def amount(self) -> Decimal:
        return sum((c.amount for c in self.labels), Decimal(0))

    @property
    def canonical(self) -> str:
        """The spelling the others would become: the one with most records (then the larger
        amount, then the first in the file)."""
        return self.labels[0].label


class SimilarLabels:
    """The groups :meth:`Ledger.similar_labels <essconv.Ledger.similar_labels>` found, largest
    amount first: a sequence of :class:`LabelGroup`, with a text and an HTML display."""

    def __init__(self, column: str, groups: list[LabelGroup], siret: str | None,
                 totals: Mapping[str, tuple[int, Decimal]] | None = None) -> None:
        self.column = column
        self.groups = groups
        #: the SIRET column compared, or None
        self.siret = siret
        # each grouped label's records and sum over the whole ledger: a same-siret group counts
        # only the records of its SIRET, so its counts cannot weigh a label against another
        self._totals = dict(totals or {})

    def __len__(self) -> int:
        return len(self.groups)

    def __iter__(self) -> Iterator[LabelGroup]:
        return iter(self.groups)

    def __getitem__(self, i: int) -> LabelGroup:
        return self.groups[i]

    def mapping(self) -> dict[str, str]:
        """``{spelling: canonical spelling}`` merging every group, ready for :meth:`relabel
        <essconv.Ledger.relabel>` -- a suggestion to review: groups that share a label are
        merged into one, whose canonical spelling has the most records of them all (then the
        larger amount, then the first listed)."""
        parent: dict[str, str] = {}

        def root(label: str) -> str:
            while parent.setdefault(label, label) != label:
                parent[label] = parent[parent[label]]
                label = parent[label]
            return label

        # weighed by the label's records in the whole ledger, as documented: the largest count
        # one group saw was a SIRET's share of them, and picked "Beta" (3 of SIRET 111) over
        # "Alpha" (4 in all, 2 under each SIRET)
        weight: dict[str, tuple[int, Decimal]] = {}
        order: dict[str, int] = {}
        for g in self.groups:
            for c in g.labels:
                weight[c.label] = self._totals.get(c.label) or max(
                    weight.get(c.label, (0, Decimal(0))), (c.records, c.amount))
                order.setdefault(c.label, len(order))
                parent[root(c.label)] = root(g.labels[0].label)
        members: dict[str, list[str]] = {}
        for label in parent:
            members.setdefault(root(label), []).append(label)
        out: dict[str, str] = {}
        for labels in members.values():
            best = min(labels, key=lambda l: (-weight[l][0], -weight[l][1], order[l]))
            out.update({l: best for l in labels if l != best})
        return out

    def to_toml(self) -> str:
        """The mapping as a ``[relabel.<column>]`` section of a convention description, so the
        next year's files get the same treatment (see :mod:`essconv.description`)."""
        def quoted(text: str) -> str:
            return '"' + "".join(_TOML_ESCAPES.get(ch, ch if ch.isprintable() else
                                                   f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else
                                                   f"\\U{ord(ch):08x}") for ch in text) + '"'
        lines = [f"[relabel.{quoted(self.column)}]"]
        lines += [f"{quoted(old)} = {quoted(new)}" for old, new in self.mapping().items()]
        return "\n".join(lines) + "\n"

    def __repr__(self) -> str:
        from .messages import language
        english = language("en")   # a repr speaks English; its counts in their number
        # the distinct spellings: one found by its SIRET and by its folded name is in two
        # groups, and was counted twice ("2 groups, 4 labels" of two spellings)
        labels = len({c.label for g in self for c in g.labels})
        return (f"<SimilarLabels of {self.column!r}: {english.counted('agg_groups', len(self))}, "
                f"{english.counted('similar_labels', labels)}>")

    def __str__(self) -> str:
        from .display import similar_labels_text
        return similar_labels_text(self)

    def _repr_html_(self) -> str:
        from .display import similar_labels_html
        return similar_labels_html(self)


_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def similar_labels(ledger: "Ledger", column: str, *, siret: str | bool | None = None) -> SimilarLabels:
    """The groups of labels of ``column`` that are probably one entity (see the module).
    ``siret``: the SIRET column to compare (default :func:`siret_column`; False for none)."""
    _label_column(ledger, column)
    if siret is None:
        siret = siret_column(ledger, column) or False
    groups: list[LabelGroup] = []
    code_of: dict[str, int] = {}   # each grouped label's code, for its totals below
    if siret:
        groups += _same_siret(ledger, column, str(siret), code_of)
    # the group-by on the column after the SIRET's: every code seen there has its totals here
    cells = _group_cells(ledger, column)
    groups += _same_name(ledger, column, cells, code_of)
    groups.sort(key=lambda g: (-g.amount, REASONS.index(g.reason), g.key))
    by_code = {code: (records, cents) for code, records, cents in zip(*cells)}
    totals = {label: (by_code[code][0], from_cents(by_code[code][1]))
              for label, code in code_of.items() if code in by_code}
    return SimilarLabels(column, groups, str(siret) if siret else None, totals)


def siret_column(ledger: "Ledger", column: str) -> str | None:
    """The SIRET column that goes with a name column in an SCDL file: ``idBeneficiaire`` for
    ``nomBeneficiaire``, ``idAttribuant`` for ``nomAttribuant`` (``id`` + what follows ``nom``);
    None for a column that names no one (``nature``, ``objet``) or when the ledger has no such
    column."""
    wanted = "id" + column[3:] if column.startswith("nom") and len(column) > 3 else None
    return wanted if wanted in ledger.columns else None


def _label_column(ledger: "Ledger", column: str) -> int:
    kind = ledger.kinds.get(column)
    if kind is None:
        raise UnknownLabelError(f"no column {column!r}; the ledger's columns: "
                                f"{names_listed(ledger.columns)}")
    if kind != "label":
        raise RelabelError(f"column {column!r} holds {kind}s, not labels")
    return ledger.columns.index(column)


def _group_cells(ledger: "Ledger", *columns: str) -> list[list[int]]:
    """The ledger's group-by on ``columns``, as ints: each group's key codes (a label column's
    codes are the ledger's own: the aggregate copies the dictionary whole; an int column's
    values), its records and its sum in cents -- no Decimal made for groups nobody shows."""
    table = ledger.group_by(*columns).agg().to_ledger()
    cells = []
    for name in (*columns, "count", "sum"):
        with table.column(name) as view:
            cells.append(view.tolist())
    return cells


def _groups(reason: str, ledger: "Ledger", column: str,
            spellings: Mapping[str, Mapping[int, list[int]]],
            code_of: dict[str, int]) -> list[LabelGroup]:
    """The groups of ``spellings`` (key -> {label code: [records, cents]}) that hold two labels
    or more, each label's text fetched then: a ledger of a million names converts only those."""
    kept = {key: codes for key, codes in spellings.items() if len(codes) > 1}
    wanted = [code for codes in kept.values() for code in codes]
    text = dict(zip(wanted, ledger._core.labels_of(ledger.columns.index(column), wanted)))
    code_of.update((label, code) for code, label in text.items())
    # most records first, then the larger amount, then the first seen (the lower code)
    return [LabelGroup(reason, key, tuple(
                LabelCount(text[code], records, from_cents(cents)) for code, (records, cents)
                in sorted(codes.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))))
            for key, codes in kept.items()]


def _same_name(ledger: "Ledger", column: str, cells: list[list[int]],
               code_of: dict[str, int]) -> list[LabelGroup]:
    index = _label_column(ledger, column)
    # the group-by first (cells): the dictionary only grows (an extend from another thread), so
    # every code it gives has a key in the keys read after it
    codes, counts, cents = cells
    key_bytes, _ = ledger._core.label_keys(index)
    key_of = memoryview(key_bytes).cast("i").tolist()
    # most keys are one label's: those are left at once (counted in C by Counter)
    shared = {key for key, labels in Counter(key_of).items() if labels > 1 and key >= 0}
    spellings: dict[int, dict[int, list[int]]] = {}
    for code, records, amount in zip(codes, counts, cents):
        if code >= 0 and key_of[code] in shared:        # a missing label, or no letter: no key
            spellings.setdefault(key_of[code], {})[code] = [records, amount]
    groups = _groups("same-name", ledger, column, spellings, code_of)
    return [LabelGroup(g.reason, _core.label_key(g.labels[0].label), g.labels) for g in groups]


_INT_MISSING = -(2**63)


def _same_siret(ledger: "Ledger", column: str, siret: str,
                code_of: dict[str, int]) -> list[LabelGroup]:
    kind = ledger.kinds.get(siret)
    if kind is None:
        raise UnknownLabelError(f"no SIRET column {siret!r}; the ledger's columns: "
                                f"{names_listed(ledger.columns)}")
    if kind not in ("label", "int"):
        raise RelabelError(f"column {siret!r} holds {kind}s, not SIRETs")
    numbers, codes, counts, cents = _group_cells(ledger, siret, column)
    # by code, read after: every code is there
    texts = ledger.dictionary(siret) if kind == "label" else None
    spellings: dict[str, dict[int, list[int]]] = {}
    for number, code, records, amount in zip(numbers, codes, counts, cents):
        if code < 0 or (number < 0 if texts is not None else number == _INT_MISSING):
            continue
        key = "".join((texts[number] if texts is not None else str(number)).split())
        if key:
            entry = spellings.setdefault(key, {}).setdefault(code, [0, 0])
            entry[0] += records
            entry[1] += amount   # one label under two spellings of one SIRET: checked as the core adds
            if not _INT_MISSING <= entry[1] < -_INT_MISSING:
                error = MoneyOverflowError(f"the records of SIRET {key} sum past int64 cents "
                                           f"under one of its names", path=ledger.path)
                error.below = entry[1] < 0   # its side, as the core says a group's
                raise error
    return _groups("same-siret", ledger, column, spellings, code_of)


#: what readers trim around a cell (text.c): ASCII white space and the no-break, narrow
#: no-break, thin and figure spaces
_READER_SPACES = " \t\r\n\u00a0\u202f\u2009\u2007"


def relabel_targets(mapping: Mapping[str, str]) -> dict[str, str]:
    """``mapping`` checked and its targets trimmed, as :func:`relabel` applies it: labels and
    targets are ``str`` with no lone surrogate, no target is blank, and no new label is itself
    renamed.  A description's ``[relabel.<column>]`` is checked with it when it is loaded, so a
    fault is said then, not in the year its mapping is first applied.  Raises RelabelError."""
    wanted = {}
    for old, new in dict(mapping).items():
        if not isinstance(old, str) or not isinstance(new, str):
            raise RelabelError(f"a relabel maps labels to labels (str): {old!r} -> {new!r}")
        for text in (old, new):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:   # the core's encoding raised a bare UnicodeEncodeError
                raise RelabelError(f"{text!r} holds a lone surrogate, no text a label can "
                                   f"hold: {old!r} -> {new!r}") from None
        # a label is text: from_columns and a CSV file refuse one holding a NUL, which C reads
        # up to (a pivot's two lines "Oise\0x" and "Oise\0y" one line "Oise")
        if "\x00" in new:
            raise RelabelError(f"{old!r} -> {new!r}: the target {new!r} holds a NUL character "
                               f"at character {new.index(chr(0)) + 1}: no label is written so")
        # "B " beside "B", or a blank label that is not missing: labels no reader makes
        trimmed = new.strip(_READER_SPACES)
        if not trimmed:
            raise RelabelError(f"{old!r} -> {new!r}: a blank target is no label (a reader reads "
                               f"a blank cell as missing); filter the rows out instead")
        wanted[old] = trimmed
    chained = sorted(new for old, new in wanted.items() if new in wanted and wanted[new] != new
                     and old != new)
    if chained:
        raise RelabelError(f"{chained[0]!r} is a new label and is itself renamed to "
                           f"{wanted[chained[0]]!r}: map each old label to its final one")
    return wanted


def relabel(ledger: "Ledger", column: str, mapping: Mapping[str, str], *,
            absent: str = "raise") -> "Ledger":
    """A new ledger whose ``column`` has each label of ``mapping`` replaced by its value.  A
    chain (``{"A": "B", "B": "C"}``) is refused: say ``"A": "C"``.

    A label of ``mapping`` no row of the column holds (a typo, "CDX" for "CDC", left the label
    meant unchanged and its total apart) is refused, naming it and the close labels the rows
    hold; ``absent="ignore"`` passes such labels over, for a mapping kept for several years'
    files, which names labels of other years (``Convention.relabel`` applies a description's
    mappings so).

    A target is trimmed as readers trim a cell (``"B "`` is ``"B"``), and a blank target
    (``""``, ``" "``) is refused: it would be neither a missing label nor one a reader makes
    (to leave rows out, filter them).  A label or target holding a lone surrogate (no text UTF-8
    can write) is refused too."""
    from .errors import InvalidValueError
    if absent not in ("raise", "ignore"):
        raise InvalidValueError(f"relabel(absent={absent!r}): absent is 'raise' (a label of the "
                                f"mapping no row holds is refused) or 'ignore'")
    index = _label_column(ledger, column)
    wanted = relabel_targets(mapping)
    if absent == "raise":
        unknown = [old for old in wanted if not ledger.has_label(column, old)]
        if unknown:
            said = []
            for old in unknown[:5]:
                close = ledger.close_labels(column, old)
                said.append(repr(old) + (" (close: " + ", ".join(repr(c) for c in close) + ")"
                                         if close else ""))
            more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
            raise RelabelError(
                f"relabel of {column!r}: no row holds {', '.join(said)}{more}; a label mistyped "
                f"leaves the one meant unchanged, its total apart.  Correct it, or pass "
                f"absent='ignore' for a mapping that names labels of other files")
    # the ledger's own class makes the new one: this module stands below essconv.ledger
    return type(ledger)(ledger._core.relabel(index, wanted, absent == "ignore"), path=ledger.path,
                        bad_rows=ledger.bad_rows)


__all__ = ["LabelCount", "LabelGroup", "SimilarLabels", "relabel", "relabel_targets",
           "similar_labels"]
