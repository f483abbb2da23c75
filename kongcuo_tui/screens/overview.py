"""The overview (g from the ledger): counts with text bars, progress per area, what is due.

Static: drawn once from the figures the ledger's worker loaded (Ctrl+R loads them again in
this screen's worker), then the overdue line once its slower count arrives; no timers, no
animation. Enter on a count line dismisses with that
figure's ledger query, and the ledger opens exactly those rows.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..domain.terminal import terminal_safe
from ..services import overview
from ..services.overview import Figure, Overview
from ..services.session import session
from ..services.types import LedgerQuery
from ..widgets.key_bar import KeyBar
from ..widgets.text_bars import bar, fit, percent, sparkline
from ..widgets.worker_failures import ReportsWorkerFailures

LABEL_CELLS, BAR_CELLS = 16, 12  # a county line with its review counts fits 80 columns


class FigureList(OptionList):
    """The count lines; Enter opens a line's rows (the headings and totals are not lines to open)."""

    BINDINGS = [Binding("enter", "select", "查看这些记录", id="overview.open")]


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


def header_lines(o: Overview, ascii: bool) -> str:
    spark = sparkline(o.daily, ascii)
    return (f"{o.deadline.text}    台账共 {o.total:,} 人\n"
            f"近 {len(o.daily) // 7} 周每日处理：{spark}（共 {sum(o.daily):,} 次，最多一天 {max(o.daily, default=0):,} 次）")


class OverviewScreen(ReportsWorkerFailures, Screen[LedgerQuery | None]):
    HELP_TITLE = "概览"
    AUTO_FOCUS = "FigureList"
    retry_hint = "按 Ctrl+R 重新统计"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "返回台账", id="overview.back"),
        Binding("ctrl+r", "reload", "重新统计", id="overview.reload"),
    ]

    def __init__(self, data: Overview) -> None:
        super().__init__()
        self.data = data
        self.queries: dict[str, LedgerQuery] = {}

    def compose(self) -> ComposeResult:
        a = self.app.actor
        yield Static(f"概览 · {a.display_name}（{a.login}）· {a.region_name} · {self.app.today:%Y-%m-%d}",
                     id="title-bar", markup=False)
        yield Static(id="overview-head", markup=False)
        yield FigureList(id="overview-figures")
        yield KeyBar()

    def on_mount(self) -> None:
        self._show(self.data)

    @property
    def ascii(self) -> bool:
        return self.app.settings.low_bandwidth

    def _show(self, o: Overview) -> None:
        self.data = o
        self.query_one("#overview-head", Static).update(header_lines(o, self.ascii))
        options: list[Option] = []
        self.queries = {}
        section = None
        for i, f in enumerate(o.figures):
            if f.section != section:
                section = f.section
                options.append(Option(Text(section, style="bold"), disabled=True))
            line = Text(figure_line(f, self.ascii), no_wrap=True, overflow="ellipsis")
            options.append(Option(line, id=f"f{i}", disabled=f.query is None))
            if f.query is not None:
                self.queries[f"f{i}"] = f.query
        figures = self.query_one(FigureList)
        figures.set_options(options)
        first = next((n for n, opt in enumerate(options) if not opt.disabled), None)
        figures.highlighted = first
        for i, f in enumerate(o.figures):
            if f.loading:
                self._load_overdue(f"f{i}")

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview-overdue", description="统计劝返逾期")
    def _load_overdue(self, option_id: str) -> None:
        with session():
            f = overview.overdue(self.app.actor, self.app.today, self.app.settings.calendar())
        self.app.call_from_thread(self._fill, option_id, f)

    def _fill(self, option_id: str, f: Figure) -> None:
        """One line changes: the overdue count arrived."""
        figures = self.query_one(FigureList)
        figures.replace_option_prompt(option_id, Text(figure_line(f, self.ascii), no_wrap=True, overflow="ellipsis"))
        if f.query is not None:
            self.queries[option_id] = f.query
            figures.enable_option(option_id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        query = self.queries.get(event.option.id or "")
        if query is not None:
            self.dismiss(query)

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview", description="统计概览")
    def _load(self) -> None:
        with session():
            o = overview.overview(self.app.actor, self.app.today)
        self.app.call_from_thread(self._show, o)
