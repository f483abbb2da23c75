"""Cleaning text pasted into spreadsheets: characters that are there but cannot be seen.

Names, IDs and dates copied from web pages, Word or WeChat carry soft hyphens, zero-width
characters and byte-order marks, and full-width or no-break spaces. Every reader of such
text (ids, dates, the import's names) cleans with these, so all agree on what "clean" is.
"""

from __future__ import annotations

import re

# Soft hyphen, zero-width space / non-joiner / joiner, word joiner, byte-order mark.
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_DROP = dict.fromkeys(map(ord, INVISIBLE))
# \s covers the full-width space U+3000 and the no-break space U+00A0 as well as ASCII.
_SPACE_OR_INVISIBLE = re.compile(rf"[\s{INVISIBLE}]+")


def drop_invisible(text: str) -> str:
    """``text`` without the invisible characters; spaces are kept."""
    return text.translate(_DROP)


def compact(text: str) -> str:
    """``text`` without invisible characters and without any space, full-width included."""
    return _SPACE_OR_INVISIBLE.sub("", text)


def has_space_or_invisible(text: str) -> bool:
    """Whether ``compact(text)`` would change it (a quick test for clean cells)."""
    return _SPACE_OR_INVISIBLE.search(text) is not None
