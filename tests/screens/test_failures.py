"""A database error inside any worker is a Chinese message naming what failed; the session goes on."""

from __future__ import annotations

import pytest
from peewee import InterfaceError, OperationalError

from kongcuo_tui.screens.classify_form import ClassifyForm
from kongcuo_tui.services import classify, ledger
from kongcuo_tui.services.types import LedgerQuery

LOCKED = OperationalError("database is locked")


@pytest.fixture
def fault():
    """fault(module, name, error) makes that service function raise; fault.clear() mends it."""
    patch = pytest.MonkeyPatch()  # its own, so clearing it leaves other fixtures' patches

    class Fault:
        def __call__(self, module, name, error=LOCKED):
            def broken(*args, **kw):
                raise error

            patch.setattr(module, name, broken)

        clear = staticmethod(patch.undo)

    yield Fault()
    patch.undo()


def test_tab_counts_fail_then_retry(play, registrar, demo_ledger, fault):
    demo_ledger(30)
    pending = ledger.tab_counts(registrar, LedgerQuery())["pending"]
    fault(ledger, "tab_counts")

    async def script(ui):
        assert ui.app.is_running
        assert "统计各标签的记录数失败：数据库被锁定（database is locked）" in ui.messages()
        assert "操作未完成" in ui.text() and "待本级处理（…）" in ui.text()  # not counted, not 0
        fault.clear()
        await ui.press("t", "t")
        assert f"待本级处理（{pending}）" in ui.text()

    play(script)


def test_page_load_fails_then_ctrl_r_loads(play, registrar, demo_ledger, fault):
    demo_ledger(30)
    pending = ledger.tab_counts(registrar, LedgerQuery())["pending"]
    fault(ledger, "page", InterfaceError("connection already closed"))  # the first read of the ledger

    async def script(ui):
        assert ui.app.is_running
        assert "加载台账失败：与数据库的连接已断开" in ui.messages() and "按 Ctrl+R 重新加载" in ui.messages()
        assert ui.table.total == 0
        fault.clear()
        await ui.press("ctrl+r")
        assert ui.static("#position") == f"第 1/{pending} 行"

    play(script)


def test_scrolling_to_pages_not_yet_loaded_fails_then_loads(play, registrar, demo_ledger, fault):
    demo_ledger(800)
    pending = ledger.tab_counts(registrar, LedgerQuery())["pending"]

    async def script(ui):
        fault(ledger, "page")
        fault(ledger, "page_after")
        await ui.press("end")
        assert ui.app.is_running and "加载台账失败：数据库被锁定" in ui.messages()
        assert ui.table.current_row is None  # that page never came
        fault.clear()
        await ui.press("up", "down")
        assert ui.table.current_row is not None and ui.static("#position") == f"第 {pending}/{pending} 行"

    play(script)


def test_live_check_fails_then_the_next_keystroke_checks(play, make_entry, fault, no_delays):
    make_entry()

    async def script(ui):
        await ui.press("c")
        fault(classify, "check")
        await ui.press("a", "8", "enter", "tab", "tab", "tab")
        await ui.type("在")
        assert ui.app.is_running and isinstance(ui.screen, ClassifyForm)
        assert "检查填写内容失败：数据库被锁定" in ui.messages()
        fault.clear()
        await ui.type("家")
        assert "父母联系电话" in ui.static("#err-notes")

    play(script)


def test_save_fails_keeps_the_form_then_saves(play, registrar, make_entry, fault):
    eid = make_entry()

    async def script(ui):
        ledger_screen = ui.screen
        await ui.press("w")
        await ui.type("家长外出务工联系不上")
        fault(classify, "classify")
        await ui.press("ctrl+s")
        assert ui.app.is_running and isinstance(ui.screen, ClassifyForm)
        assert "保存处理结果失败：数据库被锁定" in ui.messages() and "已填写的内容都还在" in ui.messages()
        assert ui.screen.query_one("#notes").value == "家长外出务工联系不上"  # nothing typed is lost
        fault.clear()
        await ui.press("ctrl+s")
        assert ui.screen is ledger_screen

    play(script)
    assert ledger.rows_by_id(registrar, [eid])[0].code == "99"


def test_every_worker_reports_its_failure_to_the_app():
    """A new `@work` without exit_on_error=False, or on a class without the mixin, would end
    the session on the first database error (or fail silently): name it here."""
    import ast
    import importlib
    from pathlib import Path

    import kongcuo_tui
    from kongcuo_tui.widgets.worker_failures import ReportsWorkerFailures

    root = Path(kongcuo_tui.__file__).parent
    found = []
    for path in root.rglob("*.py"):
        for cls in (n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.ClassDef)):
            for fn in (n for n in cls.body if isinstance(n, ast.FunctionDef)):
                for deco in fn.decorator_list:
                    if isinstance(deco, ast.Call) and getattr(deco.func, "id", "") == "work":
                        keywords = {k.arg: ast.literal_eval(k.value) for k in deco.keywords}
                        where = f"{path.relative_to(root)}:{cls.name}.{fn.name}"
                        assert keywords.get("exit_on_error") is False, where
                        assert keywords.get("description"), where
                        module = ".".join(("kongcuo_tui", *path.relative_to(root).with_suffix("").parts))
                        assert issubclass(getattr(importlib.import_module(module), cls.name),
                                          ReportsWorkerFailures), where
                        found.append(where)
    assert len(found) >= 14
