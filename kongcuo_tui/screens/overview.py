"""The overview (g from the ledger): counts with text bars, progress per area, what is due.

Static: drawn once from the figures the ledger's worker loaded (Ctrl+R loads them again in
this screen's worker), then the overdue line once its slower count arrives; no timers, no
animation. Enter on a count line dismisses with that
figure's ledger query, and the ledger opens exactly those rows.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from ..domain.terminal import terminal_safe
from ..services import overview
from ..services.overview import Figure, Overview
from ..services.session import session
from ..services.types import LedgerQuery
from ..widgets.figure_list import FigureList, Line
from ..widgets.key_bar import KeyBar
from ..widgets.text_bars import bar, fit, percent, sparkline
from ..widgets.worker_failures import ReportsWorkerFailures

LABEL_CELLS, BAR_CELLS = 18, 12  # "B类（不需要劝返）" whole; a county line with its review counts fits 80 columns


def figure_line(f: Figure, ascii: bool) -> str:
    label = fit(terminal_safe(f.label), LABEL_CELLS)
    if f.loading:
        return f" {label}      正在统计…"
    if f.total:
        amount = f"{f.count:,}/{f.total:,}"
        line = f" {label} {amount:>13}  {bar(f.count, f.total, BAR_CELLS, ascii)} {percent(f.count, f.total):>4}"
    else:
        line = f" {label} {f.count:>13,}"
    return line + (f"  {f.extra}" if f.extra else "")


def header_lines(o: Overview, ascii: bool, lines: int) -> str:
    spark = sparkline(o.daily, ascii)
    return (f"{o.deadline.text}  台账 {o.total:,} 人  下表 {lines} 行\n"
            f"近 {len(o.daily) // 7} 周每日处理：{spark}（共 {sum(o.daily):,} 次，最多一天 {max(o.daily, default=0):,} 次）")


class OverviewScreen(ReportsWorkerFailures, Screen[object]):  # LedgerQuery, a ReportDrill or None
    HELP_TITLE = "概览"
    AUTO_FOCUS = "FigureList"
    retry_hint = "按 Ctrl+R 重新统计"
    BINDINGS = [
        Binding("escape", "back", "返回台账", id="overview.back"),
        Binding("ctrl+r", "reload", "重新统计", id="overview.reload"),
        Binding("m", "report", "月报表", id="overview.report"),
    ]

    def __init__(self, data: Overview) -> None:
        super().__init__()
        self.data = data
        self.queries: dict[str, LedgerQuery] = {}  # line key → the rows Enter opens
        self.slots: dict[str, int] = {}  # line key → its line in the list

    def compose(self) -> ComposeResult:
        a = self.app.actor
        yield Static(f"概览 · {a.display_name}（{a.login}）· {a.region_name} · {self.app.today:%Y-%m-%d}",
                     id="title-bar", markup=False)
        yield Static(id="overview-head", markup=False)
        yield FigureList(id="overview-figures")
        yield KeyBar()

    def on_mount(self) -> None:
        self._show(self.data)
        self.app.release_output()

    @property
    def ascii(self) -> bool:
        return self.app.settings.low_bandwidth

    def _show(self, o: Overview) -> None:
        self.data = o
        lines: list[Line] = []
        self.queries, self.slots = {}, {}
        section = None
        for i, f in enumerate(o.figures):
            if f.section != section:
                section = f.section
                lines.append(Line(section, heading=True))
            self.slots[f"f{i}"] = len(lines)
            lines.append(self._line(f"f{i}", f))
        self.query_one(FigureList).set_lines(lines)
        self.query_one("#overview-head", Static).update(header_lines(o, self.ascii, len(lines)))
        for i, f in enumerate(o.figures):
            if f.loading:
                self._load_overdue(f"f{i}")

    def _line(self, key: str, f: Figure) -> Line:
        """A figure's line; one with no query (not expressible as a ledger filter) is not opened."""
        if f.query is None:
            return Line(figure_line(f, self.ascii))
        self.queries[key] = f.query
        return Line(figure_line(f, self.ascii), key)

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview-overdue", description="统计劝返逾期")
    def _load_overdue(self, key: str) -> None:
        with session():
            f = overview.overdue(self.app.actor, self.app.today)
        self.app.call_from_thread(self._fill, key, f)

    def _fill(self, key: str, f: Figure) -> None:
        """One line changes: the overdue count arrived."""
        figures = self.query_one(FigureList)
        figures.replace_line(self.slots[key], self._line(key, f))

    def on_figure_list_selected(self, event: FigureList.Selected) -> None:
        query = self.queries.get(event.key)
        if query is not None:
            self._leave(query)

    def action_back(self) -> None:
        self._leave(None)

    def _leave(self, query: LedgerQuery | None) -> None:
        # The ledger repaints once: when its rows are in (a drill), or after its next refresh.
        self.app.hold_output()
        self.dismiss(query)

    def action_reload(self) -> None:
        self._load()

    def action_report(self) -> None:
        """m: the 月报表 over this screen; Esc there comes back here, Enter goes on to the ledger."""
        from .report import ReportScreen

        self.app.hold_output()
        self.app.push_screen(ReportScreen(None, self.app.today), self._from_report)

    def _from_report(self, drill) -> None:
        if drill is None:
            self.app.release_output()
        else:
            self.dismiss(drill)

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview", description="统计概览")
    def _load(self) -> None:
        with session():
            o = overview.overview(self.app.actor, self.app.today)
        self.app.call_from_thread(self._show, o)
