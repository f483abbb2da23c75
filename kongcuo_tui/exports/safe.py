"""Cells that can never become formulas (where a file goes: services/outputs.py).

Ledger text comes from other people's spreadsheets: a value like '=HYPERLINK(…)' or
'+8613800000000' must reach Excel and WPS as the same text, never as a formula.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_START)


def openpyxl_text(cell, value: str) -> None:
    """Put ``value`` into an openpyxl cell as text, whatever it starts with.

    openpyxl turns a str starting with '=' into a formula on assignment; forcing the data
    type back to 's' stores a shared string, and quotePrefix keeps it text when a user
    later edits the cell in Excel or WPS.
    """
    cell.value = value
    cell.data_type = "s"
    if looks_like_formula(value):
        cell.quotePrefix = True
