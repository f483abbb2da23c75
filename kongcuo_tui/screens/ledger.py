"""The main ledger screen: two tabs, search, quick filters, marks and the three actions."""

from __future__ import annotations

from dataclasses import replace

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Static

from ..domain.codes import CODES, CLASS_LABELS, SOURCE_LABELS, STATUS_LABELS, UNCONFIRMED_CODE, Action, CodeClass, Status
from ..domain.regions import region_name
from ..domain.review import STATE_LABELS, ReviewState
from ..services import form_setup, ledger, persuasion, review
from ..services.errors import ServiceError
from ..domain.terminal import terminal_safe
from ..services.session import Cancel, Cancelled, session
from ..services.types import BatchResult, LedgerQuery
from ..widgets.filter_dialog import FilterDialog, school_choices, township_label
from ..widgets.key_bar import KeyBar
from ..widgets.ledger_table import LedgerTable
from .step_opener import OpensSteps

ACTION_KEYS = {"j": Action.ENROLLED, "c": Action.DROPOUT, "w": Action.UNCONFIRMED}


def _binding(key: str, action: str, text: str, name: str, group: str, show: bool = True, **kw) -> Binding:
    return Binding(key, action, text, show=show, id=f"ledger.{name}", tooltip=text,
                   group=Binding.Group(group), **kw)


HANDLE, MARK, FIND, VIEW, FILES = "处理（对已标记的行；没有标记时对光标所在行）", "标记", "查找与筛选", "查看", "导入导出"
REVIEW = "B 类复核"
FLAGGED = ReviewState.FLAGGED.value
PERSUADE = "劝返（光标所在行）"


