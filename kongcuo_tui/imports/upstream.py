"""Import the upstream platform's ledger file: one transaction, nothing lost, every defect explained.

Used by the CLI, the import screen and the tests alike. Rows are streamed from the sheet and
written in chunks (one query for existing IDs per chunk, one multi-row INSERT), all inside
one transaction: either every accepted row is applied or none is. Imports into one county
take turns (a per-county lock), so a second import of the same file finds the first one's
rows instead of inserting them again.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager, nullcontext
from datetime import date
from pathlib import Path

from ..config import Settings
from ..db.bulk import bulk_load, bulk_writer, refresh_statistics
from ..db.connection import db
from ..db.models import Entry, ImportBatch, Region
from ..db.transactions import is_lock_error, lock_county_imports, once_more_on_deadlock, write_transaction
from ..domain import ids
from ..domain.lengths import clip
from ..domain.roles import Role
from ..services import accounts, audit
from ..services.errors import IMPORT_BUSY, DatabaseBusy, PermissionDenied, ServiceError
from ..services.scope import region_in_scope
from ..services.types import Actor
from . import writes
from .fastpath import RowReader
from .headers import HeaderError, HeaderMap, find_header
from .pipeline import checked_chunks
from .reader import Sheet, open_sheet
from .report import ImportReport, Issue
from .rows import RowResult, fix_for
from .seen import FirstSeen
from .writes import insert as _insert  # a module name, so tests can make a write fail

CHUNK = 1000
_HEAD_ROWS = 30
Progress = Callable[[int, int], None]


@audit.audits_denials("import")
def resolve_region(actor: Actor, region: str | None) -> str:
    """The county the file's rows belong to; raises when the account may not import there."""
    actor = accounts.current(actor)
    if not actor.can_classify:
        raise PermissionDenied("导入台账需要县级学籍管理员或管理员账号；您的账号只能查看和导出")
    if not region:
        if actor.role is not Role.COUNTY:
            raise ServiceError("您的账号管辖多个县，请用 --region 指定台账所属的县级区划代码，如 --region 411328")
        region = actor.region
    r = Region.get_or_none(Region.code == region)
    if r is None or r.level != "county":
        raise ServiceError(f"“{region}”不是县级区划代码；台账按县导入，请指定如 411328（唐河县）这样的 6 位代码")
    if not region_in_scope(actor, region):
        raise PermissionDenied(f"{r.full_name}（{region}）不在您的管辖范围（{actor.region_name}）内，不能导入")
    return region


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _header_issues(header: HeaderMap, header_row: int) -> list[Issue]:
    out = [
        Issue(header_row, text, text, "column_ignored", f"未知的列「{text}」已忽略，不会导入", fix_for("column_ignored"))
        for _, text in header.ignored
    ]
    out += [
        Issue(header_row, c.label, "", "column_missing",
              f"表头中没有“{c.label}”列：新增的行该列为空，已有的行该列保持不变", fix_for("column_missing"))
        for c in header.missing
    ]
    return out


def import_file(actor: Actor, path: str | Path, region: str | None = None, dry_run: bool = False,
                progress: Progress | None = None, today: date | None = None,
                settings: Settings | None = None,
                before_commit: Callable[[ImportReport], None] | None = None) -> ImportReport:
    """Check and (unless ``dry_run``) apply an upstream ledger file. See README for reason codes.

    Ages are counted at the cutoff of ``settings`` (the program's validated settings; the
    defaults when None). ``before_commit(report)`` runs with the finished report inside the
    transaction: when it raises (a problem list that cannot be written), nothing is applied.
    """
    path = Path(path)
    region = resolve_region(actor, region)
    def run() -> ImportReport:
        return _import(actor, path, region, dry_run, progress, today, settings, before_commit)

    if dry_run:
        return run()
    try:
        report = once_more_on_deadlock(run)
    except Exception as e:
        if is_lock_error(e):
            raise DatabaseBusy(IMPORT_BUSY) from None
        raise
    refresh_statistics(report.inserted + report.updated)
    return report


def _import(actor: Actor, path: Path, region: str, dry_run: bool, progress: Progress | None,
            today: date | None, settings: Settings | None,
            before_commit: Callable[[ImportReport], None] | None) -> ImportReport:
    today = today or date.today()
    cutoff = (settings or Settings()).cutoff(today)
    sheet = _open(path)
    head = list(itertools.islice(sheet.rows, _HEAD_ROWS))
    try:
        header = find_header(head, sheet.first_row)
    except HeaderError as e:
        raise ServiceError(str(e)) from None
    report = ImportReport(file=path.name, region=region, dry_run=dry_run)
    header_row = sheet.first_row + header.row_index
    report.warnings += _header_issues(header, header_row)
    rows = itertools.chain(head[header.row_index + 1:], sheet.rows)
    load = nullcontext() if dry_run else bulk_load(Entry, rows=sheet.height)
    with (db.atomic() if dry_run else write_transaction()) as tx, load:
        if not dry_run:
            lock_county_imports(region)  # before anything is read: the rows of an import ahead of us count
        batch = None if dry_run else ImportBatch.create(
            file_name=clip(path.name, "import_batch.file_name"), file_sha256=_sha256(path), region=region, login=actor.login,
        )
        run = _Run(actor, region, batch, report, dry_run, sheet.height)
        reader = RowReader(header, today, cutoff)
        with closing(checked_chunks(rows, reader.read, header_row + 1, CHUNK)) as chunks, run.writing():
            for done, results in chunks:
                for r in results:
                    run.add(r)
                if progress:
                    progress(header.row_index + 1 + done, sheet.height)
            run.flush()
        _finish(actor, report, batch)
        if before_commit:
            before_commit(report)
        if dry_run:
            tx.rollback()
    if progress:
        progress(sheet.height, sheet.height)
    return report


