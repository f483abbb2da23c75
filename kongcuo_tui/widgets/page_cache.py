"""A small LRU of ledger pages, so memory stays flat however long the ledger is."""

from __future__ import annotations

from collections import OrderedDict

from ..services.types import EntryRow

PAGE_SIZE = 100
MAX_PAGES = 24


class PageCache:
    """Pages of rows keyed by page number; the oldest pages are dropped first."""

    def __init__(self, page_size: int = PAGE_SIZE, max_pages: int = MAX_PAGES) -> None:
        self.page_size = page_size
        self.max_pages = max_pages
        self._pages: OrderedDict[int, list[EntryRow]] = OrderedDict()

    def clear(self) -> None:
        self._pages.clear()

    def __len__(self) -> int:
        return len(self._pages)

    def page_of(self, index: int) -> int:
        return index // self.page_size

    def has(self, page: int) -> bool:
        return page in self._pages

    def get_page(self, page: int) -> list[EntryRow] | None:
        rows = self._pages.get(page)
        if rows is not None:
            self._pages.move_to_end(page)
        return rows

    def put(self, page: int, rows: list[EntryRow]) -> None:
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)

    def row(self, index: int) -> EntryRow | None:
        rows = self._pages.get(index // self.page_size)
        if rows is None:
            return None
        offset = index % self.page_size
        return rows[offset] if offset < len(rows) else None
