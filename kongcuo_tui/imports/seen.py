"""The first row and name of every ID an import has accepted so far, in ~50 bytes an entry.

A dict of ID → (row, name) takes ~270 B an entry (two str objects, a tuple, an int, the slot):
at a province's million rows more than the import may use beyond calamine's own read of the
sheet. Here the IDs and the names are UTF-8 in two bytearrays and the rows in an array, in the
order they came, and a hash table of their positions (open addressing, linear probing, at most
half full) finds an ID again.
"""

from __future__ import annotations

from array import array

_EMPTY = -1
_SHEET_ROWS = 1 << 20  # Excel's and LibreOffice's last row


class FirstSeen:
    def __init__(self, expected: int = 0):
        """``expected``: about how many IDs will come (the sheet's rows), so the table need not
        grow; counted up to a sheet's most rows (a crafted sheet may claim ten million)."""
        size = 1024
        while size < 2 * min(expected, _SHEET_ROWS):
            size *= 2
        self._table = array("i", [_EMPTY]) * size  # entry number, or _EMPTY
        self._rows = array("i")
        self._ids, self._id_ends = bytearray(), array("I")
        self._names, self._name_ends = bytearray(), array("I")

    def first(self, key: str, row: int, name: str) -> tuple[int, str] | None:
        """(row, name) that ``key`` first came with; None when it is new, and it is then kept
        with this ``row`` and ``name``."""
        table, ids, ends = self._table, self._ids, self._id_ends
        mask = len(table) - 1
        raw = key.encode("utf-8", "surrogatepass")
        i = hash(key) & mask
        while (e := table[i]) != _EMPTY:
            if ids[(ends[e - 1] if e else 0):ends[e]] == raw:
                start = self._name_ends[e - 1] if e else 0
                return self._rows[e], self._names[start:self._name_ends[e]].decode("utf-8", "surrogatepass")
            i = (i + 1) & mask
        table[i] = len(self._rows)
        self._rows.append(row)
        ids += raw
        ends.append(len(ids))
        self._names += name.encode("utf-8", "surrogatepass")
        self._name_ends.append(len(self._names))
        if 2 * len(self._rows) > len(table):
            self._grow()
        return None

    def _grow(self) -> None:
        table = array("i", [_EMPTY]) * (2 * len(self._table))
        mask, start = len(table) - 1, 0
        for e, end in enumerate(self._id_ends):
            i = hash(self._ids[start:end].decode("utf-8", "surrogatepass")) & mask
            while table[i] != _EMPTY:
                i = (i + 1) & mask
            table[i] = e
            start = end
        self._table = table
