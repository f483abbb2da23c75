"""Import the upstream ledger: pick a file, preview (dry run) counts and problems, confirm.

The work runs in a thread worker through imports.upstream.import_file; the screen
dismisses with a one-line Chinese summary, or None when cancelled.
"""

from __future__ import annotations

from pathlib import Path

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Static

from ..imports.reader import SUFFIXES
from ..domain.terminal import terminal_safe
from ..imports.report import ImportReport
from ..domain.roles import Role
from ..imports.upstream import import_file
from ..services.errors import explain_failure
from ..services.types import Actor
from ..widgets.key_bar import HELP_BINDING, KeyBar
from ..widgets.worker_failures import ReportsWorkerFailures

SHOWN_ISSUES = 30
# Rows around the preview: border 2, title 1, path box 3, buttons 3, key bar 1 (+3 region box).
AROUND_PREVIEW = 10


def spreadsheets_here(folder: Path | None = None) -> list[str]:
    """*.xlsx / *.xls / *.ods in the current directory, for type-ahead."""
    folder = folder or Path.cwd()
    try:
        return sorted(p.name for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
    except OSError:
        return []


def preview_lines(report: ImportReport) -> list[str]:
    lines = [report.summary()]
    issues = [("拒收", i) for i in report.rejected] + [("提示", i) for i in report.warnings]
    for kind, i in issues[:SHOWN_ISSUES]:
        lines.append(f"第 {i.row} 行 {i.column}「{i.value}」[{kind} {i.reason_code}] {i.reason}")
    if len(issues) > SHOWN_ISSUES:
        lines.append(f"……另有 {len(issues) - SHOWN_ISSUES} 条；完整清单请用命令 kongcuo import 文件 --errors 问题清单.xlsx")
    return lines


class ImportScreen(ReportsWorkerFailures, ModalScreen[str | None]):
    DEFAULT_CSS = """
    ImportScreen { align: center middle; }
    ImportScreen > Vertical { width: 100%; max-width: 100; height: auto; max-height: 100%;
                              border: ascii $primary; background: $surface; padding: 0 1; }
    ImportScreen #import-preview { height: auto; max-height: 14; }
    ImportScreen Horizontal { height: auto; }
    ImportScreen .import-title { text-style: bold; }
    """
    HELP_TITLE = "导入"
    BINDINGS = [
        Binding("ctrl+t", "check", "检查（试运行）", priority=True, id="import.check"),
        HELP_BINDING,
        Binding("ctrl+s", "apply", "确认导入", priority=True, id="import.apply"),
        Binding("escape", "cancel", "取消", id="import.cancel"),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.checked: str | None = None  # the path the last successful dry run checked

    def compose(self) -> ComposeResult:
        files = spreadsheets_here()
        with Vertical():
            yield Static("导入上级下发的台账（.xlsx / .xls / .ods）", classes="import-title")
            yield Input(value=files[0] if len(files) == 1 else "", placeholder="文件路径，输入开头几个字可自动补全（→ 键接受）",
                        suggester=SuggestFromList(files, case_sensitive=False), id="import-path")
            if self.actor.role is not Role.COUNTY:
                yield Input(placeholder="台账所属县级区划代码，如 411328", id="import-region")
            with VerticalScroll(id="import-preview"):
                yield Static("先检查（回车或 Ctrl+T）：只检查，不写入。", id="import-result", markup=False)
            with Horizontal():
                yield Button("检查（试运行）", id="import-check", variant="primary")
                yield Button("确认导入", id="import-apply", variant="success", disabled=True)
                yield Button("取消", id="import-cancel")
        yield KeyBar()

    def on_resize(self, event: events.Resize) -> None:
        # The preview gets what is left, so the buttons stay on screen at 80×24 too.
        around = AROUND_PREVIEW + (3 if self.query("#import-region") else 0)
        self.query_one("#import-preview").styles.max_height = max(2, min(26, event.size.height - around))

    def _region(self) -> str | None:
        found = self.query("#import-region")
        return (found.first(Input).value.strip() or None) if found else None

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#import-apply", Button).disabled = True
        self.checked = None

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "import-cancel":
            self.dismiss(None)
        else:
            self._start(dry=event.button.id == "import-check")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._start(dry=True)  # Enter in the path box checks the file

    def action_check(self) -> None:
        self._start(dry=True)

    def action_apply(self) -> None:
        if self.query_one("#import-apply", Button).disabled:
            self._show(["请先检查（Ctrl+T 或在路径栏按回车），检查通过后才能确认导入"])
            return
        self._start(dry=False)

    def _start(self, dry: bool) -> None:
        path = self.query_one("#import-path", Input).value.strip()
        if not path:
            self._show(["请先输入文件路径"])
            return
        self._show(["正在检查…" if dry else "正在导入…"])
        self.query_one("#import-apply", Button).disabled = True
        self.run_import(path, self._region(), dry)

    def _show(self, lines: list[str]) -> None:
        # Issues quote the file's cells: controls in them must show, not act.
        self.query_one("#import-result", Static).update("\n".join(map(terminal_safe, lines)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="import", description="导入台账")
    def run_import(self, path: str, region: str | None, dry_run: bool) -> None:
        try:
            # The app's validated settings (the cutoff ages are counted at); bare test hosts have none.
            report = import_file(self.actor, path, region=region, dry_run=dry_run,
                                 settings=getattr(self.app, "settings", None))
        except Exception as e:  # shown in the dialog, where the path can be fixed
            self.app.call_from_thread(self._show, [f"导入失败，未写入任何数据：{explain_failure(e)}"])
            return
        self.app.call_from_thread(self._done, path, report)

    def _done(self, path: str, report: ImportReport) -> None:
        if report.dry_run:
            self.checked = path
            self._show(preview_lines(report) + ["确认无误后按 Ctrl+S（确认导入）：被拒收的行不会导入。"])
            self.query_one("#import-apply", Button).disabled = report.accepted == 0
        else:
            self.dismiss(f"{report.summary()}。文件：{Path(path).resolve()}")

    def action_cancel(self) -> None:
        self.dismiss(None)
