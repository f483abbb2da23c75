"""When two ledger rows are probably one child (疑似重复): the matching rules, as pure functions.

A registrar's typo in an ID is one digit wrong or two adjacent digits swapped; GB 11643's
check character catches both, so one of the two IDs is then flagged. Two different children
may share a name: they are only paired when the IDs are one typo apart, or the birth date
is the same and one of the IDs is wrong.

The search never compares all pairs: rows are blocked by normalised name, and within a
large block by keys that two IDs one typo apart always share (`typo_keys`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from .text import compact


class Reason(StrEnum):
    SAME_ID_ACROSS_COUNTIES = "same_id"
    ONE_DIGIT = "one_digit"
    TRANSPOSED = "transposed"
    SAME_NAME_BIRTH = "name_birth"

    @property
    def label(self) -> str:
        return REASON_LABELS[self]


REASON_LABELS = {
    Reason.SAME_ID_ACROSS_COUNTIES: "跨县同一证件号码",
    Reason.ONE_DIGIT: "证件号码仅一位不同",
    Reason.TRANSPOSED: "相邻两位颠倒",
    Reason.SAME_NAME_BIRTH: "姓名和出生日期相同、证件号码不同",
}

# The middle dot of minority names is typed many ways (·, •, ‧, ・, ．).
_DOTS = dict.fromkeys(map(ord, "•‧・∙⋅．.・"), "·")


def normalize_name(name: str) -> str:
    """The name as matching sees it: NFKC, no spaces or invisible characters, one middle dot."""
    return compact(unicodedata.normalize("NFKC", name or "")).translate(_DOTS)


def id_relation(a: str, b: str) -> Reason | None:
    """ONE_DIGIT or TRANSPOSED when ``a`` and ``b`` are one such typo apart, else None."""
    if len(a) != len(b) or a == b:
        return None
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 1:
        return Reason.ONE_DIGIT
    if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
        return Reason.TRANSPOSED
    return None


# An ID in three pieces: region (0–6), birth year and month (6–12), the rest (12–18).
_PIECES = ((0, 6), (6, 12), (12, 18))
_BOUNDARIES = (5, 11)  # a transposition across two pieces swaps positions 5–6 or 11–12


def typo_keys(id_number: str) -> Iterator[tuple]:
    """Keys two IDs share whenever they are one typo apart (then `id_relation` decides).

    One digit wrong, or two adjacent digits swapped inside a piece, leaves the other two
    pieces equal: one key per piece with that piece left out. A swap across two pieces
    leaves everything but those two positions equal: one key per boundary without them.
    Five short keys a row, and rows sharing one are almost always a real pair.
    """
    for n, (lo, hi) in enumerate(_PIECES):
        yield (n, id_number[:lo] + id_number[hi:])
    for b in _BOUNDARIES:
        yield (-b, id_number[:b] + id_number[b + 2:])


class Candidate(NamedTuple):
    """What the rules need of a row; ``id_ok``: the ID passed the full check (its checksum too)."""

    id: int
    region: str
    name: str
    birth_date: date | None
    id_number: str
    id_ok: bool


def pair_reason(a: Candidate, b: Candidate) -> Reason | None:
    """Why ``a`` and ``b`` (same normalised name) are probably one child, or None.

    Two different IDs that both pass the check are two children: the MOD 11-2 check
    character catches every single wrong digit and every adjacent swap, so of two IDs one
    typo apart at least one fails. The search relies on this (`could_pair`).
    """
    if a.id_number == b.id_number:
        return Reason.SAME_ID_ACROSS_COUNTIES if a.region != b.region else None
    if not could_pair(a, b):
        return None
    typo = id_relation(a.id_number, b.id_number)
    if typo is not None:
        return typo
    if a.birth_date is not None and a.birth_date == b.birth_date:
        return Reason.SAME_NAME_BIRTH
    return None


def could_pair(a: Candidate, b: Candidate) -> bool:
    """Rows with different IDs can only be one child when at least one ID fails the check."""
    return not (a.id_ok and b.id_ok)


SMALL_BLOCK = 4  # up to this many rows of one name are compared pairwise (6 pairs at most)


def pairs_in_block(rows: list[Candidate]) -> Iterator[tuple[Candidate, Candidate, Reason]]:
    """Every probable pair among rows sharing a normalised name, each once, lower id first.

    Only pairs with a failing ID can qualify (`could_pair`), so the failing rows are the
    ones indexed; every row of the block is then looked up against them.
    """
    bad = [r for r in rows if not r.id_ok]
    if not bad:
        return
    if len(rows) <= SMALL_BLOCK:
        candidates: Iterable[tuple[Candidate, Candidate]] = (
            (rows[i], rows[j]) for i in range(len(rows)) for j in range(i + 1, len(rows)))
    else:
        candidates = _keyed_pairs(rows, bad)
    for a, b in candidates:
        reason = pair_reason(a, b)
        if reason is not None:
            yield (a, b, reason) if a.id < b.id else (b, a, reason)


def _keys(r: Candidate) -> Iterator[tuple]:
    yield from typo_keys(r.id_number)
    if r.birth_date is not None:
        yield ("birth", r.birth_date)


def _keyed_pairs(rows: list[Candidate], bad: list[Candidate]) -> Iterator[tuple[Candidate, Candidate]]:
    """Pairs of a failing row and any row sharing a typo key or a birth date with it."""
    buckets: dict[tuple, list[Candidate]] = {}
    for r in bad:
        for key in _keys(r):
            buckets.setdefault(key, []).append(r)
    seen: set[tuple[int, int]] = set()
    for r in rows:
        for key in _keys(r):
            for other in buckets.get(key, ()):
                pair = (r.id, other.id) if r.id < other.id else (other.id, r.id)
                if other.id != r.id and pair not in seen:
                    seen.add(pair)
                    yield r, other
