"""The sheet's rows, checked, in chunks for the writer.

Checks and writes run in line on the database thread. A helper thread for the checks and a
pause of the garbage collector during an import were tried and measured (100,000 rows,
SQLite): neither bought more than a few per cent on this 2-core machine, so both went.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from .rows import RowResult


def checked_chunks(rows: Iterable[list], check: Callable[[list, int], RowResult | None], first_row: int,
                   chunk: int) -> Iterator[tuple[int, list[RowResult]]]:
    """(sheet rows consumed so far, checked non-blank rows) per chunk, in sheet order.

    ``check(cells, excel_row)`` gives None for a blank row; ``first_row`` is the Excel row
    number of the first row.
    """
    results, n = [], 0
    for n, cells in enumerate(rows, 1):
        r = check(cells, first_row + n - 1)
        if r is None:  # blank
            continue
        results.append(r)
        if len(results) >= chunk:
            yield n, results
            results = []
    yield n, results
