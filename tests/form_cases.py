"""A full persuasion case built through the services, for the document tests (importable as form_cases)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from kongcuo_tui.db.models import Guardian, School
from kongcuo_tui.domain.persuasion import JointRound, Letter, Procedure, SchoolAttempt
from kongcuo_tui.services import persuasion as svc

TODAY = date(2026, 11, 30)
ROLES = ("班主任", "年级组长", "副校长", "校长")
PROCESS = "到家中与监护人面谈，讲解义务教育法规定，监护人表示会劝说孩子返校，学生本人仍不愿上学"


def school(county: str = "411328", name: str = "源潭镇第一初级中学") -> School:
    return School.create(name=name, county=county)


def full_case(actor, make_entry, school_id: int, *, name: str = "王小明", attempts: int = 3, rounds: int = 3,
              continued: int = 1, letter: bool = True, **facts) -> int:
    """A child with every fact of the 登记表 and ``attempts`` school and ``rounds`` joint rounds."""
    fields = dict(name=name, sex="男", ethnicity="汉族", birth_date=date(2011, 3, 15), school=school_id,
                  code="A2", status="processed", action="辍学处理", national_no="G411328201103150011",
                  grade_class="2023级2班", hukou="江苏省徐州市云龙区大郭庄街道金山村3组12号",
                  address="河南省南阳市唐河县源潭镇东王庄村", residence="河南省南阳市唐河县源潭镇东王庄村5组",
                  registry_place="河南省南阳市唐河县源潭镇第一初级中学", health="健康",
                  family_summary="父母在外务工，随祖父母生活，家庭经济困难", dropout_reason="厌学，沉迷网络游戏")
    fields.update(facts)
    eid = make_entry(**fields)
    Guardian.create(entry=eid, ordinal=1, name="王大军", id_number="320303198001010011", relation="父亲",
                    phone="13812345678")
    Guardian.create(entry=eid, ordinal=2, name="李秀英", id_number="320303198203020022", relation="母亲",
                    phone="15038765432")
    v = svc.record_absence(actor, eid, 1, date(2026, 9, 7), today=TODAY)
    start = date(2026, 9, 8)
    for k in range(attempts):
        d = start + timedelta(days=k)
        v = svc.record_school_attempt(actor, eid, v, SchoolAttempt(
            datetime(d.year, d.month, d.day, 9 + k % 8, 30), ROLES[k % 4], f"李老师{k + 1}", "入户劝导", PROCESS,
            f"1390000{k:04d}"), today=TODAY)
    v = svc.record_report(actor, eid, v, date(2026, 9, 22), today=TODAY)
    v = svc.record_notice(actor, eid, v, date(2026, 9, 23), today=TODAY)
    for k in range(rounds):
        v = svc.record_joint_round(actor, eid, v, JointRound(
            date(2026, 10, 9) + timedelta(days=3 * k), ("school", "education", "township", "police"), "入户劝导",
            f"第{k + 1}轮：联合劝返组入户，监护人同意配合，学生仍拒绝返校", "王股长、赵主任、孙警官", "13700000000"),
            today=TODAY)
    if rounds >= 3:
        v = svc.record_procedure(actor, eid, v, Procedure("休学", "县级人民政府", date(2026, 11, 2)), today=TODAY)
    for k in range(continued):
        v = svc.record_joint_round(actor, eid, v, JointRound(
            date(2026, 11, 16) + timedelta(days=k), ("school",), "电话沟通", "继续劝返，学生表示考虑", "刘校长",
            "13600000000", continued=True), today=TODAY)
    if letter:
        v = svc.record_letter(actor, eid, v, Letter(date(2026, 11, 20), "江苏省徐州市云龙区教育局", "已移交",
                                                    "320303"), today=TODAY)
    return eid
