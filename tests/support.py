"""Constants shared by tests: a plain module, importable as `support` from any test.

pytest puts tests/ on sys.path because tests/conftest.py lives there (rootdir conftest,
default "prepend" import mode, no __init__.py), so `from support import TODAY` works in
every folder. `from conftest import …` does not: every conftest.py is a module named
"conftest", and which one that name finds depends on the order pytest loaded them.
"""

from __future__ import annotations

from datetime import date

TODAY = date(2026, 11, 29)  # fixed, so ages, deadlines and snapshots never depend on the clock