class LedgerScreen(OpensSteps, Screen):
    """Rows of the account's region; everything is one key away (see the footer)."""

    AUTO_FOCUS = "LedgerTable"
    retry_hint = "按 Ctrl+R 刷新后再试"
    HELP_TITLE = "台账"
    KEY_BAR_FIRST = ("ledger.search",)  # a new registrar's first question is "where is 王丽?"

    BINDINGS = [
        _binding("j", "classify('j')", "实际就读", "enrolled", HANDLE),
        _binding("c", "classify('c')", "辍学处理", "dropout", HANDLE),
        _binding("w", "classify('w')", "未确认完成", "unconfirmed", HANDLE),
        _binding("v", "verify_id", "核实证件号", "verify_id", HANDLE),
        _binding("r", "steps", "劝返记录", "steps", PERSUADE),
        _binding("space", "mark", "标记", "mark", MARK, key_display="空格"),
        _binding("a", "mark_all", "全选匹配", "mark_all", MARK),
        _binding("u", "unmark_all", "清除标记", "unmark_all", MARK),
        # priority: the box opens (and takes focus) before the keys typed after "/" are handed
        # on, so "/4113" typed fast, or arriving in one packet over SSH, is all search text.
        _binding("slash", "search", "搜索", "search", FIND, key_display="/", priority=True),
        _binding("t", "switch_tab", "切换标签", "switch_tab", FIND),
        _binding("n", "toggle_99", "只看99", "only_99", FIND),
        _binding("x", "toggle_bad_id", "证件号", "bad_id", FIND),
        _binding("o", "toggle_overdue", "只看逾期", "overdue", FIND),
        _binding("f", "filters", "筛选", "filters", FIND),
        _binding("h", "flag", "需复核", "flag", REVIEW),
        _binding("h", "resubmit", "重新提交", "resubmit", REVIEW),
        _binding("k", "toggle_flagged", "只看需复核", "only_flagged", FIND),
        _binding("g", "overview", "概览", "overview", VIEW),
        _binding("m", "report", "月报表", "report", VIEW, show=False),  # the footer is full at 80 columns; help lists it
        _binding("enter", "detail", "详情", "detail", VIEW),
        _binding("i", "id_reason", "核验原因", "id_reason", VIEW),
        _binding("d", "duplicates", "疑似重复", "duplicates", VIEW, show=False),
        _binding("ctrl+o", "import", "导入", "import", FILES),
        _binding("ctrl+e", "export", "导出", "export", FILES),
        _binding("p", "print_forms", "打印表格", "print_forms", FILES),
        _binding("escape", "clear", "清除搜索/筛选", "clear", FIND, show=False),
        _binding("ctrl+r", "reload", "刷新", "reload", VIEW, show=False),
    ] + [
        _binding(str(d), f"digit({d})", "次数：先输数字再按空格，一次标记多行", f"count_{d}", MARK, show=False)
        for d in range(10)
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_state = LedgerQuery(status=Status.PENDING.value)
        self.counts: dict[str, int] = {}  # "…" on the tabs until they are counted
        self.prefix = ""
        self.school_labels: dict[int, str] = {}  # as the filter dialog last listed them
        # The overdue cases of the account's scope, read once per data reload (not per page).
        self.overdue: frozenset[int] | None = None
        self._overdue_wanted = False  # o pressed before the set arrived
        self._overdue_on_rows = True  # the first read waits for the first rows (start-up time)
        self._tabs_cancel = Cancel()  # stops the tab counts of a query no longer shown
        # A 月报表 figure's rows are shown: (the report as it was, the query before); Esc goes back.
        self._report_back = None
        self._follow_rows = False  # a filter just turned on: show the tab that has its rows

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
        # The overdue set is read once the first rows are on screen and counted (_counted): at
        # a province's million rows it would otherwise compete with them for the database.
        self.reload()

    def on_screen_resume(self) -> None:
        if self.focused is None:
            self.table.focus()

    def _search_box(self) -> Input | None:
        found = self.query("#search")
        return found.first(Input) if found else None

    async def _open_search(self) -> None:
        # The box exists only while it is open: a hidden box could take focus and swallow keys.
        box = self._search_box()
        if box is None:
            box = Input(self.query_state.search, placeholder="输入姓名或证件号码开头，回车确认，Esc 清除",
                        id="search")
            box.cursor_blink = False
            await self.mount(box, before=self.query_one(KeyBar))
        self.set_focus(box)  # now: focus() would wait behind the keys already queued

    def _close_search(self) -> None:
        box = self._search_box()
        if box is not None:
            box.remove()
        self.table.focus()

    @property
    def table(self) -> LedgerTable:
        return self.query_one(LedgerTable)

    # -- loading -------------------------------------------------------------------------

    def reload(self, keep_cursor: bool = False) -> None:
        # The other tabs are counted once the table has its count (on_ledger_table_loaded /
        # _counted): the first rows do not wait behind a second count of the same rows.
        self._tabs_cancel.cancel()
        self.table.show(self.query_state, keep_cursor=keep_cursor)
        self._paint_tabs()
        self._paint_status()

    @work(thread=True, exclusive=True, exit_on_error=False, group="tab-counts", description="统计各标签的记录数")
    def _count_tabs(self, query: LedgerQuery, shown: int, cancel: Cancel) -> None:
        try:
            with session(), cancel.running():
                counts = ledger.tab_counts(self.actor, query, shown)
                counts[FLAGGED] = review.flagged_count(self.actor)
        except Cancelled:
            return  # the query changed again (a keystroke in the search box)
        self.app.call_from_thread(self._got_counts, query, counts)

    def _start_tab_counts(self, shown: int) -> None:
        self._tabs_cancel.cancel()
        self._tabs_cancel = Cancel()
        self._count_tabs(self.query_state, shown, self._tabs_cancel)

    def _got_counts(self, query: LedgerQuery, counts: dict[str, int]) -> None:
        if query == self.query_state:
            self.counts = counts
            if self._follow_rows:
                self._follow_rows = False
                other = next(s.value for s in Status if s.value != query.status)
                if counts.get(query.status, 0) == 0 and counts.get(other, 0):
                    self.set_query(replace(query, status=other))
                    return
            self._paint_tabs()

    def _paint_tabs(self) -> None:
        parts = []
        for status in Status:
            label = f" {STATUS_LABELS[status]}（{self.counts.get(status.value, '…')}） "
            active = status.value == self.query_state.status
            parts.append(f"[reverse]{label}[/]" if active else label)
        flagged = self.counts.get(FLAGGED, 0)
        late = "…" if self.overdue is None else str(len(self.overdue))
        overdue = f"[b]逾期 {late} 人[/b]" if self.overdue else f"逾期 {late} 人"
        # Both notes fit 80 columns beside the tabs only when short.
        note = f"   需复核 {flagged}（k）" if flagged else ""
        self.query_one("#tabs", Static).update(" ".join(parts) + f"   t 切换   {overdue}（o 只看）{note}", layout=False)

    # -- overdue cases -------------------------------------------------------------------

    def recount_overdue(self, changed: frozenset[int] | None = None) -> None:
        """After data changed (mount, Ctrl+R, an import, a save): read the overdue set again —
        for the `changed` rows only when the set is already known (a step saved for one child)."""
        self._read_overdue(self.overdue if changed is not None else None, changed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="overdue", description="统计逾期的劝返案件")
    def _read_overdue(self, known: frozenset[int] | None, changed: frozenset[int] | None) -> None:
        app = self.app
        # No calendar: the deadlines are stored with the cases, and building one imports the
        # holidays package (0.3 s of one core, right after the first rows).
        with session():
            if known is None or changed is None:
                ids = persuasion.overdue_ids(self.actor, app.today)
            else:
                late = persuasion.overdue_ids(self.actor, app.today, among=changed)
                ids = (known - changed) | late
        app.call_from_thread(self._got_overdue, ids)

    def _got_overdue(self, ids: frozenset[int]) -> None:
        self.overdue = ids
        self._paint_tabs()
        q = self.query_state
        if self._overdue_wanted or (q.overdue_ids is not None and q.overdue_ids != ids):
            self._follow_rows, self._overdue_wanted = self._overdue_wanted, False
            self.set_query(replace(q, overdue_ids=ids))

    def action_toggle_overdue(self) -> None:
        q = self.query_state
        if q.overdue_ids is not None or self._overdue_wanted:
            self._overdue_wanted = False
            self.set_query(replace(q, overdue_ids=None))
        elif self.overdue is None:
            self._overdue_wanted = True  # applied when the set arrives
            self._paint_status()
        else:
            self._follow_rows = True
            self.set_query(replace(q, overdue_ids=self.overdue))

    def _filter_words(self) -> list[str]:
        q = self.query_state
        words = []
        if q.search:
            words.append(f"搜索“{q.search}”")
        if q.code_class == CodeClass.UNCONFIRMED:
            words.append(UNCONFIRMED_CODE.label)
        elif q.code_class:
            words.append(CLASS_LABELS[CodeClass(q.code_class)])
        if q.review:
            words.append(STATE_LABELS[ReviewState(q.review)])
        if q.entry_ids is not None:
            words.append(q.ids_label or f"指定的 {len(q.entry_ids)} 条")
        if q.region:
            words.append(region_name(q.region))
        if q.bad_id and q.verified is False:
            words.append("证件号有误未核实")
        elif q.bad_id:
            words.append("证件号有误")
        if q.verified:
            words.append("已核实证件号")
        if q.source:
            words.append(SOURCE_LABELS.get(q.source, q.source))
        if q.township:
            words.append(township_label(q.township))
        if q.school_id:
            words.append(self.school_labels.get(q.school_id, f"学校#{q.school_id}"))
        if q.code:
            words.append(f"代码 {q.code}")
        if q.overdue_ids is not None or self._overdue_wanted:
            words.append("只看逾期")
        return words

    def _paint_position(self) -> None:
        # Its own small widget: a cursor move repaints these few cells, not the whole line.
        t = self.table
        # "…" while the rows shown are still being counted (LedgerTable.counted).
        where = ("正在加载…" if t.waiting else f"第 {t.cursor + 1}/{t.total if t.counted else '…'} 行" if t.total
                 else "无记录")
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
        if message.total is not None:
            self._counted(message.total)

    def on_ledger_table_counted(self, message: LedgerTable.Counted) -> None:
        self._paint_position()
        self._counted(message.total)

    def _counted(self, total: int) -> None:
        if self.table.query == self.query_state:
            self._start_tab_counts(total)
        if self._overdue_on_rows:  # after the first rows and their count, not beside them
            self._overdue_on_rows = False
            self.recount_overdue()

    def on_ledger_table_cursor_moved(self, message: LedgerTable.CursorMoved) -> None:
        self._paint_position()

    def set_query(self, query: LedgerQuery) -> None:
        self.query_state = query
        self.reload()

    # -- tabs, search, filters -----------------------------------------------------------

    def action_switch_tab(self) -> None:
        other = Status.PROCESSED if self.query_state.status == Status.PENDING.value else Status.PENDING
        self.set_query(replace(self.query_state, status=other.value))

    async def action_search(self) -> None:
        await self._open_search()

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
            self._close_search()

    def action_clear(self) -> None:
        """Esc: close the messages, else cancel a count, else clear the search, else the filters."""
        box = self._search_box()
        if self.query("Toast"):  # the messages shown in the corner
            self.app.clear_notifications()
        elif self._report_back is not None:
            view, before = self._report_back
            self._report_back = None
            self.set_query(before)
            self._open_report(view)
        elif self.prefix:
            self.prefix = ""
            self._paint_status()
        elif self.query_state.search or box is not None:
            self._close_search()
            self.set_query(replace(self.query_state, search=""))
        elif self._filter_words():
            self.set_query(LedgerQuery(status=self.query_state.status, sort=self.query_state.sort))

    def action_toggle_99(self) -> None:
        on = self.query_state.code_class != CodeClass.UNCONFIRMED
        self.set_query(replace(self.query_state, code_class=CodeClass.UNCONFIRMED if on else None))

    def action_toggle_flagged(self) -> None:
        """k: only the rows flagged 需复核 (they are processed rows), or all again."""
        if self.query_state.review == FLAGGED:
            self.set_query(replace(self.query_state, review=None))
        else:
            self.set_query(replace(self.query_state, review=FLAGGED, status=Status.PROCESSED.value))

    def action_toggle_b(self) -> None:
        """Only B-class results (what a supervisor reviews), or all again; from the palette."""
        if self.query_state.code_class == CodeClass.NO_PERSUADE:
            self.set_query(replace(self.query_state, code_class=None))
        else:
            self.set_query(replace(self.query_state, code_class=CodeClass.NO_PERSUADE, code=None,
                                   status=Status.PROCESSED.value))

    def action_toggle_bad_id(self) -> None:
        """x cycles: wrong IDs not yet verified → rows with a verified ID → all rows."""
        q = self.query_state
        if q.verified:
            step = replace(q, bad_id=None, verified=None)
        elif q.bad_id:
            step = replace(q, bad_id=None, verified=True)
        else:
            step = replace(q, bad_id=True, verified=False)
        self.set_query(step)

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
        self.recount_overdue()

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
        if row.verified_id:
            upstream = "校验通过" if row.id_ok else f"有误：{terminal_safe(row.id_issue)}"
            self.notify(f"{name} 的上游证件号码 {number} {upstream}；核实证件号码 {terminal_safe(row.verified_id)}",
                        title="证件号码核验", timeout=10, markup=False)
        elif row.id_ok:
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
        # The saved rows leave the tab: painting the form's removal now would resend the old
        # page (marks cleared), and the reloaded page right after it. Held, the terminal gets
        # one paint of the final page (released when the rows are in, LedgerTable.Loaded).
        self.app.hold_output()
        if result.applied:
            self.table.clear_marks(result.applied)
            self.notify(f"已处理 {len(result.applied)} 条记录")
        if result.conflicts:
            self.notify(f"有 {len(result.conflicts)} 条记录已被他人修改，已刷新为最新内容，请核对后再保存",
                        severity="warning", timeout=10)
        self.reload(keep_cursor=True)
        self.recount_overdue()

    def on_classify_form_rows_changed(self, message) -> None:
        """Someone else saved some of the rows while the form was open: show what is current."""
        self.reload(keep_cursor=True)

    # -- B-class review ------------------------------------------------------------------

    def check_action(self, action: str, parameters) -> bool | None:
        # h flags for a supervisor and re-submits for the county: one key, the role decides.
        if action == "flag":
            return self.actor.role.can_flag_review
        if action == "resubmit":
            return self.actor.can_classify and not self.actor.role.can_flag_review
        return True

    def _chosen(self) -> list[int]:
        t = self.table
        return sorted(t.marks) if t.marks else ([t.current_row.id] if t.current_row else [])

    def action_flag(self) -> None:
        ids = self._chosen()
        if not ids:
            self.notify("没有可标记的记录：请先用空格标记 B 类结果，或把光标移到一行上", severity="warning")
            return
        self._prepare_flag(ids)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review", description="读取要复核的记录")
    def _prepare_flag(self, ids: list[int]) -> None:
        with session():
            rows = ledger.rows_by_id(self.actor, ids)
        self.app.call_from_thread(self._open_flag, rows)

    def _open_flag(self, rows) -> None:
        from .review_dialog import FlagDialog

        not_b = [r.name for r in rows if CODES.get(r.code) is None or CODES[r.code].klass != CodeClass.NO_PERSUADE]
        if not_b:
            self.notify(f"只有 B 类结果需要复核：{'、'.join(not_b[:5])}{' 等' if len(not_b) > 5 else ''} 不是 B 类结果"
                        "（可在已处理标签用 f 或概览 g 筛出 B 类）", severity="warning", timeout=10, markup=False)
            return
        self.app.push_screen(FlagDialog(rows), self._reviewed)

    def action_resubmit(self) -> None:
        row = self.table.current_row
        if row is None or row.review_state != FLAGGED:
            self.notify("光标所在行没有被标记为需复核；按 k 只看需复核的记录", severity="warning")
            return
        self._prepare_resubmit(row.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review", description="读取需复核的记录")
    def _prepare_resubmit(self, entry_id: int) -> None:
        with session():
            d = ledger.detail(self.actor, entry_id)
        self.app.call_from_thread(self._open_resubmit, d)

    def _open_resubmit(self, d) -> None:
        from .review_dialog import ResubmitDialog

        self.app.push_screen(ResubmitDialog(d), self._reviewed)

    def _reviewed(self, summary: str | None) -> None:
        if summary is not None:
            self.table.clear_marks()
            self.notify(summary, markup=False)
            self.reload(keep_cursor=True)

    # -- overview ------------------------------------------------------------------------

    def action_overview(self) -> None:
        self.query_one("#status-bar", Static).update("正在统计概览…", layout=False)
        self._load_overview()

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview", description="统计概览")
    def _load_overview(self) -> None:
        from ..services import overview

        with session():
            data = overview.overview(self.actor, self.app.today)
        self.app.call_from_thread(self._open_overview, data)

    def worker_failed(self, worker) -> None:
        self._paint_status()

    def _open_overview(self, data) -> None:
        from .overview import OverviewScreen

        self._paint_status()
        self.app.hold_output()  # released once the overview is laid out: one paint
        self.app.push_screen(OverviewScreen(data), self._drill)

    def _drill(self, query) -> None:
        """Enter on a figure: the ledger shows exactly its rows (Esc clears the filter, or
        for a 月报表 figure returns to the report)."""
        from .report import ReportDrill

        if query is None:
            self.app.release_output()
            return
        if isinstance(query, ReportDrill):  # its rows may be on either tab: show the one that has them
            self._report_back = (query.view, self._report_back[1] if self._report_back else self.query_state)
            self._follow_rows = True
            query = replace(query.query, status=self.query_state.status or Status.PENDING.value)
        else:
            self._report_back = None
        # the app paints again when the rows are in (LedgerTable.Loaded)
        self.table.clear_marks()
        self.set_query(replace(query, sort=self.query_state.sort))

    def action_report(self) -> None:
        self._open_report(None)

    def _open_report(self, view) -> None:
        from .report import ReportScreen

        self.app.hold_output()  # released once the report is laid out: one paint
        self.app.push_screen(ReportScreen(view, self.app.today), self._drill)

    # -- the verified ID -----------------------------------------------------------------

    def action_verify_id(self) -> None:
        row = self.table.current_row
        if row is None:
            self.notify("没有可核实的记录：请把光标移到一行上", severity="warning")
            return
        self._prepare_verify(row.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="form", description="打开核实证件号码表单")
    def _prepare_verify(self, entry_id: int) -> None:
        from ..services import verified_ids

        try:
            with session():
                setup = verified_ids.prepare(self.actor, entry_id, self.app.today)
        except ServiceError as e:
            self.app.call_from_thread(self.notify, str(e), severity="warning")
            return
        self.app.call_from_thread(self._open_verify, setup)

    def _open_verify(self, setup) -> None:
        from .verify_id_form import VerifyIdForm

        self.app.push_screen(VerifyIdForm(self.actor, setup, today=self.app.today), self._verified)

    def _verified(self, result: BatchResult | None) -> None:
        if result is not None and result.applied:
            self.notify("已保存核实证件号码（上游证件号码保持不变）")
            self.reload(keep_cursor=True)

    # -- persuasion steps ----------------------------------------------------------------

    def action_steps(self) -> None:
        row = self.table.current_row
        if row is None:
            self.notify("没有可录入的记录：请把光标移到一行上", severity="warning")
            return
        self.open_steps(row.id)

    def steps_changed(self, result) -> None:
        """A step was saved (here or from the detail screen): its row and the overdue count."""
        self.reload(keep_cursor=True)
        self.recount_overdue(frozenset({result.entry_id}))

    def on_step_form_rows_changed(self, message) -> None:
        self.reload(keep_cursor=True)

    # -- other screens -------------------------------------------------------------------

    def action_duplicates(self) -> None:
        from .duplicates import DuplicatesScreen

        self.app.push_screen(DuplicatesScreen(), lambda _=None: self.reload(keep_cursor=True))

    def action_import(self) -> None:
        from .import_screen import ImportScreen

        self.app.push_screen(ImportScreen(self.actor), self._imported)

    def _imported(self, summary: str | None) -> None:
        if summary is not None:
            self.notify(summary, title="导入", timeout=30, markup=False)
            self.reload(keep_cursor=True)
            self.recount_overdue()

    def action_export(self) -> None:
        from .export_screen import ExportScreen

        self.app.push_screen(ExportScreen(self.actor, self.query_state.status), self._exported)

    def action_print_forms(self) -> None:
        """登记表 / 通知书 / 函 of the marked rows, else of the row under the cursor."""
        from .print_forms import PrintFormsScreen

        t = self.table
        ids = sorted(t.marks) if t.marks else ([t.current_row.id] if t.current_row else [])
        if not ids:
            self.notify("没有可打印的记录：请先用空格标记，或把光标移到一行上", severity="warning")
            return
        self.app.push_screen(PrintFormsScreen(self.actor, ids, self.app.today, self.app.settings), self._exported)

    def _exported(self, summary: str | None) -> None:
        if summary is not None:
            self.notify(summary, title="导出", timeout=30, markup=False)
