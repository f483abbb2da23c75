"""At 80×24 nothing a registrar needs is cut off: the ledger's columns, the filter lists."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Select

from kongcuo_tui.db.models import School
from kongcuo_tui.services import ledger
from kongcuo_tui.services.types import EntryRow, LedgerQuery

SIZE = (80, 24)
HEADER, FIRST_ROW = 2, 3  # screen lines: title, tabs, header, rows
UPSTREAM = ("出生日期", "户籍地", "家庭住址", "是否在读", "全国学籍号", "省内学校名称", "省内学籍号", "省内学生状态")


def _cells(line: str) -> list[str]:
    """One string per terminal cell; the second cell of a wide character is ""."""
    out: list[str] = []
    for ch in line:
        out += [ch] + [""] * (cell_len(ch) - 1)
    return out


def _titles(header: str) -> list[tuple[str, int]]:
    """(title, first cell) of each column title; the "<" ">" more-columns hints dropped."""
    cells, out, start = _cells(header), [], None
    for i, c in enumerate(cells + [" "]):
        if c in (" ", "<", ">") and start is not None:
            out.append(("".join(cells[start:i]), start))
            start = None
        elif c not in (" ", "<", ">") and start is None:
            start = i
    return out


def _under_titles(header: str, line: str) -> dict[str, str]:
    """What `line` shows under each title, from the title's first cell to the next title's."""
    titles, cells = _titles(header), _cells(line)
    ends = [start for _, start in titles[1:]] + [len(cells)]
    return {t: "".join(cells[s:e]).strip() for (t, s), e in zip(titles, ends)}


def _day(d) -> str:
    return f"{d:%Y-%m-%d}" if d else ""


def _values(row: EntryRow) -> dict[str, str]:
    return {
        "序号": str(row.seq), "姓名": row.name, "证件号码": row.id_number,
        "出生日期": _day(row.birth_date), "户籍地": row.hukou, "家庭住址": row.address,
        "是否在读": row.enrolled, "全国学籍号": row.national_no, "省内学校名称": row.prov_school,
        "省内学籍号": row.prov_no, "省内学生状态": row.prov_status,
        "核查结果": f"{row.code} {row.code_name}", "证明人": row.proof_person,
        "证明日期": _day(row.proof_date), "处理类型": row.action,
    }


def _assert_aligned(ui, row: EntryRow) -> list[str]:
    """Every value of the first row sits under its own title, whole or cut with "…" only."""
    lines = ui.lines()
    shown = _under_titles(lines[HEADER], lines[FIRST_ROW])
    values = _values(row)
    for title, text in shown.items():
        value = values[title]
        assert text == value or (text.endswith("…") and value.startswith(text[:-1])), (title, text, value)
    return list(shown)


def test_left_and_right_move_by_one_whole_column_and_the_header_stays_aligned(play, demo_ledger, registrar):
    demo_ledger(60)
    row = ledger.page(registrar, LedgerQuery(), 0, 1)[0]

    async def script(ui):
        seen = [_assert_aligned(ui, row)]
        assert seen[0][:4] == ["序号", "姓名", "证件号码", UPSTREAM[0]]
        while "省内学生状态" not in seen[-1]:
            await ui.press("right")
            seen.append(_assert_aligned(ui, row))
            # One whole column further: the key columns stay, the next upstream column leads.
            assert seen[-1][:4] == ["序号", "姓名", "证件号码", UPSTREAM[len(seen) - 1]], seen[-1]
        assert len(seen) < len(UPSTREAM)
        await ui.press("right")
        assert _assert_aligned(ui, row) == seen[-1]  # the last column is on screen: no further
        await ui.press(*["left"] * len(seen))
        assert _assert_aligned(ui, row) == seen[0]

    play(script, size=SIZE)


def test_processed_tab_shows_code_proof_person_and_whole_proof_date(play, demo_ledger, registrar):
    demo_ledger(60)
    row = ledger.page(registrar, LedgerQuery(status="processed"), 0, 1)[0]

    async def script(ui):
        await ui.press("t")
        shown = _under_titles(ui.lines()[HEADER], ui.lines()[FIRST_ROW])
        assert shown["证明日期"] == f"{row.proof_date:%Y-%m-%d}"
        assert shown["核查结果"].startswith(row.code) and shown["证明人"]
        _assert_aligned(ui, row)

    play(script, size=SIZE)


def test_detail_lines_fit_80_columns_or_wrap_under_their_entry(play, demo_ledger, registrar):
    demo_ledger(60)
    rows = ledger.page(registrar, LedgerQuery(status="processed"), 0, 60)
    row = next(r for r in rows if ledger.detail(registrar, r.id).history)
    sections = {"台账信息", "补充信息", "处理结果", "监护人", "证明材料", "处理记录（每次修改都保留）", "劝返时间线（按 r 录入劝返记录）"}

    async def script(ui):
        await ui.press("t", "slash")
        await ui.type(row.id_number)
        await ui.press("enter", "enter")
        seen = []
        for _ in range(6):  # the whole record, a screen at a time
            seen += ui.lines()[1:-1]
            await ui.press("pagedown")
        assert any("证明人" in line for line in seen)
        for line in seen:
            text = line.rstrip("▁▂▃▄▅▆▇█ ")  # the scrollbar on the right
            # Entries are indented under their section's title: a line that starts further
            # left than that is a piece of the line above, cut off by the terminal's edge.
            assert not text or text.strip() in sections or text.startswith("   "), line

    play(script, size=SIZE)


async def _open_list(ui, name: str):
    """Tab to the filter list `name` and open it with Enter; returns the open list."""
    select = ui.screen.query_one(f"#filter-{name}", Select)
    for _ in range(8):
        if ui.screen.focused is select:
            break
        await ui.press("tab")
    assert ui.screen.focused is select, name
    await ui.press("enter")
    return select.query_one("SelectOverlay")


def test_every_filter_list_opens_inside_the_dialog(play, demo_ledger):
    demo_ledger(30)

    async def script(ui):
        await ui.press("f")
        box = ui.screen.query_one("#filter-box")
        for name in ("source", "township", "school", "code"):
            overlay = await _open_list(ui, name)
            assert overlay.display and overlay.region.height > 2, name
            assert box.content_region.contains_region(overlay.region), (name, overlay.region, box.content_region)
            assert "Dismiss" not in ui.lines()[-1]  # Textual's English key names stay off the key line
            await ui.press("escape")  # closes the list, not the dialog
            assert not overlay.display and ui.screen.query("#filter-box")

    play(script, size=SIZE)


def test_township_choices_name_their_county(play, make_entry, registrar, admin):
    make_entry(region="411330", township="411330103")
    make_entry(region="411330", township="411330102")
    make_entry(region="411328", township="411328100")

    async def county(ui):
        await ui.press("f")
        await _open_list(ui, "township")
        assert "源潭镇（唐河县）" in ui.text()

    async def province(ui):
        await ui.press("f")
        await _open_list(ui, "township")
        assert "滨河街道（唐河县）" in ui.text()
        await ui.press("end")  # the list spans every county of the province
        assert "毛集镇（桐柏县）" in ui.text()
        await ui.press("enter", "ctrl+s")
        assert ui.table.total == 1 and "毛集镇（桐柏县）" in ui.static("#status-bar")

    play(county, size=SIZE)
    play(province, size=SIZE, actor=admin)


def test_an_admin_picks_from_every_school_of_the_province(play, make_entry, admin):
    # Same name in two counties: only the county tells them apart.
    tanghe = School.create(name="城郊中心小学", county="411328")
    tongbai = School.create(name="城郊中心小学", county="411330")
    make_entry(region="411328", school=tanghe.id)
    make_entry(region="411330", school=tongbai.id)
    make_entry(region="411330")

    async def script(ui):
        assert ui.table.total == 3
        await ui.press("f")
        await _open_list(ui, "school")
        text = ui.text()
        assert "城郊中心小学（唐河县）" in text and "城郊中心小学（桐柏县）" in text
        await ui.press("down", "down", "enter", "ctrl+s")
        assert ui.table.total == 1 and "城郊中心小学（桐柏县）" in ui.static("#status-bar")

    play(script, size=SIZE, actor=admin)


def test_the_overview_shows_every_label_whole_within_80_columns(play, demo_ledger, city):
    """A city's overview, with a county's 需复核 / 已重新提交 counts on its line: no label cut
    ("B类（不需要劝返）" is the longest), no line wider than the terminal."""
    from kongcuo_tui.domain.codes import CLASS_LABELS
    from kongcuo_tui.services import review

    demo_ledger(300)
    rows = list(review.b_results(city))[:2]
    review.flag(city, {r.entry_id: r.version for r in rows}, "证明材料不全")

    async def script(ui):
        await ui.press("g")
        text = ui.text()
        for label in CLASS_LABELS.values():
            assert label in text, label
        assert "需复核 2，已重新提交 0" in text
        assert all(cell_len(line.rstrip()) <= SIZE[0] and "…" not in line for line in ui.lines()), ui.lines()

    play(script, size=SIZE, actor=city)
