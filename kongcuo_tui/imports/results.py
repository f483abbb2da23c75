"""`kongcuo import results FILE`: take the schools' filled worksheets back in one transaction.

Rows are matched by their 行键 (falling back to the 证件号码, upstream or verified), checked
with the rules every form uses (services.classify.classify_rows, domain.rules.validate) and
the verified-ID check (services.verified_ids), and all valid rows are applied together, as
classifications by the importing registrar with the 证明人 from the sheet. A row the ledger
changed since the sheet was made is a conflict: listed, never overwritten. A row that
already holds what the sheet says is unchanged, so importing a sheet twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..config import Settings
from ..db.models import Entry
from ..db.transactions import write_transaction
from ..domain.codes import CODES, EVIDENCE
from ..domain.dates import DateParseError, parse_date
from ..domain.ids import normalize_id_text
from ..domain.regions import find_place
from ..domain.rules import Classification, asks_graduation
from ..domain.verified_ids import IdVerification
from ..exports.worksheet_layout import COLUMN_OF_FIELD, EVIDENCE_SEPARATORS
from ..services import accounts, audit, verified_ids
from ..services.classify import classify_rows, existing_evidence, require_classifier
from ..services.errors import IMPORT_BUSY, write_or_busy
from ..services.scope import entry_scope
from ..services.types import Actor
from .results_report import CONFLICT, FIXES, ResultIssue, ResultsReport
from .results_sheet import FilledRow, read_filled

_EVIDENCE_KEYS = {label: key for key, label in EVIDENCE.items()}
_ENTRY_COLUMNS = (Entry.id, Entry.version, Entry.name, Entry.region, Entry.id_number, Entry.verified_id,
                  Entry.status, Entry.code, Entry.study_region, Entry.study_school, Entry.proof_person,
                  Entry.proof_date, Entry.notes, Entry.graduation, Entry.verified_proof_person,
                  Entry.verified_proof_date, Entry.handled_by, Entry.updated_at)


@dataclass
class _Row:
    src: FilledRow
    entry: dict | None = None
    version: int = 0
    classification: Classification | None = None
    verification: IdVerification | None = None
    issues: list[ResultIssue] = field(default_factory=list)

    def reject(self, column: str, value: object, reason: str) -> None:
        shown = "" if value is None else (f"{value:%Y-%m-%d}" if isinstance(value, date) else str(value))
        self.issues.append(ResultIssue(self.src.sheet, self.src.row, column, shown, reason, FIXES.get(column, ""),
                                       self.src.name))


@audit.audits_denials("import_results")
def import_results(actor: Actor, path: str | Path, dry_run: bool = False, today: date | None = None,
                   settings: Settings | None = None,
                   before_commit: Callable[[ResultsReport], None] | None = None) -> ResultsReport:
    """Check and (unless ``dry_run``) apply a filled worksheet; see the module docstring."""
    actor = accounts.current(actor)
    require_classifier(actor)
    path = Path(path)
    filled, problems, blank = read_filled(path)
    today = today or date.today()
    cutoff = (settings or Settings()).cutoff(today)

    def run() -> ResultsReport:
        report = ResultsReport(file=path.name, dry_run=dry_run, filled=len(filled), blank=blank)
        report.rejected += [ResultIssue(p.sheet, p.row, "", "", p.reason, FIXES[""], "") for p in problems]
        with write_transaction() as tx:
            _apply(actor, [_Row(f) for f in filled], report, today, cutoff)
            if not dry_run:
                audit.record(actor.login, "import_results", path.name[:64], file=path.name, filled=report.filled,
                             classified=report.classified, verified=report.verified, unchanged=report.unchanged,
                             conflicts=len(report.conflicts), rejected=report.rejected_rows)
            if before_commit:
                before_commit(report)
            if dry_run:
                tx.rollback()
        return report

    return write_or_busy(run, IMPORT_BUSY)


def _apply(actor: Actor, rows: list[_Row], report: ResultsReport, today: date, cutoff: date) -> None:
    _match(actor, rows)
    for r in rows:
        if r.entry is not None:
            _parse(r)
    have = existing_evidence([r.entry["id"] for r in rows if r.entry is not None and not r.issues])
    to_classify: dict[int, tuple[int, Classification]] = {}
    to_verify: dict[int, verified_ids.Verify] = {}
    by_entry: dict[int, _Row] = {}
    for r in rows:
        if r.issues or r.entry is None:
            continue
        e = r.entry
        new_class = r.classification is not None and not _holds(e, r.classification, have.get(e["id"], set()))
        new_id = r.verification is not None and not _holds_id(e, r.verification)
        if not new_class and not new_id:
            report.unchanged += 1
            continue
        if r.version != e["version"]:
            by = e["handled_by"] or "其他用户"
            when = f"{e['updated_at']:%Y-%m-%d %H:%M}" if e["updated_at"] else ""
            report.conflicts.append(ResultIssue(
                r.src.sheet, r.src.row, "", "", f"导出工作表后该行已被 {by} 于 {when} 修改，本行未导入（不会覆盖台账中的内容）",
                "在台账中查看该生的最新处理结果；确需更改的，在台账界面中处理，或重新导出工作表", r.src.name, CONFLICT))
            continue
        by_entry[e["id"]] = r
        if new_class:
            to_classify[e["id"]] = (r.version, r.classification)
        if new_id:
            to_verify[e["id"]] = verified_ids.Verify(e["id"], r.version, r.verification)
    # A row goes in whole or not at all: its verified ID is checked first, its classification
    # is applied only when that passed, and its verified ID only when the classification went in.
    failed = _failed(verified_ids.record_many(actor, list(to_verify.values()), today, check_only=True), by_entry)
    classified = classify_rows(actor, {k: v for k, v in to_classify.items() if k not in failed},
                               today=today, cutoff=cutoff)
    failed |= _failed(classified, by_entry)
    failed |= {c.entry_id for c in classified.conflicts}
    done = set(classified.applied)
    verified = verified_ids.record_many(actor, [
        verified_ids.Verify(v.entry_id, v.version + (v.entry_id in done), v.verification)
        for k, v in to_verify.items() if k not in failed], today)
    report.classified, report.verified = len(classified.applied), len(verified.applied)
    for c in classified.conflicts + verified.conflicts:  # saved by someone else while this import ran
        r = by_entry[c.entry_id]
        report.conflicts.append(ResultIssue(r.src.sheet, r.src.row, "", "", c.message, FIXES[""], r.src.name, CONFLICT))
    for r in rows:
        report.rejected += r.issues


def _failed(result, by_entry: dict[int, _Row]) -> set[int]:
    """Record each failing row's reasons against its columns; returns their entry ids."""
    for f in result.failures:
        r = by_entry[f.entry_id]
        for err in f.errors:
            r.reject(COLUMN_OF_FIELD.get(err.field, ""), _value(r, err.field), err.message)
    return {f.entry_id for f in result.failures}


