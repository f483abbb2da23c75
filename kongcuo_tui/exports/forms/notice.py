"""辍学（疑似辍学）学生劝返通知书 (附件3 of the Jiyuan 2024 seed): two copies on one A4 page.

The seed's text with the guardians, the student, the day the child was first suspected out
of school, the return deadline (5 working days after the notice, from the domain's rule on
the county's calendar: FormData.return_by), the sending unit and the date filled in. The
notice is made out in two copies, one kept by the school and one handed to the guardian
("一式二份，学校、监护人各一份"): the upper half and the lower half of the page, with a line
to cut along between them.
"""

from __future__ import annotations

from ...services.form_documents import FormData
from ..layout import PAGE_BODY_PT
from .common import Grid, day, fit_scale

WIDTHS = (9,) * 8
TITLE = "辍学（疑似辍学）学生劝返通知书"
COPIES = ("第一联：学校存根", "第二联：监护人收执")
CUT = "（沿此线剪开，上联学校留存，下联交监护人）"
LAW = ("按照《中华人民共和国义务教育法》第五条、十一条“适龄儿童、少年的父母或者其他的法定监护人应当依法保证其"
       "按时入学完成义务教育”和“父母或者其他法定监护人应当送其入学并完成义务教育”的规定，")


def body(d: FormData) -> str:
    """The notice's paragraph, filled in."""
    return (f"你们的被监护人{d.name}于{day(d.suspected_on)}疑似辍学，{LAW}请你们在接到劝学通知书5日内"
            f"（5个工作日，即{day(d.return_by)}前），送被监护人复学。")


def guardians(d: FormData) -> str:
    names = [g.name for g in d.guardians if g.name.strip()]
    return "、".join(names) if names else "            （监护人姓名）"


def _copy(g: Grid, d: FormData, which: str) -> int:
    first = g.row((6, which, "right", 3))
    g.row((1, TITLE, "title", 8))
    g.row((1, "", "plain", 8), height=8)
    g.row((1, f"{guardians(d)}：", "plain", 8))
    g.row((1, "　　" + body(d), "para", 8))
    g.row((1, "　　特此通知。", "plain", 8))
    g.row((1, "　　（此通知书一式二份，学校、监护人各一份）。", "plain", 8))
    g.row((1, "", "plain", 8), height=14)
    g.row((1, f"发送单位（盖章）：{d.sender}", "plain", 5), (6, day(d.notice_on), "right", 3))
    g.row((1, "", "plain", 8), height=10)
    g.row((1, "监护人签名：", "plain", 5), (6, day(None), "right", 3))
    return first


def plan(d: FormData) -> Grid:
    g = Grid(WIDTHS)
    _copy(g, d, COPIES[0])
    half = g.height()
    # The cut line sits in the middle of the page when the copy leaves room for it.
    pad = PAGE_BODY_PT / 2 - half - 40
    if pad > 0:
        g.row((1, "", "plain", 8), height=round(pad, 1))
    g.row((1, CUT, "cut", 8), height=24)
    g.row((1, "", "plain", 8), height=16)
    _copy(g, d, COPIES[1])
    return g


def write(ws, d: FormData) -> int:
    g = plan(d)
    return g.write(ws, fit_scale(g.height(), WIDTHS))
