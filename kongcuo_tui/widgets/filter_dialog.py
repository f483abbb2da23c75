"""The quick-filter dialog (f): ledger source, township, school and code."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Select, Static

from ..domain.codes import CODE_LIST, SOURCE_LABELS
from ..domain.regions import TOWNSHIPS, region_index
from ..services.schools import SchoolInfo
from ..services.types import LedgerQuery
from .key_bar import HELP_BINDING, KeyBar

ANY = "__any__"


def _options(pairs) -> list[tuple[str, str]]:
    return [("全部", ANY)] + [(label, str(value)) for value, label in pairs]


def _county(code: str) -> str:
    r = region_index().get(code)
    return r.name if r else code


def _named(name: str, county: str) -> str:
    return f"{name}（{_county(county)}）"


def township_label(code: str) -> str:
    """"源潭镇（唐河县）": township names repeat across counties, so the county comes along."""
    r = region_index().get(code)
    return _named(r.name, r.parent or "") if r else code


def townships_for(region: str) -> list[tuple[str, str]]:
    """(code, label) of the townships under `region` (a county, city or province prefix).

    Every label names its county, a county account's too, so a choice reads the same on
    every account and in the status line.
    """
    prefix = region.rstrip("0") or region
    return [(code, _named(name, county))
            for county, towns in TOWNSHIPS.items() if county.startswith(prefix[:6])
            for code, name in towns]


def school_choices(schools: list[SchoolInfo]) -> list[tuple[int, str]]:
    """(id, label) of `schools`; a list spanning several counties names each school's."""
    several = len({s.county for s in schools}) > 1
    return [(s.id, _named(s.name, s.county) if several else s.name) for s in schools]


class FilterDialog(ModalScreen[LedgerQuery | None]):
    """Pick filters; Enter on 应用 or ctrl+s applies, Esc leaves them as they were."""

    HELP_TITLE = "筛选"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "取消", id="filters.cancel"),
        HELP_BINDING,
        Binding("ctrl+s", "apply", "应用筛选", id="filters.apply"),
        Binding("ctrl+r", "reset", "全部清除", id="filters.reset"),
    ]

    def __init__(self, query: LedgerQuery, region: str, schools: list[SchoolInfo]) -> None:
        super().__init__()
        # Not self.query / self.region: those are Textual's own (DOM query, screen area).
        self.current = query
        self.area = region
        self.schools = schools

    def compose(self) -> ComposeResult:
        q = self.current
        with Vertical(id="filter-box"):
            yield Static("筛选台账", classes="dialog-title")
            yield Static("Tab 换一栏，回车展开列表，上下键挑选，回车选定", id="filter-hint")
            yield Label("台账来源")
            yield self._select("source", _options(SOURCE_LABELS.items()), q.source)
            yield Label("乡镇")
            yield self._select("township", _options(townships_for(self.area)), q.township)
            yield Label("学校")
            yield self._select("school", _options(school_choices(self.schools)), q.school_id)
            yield Label("核查结果代码")
            yield self._select("code", _options((c.code, c.label) for c in CODE_LIST), q.code)
        yield KeyBar()

    @staticmethod
    def _select(name: str, options: list[tuple[str, str]], value) -> Select:
        current = str(value) if value is not None else ANY
        if current not in {v for _, v in options}:
            current = ANY
        return Select(options, value=current, allow_blank=False, id=f"filter-{name}", compact=True)

    def _value(self, name: str) -> str | None:
        v = self.query_one(f"#filter-{name}", Select).value
        return None if v in (ANY, Select.BLANK) else str(v)

    def action_apply(self) -> None:
        school = self._value("school")
        self.dismiss(replace(
            self.current, source=self._value("source"), township=self._value("township"),
            school_id=int(school) if school else None, code=self._value("code"),
        ))

    def action_reset(self) -> None:
        self.dismiss(replace(self.current, source=None, township=None, school_id=None, code=None,
                             code_class=None, bad_id=None, region=None, review=None, entry_ids=None, ids_label=""))
