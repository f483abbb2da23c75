"""`kongcuo duplicates [--json]`, `duplicates link KEEP OTHER`, `duplicates different A B`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .domain.terminal import json_safe, terminal_safe
from .services.errors import ServiceError

if TYPE_CHECKING:
    from datetime import date

    from .services.types import Actor, BatchResult

# Everything else is imported when the command runs: `kongcuo --help` builds this parser, and
# services.duplicates (so peewee) must wait until the database driver is chosen
# (cli._skip_unused_drivers).

HEADERS = ("组", "原因", "记录号", "县", "序号", "姓名", "出生日期", "证件号码", "核验", "状态")
B1_EVIDENCE = ("police_proof", "village_proof")


def add_parser(sub) -> None:
    s = sub.add_parser("duplicates", help="疑似重复：可能是同一个孩子的两行；确认同一人或不是同一人")
    s.add_argument("--json", action="store_true", help="在标准输出打印 JSON")
    ds = s.add_subparsers(dest="dup_cmd")
    ds.add_parser("list", help="列出疑似重复（默认）")
    a = ds.add_parser("link", help="确认同一人：保留 KEEP_ID 一行，OTHER_ID 一行按 B1 户籍原因（户籍重复）处理并注明保留的行")
    a.add_argument("keep", type=int, metavar="KEEP_ID", help="保留的记录号（孩子本人的行）")
    a.add_argument("other", type=int, metavar="OTHER_ID", help="重复的记录号（将处理为 B1）")
    a.add_argument("--proof-person", metavar="姓名", help="证明人（默认本人姓名）")
    a.add_argument("--proof-date", metavar="日期", help="证明日期，如 2026-11-29（默认今天）")
    a.add_argument("--evidence", default="", metavar="材料",
                   help="已留存的证明材料，逗号分隔：police_proof（辖区派出所证明）、village_proof（村（居）委会证明）；"
                        "B1 两项都须留存")
    a.add_argument("--notes", default="", metavar="说明", help="补充的处理说明（自动写明与哪一行重复）")
    d = ds.add_parser("different", help="不是同一人：记下后这两行不再列为疑似重复")
    d.add_argument("first", type=int, metavar="ID")
    d.add_argument("second", type=int, metavar="ID")


def _evidence(text: str) -> frozenset[str]:
    from .domain.codes import EVIDENCE

    by_label = {label: key for key, label in EVIDENCE.items()}
    keys = set()
    for part in (p.strip() for p in text.replace("，", ",").split(",")):
        if not part:
            continue
        key = part if part in EVIDENCE else by_label.get(part)
        if key is None:
            names = "、".join(f"{k}（{EVIDENCE[k]}）" for k in B1_EVIDENCE)
            raise ServiceError(f"--evidence 中的“{part}”不是证明材料的名称；B1 须留存：{names}")
        keys.add(key)
    return frozenset(keys)


def _date(text: str | None) -> date:
    from datetime import date

    from .domain.dates import DateParseError, parse_date

    if not text:
        return date.today()
    try:
        value = parse_date(text)
    except DateParseError as e:
        raise ServiceError(f"--proof-date「{text}」无法识别：{e}") from None
    if value is None:
        raise ServiceError("--proof-date 为空；请写成 2026-11-29 这样的日期")
    return value


def _table(pairs) -> str:
    from tabulate import tabulate

    rows = []
    for n, p in enumerate(pairs, 1):
        for first, r in ((True, p.a), (False, p.b)):
            rows.append(tuple(map(terminal_safe, (
                n if first else "", p.reason_label if first else "", r.id, r.region_name, r.seq, r.name,
                r.birth_date or "—", r.id_number, "通过" if r.id_ok else "有误", r.code or "待处理"))))
    return tabulate(rows, headers=HEADERS, tablefmt="simple", disable_numparse=True)


def _report(result: BatchResult, keep: int, other: int) -> int:
    if result.applied:
        print(f"已确认同一人：保留记录 #{keep}，记录 #{other} 已按 B1 户籍原因（户籍重复）处理")
        return 0
    for c in result.conflicts:
        print(terminal_safe(c.message))
    for f in result.failures:
        for e in f.errors:
            print(terminal_safe(f"未处理：记录 #{f.entry_id} {f.name}：{e.message}"))
    return 1


def run(args, actor: Actor) -> int:
    from .services import duplicates

    if args.dup_cmd == "link":
        result = duplicates.link(
            actor, args.keep, args.other, proof_person=args.proof_person or actor.display_name,
            proof_date=_date(args.proof_date), evidence=_evidence(args.evidence), notes=args.notes)
        return _report(result, args.keep, args.other)
    if args.dup_cmd == "different":
        duplicates.mark_different(actor, args.first, args.second)
        print(f"已记下：记录 #{args.first} 与 #{args.second} 不是同一人，不再列为疑似重复")
        return 0
    pairs = duplicates.find(actor)
    if args.json:
        import json

        print(json_safe(json.dumps([p.to_json() for p in pairs], ensure_ascii=False)))
        return 0
    if not pairs:
        print(f"{terminal_safe(actor.region_name)} 没有疑似重复的记录")
        return 0
    print(_table(pairs))
    print(f"共 {len(pairs)} 组疑似重复。确认同一人：kongcuo duplicates link 保留的记录号 重复的记录号 "
          "--evidence police_proof,village_proof；不是同一人：kongcuo duplicates different 记录号 记录号")
    if not actor.can_classify:
        print(duplicates.VIEW_ONLY)
    return 0
