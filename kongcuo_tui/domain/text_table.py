"""Plain-text tables for the terminal, as `tabulate`'s "simple" format draws them.

    姓名    学校
    ------  ----------
    张三    源潭镇中学

Our own because importing tabulate cost a command ~40 ms of CPU (twice a bare
interpreter's start: it reads its version from the installed metadata and loads wcwidth),
and every command that prints a table paid it. Cells are text; a CJK character is two
columns wide, a combining or format character none.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

MIN_PADDING = 2  # a header is at least this much narrower than its column
GAP = "  "


def cell_width(text: str) -> int:
    """Terminal columns of ``text``."""
    if text.isascii():
        return len(text)
    return sum(_char_width(ch) for ch in text)


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_table(rows: Iterable[Sequence[object]], headers: Sequence[str]) -> str:
    """``rows`` under ``headers``, each column left-aligned to its widest line.

    A cell is ``str(value)`` stripped (None is empty); a cell with line breaks takes as
    many lines; trailing blanks are dropped from every line.
    """
    cells = [[_lines(v) for v in row] for row in rows]
    widths = [cell_width(h) + MIN_PADDING for h in headers]
    for row in cells:
        for i, lines in enumerate(row):
            widths[i] = max(widths[i], *(cell_width(line) for line in lines))
    out = [_line(headers, widths), GAP.join("-" * w for w in widths)]
    for row in cells:
        for n in range(max((len(lines) for lines in row), default=1)):
            out.append(_line([lines[n] if n < len(lines) else "" for lines in row], widths))
    return "\n".join(out)


def _lines(value: object) -> list[str]:
    text = ("" if value is None else str(value)).strip()
    return (text.splitlines() or [""]) if "\n" in text or "\r" in text else [text]


def _line(texts: Sequence[str], widths: Sequence[int]) -> str:
    return GAP.join(t + " " * (w - cell_width(t)) for t, w in zip(texts, widths)).rstrip()
