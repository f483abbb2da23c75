"""The main ledger screen: two tabs, search, quick filters, marks and the three actions."""

from __future__ import annotations

from dataclasses import replace

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Static

from ..domain.codes import SOURCE_LABELS, STATUS_LABELS, UNCONFIRMED_CODE, Action, CodeClass, Status
from ..services import form_setup, ledger
from ..services.errors import ServiceError
from ..domain.terminal import terminal_safe
from ..services.session import session
from ..services.types import BatchResult, LedgerQuery
from ..widgets.filter_dialog import FilterDialog, school_choices, township_label
from ..widgets.key_bar import KeyBar
from ..widgets.ledger_table import LedgerTable
from ..widgets.worker_failures import ReportsWorkerFailures

ACTION_KEYS = {"j": Action.ENROLLED, "c": Action.DROPOUT, "w": Action.UNCONFIRMED}


def _binding(key: str, action: str, text: str, name: str, group: str, show: bool = True, **kw) -> Binding:
    return Binding(key, action, text, show=show, id=f"ledger.{name}", tooltip=text,
                   group=Binding.Group(group), **kw)


HANDLE, MARK, FIND, VIEW, FILES = "处理（对已标记的行；没有标记时对光标所在行）", "标记", "查找与筛选", "查看", "导入导出"


