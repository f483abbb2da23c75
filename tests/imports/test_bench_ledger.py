"""The bench's generated upstream ledgers are valid input at any size the import measures."""

from __future__ import annotations

from datetime import date

import pytest

from bench.excel import birth_and_id, birth_window, generate
from kongcuo_tui.config import Settings
from kongcuo_tui.domain.dates import age_at
from kongcuo_tui.domain.ids import check_id
from kongcuo_tui.imports.upstream import import_file

MILLION = 1_000_000


@pytest.mark.parametrize("today", [date(2026, 12, 2), date(2027, 3, 1), date(2028, 8, 31)])
def test_a_million_row_ledger_has_only_compulsory_age_children_and_unique_valid_ids(today):
    cutoff = Settings().cutoff(today)
    _, days = birth_window(cutoff)
    # Every 101st row, the first and last rows, and whole runs where the dates wrap round.
    rows = {*range(1, MILLION + 1, 101), *range(1, 2000), *range(days - 1000, days + 1000), *range(MILLION - 2000,
                                                                                                     MILLION + 1)}
    ids = set()
    for n in sorted(rows):
        birth, ident = birth_and_id(n, cutoff)
        check = check_id(ident, today)
        assert birth <= today and 6 <= age_at(birth, cutoff) <= 15, (n, birth)
        assert check.ok and not check.issues and check.birth_date == birth, (n, ident, check.issues)
        ids.add(ident)
    assert len(ids) == len(rows)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the generator, not the engine, is tested
def test_a_generated_ledger_imports_without_a_rejection_or_a_warning(tmp_path, registrar):
    path = tmp_path / "upstream.xlsx"
    generate(path, 300)
    report = import_file(registrar, path)
    assert report.inserted == 300 and not report.rejected and not report.warnings, report.warnings[:3]
