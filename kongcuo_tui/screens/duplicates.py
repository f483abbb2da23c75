"""疑似重复 review list (ledger key d): each pair with its reason; the registrar links or separates them.

1 / 2: the same child, keep the first / the second row (the other becomes B1 户籍重复, through
the link dialog); n: two different children (asked first). Nothing is merged by itself.
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
from ..services import duplicates
from ..services.duplicates import DuplicatePair, DupRow
from ..services.errors import ServiceError
from ..services.session import session
from ..widgets.key_bar import KeyBar
from ..widgets.worker_failures import ReportsWorkerFailures
from .form_dialogs import Confirm

DECIDE = "处理"


def _row_line(label: str, r: DupRow, cross_county: bool) -> Text:
    where = f"{r.region_name[-3:]} " if cross_county else ""
    birth = f"{r.birth_date:%Y-%m-%d}" if r.birth_date else "出生日期空"
    state = r.code or "待处理"
    text = Text(f"  {label} #{r.id} {where}序号{r.seq} {terminal_safe(r.name)} {birth} ")
    text.append(terminal_safe(r.id_number), style="" if r.id_ok else "bold red")
    text.append(f" {'通过' if r.id_ok else '有误'} {state}")
    return text


def pair_prompt(n: int, p: DuplicatePair) -> Text:
    """Three lines: the group's number and reason, then its two rows."""
    head = Text(f"{n}. {p.reason_label}", style="bold")
    return Text("\n").join([head, _row_line("①", p.a, p.cross_county), _row_line("②", p.b, p.cross_county)])


class DuplicatesScreen(ReportsWorkerFailures, Screen):
    HELP_TITLE = "疑似重复"
    AUTO_FOCUS = "#dup-list"
    retry_hint = "按 Ctrl+R 重新查找"
    BINDINGS = [
        Binding("1", "link(1)", "同一人·保留①", id="dup.keep_first", group=Binding.Group(DECIDE)),
        Binding("2", "link(2)", "同一人·保留②", id="dup.keep_second", group=Binding.Group(DECIDE)),
        Binding("n", "different", "不是同一人", id="dup.different", group=Binding.Group(DECIDE)),
        Binding("ctrl+r", "reload", "重新查找", id="dup.reload", show=False),
        Binding("escape", "back", "返回台账", id="dup.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[DuplicatePair] = []

    @property
    def actor(self):
        return self.app.actor

    def compose(self) -> ComposeResult:
        yield Static("疑似重复 · 正在查找…", id="dup-title")
        yield OptionList(id="dup-list")
        yield Static("", id="dup-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()

    def action_back(self) -> None:
        self.dismiss(None)  # the ledger reloads: rows may have been classified here

    def reload(self) -> None:
        self._find()

    def action_reload(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, exit_on_error=False, group="duplicates", description="查找疑似重复")
    def _find(self) -> None:
        with session():
            pairs = duplicates.find(self.actor)
        self.app.call_from_thread(self._show, pairs)

    def _show(self, pairs: list[DuplicatePair]) -> None:
        keep = self.query_one(OptionList).highlighted
        self.pairs = pairs
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(pair_prompt(n, p)) for n, p in enumerate(pairs, 1)])
        if pairs:
            options.highlighted = min(keep or 0, len(pairs) - 1)
        self.query_one("#dup-title", Static).update(
            f"疑似重复 · {terminal_safe(self.actor.region_name)} · 共 {len(pairs)} 组", layout=False)
        if not pairs:
            hint = "没有疑似重复的记录"
        elif self.actor.can_classify:
            hint = "1/2：确认同一人并保留该行（另一行按 B1 户籍重复处理）；n：不是同一人"
        else:
            hint = duplicates.VIEW_ONLY
        self.query_one("#dup-hint", Static).update(hint, layout=False)

    def _current(self) -> DuplicatePair | None:
        i = self.query_one(OptionList).highlighted
        return self.pairs[i] if i is not None and 0 <= i < len(self.pairs) else None

    def _allowed(self) -> DuplicatePair | None:
        pair = self._current()
        if pair is not None and not self.actor.can_classify:
            self.notify(duplicates.VIEW_ONLY, severity="warning", markup=False)
            return None
        return pair

    def action_link(self, which: int) -> None:
        pair = self._allowed()
        if pair is None:
            return
        from .link_dialog import LinkDialog

        keep, other = (pair.a, pair.b) if which == 1 else (pair.b, pair.a)
        self.app.push_screen(LinkDialog(self.actor, keep, other, self.app.today), self._linked)

    def _linked(self, message: str | None) -> None:
        if message:
            self.notify(message, title="疑似重复", markup=False)
            self.reload()

    def action_different(self) -> None:
        pair = self._allowed()
        if pair is None:
            return
        lines = [f"① #{pair.a.id} {pair.a.name} {pair.a.id_number}", f"② #{pair.b.id} {pair.b.name} {pair.b.id_number}",
                 "记下后，这两行不再列为疑似重复。"]
        self.app.push_screen(Confirm("这是两个不同的孩子？", lines, yes="不是同一人", no="返回"),
                             lambda yes: yes and self._mark_different(pair.a.id, pair.b.id))

    @work(thread=True, exclusive=True, exit_on_error=False, group="duplicates-save", description="记下不是同一人")
    def _mark_different(self, a: int, b: int) -> None:
        try:
            with session():
                duplicates.mark_different(self.actor, a, b)
        except ServiceError as e:
            self.app.call_from_thread(self.notify, str(e), severity="warning", markup=False)
            return
        self.app.call_from_thread(self._linked, f"已记下：#{a} 与 #{b} 不是同一人")
