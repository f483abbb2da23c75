"""月报表 (m from the ledger or the overview): the report's figures, 小学 / 初中 / 合计.

Static like the overview: drawn once when the report's worker is done, no timers. ←/→
choose the 学段 column (only the column header changes), [ / ] the previous / next period,
s switches between month and quarter. Enter lists the ids of the figure under the cursor
(services.figures.figure_ids, the very condition the count comes from) in a worker and
dismisses with a ReportDrill: the ledger shows exactly those rows, and its Esc brings this
screen back as it was (ReportView).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from rich.cells import cell_len
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from ..domain.periods import Period, default_month, month, quarter
from ..services import figures
from ..services.figures import FIGURES, STAGES, TOTAL, Report
from ..services.session import session
from ..services.types import LedgerQuery
from ..widgets.figure_list import FigureList, Line
from ..widgets.key_bar import KeyBar
from ..widgets.text_bars import fit
from ..widgets.worker_failures import ReportsWorkerFailures

COLUMNS = (*STAGES, TOTAL)  # the 学段 a count cell is chosen from, left to right
NAME_CELLS, COUNT_CELLS = 16, 10


@dataclass(frozen=True)
class ReportView:
    """What the screen showed: brought back as it was when the ledger's Esc returns here."""

    period: Period
    column: int = len(COLUMNS) - 1  # 合计
    cursor: str | None = None  # the figure under the cursor
    data: Report | None = None


@dataclass(frozen=True)
class ReportDrill:
    query: LedgerQuery
    view: ReportView


