"""关于学生…控辍保学的函 (附件4 of the Jiyuan 2024 seed), one A4 page per student.

Addressed to the education bureau of the county of household registration: the letter
record's receiving bureau, else the bureau of the county the 户籍地 names, else a line to
fill in by hand. The seed's three paragraphs with the school and class, the months out of
school, 户口, ID, 学籍号 and every guardian with ID and phone, then the sender and the date.
"""

from __future__ import annotations

from ...services.form_documents import FormData
from .common import Grid, day, fit_scale

WIDTHS = (9,) * 8
BLANK_BUREAU = "________________________教育局"


def month(d) -> str:
    return f"{d.year}年{d.month}月" if d else "    年    月"


def _area_word(d: FormData) -> str:
    """贵市 / 贵县 / 贵区 as the receiving county calls itself; 贵地 when it is not known."""
    name = d.letter_place.name if d.letter_place else ""
    return f"贵{name[-1]}" if name[-1:] in ("市", "县", "区", "旗") else "贵地"


def paragraphs(d: FormData) -> list[str]:
    """The letter's three paragraphs, filled in."""
    first = (f"经全国学籍系统查询，{_area_word(d)}户籍学生{d.name}，学籍注册在{d.county_full}{d.school}"
             f"{d.grade_class or '    级    班'}，从{month(d.suspected_on)}至{month(d.letter_on)}，未到校就读，"
             "处于疑似辍学状态。")
    people = "；".join(
        f"学生监护人（{g.relation or '监护人'}）姓名：{g.name}，身份证号：{g.id_number or '—'}，联系电话：{g.phone or '—'}"
        for g in d.guardians)
    second = (f"全国学籍信息显示，该生户口在{d.hukou or '—'}，身份证号：{d.id_number}，学籍号：{d.national_no or '—'}。"
              + (people + "。" if people else ""))
    province = d.letter_province if d.cross_province else ""
    across = "跨省" if d.cross_province else ""
    third = (f"如该生回户籍所在地就读，或在{province or '当地'}建系统重新注册学籍，请贵局督促接收学校在全国学籍系统内"
             f"及时为该生办理{across}学籍接续手续，并依法做好{d.name}控辍保学工作，保障学生完成规定年限的义务教育。")
    return [first, second, third]


def plan(d: FormData) -> Grid:
    g = Grid(WIDTHS)
    g.row((1, f"关于学生{d.name}控辍保学的函", "title", 8))
    g.row((1, "", "plain", 8), height=14)
    g.row((1, f"{d.letter_to or BLANK_BUREAU}：", "plain", 8))
    for text in paragraphs(d):
        g.row((1, "　　" + text, "para", 8))
    g.row((1, "　　特此函达。", "plain", 8))
    g.row((1, "", "plain", 8), height=40)
    g.row((4, f"{d.sender}（盖章）", "right", 5))
    g.row((4, day(d.letter_on), "right", 5))
    return g


def write(ws, d: FormData) -> int:
    g = plan(d)
    return g.write(ws, fit_scale(g.height(), WIDTHS))
