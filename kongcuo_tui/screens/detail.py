"""One child's whole record: upstream facts, county facts, guardians, evidence, history."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from ..domain import persuasion as P
from ..domain.terminal import terminal_safe
from ..services import ledger, persuasion
from ..services.errors import ServiceError
from ..services.session import session
from ..services.types import EntryDetail
from ..widgets.key_bar import KeyBar
from ..widgets.ledger_columns import KEY_COLUMNS, UPSTREAM_COLUMNS, PROCESSED_COLUMNS
from .step_chooser import STEP_KEYS
from .step_opener import OpensSteps
from .timeline import timeline_lines


def escape(text: str) -> str:
    """Plain text inside Textual markup. Its own escape() leaves "[0m" (a colour code's tail)
    to be read as a tag, which then breaks the whole record's markup."""
    return text.replace("[", r"\[")


def _d(value) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "hour") else value.strftime("%Y-%m-%d")
    return escape(terminal_safe(value))


def _section(title: str, lines: list[str]) -> str:
    return f"[b]{title}[/b]\n" + ("\n".join(lines) if lines else "  （无）")


def detail_text(d: EntryDetail, timeline: list[str] = ()) -> str:
    """The record as display text (markup), in the order the registrar reads it."""
    r = d.row
    upstream = [f"  {c.title}：{_d(c.value(r))}" for c in KEY_COLUMNS + UPSTREAM_COLUMNS]
    if d.id_raw:
        # Corner brackets show leading or trailing spaces in what the platform sent.
        upstream.insert(len(KEY_COLUMNS), f"  证件号码（上游原值）：「{_d(d.id_raw)}」")
    if not r.id_ok:
        upstream.append(f"  [b]! 证件号码有误[/b]：{_d(r.id_issue)}")
    upstream += [f"  [b]核实证件号码[/b]：{_d(v.verified_id)}（证明人 {_d(v.proof_person)}，{_d(v.proof_date)}；"
                 f"{_d(v.by)} 于 {_d(v.at)} 录入）" for v in d.verifications[-1:]]
    facts = [f"  {k}：{_d(v)}" for k, v in d.facts.items()]
    handled = [f"  {c.title}：{_d(c.value(r))}" for c in PROCESSED_COLUMNS] if r.code else []
    if r.code:
        if d.study_place or d.study_school:
            handled.append(f"  就读省县/学校：{_d(d.study_place)} {_d(d.study_school)}")
        if d.graduation:
            handled.append(f"  毕业去向：{_d(d.graduation)}")
        handled += [f"  处理说明：{_d(d.notes)}", f"  处理人：{_d(d.handled_by)} 于 {_d(d.handled_at)}"]
    guardians = [f"  {_d(g.relation)} {_d(g.name)}  证件号码 {_d(g.id_number)}  电话 {_d(g.phone)}"
                 for g in d.guardians]
    evidence = [f"  {_d(e.label)}  收到 {_d(e.received_on)}  登记人 {_d(e.recorded_by)}"
                + (f"  {_d(e.note)}" if e.note else "") for e in d.evidence]
    # One fact per line, each short enough for 80 columns: a wrapped line starts at the left
    # edge, under the section title, and reads as a new entry.
    # Classifications and verified IDs in the order they were made (each moved the version on).
    history = [(h.version, f"  第{h.version}版 {_d(h.at)} {_d(h.by)}：{_d(h.action)} {_d(h.code)} {_d(h.code_name)}"
                f"\n      证明人 {_d(h.proof_person)}（{_d(h.proof_date)}）"
                + (f"\n      就读 {_d(h.study_place)} {_d(h.study_school)}" if h.study_place or h.study_school else "")
                + f"\n      说明：{_d(h.notes)}") for h in d.history]
    history += [(v.version, f"  第{v.version}版 {_d(v.at)} {_d(v.by)}：核实证件号码 {_d(v.verified_id)}"
                 f"\n      上游证件号码 {_d(v.upstream_id)}；证明人 {_d(v.proof_person)}（{_d(v.proof_date)}）")
                for v in d.verifications]
    history = [text for _, text in sorted(history, key=lambda x: x[0])]
    reviews = [f"  {_d(r.at)} {_d(r.by)}：{r.label}（第{r.version}版）\n      {_d(r.note) if r.note else '（无说明）'}"
               for r in d.reviews]
    return "\n\n".join([
        _section("台账信息", upstream), _section("补充信息", facts),
        _section("处理结果", handled or ["  尚未处理"]), _section("监护人", guardians),
        _section("证明材料", evidence), _section("处理记录（每次修改都保留）", history),
        *([_section("B 类复核（需复核与重新提交）", reviews)] if reviews else []),
        _section("劝返时间线（按 r 录入劝返记录）", list(timeline)),
    ])


STEPS_GROUP = Binding.Group("劝返记录（数字键直接打开该步骤的表单）")


class DetailScreen(OpensSteps, Screen):
    HELP_TITLE = "详情"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回台账", id="detail.back"),
        Binding("r", "steps", "劝返记录", id="detail.steps", group=STEPS_GROUP,
                tooltip="选择要录入的步骤：学校劝返、联合劝返、复学、销号等"),
        Binding("q", "app.pop_screen", "返回", show=False, id="detail.back_q"),
    ] + [
        Binding(key, f"step('{step}')", P.STEPS[step], show=False, id=f"detail.step_{step}", group=STEPS_GROUP)
        for step, key in STEP_KEYS.items()
    ]

    def __init__(self, entry_id: int) -> None:
        super().__init__()
        self.entry_id = entry_id

    def compose(self) -> ComposeResult:
        yield Static("正在加载…", id="detail-title")
        with VerticalScroll(id="detail-body"):
            yield Static("", id="detail-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#detail-body").focus()
        self._load()

    def action_steps(self) -> None:
        self.open_steps(self.entry_id)

    def action_step(self, step: str) -> None:
        self.open_step(self.entry_id, step)

    def steps_changed(self, result) -> None:
        if result.entry_id == self.entry_id:
            self._load()

    def on_step_form_rows_changed(self, message) -> None:
        if message.entry_id == self.entry_id:
            self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="detail", description="读取详情")
    def _load(self) -> None:
        app, cal = self.app, self.app.settings.calendar()
        try:
            with session():
                d = ledger.detail(app.actor, self.entry_id)
                c = persuasion.case(app.actor, self.entry_id, today=app.today, calendar=cal,
                                    cutoff=(app.settings.cutoff_month, app.settings.cutoff_day))
        except ServiceError as e:
            app.call_from_thread(self._show_error, str(e))
            return
        app.call_from_thread(self._show, d, timeline_lines(c, cal, app.today))

    def _show(self, d: EntryDetail, timeline: list[str]) -> None:
        r = d.row
        flag = "" if r.id_ok else "  ! 证件号码有误"
        if r.verified_id:
            flag = f"  核实证件号码 {_d(r.verified_id)}"
        self.query_one("#detail-title", Static).update(
            f"详情：{_d(r.name)}  {_d(r.id_number)}  序号 {r.seq}{flag}")  # Esc: on the key line
        self.query_one("#detail-text", Static).update(detail_text(d, timeline))

    def _show_error(self, message: str) -> None:
        # In the body, which wraps: the one-line title would cut a long message.
        self.query_one("#detail-title", Static).update("详情")
        self.query_one("#detail-text", Static).update(_d(message))
