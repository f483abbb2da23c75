"""The 三统一 workbook prints on A4 landscape, its header on every page, no text over another."""

from __future__ import annotations

from datetime import date

from kongcuo_tui.domain.reconcile import KINDS, Finding
from kongcuo_tui.exports.reconcile import write_reconcile
from kongcuo_tui.imports.reconcile import Item, ListRow, ReconcileReport
from kongcuo_tui.services.reconcile import LedgerMatch
from print_check import printed


def _report() -> ReconcileReport:
    report = ReconcileReport("唐河县脱贫户家庭成员名单（2026年11月）.xlsx", KINDS["poverty"], list_rows=120, matched=40)
    for n in range(60):
        listed = ListRow(n + 3, f"王小{n}", date(2013, 5, 1), f"41132820130501{n:03d}X")
        ledger = LedgerMatch(n + 1, "411328", "河南省南阳市唐河县", n + 1, f"王晓{n}", date(2013, 5, 2),
                             listed.id_number, True, "pending", "", "留守,建档立卡", 1)
        finding = (Finding.NOT_IN_LEDGER, Finding.NOT_ON_LIST, Finding.DIFFERS)[n % 3]
        note = (f"姓名：名单「王小{n}」，台账「王晓{n}」；出生日期：名单 2013-05-01，台账 2013-05-02"
                if finding is Finding.DIFFERS else "")
        report.items.append(Item(finding, None if finding is Finding.NOT_ON_LIST else listed,
                                 None if finding is Finding.NOT_IN_LEDGER else ledger, note))
    return report


def test_reconcile_workbook_prints_on_a4_landscape_with_no_text_over_another(tmp_path):
    out = tmp_path / "核对结果.xlsx"
    write_reconcile(_report(), out, date(2026, 11, 29))
    pages = printed(out, landscape=True)
    assert len(pages) >= 2
    for page in pages:
        assert "类别" in page.text and "证件号码" in page.text  # the header row repeats
    text = "".join(p.text for p in pages)
    assert all(f"王晓{n}" in text for n in range(60) if n % 3)