def _open(path: Path) -> Sheet:
    """The first sheet. calamine parses it without holding the GIL, so meanwhile this thread
    reads the ID region table the checks need."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-open") as pool:
        opening = pool.submit(open_sheet, path)
        ids.preload()
        return opening.result()


def _finish(actor: Actor, report: ImportReport, batch: ImportBatch | None) -> None:
    report.accepted = report.inserted + report.updated + report.unchanged
    if batch is None:
        return
    report.batch_id = batch.id
    ImportBatch.update(
        rows=report.rows, inserted=report.inserted, updated=report.updated,
        unchanged=report.unchanged, rejected=report.rejected_rows,
    ).where(ImportBatch.id == batch.id).execute()
    # The audit's target column is short; the whole file name goes into the detail.
    audit.record(
        actor.login, "import", clip(report.file, "audit_log.target"), file=report.file, batch=batch.id, region=report.region, rows=report.rows,
        inserted=report.inserted, updated=report.updated, unchanged=report.unchanged,
        rejected=report.rejected_rows, warnings=len(report.warnings),
    )


class _Run:
    """Duplicate checks across the file and chunked writes, on the database thread."""

    def __init__(self, actor: Actor, region: str, batch, report: ImportReport, dry_run: bool, rows: int):
        self.actor, self.region, self.batch, self.report, self.dry_run = actor, region, batch, report, dry_run
        self.seen = FirstSeen(rows)  # id → (first row, name), compact: a province's million rows
        self.pending: list[RowResult] = []
        # A county's first import needs no lookups: in-file repeats are caught by `seen`.
        self.county_empty = not Entry.select().where(Entry.region == region).exists()
        self.write = None  # while writing(): one bulk writer for every chunk
        self.shared = None if dry_run else writes.new_rows(region, batch.id)

    @contextmanager
    def writing(self):
        """Around the chunks: a first import, which sends nothing else to the database
        meanwhile, writes them all through one bulk writer (one COPY on PostgreSQL)."""
        if self.dry_run or not self.county_empty:
            yield
            return
        with bulk_writer(Entry, CHUNK) as self.write:
            yield
        self.write = None

    def add(self, r: RowResult) -> None:
        rep = self.report
        rep.rows += 1
        if not r.rejected:
            self._check_duplicate(r)
        rep.warnings += r.warnings
        if r.rejected:
            rep.rejected += r.rejected
            return
        if r.fields is None:  # a repeat of an earlier row: reported, applied once
            rep.unchanged += 1
            return
        self.pending.append(r)
        if len(self.pending) >= CHUNK:
            self.flush()

    def _check_duplicate(self, r: RowResult) -> None:
        key, name = r.fields["id_number"], r.fields["name"]
        first = self.seen.first(key, r.row, name)
        if first is None:
            return
        row0, name0 = first
        if name0 != name:
            r.reject("证件号码", key, "dup_id_other_name",
                     f"与第 {row0} 行证件号码相同，但姓名不同（第 {row0} 行「{name0}」，本行「{name}」）；"
                     f"本行未导入，第 {row0} 行已导入")
            return
        r.warn("证件号码", key, "dup_id",
               f"与第 {row0} 行重复（同一证件号码、同一姓名）；以第 {row0} 行为准，本行不再单独导入")
        r.fields = None

    def flush(self) -> None:
        if not self.pending:
            return
        chunk, self.pending = self.pending, []
        if self.county_empty:
            inserts, updates = chunk, []
        else:
            inserts, updates = self._sort_out(chunk)
        self.report.inserted += len(inserts)
        self.report.updated += len(updates)
        if not self.dry_run:
            _insert(self.shared, inserts, CHUNK, self.write)
            writes.update(self.actor, self.batch.id, updates)

    def _sort_out(self, chunk: list[RowResult]) -> tuple[list[RowResult], list[tuple[int, RowResult, dict]]]:
        """New rows, and changes to rows already in the ledger; a known ID under another name is rejected."""
        existing = writes.existing(self.region, [r.fields["id_number"] for r in chunk])
        inserts, updates = [], []
        for r in chunk:
            old = existing.get(r.fields["id_number"])
            if old is None:
                inserts.append(r)
            elif old["name"] != r.fields["name"]:
                r.reject("证件号码", r.fields["id_number"], "db_id_other_name",
                         f"台账中已有该证件号码，姓名为「{old['name']}」，与本行「{r.fields['name']}」不同；本行未导入")
                self.report.rejected += r.rejected
            else:
                changes = {k: (old[k], v) for k, v in r.fields.items() if old.get(k) != v}
                if changes:
                    updates.append((old["id"], r, changes))
                else:
                    self.report.unchanged += 1
        return inserts, updates