def _value(r: _Row, field_name: str) -> object:
    return r.src.results.get(COLUMN_OF_FIELD.get(field_name, ""))


def _match(actor: Actor, rows: list[_Row]) -> None:
    """Each row's ledger entry: by 行键, else by its 证件号码 (upstream or verified), in scope only."""
    keyed = [r for r in rows if r.src.key]
    found = _entries(actor, [r.src.key[0] for r in keyed], by="id")
    numbers = {normalize_id_text(r.src.id_cell) for r in rows if not r.src.key} - {""}
    by_number: dict[str, list[dict]] = {}
    for e in _entries(actor, sorted(numbers), by="number").values():
        for n in {e["id_number"], e["verified_id"]} & numbers:
            by_number.setdefault(n, []).append(e)
    seen: dict[int, _Row] = {}
    for r in rows:
        if r.src.key:
            e = found.get(r.src.key[0])
            if e is None:
                r.reject("行键", f"K{r.src.key[0]}", "行键对应的记录不存在或不在您的管辖范围内；本行未导入")
                continue
            if r.src.name and r.src.name != e["name"]:
                r.reject("行键", r.src.name, f"行键对应的是「{e['name']}」，与本行姓名「{r.src.name}」不符"
                         "（行键被复制或改动过）；本行未导入")
                continue
            r.version = r.src.key[1]
        else:
            n = normalize_id_text(r.src.id_cell)
            matches = by_number.get(n, [])
            if len(matches) != 1:
                r.reject("证件号码", n, "没有行键，按证件号码" + ("在您的台账中找不到该生" if not matches else "找到多名学生")
                         + "；本行未导入")
                continue
            e = matches[0]
            r.version = e["version"]
        first = seen.get(e["id"])
        if first is not None:
            r.reject("", r.src.name, f"与工作表“{first.src.sheet}”第 {first.src.row} 行是同一名学生；只导入第一行")
            continue
        seen[e["id"]] = r
        r.entry = e


