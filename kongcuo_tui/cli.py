"""The `kongcuo` command: the UI plus everything a script or an SSH pipe needs.

`ssh county-server kongcuo export ledger -o - > ledger.xlsx` works without the UI.
User mistakes print one Chinese line on stderr and exit 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from . import __version__, cli_duplicates
from .domain.roles import Role
from .domain.terminal import terminal_safe

# `kongcuo --help` imports no more than the parser needs: config (dataclasses, the calendar),
# peewee and the services are imported in main() once the arguments are read.

# Only these two may create a database; every other command refuses a missing SQLite file.
CREATES_DATABASE = ("init", "demo")


# argparse's own words ("usage:", "options", its error lines) come from its module-level
# gettext function; a registrar reads them too, so they are given in Chinese. A word not
# listed here stays as argparse has it.
_ARGPARSE_WORDS = {
    "usage: ": "用法：",
    "positional arguments": "命令",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "须给出其中一个参数：%s",
    "expected one argument": "后面须跟一个值",
    "expected at most one argument": "后面最多跟一个值",
    "expected at least one argument": "后面至少跟一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
}
argparse._ = lambda text: _ARGPARSE_WORDS.get(text, text)


class UserError(Exception):
    """Printed as one line; exit status 2."""


def _open(args) -> None:
    from peewee import OperationalError

    from .db.connection import DatabaseURLError, open_database

    try:
        database = open_database(args.db, must_exist=args.command not in CREATES_DATABASE)
        database.connect(reuse_if_open=True)
    except DatabaseURLError as e:
        raise UserError(str(e)) from None
    except (OperationalError, Exception) as e:  # driver errors differ per engine
        if isinstance(e, UserError):
            raise
        if "timeout expired" in str(e):
            raise UserError("连接数据库超时（database connect timeout）：服务器没有应答；"
                            "请检查数据库地址和网络，或请管理员检查 PostgreSQL 服务") from None
        raise UserError(f"无法连接数据库（database）：{str(e).strip().splitlines()[0] if str(e).strip() else e!r}") from None


def _ensure_schema(args) -> None:
    from .db.migrations import LATEST, current_version
    from .services import accounts

    # The first person to use an empty database becomes its administrator, as with init.
    if current_version() != LATEST or accounts.count() == 0:  # a newer schema is refused there
        from .services.setup import initialize

        initialize(args.login, **_upgrade_settings(args))


def _upgrade_settings(args) -> dict:
    """The configured rules an upgrade fills older rows by (学段's cutoff, the work calendar)."""
    from datetime import date

    return {"cutoff": args.settings.cutoff(date.today()), "calendar": args.settings.calendar()}


def _actor(args):
    from .services import accounts

    _ensure_schema(args)
    return accounts.resolve(args.login)


def cmd_init(args) -> int:
    from .services import pgroles
    from .services.setup import initialize

    if args.print_postgres_sql:
        print(pgroles.script())
        return 0
    r = initialize(args.login, province=args.province, postgres_roles=args.postgres_roles,
                   **_upgrade_settings(args))
    print(f"数据库结构版本 {r.from_version} → {r.to_version}；新增区划 {r.regions_added} 条")
    if r.admin_created:
        print(f"已为登录名 {r.admin_created} 创建管理员账号（省级范围 {args.province}）")
    if args.postgres_roles:
        print("已设置数据库角色 kongcuo_app、行级安全与只增不改的审计日志（见 docs/deploy.md）")
    return 0


def cmd_deadlines(args) -> int:
    from .services import persuasion

    n = persuasion.recompute_deadlines(_actor(args), args.settings.calendar())
    print(f"已按当前工作日历重新计算 {n} 个劝返案件的期限")
    return 0


def cmd_demo(args) -> int:
    from .services import demo, ledger
    from .services.types import LedgerQuery

    _ensure_schema(args)
    actor = _actor(args)
    have = ledger.count(actor, LedgerQuery(status=None))
    if have and not args.append:
        print(f"数据库中已有 {have} 条台账记录，未再生成（追加请加 --append）", file=sys.stderr)
    else:
        def progress(done, total):
            print(f"\r正在生成演示数据 {done}/{total}", end="", file=sys.stderr, flush=True)

        r = demo.generate(rows=args.rows, seed=args.seed, login=args.login, progress=progress)
        print(f"\n已生成 {r.rows} 条演示台账记录，用时 {r.seconds:.1f} 秒", file=sys.stderr)
    if args.no_tui:
        return 0
    return _run_tui(args)


def cmd_tui(args) -> int:
    return _run_tui(args)


def _run_tui(args) -> int:
    from dataclasses import replace

    from .app import run_app

    actor = _actor(args)
    settings = args.settings
    if getattr(args, "low_bandwidth", False):
        settings = replace(settings, low_bandwidth=True)
    return run_app(actor, settings)


def cmd_report(args) -> int:
    from .exports.report_command import run_report

    return run_report(args, _actor(args))


def cmd_due(args) -> int:
    import json
    from datetime import date

    from .services import persuasion

    actor = _actor(args)
    if args.within is not None and args.within < 0:
        raise UserError(f"--within 的天数不能为负数（{args.within}）")
    rows = persuasion.due_list(actor, date.today(), overdue_only=args.overdue, within_days=args.within,
                               calendar=args.settings.calendar())
    if args.json:
        print(json.dumps([{"id": r.entry_id, "name": r.name, "school": r.school, "stage": r.stage.value,
                           "due": r.due.isoformat() if r.due else None, "what": r.due_what,
                           "overdue": r.overdue, "responsible": r.responsible} for r in rows], ensure_ascii=False))
        return 0
    from tabulate import tabulate

    if not rows:
        print("没有逾期的劝返事项" if args.overdue else "没有待办的劝返事项")
        return 0
    table = [tuple(map(terminal_safe, (r.entry_id, r.name, r.school, r.stage.value, r.due_what,
                                       f"{r.due:%Y-%m-%d}" if r.due else "—", "逾期" if r.overdue else "",
                                       r.responsible))) for r in rows]
    print(tabulate(table, headers=("ID", "姓名", "学校", "阶段", "待办", "期限", "逾期", "责任人"),
                   tablefmt="simple", disable_numparse=True))
    late = sum(r.overdue for r in rows)
    print(f"共 {len(rows)} 件，其中逾期 {late} 件")
    return 0


def cmd_review(args) -> int:
    import json

    from .domain.review import ReviewState
    from .domain.terminal import json_safe
    from .services import review

    actor = _actor(args)
    if args.review_cmd == "flag":
        versions = review.current_versions(actor, args.ids)
        done = review.flag(actor, versions, args.note)
        print(f"已将 {len(done)} 条 B 类结果标记为需复核（记录 {', '.join(map(str, done))}），县级账号重新提交后标记解除")
        return 0
    if args.review_cmd == "resubmit":
        version = review.current_versions(actor, [args.id])[args.id]
        evidence = frozenset(k.strip() for k in (args.evidence or "").split(",") if k.strip())
        review.resubmit(actor, args.id, version, args.note, evidence)
        print(f"记录 {args.id} 已重新提交，需复核标记已解除")
        return 0
    if args.review_cmd == "counts":
        counts = list(review.review_counts(actor).values())
        if args.json:
            print(json.dumps([{"region": c.region, "name": c.name, "b_results": c.b_results, "flagged": c.flagged,
                               "resubmitted": c.resubmitted} for c in counts], ensure_ascii=False))
            return 0
        from tabulate import tabulate

        print(tabulate([(c.region, terminal_safe(c.name), c.b_results, c.flagged, c.resubmitted) for c in counts],
                       headers=("区划", "县", "B类结果", "需复核", "已重新提交"), tablefmt="simple", disable_numparse=True)
              if counts else "没有 B 类结果")
        return 0
    state = ReviewState.FLAGGED if args.flagged else ReviewState.RESUBMITTED if args.resubmitted else None
    rows = review.b_results(actor, state=state, region=args.region)
    if args.json:
        out = sys.stdout
        out.write("[")
        for i, r in enumerate(rows):
            out.write(("," if i else "") + json_safe(json.dumps({
                "id": r.entry_id, "version": r.version, "county": r.county, "county_name": r.county_name,
                "name": r.name, "id_number": r.id_number, "code": r.code, "code_name": r.code_name,
                "proof_person": r.proof_person, "proof_date": r.proof_date.isoformat() if r.proof_date else None,
                "notes": r.notes, "evidence": r.evidence, "handled_by": r.handled_by,
                "handled_at": r.handled_at.isoformat(sep=" ") if r.handled_at else None,
                "review": r.review_label, "review_note": r.review_note, "review_by": r.review_by,
                "review_at": r.review_at.isoformat(sep=" ") if r.review_at else None}, ensure_ascii=False)))
        out.write("]\n")
        return 0
    from tabulate import tabulate

    table = [tuple(map(terminal_safe, (
        r.entry_id, r.county_name, r.name, r.id_number, f"{r.code} {r.code_name}",
        f"{r.proof_person}（{r.proof_date:%Y-%m-%d}）" if r.proof_date else r.proof_person,
        "、".join(r.evidence) or "（无）", r.notes, r.review_label + (f"：{r.review_note}" if r.review_note and
                                                                     r.review_state == ReviewState.FLAGGED else ""))))
             for r in rows]
    if not table:
        print("没有符合条件的 B 类结果")
        return 0
    print(tabulate(table, headers=("ID", "县", "姓名", "证件号码", "核查结果", "证明人（日期）", "证明材料", "处理说明", "复核"),
                   tablefmt="simple", disable_numparse=True))
    flagged = sum(1 for r in table if r[-1].startswith("需复核"))
    print(f"共 {len(table)} 条 B 类结果，其中需复核 {flagged} 条")
    return 0


def cmd_user(args) -> int:
    from tabulate import tabulate

    from .services import accounts

    _ensure_schema(args)
    by = accounts.resolve(args.login)
    if args.user_cmd == "add":
        a = accounts.add(by, args.new_login, args.name or args.new_login, args.role, args.region, args.school,
                         db_role=args.postgres_role)
        print(terminal_safe(f"已添加账号 {a.login}（{a.role.label}，{a.region_name}）"))
    elif args.user_cmd == "list":
        rows = [tuple(map(terminal_safe, (a.login, a.display_name, a.role.label, a.region_name,
                                           "启用" if a.active else "已停用"))) for a in accounts.list_all(by)]
        print(tabulate(rows, headers=("登录名", "姓名", "角色", "区划", "状态")))
    elif args.user_cmd == "set-role":
        a = accounts.set_role(by, args.target, args.role, args.region, args.school)
        print(terminal_safe(f"账号 {a.login} 现为{a.role.label}，{a.region_name}"))
    else:
        change = accounts.disable if args.user_cmd == "disable" else accounts.enable
        a = change(by, args.target)
        print(terminal_safe(f"账号 {a.login} 已{'启用' if a.active else '停用'}"))
    return 0


def cmd_import(args) -> int:
    if args.file == "results" or args.results_file:
        if args.file != "results" or not args.results_file:
            raise UserError("用法：kongcuo import 台账.xlsx，或 kongcuo import results 核查工作表.xlsx")
        if args.region:
            raise UserError("kongcuo import results 不用 --region：每行按行键找到所属的县")
        from .imports.results_command import run_import_results

        return run_import_results(args, _actor(args))
    from .imports.command import run_import

    return run_import(args, _actor(args))


def cmd_export(args) -> int:
    from .exports.command import run_export

    return run_export(args, _actor(args))


def cmd_duplicates(args) -> int:
    from .cli_duplicates import run

    return run(args, _actor(args))


def cmd_reconcile(args) -> int:
    from .imports.reconcile_command import run_reconcile

    return run_reconcile(args, _actor(args))


def cmd_ssh_command(args) -> int:
    """sshd's ForceCommand: run what SSH_ORIGINAL_COMMAND asks for, if an SSH login may."""
    import os

    from .sshgate import Refused, forced_argv

    try:
        argv = forced_argv(os.environ.get("SSH_ORIGINAL_COMMAND"))
    except Refused as e:
        raise UserError(str(e)) from None
    if args.db:
        argv = ["--db", args.db, *argv]
    return main(argv)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kongcuo", description="控辍保学工作台账（终端版）")
    p.add_argument("--version", action="version", version=f"kongcuo-tui {__version__}", help="显示版本号并退出")
    p.add_argument("--db", help="数据库地址，如 sqlite:///路径/kongcuo.db 或 postgresql://用户@主机:5432/库名（也可用环境变量 KONGCUO_DB）")
    p.add_argument("--login", default=None, help="管理员以另一账号操作（仅 root 或管理员账号可用，审计记为“管理员 as 账号”）；默认即当前系统用户")
    p.add_argument("--low-bandwidth", action="store_true", help="低带宽模式（16色、最少重绘）")
    sub = p.add_subparsers(dest="command")

    s = sub.add_parser("tui", help="打开台账界面（默认）")
    s.set_defaults(func=cmd_tui)

    s = sub.add_parser("init", help="创建或升级数据库结构并载入区划")
    s.add_argument("--province", default="410000", help="首个管理员账号的省级区划代码（默认 410000 河南省）")
    s.add_argument("--postgres-roles", action="store_true",
                   help="PostgreSQL：设置角色 kongcuo_app、按区划的行级安全、只增不改的审计（见 docs/deploy.md）")
    s.add_argument("--print-postgres-sql", action="store_true", help="只打印上述设置的 SQL 脚本，不执行")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser("deadlines", help="工作日历（节假日、调休文件）变更后，重新计算各劝返案件的期限（管理员）")
    s.set_defaults(func=cmd_deadlines)

    s = sub.add_parser("demo", help="生成演示台账并打开界面")
    s.add_argument("--rows", type=int, default=2000, help="生成多少条（默认 2000）")
    s.add_argument("--seed", type=int, default=2026, help="随机种子（相同种子生成相同数据）")
    s.add_argument("--no-tui", action="store_true", help="只生成数据，不打开界面")
    s.add_argument("--append", action="store_true", help="已有数据时仍追加")
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser("report", help="统计报表：台账汇总、月报表、季度统计表、进度汇总")
    s.add_argument("kind", choices=["summary", "monthly", "quarterly", "rollup"],
                   help="summary：按区划×状态×代码类别计数；monthly：月报表；quarterly：季度排查整改工作情况统计表；"
                        "rollup：市、省级进度汇总（每县或每市一行）")
    s.add_argument("--month", help="月份，如 2026-11（默认：每月 1–20 日为上月，21 日起为本月）")
    s.add_argument("--quarter", help="季度，如 2026Q4（默认：默认月份所在季度）")
    s.add_argument("--region", help="只统计该区划（省、市或县级代码）")
    s.add_argument("--by", choices=["county", "city"], help="rollup：每县一行或每市一行（默认：市级每县，省级每市）")
    s.add_argument("-o", "--output", help="写入 Excel 文件（- 表示标准输出）；不给则在终端显示")
    s.add_argument("--rows", metavar="统计项", help="列出某个统计项背后的学生，如 --rows 返校")
    s.add_argument("--area", metavar="区域代码", help="与 --rows 同用：只列该区域（报表“区域代码”一列）")
    s.add_argument("--stage", choices=["小学", "初中", "其他"], help="与 --rows 同用：只列该学段")
    s.add_argument("--json", action="store_true", help="在标准输出打印 JSON")
    s.set_defaults(func=cmd_report)

    s = sub.add_parser("due", help="劝返待办：各案件所处阶段、期限和责任人")
    s.add_argument("--overdue", action="store_true", help="只列出已逾期的")
    s.add_argument("--within", type=int, metavar="DAYS", help="只列出 DAYS 天内到期的（含已逾期）")
    s.add_argument("--json", action="store_true", help="在标准输出打印 JSON")
    s.set_defaults(func=cmd_due)

    s = sub.add_parser("review", help="B 类结果复核：市级、省级列出并标记需复核，县级重新提交")
    rs = s.add_subparsers(dest="review_cmd", required=True)
    a = rs.add_parser("list", help="列出管辖范围内的 B 类结果及证明材料")
    a.add_argument("--json", action="store_true", help="在标准输出打印 JSON")
    a.add_argument("--flagged", action="store_true", help="只列出需复核（尚未重新提交）的")
    a.add_argument("--resubmitted", action="store_true", help="只列出已重新提交的")
    a.add_argument("--region", help="只列出该区划（县、市代码）")
    a = rs.add_parser("flag", help="标记需复核（市级、省级账号）")
    a.add_argument("ids", nargs="+", type=int, metavar="ID", help="记录 ID（review list 的第一列）")
    a.add_argument("--note", required=True, help="需复核的原因：哪项材料或结论需要核实")
    a = rs.add_parser("resubmit", help="补充材料后重新提交（县级账号；重新处理该记录也算重新提交）")
    a.add_argument("id", type=int, metavar="ID")
    a.add_argument("--note", required=True, help="核实了什么、补充了哪些材料")
    a.add_argument("--evidence", help="补充的证明材料，逗号分隔，如 police_proof,village_proof")
    a = rs.add_parser("counts", help="各县 B 类结果、需复核、已重新提交的数量")
    a.add_argument("--json", action="store_true", help="在标准输出打印 JSON")
    s.set_defaults(func=cmd_review)

    s = sub.add_parser("user", help="账号管理")
    us = s.add_subparsers(dest="user_cmd", required=True)
    a = us.add_parser("add", help="添加账号（管理员）")
    a.add_argument("new_login")
    a.add_argument("--name", default="")
    a.add_argument("--role", required=True, choices=list(Role))
    a.add_argument("--region", required=True, help="区划代码，如 411328")
    a.add_argument("--school", help="学校账号所属学校名称")
    a.add_argument("--postgres-role", action="store_true",
                   help="同时创建同名 PostgreSQL 角色（本机 peer 认证登录，须先 init --postgres-roles）")
    us.add_parser("list", help="列出账号（含已停用的）")
    for verb, text in (("disable", "停用账号（管理员）"), ("enable", "重新启用账号（管理员）")):
        us.add_parser(verb, help=text).add_argument("target", metavar="LOGIN")
    a = us.add_parser("set-role", help="更改账号角色和区划（管理员）")
    a.add_argument("target", metavar="LOGIN")
    a.add_argument("role", choices=[r.value for r in Role])
    a.add_argument("--region", help="新的区划代码（默认不变）")
    a.add_argument("--school", help="学校账号所属学校名称")
    s.set_defaults(func=cmd_user)

    s = sub.add_parser("ssh-command", help="供 sshd 的 ForceCommand 使用：只允许运行 kongcuo 命令")
    s.set_defaults(func=cmd_ssh_command, no_database=True)

    s = sub.add_parser("import", help="导入上级下发的台账 Excel（.xlsx/.xls/.ods）；import results 文件：导入学校填好的核查工作表")
    s.add_argument("file", metavar="FILE", help="台账文件；或写 results 再跟核查工作表文件")
    s.add_argument("results_file", nargs="?", metavar="WORKSHEET", help="（import results 时）学校填好的核查工作表 .xlsx")
    s.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    s.add_argument("--json", action="store_true", help="在标准输出打印一个 JSON 结果")
    s.add_argument("--errors", metavar="ERRORS.xlsx", help="把问题清单写入 Excel")
    s.add_argument("--region", help="台账所属县级区划代码")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("reconcile", help="三统一：按证件号码把脱贫户名单或在校生名单与台账核对")
    s.add_argument("file", help="名单文件（.xlsx/.xls/.ods），须有“姓名”和“证件号码”（或“身份证号”）列")
    s.add_argument("--kind", required=True, choices=["poverty", "roster"],
                   help="poverty：脱贫户（建档立卡）名单；roster：学校在校生名单")
    s.add_argument("-o", "--output", metavar="结果.xlsx", help="把全部核对结果写入 Excel（- 表示标准输出）")
    s.add_argument("--tag", action="store_true",
                   help="给名单上、台账中也有的行加上重点监测群体“建档立卡”（仅 poverty；记入审计）")
    s.set_defaults(func=cmd_reconcile)

    cli_duplicates.add_parser(sub)
    sub.choices["duplicates"].set_defaults(func=cmd_duplicates)

    s = sub.add_parser("export", help="导出 Excel")
    s.add_argument("kind", choices=["ledger", "summary", "forms", "worksheet"],
                   help="ledger：上报台账；summary：附件1 疑似辍学学生信息汇总表；forms：打印表格（每名学生一张工作表）；"
                        "worksheet：发给学校的核查工作表（每校一表）")
    s.add_argument("-o", "--output", required=True, help="输出文件；- 表示标准输出")
    s.add_argument("--status", choices=["pending", "processed", "all"], default=None,
                   help="哪些行（台账默认 all，核查工作表默认 pending）")
    s.add_argument("--school", help="（worksheet）只导出该学校的行")
    s.add_argument("--township", help="（worksheet）只导出该乡镇的行（乡镇名称或代码）")
    s.add_argument("--region", help="只导出该区划")
    s.add_argument("--kind", dest="form", choices=["register", "notice", "letter"],
                   help="forms：register 辍学学生登记表（附件2）、notice 劝返通知书（附件3）、letter 控辍保学的函（附件4）")
    s.add_argument("--ids", help="forms：要打印的学生的证件号码，用逗号分隔；不给时按 --status、--region 选取")
    s.set_defaults(func=cmd_export)
    return p


def _skip_unused_drivers(url: str) -> None:
    """peewee imports every PostgreSQL driver it finds at import time (0.1–0.2 s of each
    command's start); a process that opens a SQLite file never needs one."""
    if "peewee" in sys.modules or url.split(":", 1)[0].lower() != "sqlite":
        return
    for driver in ("psycopg", "psycopg2", "psycopg2cffi"):
        sys.modules.setdefault(driver, None)  # None: `import` fails fast, as if not installed


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .config import Settings, SettingsError, current_login, database_url, is_superuser

    try:
        args.settings = Settings.from_env()
    except SettingsError as e:
        print(f"kongcuo: {e}", file=sys.stderr)
        return 2
    _skip_unused_drivers(database_url(args.db))

    from peewee import DatabaseError

    from .services import accounts, audit
    from .services.errors import ServiceError

    # Who acts is the Unix account; --login only lets root or an administrator act for another.
    operator = current_login()
    args.login = args.login or operator
    if args.command is None:
        args.func = cmd_tui
    try:
        if getattr(args, "no_database", False):
            return args.func(args)
        _open(args)
        accounts.act_as(operator, args.login, is_superuser())
        with audit.operator(operator if args.login != operator else None):
            return args.func(args)
    except (UserError, ServiceError) as e:
        return _fail(str(e))
    except DatabaseError as e:
        return _fail(_database_error(e))
    except FileNotFoundError as e:
        return _fail(f"找不到文件：{e.filename}")
    except OSError as e:  # permission, full disk, read-only, broken pipe: told as such, never a traceback
        from .services.outputs import os_error_text, quiet_stdout

        if e.filename is None:  # a write to stdout (a closed pipe, /dev/full)
            quiet_stdout()
        return _fail(os_error_text(e, str(e.filename or "")))
    except KeyboardInterrupt:
        print("kongcuo: 已取消", file=sys.stderr)
        return 130


def _database_error(e: BaseException) -> str:
    # SQLite rolls a transaction back by itself on a full disk; the rollback that follows
    # then fails too, and its "cannot rollback" would hide the real cause.
    while "cannot rollback" in str(e) and e.__context__ is not None:
        e = e.__context__
    text = str(e).strip()
    if "disk is full" in text or "No space left" in text:
        return "磁盘已满：数据库所在的磁盘没有空间，本次操作未写入任何数据；请清理磁盘空间后重试"
    first = text.splitlines()[0] if text else type(e).__name__
    return f"数据库错误（database error）：{first}"


def _fail(message: str) -> int:
    """One line on stderr, exit 2; messages quote file names and cells, so they are escaped."""
    print(f"kongcuo: {terminal_safe(message)}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