class LedgerScreen(ReportsWorkerFailures, Screen):
    """Rows of the account's region; everything is one key away (see the footer)."""

    AUTO_FOCUS = "LedgerTable"
    retry_hint = "按 Ctrl+R 刷新后再试"
    HELP_TITLE = "台账"
    KEY_BAR_FIRST = ("ledger.search",)  # a new registrar's first question is "where is 王丽?"

    BINDINGS = [
        _binding("j", "classify('j')", "实际就读", "enrolled", HANDLE),
        _binding("c", "classify('c')", "辍学处理", "dropout", HANDLE),
        _binding("w", "classify('w')", "未确认完成", "unconfirmed", HANDLE),
        _binding("space", "mark", "标记", "mark", MARK, key_display="空格"),
        _binding("a", "mark_all", "全选匹配", "mark_all", MARK),
        _binding("u", "unmark_all", "清除标记", "unmark_all", MARK),
        _binding("slash", "search", "搜索", "search", FIND, key_display="/"),
        _binding("t", "switch_tab", "切换标签", "switch_tab", FIND),
        _binding("n", "toggle_99", "只看99", "only_99", FIND),
        _binding("x", "toggle_bad_id", "证件号有误", "bad_id", FIND),
        _binding("f", "filters", "筛选", "filters", FIND),
        _binding("enter", "detail", "详情", "detail", VIEW),
        _binding("i", "id_reason", "核验原因", "id_reason", VIEW),
        _binding("ctrl+o", "import", "导入", "import", FILES),
        _binding("ctrl+e", "export", "导出", "export", FILES),
        _binding("escape", "clear", "清除搜索/筛选", "clear", FIND, show=False),
        _binding("ctrl+r", "reload", "刷新", "reload", VIEW, show=False),
    ] + [
        _binding(str(d), f"digit({d})", "次数：先输数字再按空格，一次标记多行", f"count_{d}", MARK, show=False)
        for d in range(10)
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_state = LedgerQuery(status=Status.PENDING.value)
        self.counts: dict[str, int] = {s.value: 0 for s in Status}
        self.prefix = ""
        self.school_labels: dict[int, str] = {}  # as the filter dialog last listed them

    @property
    def actor(self):
        return self.app.actor

    def compose(self) -> ComposeResult:
        today = self.app.today
        yield Static(
            f"控辍保学工作台账 · {self.actor.display_name}（{self.actor.login}）· "
            f"{self.actor.region_name} · {today:%Y-%m-%d}", id="title-bar")
        yield Static(id="tabs")
        yield LedgerTable(self.actor, id="ledger")
        with Horizontal(id="status-line"):
            yield Static(id="position")
            yield Static(id="status-bar")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        if self.focused is None:
            self.table.focus()

    def _search_box(self) -> Input | None:
        found = self.query("#search")
        return found.first(Input) if found else None

    def _show_search(self, visible: bool) -> None:
        # The box exists only while it is open: a hidden box could take focus and swallow keys.
        box = self._search_box()
        if visible and box is None:
            box = Input(self.query_state.search, placeholder="输入姓名或证件号码开头，回车确认，Esc 清除",
                        id="search")
            box.cursor_blink = False
            self.mount(box, before=self.query_one(KeyBar))
            box.focus()
        elif visible:
            box.focus()
        else:
            if box is not None:
                box.remove()
            self.table.focus()

    @property
    def table(self) -> LedgerTable:
        return self.query_one(LedgerTable)

    # -- loading -------------------------------------------------------------------------

    def reload(self, keep_cursor: bool = False) -> None:
        # The other tabs are counted once the table has its count (on_ledger_table_loaded):
        # the first rows do not wait behind a second count of the same rows.
        self.table.show(self.query_state, keep_cursor=keep_cursor)
        self._paint_tabs()
        self._paint_status()

    @work(thread=True, exclusive=True, exit_on_error=False, group="tab-counts", description="统计各标签的记录数")
    def _count_tabs(self, query: LedgerQuery, shown: int) -> None:
        with session():
            counts = ledger.tab_counts(self.actor, query, shown)
        self.app.call_from_thread(self._got_counts, query, counts)

    def _got_counts(self, query: LedgerQuery, counts: dict[str, int]) -> None:
        if query == self.query_state:
            self.counts = counts
            self._paint_tabs()

    def _paint_tabs(self) -> None:
        parts = []
        for status in Status:
            label = f" {STATUS_LABELS[status]}（{self.counts.get(status.value, 0)}） "
            active = status.value == self.query_state.status
            parts.append(f"[reverse]{label}[/]" if active else label)
        self.query_one("#tabs", Static).update(" ".join(parts) + "   t 切换", layout=False)

    def _filter_words(self) -> list[str]:
        q = self.query_state
        words = []
        if q.search:
            words.append(f"搜索“{q.search}”")
        if q.code_class == CodeClass.UNCONFIRMED:
            words.append(UNCONFIRMED_CODE.label)
        if q.bad_id:
            words.append("证件号有误")
        if q.source:
            words.append(SOURCE_LABELS.get(q.source, q.source))
        if q.township:
            words.append(township_label(q.township))
        if q.school_id:
            words.append(self.school_labels.get(q.school_id, f"学校#{q.school_id}"))
        if q.code:
            words.append(f"代码 {q.code}")
        return words

    def _paint_position(self) -> None:
        # Its own small widget: a cursor move repaints these few cells, not the whole line.
        t = self.table
        where = "正在加载…" if t.waiting else (f"第 {t.cursor + 1}/{t.total} 行" if t.total else "无记录")
        self.query_one("#position", Static).update(where, layout=False)

    def _paint_status(self) -> None:
        t = self.table
        self._paint_position()
        parts = [] if t.total or t.waiting else ["没有符合条件的记录"]
        # The filters last: at 80 columns a long list of them is what gets cut, not the marks.
        parts.append(f"已标记 {len(t.marks)} 条")
        if self.prefix:
            parts.append(f"次数 {self.prefix}")
        words = self._filter_words()
        parts.append("筛选：" + "，".join(words) if words else "未筛选")
        self.query_one("#status-bar", Static).update(" | ".join(parts), layout=False)

    def on_ledger_table_loaded(self, message: LedgerTable.Loaded) -> None:
        self._paint_status()
        if self.table.query == self.query_state:
            self._count_tabs(self.query_state, message.total)

    def on_ledger_table_cursor_moved(self, message: LedgerTable.CursorMoved) -> None:
        self._paint_position()

    def set_query(self, query: LedgerQuery) -> None:
        self.query_state = query
        self.reload()

    # -- tabs, search, filters -----------------------------------------------------------

    def action_switch_tab(self) -> None:
        other = Status.PROCESSED if self.query_state.status == Status.PENDING.value else Status.PENDING
        self.set_query(replace(self.query_state, status=other.value))

    def action_search(self) -> None:
        self._show_search(True)

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        text = event.value.strip()
        if text != self.query_state.search:
            self.set_query(replace(self.query_state, search=text))

    @on(Input.Submitted, "#search")
    def _search_done(self, event: Input.Submitted) -> None:
        if event.value:
            self.table.focus()
        else:
            self._show_search(False)

    def action_clear(self) -> None:
        """Esc: close the messages, else cancel a count, else clear the search, else the filters."""
        box = self._search_box()
        if self.query("Toast"):  # the messages shown in the corner
            self.app.clear_notifications()
        elif self.prefix:
            self.prefix = ""
            self._paint_status()
        elif self.query_state.search or box is not None:
            self._show_search(False)
            self.set_query(replace(self.query_state, search=""))
        elif self._filter_words():
            self.set_query(LedgerQuery(status=self.query_state.status, sort=self.query_state.sort))

    def action_toggle_99(self) -> None:
        on = self.query_state.code_class != CodeClass.UNCONFIRMED
        self.set_query(replace(self.query_state, code_class=CodeClass.UNCONFIRMED if on else None))

    def action_toggle_bad_id(self) -> None:
        self.set_query(replace(self.query_state, bad_id=None if self.query_state.bad_id else True))

    def action_filters(self) -> None:
        self._open_filters()

    @work(thread=True, exclusive=True, exit_on_error=False, group="filter-choices", description="读取筛选选项")
    def _open_filters(self) -> None:
        from ..services.schools import schools_in_scope

        with session():
            schools = schools_in_scope(self.actor)
        self.app.call_from_thread(self._show_filters, schools)

    def _show_filters(self, schools) -> None:
        self.school_labels = dict(school_choices(schools))
        self.app.push_screen(FilterDialog(self.query_state, self.actor.region, schools),
                             lambda q: q is not None and self.set_query(q))

    def action_reload(self) -> None:
        self.reload(keep_cursor=True)

    # -- marks ---------------------------------------------------------------------------

    def action_digit(self, d: int) -> None:
        if len(self.prefix) < 5 and (self.prefix or d):
            self.prefix += str(d)
        self._paint_status()

    def _take_count(self) -> int:
        n = int(self.prefix) if self.prefix else 1
        self.prefix = ""
        return n

    def action_mark(self) -> None:
        t = self.table
        n = self._take_count()
        row = t.current_row
        if n == 1 and row is not None:
            t.mark([row.id], on=row.id not in t.marks)
            t.move_cursor(t.cursor + 1)
            self._paint_status()
            return
        ids = t.cached_ids(t.cursor, n)
        if ids is None:
            self._mark_range(self.query_state, t.cursor, n)
        else:
            self._marked(ids, t.cursor + n)

    @work(thread=True, exclusive=True, exit_on_error=False, group="marks", description="标记多行")
    def _mark_range(self, query: LedgerQuery, start: int, n: int) -> None:
        with session():
            rows = ledger.page(self.actor, query, start, n)
        self.app.call_from_thread(self._marked, [r.id for r in rows], start + n)

    def _marked(self, ids: list[int], next_cursor: int) -> None:
        self.table.mark(ids)
        self.table.move_cursor(next_cursor)
        self._paint_status()

    def action_mark_all(self) -> None:
        self._mark_all(self.query_state)

    @work(thread=True, exclusive=True, exit_on_error=False, group="marks", description="全选匹配的记录")
    def _mark_all(self, query: LedgerQuery) -> None:
        with session():
            ids = ledger.ids(self.actor, query)
        self.app.call_from_thread(self._marked_all, ids)

    def _marked_all(self, ids: list[int]) -> None:
        self.table.mark(ids)
        self._paint_status()
        self.notify(f"已标记当前条件下的全部 {len(ids)} 条记录")

    def action_unmark_all(self) -> None:
        self.table.clear_marks()
        self._paint_status()

    # -- one row -------------------------------------------------------------------------

    def action_id_reason(self) -> None:
        row = self.table.current_row
        if row is None:
            return
        # Names and numbers come from other people's files: shown, never obeyed.
        name, number = terminal_safe(row.name), terminal_safe(row.id_number or "（空）")
        if row.id_ok:
            self.notify(f"{name} 的证件号码 {number} 校验通过", title="证件号码核验", markup=False)
        else:
            self.notify(f"{name} 的证件号码 {number}：{terminal_safe(row.id_issue)}",
                        title="证件号码有误", severity="warning", timeout=10, markup=False)

    def action_detail(self) -> None:
        row = self.table.current_row
        if row is not None:
            from .detail import DetailScreen

            self.app.push_screen(DetailScreen(row.id))

    # -- the three actions ---------------------------------------------------------------

    def action_classify(self, key: str) -> None:
        t = self.table
        ids = sorted(t.marks) if t.marks else ([t.current_row.id] if t.current_row else [])
        if not ids:
            self.notify("没有可处理的记录：请先用空格标记，或把光标移到一行上", severity="warning")
            return
        self._prepare_form(ACTION_KEYS[key], ids)

    @work(thread=True, exclusive=True, exit_on_error=False, group="form", description="打开处理表单")
    def _prepare_form(self, action: Action, ids: list[int]) -> None:
        try:
            with session():
                setup = form_setup.prepare(self.actor, action, ids, self.app.today)
        except ServiceError as e:
            self.app.call_from_thread(self.notify, str(e), severity="warning")
            return
        self.app.call_from_thread(self._open_form, setup)

    def _open_form(self, setup) -> None:
        from .classify_form import ClassifyForm

        form = ClassifyForm(self.actor, setup, self.app.settings, today=self.app.today)
        self.app.push_screen(form, self._form_done)

    def _form_done(self, result: BatchResult | None) -> None:
        if result is None:
            return
        if result.applied:
            self.table.clear_marks(result.applied)
            self.notify(f"已处理 {len(result.applied)} 条记录")
        if result.conflicts:
            self.notify(f"有 {len(result.conflicts)} 条记录已被他人修改，已刷新为最新内容，请核对后再保存",
                        severity="warning", timeout=10)
        self.reload(keep_cursor=True)

    def on_classify_form_rows_changed(self, message) -> None:
        """Someone else saved some of the rows while the form was open: show what is current."""
        self.reload(keep_cursor=True)

    # -- other screens -------------------------------------------------------------------

    def action_import(self) -> None:
        from .import_screen import ImportScreen

        self.app.push_screen(ImportScreen(self.actor), self._imported)

    def _imported(self, summary: str | None) -> None:
        if summary is not None:
            self.notify(summary, title="导入", timeout=30, markup=False)
            self.reload(keep_cursor=True)

    def action_export(self) -> None:
        from .export_screen import ExportScreen

        self.app.push_screen(ExportScreen(self.actor, self.query_state.status), self._exported)

    def _exported(self, summary: str | None) -> None:
        if summary is not None:
            self.notify(summary, title="导出", timeout=30, markup=False)
