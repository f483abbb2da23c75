"""辍学学生登记表 (附件2 of the Jiyuan 2024 seed), one sheet per student.

The seed's rows in its order: basic facts, both guardians, the three addresses (户籍所在地,
学籍所在地, 现居住地), 家庭情况简述, 健康情况, 辍学原因; the school's persuasion attempts, each
with the four role rows (班主任, 年级组长, 副校长, 校长); the joint rounds, each with the five
unit rows; the procedures after joint persuasion failed, 继续劝返, and the 超龄销号 date.
Fewer than three attempts or rounds leave the seed's blank blocks to be filled in by hand;
more than three continue ("……（如超三次，可继续补充）"). With at most three of each the
student fits one A4 page (the print scale is chosen for it); more continue on a second page
under the same heading rows.
"""

from __future__ import annotations

from ...domain import persuasion as P
from ...services.form_documents import FormData
from .common import Grid, day, fit_scale

TITLE_ROWS = 3
WIDTHS = (5, 11, 10, 14, 9, 27, 9, 11)  # A: section, B: 第N次 / label, C: 时间 … H: 联系电话
SIZE, PADDING = 9, 2  # a dense form: ~50 rows on one page
STANDARD_ROUNDS = 3  # the seed's blocks of each kind
ORDINALS = "一二三四五六七八九十"
DEPARTMENT_ROW = "司法、公安、人社、残联、民宗等部门"
JOINT_ROWS = (("school",), ("education",), ("township",), P.DEPARTMENTS, ("other",))
NOTE = "备注：1.劝返方式包括电话沟通、微信联络、入户劝导等，可根据实际情况填写。"


def ordinal(n: int) -> str:
    """第一次 … 第十次, then 第11次."""
    return f"第{ORDINALS[n - 1]}次" if n <= len(ORDINALS) else f"第{n}次"


def _basic(g: Grid, d: FormData) -> None:
    first = g.last + 1
    g.row((2, "姓名", "label"), (3, d.name), (4, "性别", "label"), (5, d.sex), (6, "身份证号码", "label"),
          (7, d.id_number, "cell", 2))
    g.row((2, "年龄", "label"), (3, "" if d.age is None else str(d.age)), (4, "民族", "label"), (5, d.ethnicity),
          (6, "全国学籍号", "label"), (7, d.national_no, "cell", 2))
    for k in range(2):
        gd = d.guardians[k] if k < len(d.guardians) else None
        g.row((2, f"监护人{k + 1}", "label"), (3, gd.name if gd else ""), (4, "与被核查人关系", "label"),
              (5, gd.relation if gd else ""), (6, "联系电话", "label"), (7, gd.phone if gd else "", "cell", 2))
    for label, value in (("户籍所在地", d.hukou), ("学籍所在地", d.registry_place), ("现居住地", d.residence),
                         ("家庭情况简述", d.family_summary)):
        g.row((2, label, "label"), (3, value, "cell", 6))
    health = "；".join(x for x in (d.health, f"残疾：{d.disability}" if d.disability else "") if x)
    g.row((2, "健康情况", "label"), (3, health, "cell", 2), (5, "辍学原因", "label"), (6, d.dropout_reason, "cell", 3))
    g.section("基本信息", first)
    g.block(first)


def _head(g: Grid, first: str, who: str) -> int:
    return g.row((2, first, "head"), (3, "时间", "head"), (4, who, "head"), (5, "劝返方式", "head"),
                 (6, "劝返过程及结果（简要说明）", "head"), (7, "劝返人员签字", "head"), (8, "联系电话", "head"))


def _school(g: Grid, attempts: tuple[P.SchoolAttempt, ...]) -> None:
    top = _head(g, "劝返次数", "学校劝返责任人")
    for n in range(1, max(len(attempts), STANDARD_ROUNDS) + 1):
        a = attempts[n - 1] if n <= len(attempts) else None
        roles = list(P.SCHOOL_ROLES) + ([a.role] if a and a.role not in P.SCHOOL_ROLES else [])
        first = g.last + 1
        for role in roles:
            if a is not None and role == a.role:
                g.row((3, f"{a.at:%Y-%m-%d %H:%M}"), (4, role, "label"), (5, a.method), (6, a.process_result),
                      (7, a.person), (8, a.phone))
            else:
                g.row((3, ""), (4, role, "label"), (5, ""), (6, ""), (7, ""), (8, ""))
        g.put(first, 2, f"{ordinal(n)}劝返", "label", rows=len(roles))
        g.block(top if n == 1 else first)
    g.section("学校劝返工作情况", top)


