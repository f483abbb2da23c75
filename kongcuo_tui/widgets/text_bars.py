"""Figures drawn with text: a bar for a share, a one-line sparkline for a series.

Block characters (█ ▁…▇) are East-Asian "ambiguous width": a client set to draw them wide
(PuTTY's CJK option, the Windows console on code page 936) breaks the line. With `ascii`
(low-bandwidth mode) only ASCII is used.
"""

from __future__ import annotations

from rich.cells import cell_len

BLOCKS = "▁▂▃▄▅▆▇█"
ASCII_LEVELS = "_.-:=+*#"


def bar(count: int, total: int, width: int, ascii: bool = False) -> str:
    """`width` cells, the share count/total filled (any count > 0 shows at least one cell)."""
    if total <= 0 or width <= 0:
        return ""
    filled = round(width * min(count, total) / total)
    if count > 0 and filled == 0:
        filled = 1
    full, empty = ("#", ".") if ascii else ("█", "░")
    return full * filled + empty * (width - filled)


def percent(count: int, total: int) -> str:
    return f"{count * 100 // total}%" if total > 0 else ""


def sparkline(values: list[int], ascii: bool = False) -> str:
    """One character per value, scaled to the largest; a zero is the lowest level."""
    levels = ASCII_LEVELS if ascii else BLOCKS
    top = max(values, default=0)
    if top <= 0:
        return levels[0] * len(values)
    return "".join(levels[0] if v <= 0 else levels[max(1, round(v * (len(levels) - 1) / top))] for v in values)


def fit(text: str, width: int) -> str:
    """`text` cut (ending "…") or padded to exactly `width` terminal cells (CJK takes two)."""
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    out, used = [], 0
    for ch in text:
        if used + cell_len(ch) > width - 1:
            break
        out.append(ch)
        used += cell_len(ch)
    cut = "".join(out) + "…"
    return cut + " " * (width - cell_len(cut))
