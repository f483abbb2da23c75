"""三统一: read another list (poverty office, school roster) by ID and compare it with the ledger.

The list is read like the ledger import reads the platform's file (reader.open_sheet,
headers.find_header, rows.read_row: the same ID checks and messages); only 姓名 and
证件号码 are required, 出生日期 is used when the list has it. Nothing is written unless
``tag`` is asked for (services.reconcile.tag: scoped, audited, one transaction).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..config import Settings
from ..domain.ids import check_id
from ..domain.reconcile import KINDS, Finding, ListKind, differences, of_compulsory_age
from ..services import reconcile as ledger_side
from ..services.errors import ServiceError
from ..services.reconcile import LedgerMatch, TagResult  # noqa: F401  (TagResult: the report's type)
from ..services.types import Actor
from .headers import HeaderError, find_header
from .reader import open_sheet
from .rows import is_blank, read_row

_HEAD_ROWS = 30
_REQUIRED = frozenset({"name", "id_number"})


@dataclass(frozen=True)
class ListRow:
    row: int  # Excel row number
    name: str
    birth_date: date | None  # the list's 出生日期, else the ID's
    id_number: str
    problem: str = ""  # why the ID cannot be trusted or the row not be read
    readable: bool = True  # False: refused like the import refuses it (no usable ID or name)


@dataclass(frozen=True)
class Item:
    finding: Finding
    listed: ListRow | None
    ledger: LedgerMatch | None
    note: str = ""


@dataclass
class ReconcileReport:
    file: str
    kind: ListKind
    list_rows: int = 0
    matched: int = 0
    adults: int = 0  # list rows outside compulsory age, not looked for in the ledger
    items: list[Item] = field(default_factory=list)
    tagged: TagResult | None = None

    def of(self, finding: Finding) -> list[Item]:
        return [i for i in self.items if i.finding is finding]


def read_list(path: str | Path, today: date) -> tuple[list[ListRow], list[ListRow]]:
    """(readable rows, unreadable rows) of the list's first sheet; ServiceError for a bad file."""
    sheet = open_sheet(path)
    head = list(itertools.islice(sheet.rows, _HEAD_ROWS))
    try:
        header = find_header(head, sheet.first_row, required=_REQUIRED, min_matches=2,
                             what="要核对的名单（如脱贫户名单、在校生名单）", stopped="已停止核对", again="重新核对")
    except HeaderError as e:
        raise ServiceError(str(e)) from None
    first = sheet.first_row + header.row_index + 1
    good, bad = [], []
    for n, cells in enumerate(itertools.chain(head[header.row_index + 1:], sheet.rows)):
        if is_blank(cells):
            continue
        r = read_row(cells, header, first + n, today, today)
        if r.rejected:
            issue = r.rejected[0]
            bad.append(ListRow(r.row, r.name, None, str(issue.value), f"{issue.column}：{issue.reason}", False))
            continue
        f = r.fields
        birth = f.get("birth_date") or check_id(f["id_number"], today).birth_date
        row = ListRow(r.row, f["name"], birth, f["id_number"], "" if f["id_ok"] else f["id_issue"])
        good.append(row)
        if row.problem:
            bad.append(row)
    return good, bad


def reconcile(actor: Actor, path: str | Path, kind: str, *, tag: bool = False, today: date | None = None,
              settings: Settings | None = None) -> ReconcileReport:
    """Compare the list with the actor's ledger; with ``tag`` mark the matching rows' watched group."""
    if kind not in KINDS:
        raise ServiceError(f"--kind 须为 {'、'.join(KINDS)}（不是“{kind}”）")
    k = KINDS[kind]
    if tag and k.watch_group is None:
        raise ServiceError(f"{k.label}没有对应的重点监测群体，不能使用 --tag（--tag 只用于 --kind poverty）")
    today = today or date.today()
    cutoff = (settings or Settings()).cutoff(today)
    path = Path(path)
    rows, unreadable = read_list(path, today)
    report = ReconcileReport(path.name, k, list_rows=len(rows) + sum(not r.readable for r in unreadable))
    report.items += [Item(Finding.UNREADABLE, r, None, r.problem) for r in unreadable]
    found = ledger_side.by_ids(actor, [r.id_number for r in rows])
    matches: list[LedgerMatch] = []
    for r in rows:
        hits = found.get(r.id_number, [])
        if not hits:
            if Finding.NOT_IN_LEDGER in k.findings and not r.problem:  # a wrong ID is listed as such
                if of_compulsory_age(r.birth_date, cutoff):
                    report.items.append(Item(Finding.NOT_IN_LEDGER, r, None))
                else:
                    report.adults += 1
            continue
        report.matched += 1
        for m in hits:
            matches.append(m)
            diff = differences(r.name, r.birth_date, m.name, m.birth_date)
            if diff:
                report.items.append(Item(Finding.DIFFERS, r, m, "；".join(diff)))
            if Finding.ON_ROSTER in k.findings and m.status == "pending":
                report.items.append(Item(Finding.ON_ROSTER, r, m))
    if Finding.NOT_ON_LIST in k.findings:
        listed = {r.id_number for r in rows}
        report.items += [Item(Finding.NOT_ON_LIST, None, m) for m in ledger_side.watched(actor, k.watch_group)
                         if m.id_number not in listed]
    if tag:
        # Every match goes to the service: it checks the role and scope even when all are tagged.
        report.tagged = ledger_side.tag(actor, matches, k.watch_group, path.name)
    return report