def _unit_label(keys: tuple[str, ...], r: P.JointRound | None) -> str:
    if keys != P.DEPARTMENTS:
        return P.UNITS[keys[0]]
    taken = [u for u in P.DEPARTMENTS if r is not None and u in r.units]
    return P.unit_labels(tuple(taken)) if taken else DEPARTMENT_ROW


def _joint(g: Grid, rounds: list[P.JointRound]) -> None:
    top = _head(g, "劝返次数", "劝返单位")
    for n in range(1, max(len(rounds), STANDARD_ROUNDS) + 1):
        r = rounds[n - 1] if n <= len(rounds) else None
        first = g.last + 1
        for keys in JOINT_ROWS:
            took = r is not None and any(u in r.units for u in keys)
            g.row((3, f"{r.on:%Y-%m-%d}" if took else ""), (4, _unit_label(keys, r), "label"),
                  (5, r.method if took else ""))
        unknown = [u for u in (r.units if r else ()) if u not in P.UNITS]
        if unknown:  # a unit this version does not know: printed, never dropped
            g.row((3, f"{r.on:%Y-%m-%d}"), (4, "、".join(unknown), "label"), (5, r.method))
        rows = g.last - first + 1
        g.put(first, 2, f"{ordinal(n)}联合劝返", "label", rows=rows)
        for col, text in ((6, r.process_result if r else ""), (7, r.people if r else ""), (8, r.phone if r else "")):
            g.put(first, col, text, "cell", rows=rows)
        g.block(top if n == 1 else first)
    g.section("联合劝返工作情况", top)


def _follow_up(g: Grid, d: FormData, continued: list[P.JointRound]) -> None:
    recs = d.records
    lines = [f"{day(p.on)} 办理{p.kind}，审批单位：{p.approved_by}" for p in recs.procedures]
    if recs.closed is not None and recs.closed.kind != "超龄销号":
        lines.append(f"{day(recs.closed.on)} {recs.closed.kind}销号，经办：{recs.closed.by}")
    first = g.row((2, "办理相关手续（销号）情况", "label", 2),
                  (4, "\n".join(["何时办理请假、休学、延缓入学等手续：", *lines]), "cell", 5))
    top = g.row((3, "时间", "head"), (4, "劝返单位", "head"),
                (5, "劝返方式", "head"), (6, "劝返过程及结果（简要说明）", "head"), (7, "劝返人员签字", "head"),
                (8, "联系电话", "head"))
    for n in range(max(len(continued), STANDARD_ROUNDS)):
        r = continued[n] if n < len(continued) else None
        g.row((3, f"{r.on:%Y-%m-%d}" if r else ""), (4, P.unit_labels(r.units) if r else ""),
              (5, r.method if r else ""), (6, r.process_result if r else ""), (7, r.people if r else ""),
              (8, r.phone if r else ""))
    g.put(top, 2, "继续劝返工作情况", "label", rows=g.last - top + 1)
    closed = recs.closed is not None and recs.closed.kind == "超龄销号"
    when = "" if d.age_out_on is None else day(d.age_out_on) + ("（已销号）" if closed else "（满16周岁）")
    g.row((2, "超龄销号时间", "label", 2), (4, when, "cell", 5))
    g.block(first)  # one block: its long section label needs all of its rows
    g.section("联合劝返不成功后续工作情况", first)


def plan(d: FormData, limit: int | None = None) -> Grid:
    """The form for ``d``; ``limit`` keeps only the first rounds of each kind (to size the page)."""
    recs = d.records
    joint = [r for r in recs.rounds if not r.continued]
    continued = [r for r in recs.rounds if r.continued]
    attempts = recs.attempts
    if limit is not None:
        attempts, joint, continued = attempts[:limit], joint[:limit], continued[:limit]
    g = Grid(WIDTHS, SIZE, PADDING)
    g.row((1, "附件2", "plain", 2))
    g.row((1, f"{d.county_name}义务教育阶段辍学学生登记表", "title", 8))
    g.row((1, f"中心校、市直学校（盖章）：{d.school}", "plain", 5), (6, f"学生：{d.name}", "plain"),
          (7, f"时间：{day(recs.reported_on or d.today)}", "right", 2))
    _basic(g, d)
    _school(g, attempts)
    _joint(g, joint)
    _follow_up(g, d, continued)
    g.row((1, NOTE, "plain", 8))
    g.block(g.last)
    return g


def write(ws, d: FormData) -> int:
    """The 登记表 of ``d`` on ``ws``; returns the number of pages it prints on."""
    scale = fit_scale(plan(d, STANDARD_ROUNDS).height(), WIDTHS)
    return plan(d).write(ws, scale, TITLE_ROWS)