def shifted(p: Period, step: int) -> Period:
    """The month or quarter `step` periods after `p`."""
    if p.kind == "month":
        i = p.start.year * 12 + p.start.month - 1 + step
        return month(i // 12, i % 12 + 1)
    i = p.start.year * 4 + (p.start.month - 1) // 3 + step
    return quarter(i // 4, i % 4 + 1)


def other_kind(p: Period, today: date) -> Period:
    """Month ↔ quarter: the quarter holding the month; the quarter's last month begun by `today`."""
    if p.kind == "month":
        return quarter(p.start.year, (p.start.month - 1) // 3 + 1)
    first = month(p.start.year, p.start.month)
    return next((m for m in (shifted(first, 2), shifted(first, 1)) if m.start <= today), first)


def count_line(name: str, counts: dict[str, int]) -> str:
    cells = "".join(f"{counts.get(c, 0):>{COUNT_CELLS},}" for c in COLUMNS)
    return f" {fit(name, NAME_CELLS)}{cells}"


def column_header(column: int) -> str:
    """The column names over the counts (right-aligned in cells: they are wide characters), the
    chosen 学段 in 【】."""
    names = [f"【{c}】" if i == column else c for i, c in enumerate(COLUMNS)]
    return f" {fit('统计项', NAME_CELLS)}" + "".join(" " * (COUNT_CELLS - cell_len(n)) + n for n in names)


class ReportScreen(ReportsWorkerFailures, Screen[ReportDrill | None]):
    HELP_TITLE = "月报表"
    AUTO_FOCUS = "FigureList"
    retry_hint = "按 Ctrl+R 重新统计"
    BINDINGS = [
        Binding("left", "column(-1)", "上一学段", id="report.left", key_display="←", priority=True, show=False),
        Binding("right", "column(1)", "下一学段", id="report.right", key_display="→", priority=True, show=False),
        Binding("left_square_bracket", "period(-1)", "上一期", id="report.previous", key_display="["),
        Binding("right_square_bracket", "period(1)", "下一期", id="report.next", key_display="]"),
        Binding("s", "switch_kind", "月/季度", id="report.kind"),
        Binding("escape", "back", "返回", id="report.back"),
        Binding("ctrl+r", "reload", "重新统计", id="report.reload", show=False),
    ]

    def __init__(self, view: ReportView | None = None, today: date | None = None) -> None:
        super().__init__()
        self.view = view or ReportView(default_month(today or date.today()))

    def compose(self) -> ComposeResult:
        a = self.app.actor
        yield Static(f"月报表 · {a.display_name}（{a.login}）· {a.region_name}", id="title-bar", markup=False)
        yield Static(id="report-head", markup=False)
        yield FigureList(id="report-figures")
        yield Static(id="report-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        if self.view.data is not None and self.view.data.period == self.view.period:
            self._show(self.view.data)
        else:
            self._load_period()
        self.app.release_output()

    # -- showing -------------------------------------------------------------------------

    def _head(self) -> str:
        p, d = self.view.period, self.view.data
        when = f"截至 {d.as_of:%Y-%m-%d}" if d is not None and d.period == p else "正在统计…"
        return f"{p.label}（{p.span}）{when}\n{column_header(self.view.column)}"

    def _paint_head(self) -> None:
        self.query_one("#report-head", Static).update(self._head(), layout=False)

    def _load_period(self) -> None:
        self._paint_head()
        self.query_one(FigureList).set_lines([])
        self._status("正在统计…")
        self._load(self.view.period)

    def _show(self, data: Report) -> None:
        self.view = replace(self.view, data=data)
        total = data.total
        lines, group = [], None
        for f in FIGURES:
            if f.group != group:
                group = f.group
                lines.append(Line(group, heading=True))
            lines.append(Line(count_line(f.name, total.counts.get(f.name, {})), f.name))
        figures_list = self.query_one(FigureList)
        figures_list.set_lines(lines)
        if self.view.cursor:
            figures_list.cursor = figures_list.index_of(self.view.cursor)
            figures_list.call_after_refresh(figures_list.scroll_to, 0, max(0, figures_list.cursor - 3), animate=False)
        self._paint_head()
        self._status("Enter 查看这一格的记录  ←/→ 选学段  [ / ] 上一期/下一期  s 月/季度  Esc 返回")

    def _status(self, text: str) -> None:
        self.query_one("#report-status", Static).update(text, layout=False)

    @property
    def today(self) -> date:
        return self.app.today

    @work(thread=True, exclusive=True, exit_on_error=False, group="report", description="统计月报表")
    def _load(self, period: Period) -> None:
        with session():
            data = figures.report(self.app.actor, period, today=self.today)
        self.app.call_from_thread(self._got, period, data)

    def _got(self, period: Period, data: Report) -> None:
        if period == self.view.period:
            self._show(data)

    def worker_failed(self, worker) -> None:
        self._status("统计未完成")

    # -- keys ----------------------------------------------------------------------------

    def action_column(self, step: int) -> None:
        self.view = replace(self.view, column=(self.view.column + step) % len(COLUMNS))
        self._paint_head()

    def _go(self, period: Period) -> None:
        if period.start > self.today:
            self.notify("还没有到这一期", severity="warning")
            return
        self.view = replace(self.view, period=period)
        self._load_period()

    def action_period(self, step: int) -> None:
        self._go(shifted(self.view.period, step))

    def action_switch_kind(self) -> None:
        self._go(other_kind(self.view.period, self.today))

    def action_reload(self) -> None:
        self._load_period()

    def action_back(self) -> None:
        self.app.hold_output()
        self.dismiss(None)

    def on_figure_list_selected(self, event: FigureList.Selected) -> None:
        if self.view.data is None:
            return
        self.view = replace(self.view, cursor=event.key)
        self._status(f"正在列出“{event.key}”的记录…")
        self._list(event.key, COLUMNS[self.view.column])

    @work(thread=True, exclusive=True, exit_on_error=False, group="report-rows", description="列出统计项的记录")
    def _list(self, name: str, stage: str) -> None:
        p = self.view.period
        with session():
            ids = figures.figure_ids(self.app.actor, p, name, stage=stage, today=self.today)
        label = f"{p.label}{name}" + ("" if stage == TOTAL else f"（{stage}）")
        query = LedgerQuery(entry_ids=ids, ids_label=label)
        self.app.call_from_thread(self._drill, ReportDrill(query, self.view))

    def _drill(self, drill: ReportDrill) -> None:
        self.app.hold_output()
        self.dismiss(drill)