def _entries(actor: Actor, keys: list, by: str) -> dict[int, dict]:
    out: dict[int, dict] = {}
    scope = entry_scope(actor)
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        cond = Entry.id.in_(chunk) if by == "id" else (Entry.id_number.in_(chunk) | Entry.verified_id.in_(chunk))
        out.update({d["id"]: d for d in Entry.select(*_ENTRY_COLUMNS).where(scope & cond).dicts()})
    return out


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _parse(r: _Row) -> None:
    """The row's classification and verified ID as typed; unreadable cells are rejected here."""
    cells = r.src.results
    code_text = _text(cells.get("核查结果"))
    person = _text(cells.get("证明人"))
    proof_date = None
    try:
        proof_date = parse_date(cells.get("证明日期"))
    except DateParseError as e:
        r.reject("证明日期", cells.get("证明日期"), str(e))
    vid = cells.get("核实证件号码")
    if vid is not None and _text(vid):
        r.verification = IdVerification(vid if isinstance(vid, (int, float)) else _text(vid), person, proof_date)
    if not code_text:
        if r.verification is None:
            r.reject("核查结果", "", "已填写了其他栏目，但没有选择核查结果；本行未导入")
        return
    code = CODES.get(code_text.split()[0].upper())
    if code is None:
        r.reject("核查结果", code_text, f"“{code_text}”不是有效的核查结果代码（可用：{'、'.join(CODES)}）")
        return
    place_text = _text(cells.get("就读省县"))
    place, why = find_place(place_text)
    if why:
        r.reject("就读省县", place_text, why)
    evidence = set()
    for name in EVIDENCE_SEPARATORS.split(_text(cells.get("证明材料"))):
        if not name:
            continue
        if name not in _EVIDENCE_KEYS:
            r.reject("证明材料", name, f"“{name}”不是可识别的证明材料名称；可写：{'、'.join(EVIDENCE.values())}")
        else:
            evidence.add(_EVIDENCE_KEYS[name])
    r.classification = Classification(
        action=code.action, code=code.code, proof_person=person, proof_date=proof_date,
        notes=_text(cells.get("处理说明")), study_region=place if code.needs_place else None,
        study_school=_text(cells.get("就读学校")) if code.needs_place else "", evidence=frozenset(evidence),
        graduation=_text(cells.get("毕业去向")) if asks_graduation(code) else "")


def _holds(e: dict, c: Classification, have: set[str]) -> bool:
    """The row already holds this classification (the same sheet imported before)."""
    return (e["status"] == "processed" and e["code"] == c.code and e["proof_person"] == c.proof_person.strip()
            and e["proof_date"] == c.proof_date and e["notes"] == c.notes.strip()
            and e["study_region"] == (c.study_region or "") and e["study_school"] == c.study_school.strip()
            and e["graduation"] == c.graduation.strip() and set(c.evidence) <= have)


def _holds_id(e: dict, v: IdVerification) -> bool:
    return (e["verified_id"] == normalize_id_text(v.verified_id)
            and e["verified_proof_person"] == v.proof_person.strip() and e["verified_proof_date"] == v.proof_date)
