"""Every rule a registrar meets when classifying a row (domain.rules.validate)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kongcuo_tui.domain.codes import CODE_LIST, CODES, Action
from kongcuo_tui.domain.dates import school_year_cutoff
from kongcuo_tui.domain.rules import (
    F_CODE, F_DATE, F_EVIDENCE, F_GRADUATION, F_NOTES, F_PERSON, F_PLACE, F_SCHOOL, ChildFacts,
    Classification, asks_graduation, validate,
)

TODAY = date(2026, 11, 29)
CUTOFF = school_year_cutoff(TODAY)  # 2026-08-31
HOME = "411328"  # 唐河县, Henan
JIANGSU = "320303"  # 徐州市云龙区
CHILD = ChildFacts(birth_date=date(2013, 5, 1), home_region=HOME, hukou_region=HOME)
BIRTH_FOR = {"B5": date(2021, 3, 1), "B6": date(2010, 1, 1)}  # 5 and 16 at the cutoff

NOTES = {
    "A8": "目前在家闲居，家庭情况：父母离异，随母亲生活，母亲电话13812345678",
    "B4": "随父母在江苏省徐州市务工地就读，已发函户籍地与就读地教育局办理学籍接续",
}


def child_for(code: str, **kw) -> ChildFacts:
    return replace(CHILD, **{"birth_date": BIRTH_FOR.get(code, CHILD.birth_date), **kw})


def valid(base: str, **kw) -> Classification:
    """A complete, correct classification with code `base`; keywords override fields."""
    c = CODES[base]
    fields = dict(
        action=c.action, code=base, proof_person="张丽", proof_date=date(2026, 11, 2),
        notes=NOTES.get(base, "经核查属实，材料已存档"),
        evidence=frozenset(group[0] for group in c.required_evidence),
    )
    if c.needs_place:
        fields["study_region"] = JIANGSU if c.place_scope == "out_of_province" else HOME
        fields["study_school"] = "某某学校"
    fields.update(kw)
    return Classification(**fields)


def errors(c: Classification, child: ChildFacts | None = None, cutoff: date = CUTOFF,
           schools: frozenset[str] = frozenset()):
    return validate(c, child or child_for(c.code.strip().upper()), TODAY, cutoff, schools=schools)


def fields_of(errs) -> list[str]:
    return [e.field for e in errs]


@pytest.mark.parametrize("code", list(CODES))
def test_complete_classification_of_every_code_is_accepted(code):
    assert errors(valid(code)) == []


@pytest.mark.parametrize("code", list(CODES))
def test_each_code_is_refused_under_the_other_actions(code):
    right = CODES[code].action
    for action in Action:
        if action is right:
            continue
        errs = errors(valid(code, action=action))
        msg = [e.message for e in errs if e.field == F_CODE]
        assert msg, (code, action)
        assert f"属于“{right}”" in msg[0]


def test_code_is_read_regardless_of_case_and_spaces():
    assert errors(valid("B2", code=" b2 ")) == []


@pytest.mark.parametrize("code", ["C1", "B11", "A0", "100"])
def test_unknown_code_is_named_in_the_message(code):
    errs = errors(valid("A1", code=code), CHILD)
    assert fields_of(errs) == [F_CODE]
    assert code in errs[0].message


def test_missing_code_asks_to_choose_one():
    errs = errors(valid("A1", code=""), CHILD)
    assert [(e.field, e.message) for e in errs] == [(F_CODE, "请选择核查结果")]


# --- fields every action needs ---------------------------------------------------------

@pytest.mark.parametrize("code", list(CODES))
@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_proof_person_and_notes_are_refused(code, blank):
    errs = errors(valid(code, proof_person=blank, notes=blank))
    assert F_PERSON in fields_of(errs)
    assert F_NOTES in fields_of(errs)
    assert any("证明人" in e.message for e in errs)
    assert any("处理说明" in e.message for e in errs)


def test_missing_proof_date():
    errs = errors(valid("A1", proof_date=None))
    assert fields_of(errs) == [F_DATE]


def test_proof_date_today_is_fine_tomorrow_is_not():
    assert errors(valid("A1", proof_date=TODAY)) == []
    errs = errors(valid("A1", proof_date=date(2026, 11, 30)))
    assert fields_of(errs) == [F_DATE]
    assert "2026-11-30" in errs[0].message and "将来" in errs[0].message


def test_proof_date_before_birth():
    errs = errors(valid("A1", proof_date=date(2013, 4, 30)))
    assert fields_of(errs) == [F_DATE]
    assert "早于出生日期" in errs[0].message
    assert errors(valid("A1", proof_date=date(2013, 5, 1))) == []


def test_proof_date_with_unknown_birth_date_is_not_checked_against_birth():
    child = replace(CHILD, birth_date=None)
    assert errors(valid("A1", proof_date=date(2001, 1, 1)), child) == []


# --- required evidence ----------------------------------------------------------------

@pytest.mark.parametrize("code", [c.code for c in CODE_LIST if c.required_evidence])
def test_missing_any_required_document_is_refused(code):
    c = CODES[code]
    for group in c.required_evidence:
        given = frozenset(k for g in c.required_evidence if g is not group for k in g)
        errs = errors(valid(code, evidence=given))
        assert fields_of(errs) == [F_EVIDENCE], (code, group)
        assert code in errs[0].message


def test_b1_needs_both_police_and_village_proof():
    assert errors(valid("B1", evidence=frozenset({"police_proof", "village_proof"}))) == []
    only_police = errors(valid("B1", evidence=frozenset({"police_proof"})))
    only_village = errors(valid("B1", evidence=frozenset({"village_proof"})))
    neither = errors(valid("B1", evidence=frozenset()))
    assert [e.message for e in only_police] == ["B1 户籍原因 须留存：村（居）委会证明"]
    assert [e.message for e in only_village] == ["B1 户籍原因 须留存：辖区派出所证明"]
    assert len(neither) == 2


def test_b5_accepts_either_kindergarten_sheet_or_deferral_approval():
    for ev in ({"kindergarten_sheet"}, {"deferral_approval"}, {"kindergarten_sheet", "deferral_approval"}):
        assert errors(valid("B5", evidence=frozenset(ev))) == [], ev
    errs = errors(valid("B5", evidence=frozenset()))
    assert fields_of(errs) == [F_EVIDENCE]
    assert "幼儿园幼儿信息表（盖章）或因身体原因延缓入学审批" in errs[0].message


@pytest.mark.parametrize("code", [c.code for c in CODE_LIST if c.klass == "A"])
def test_a_codes_do_not_require_documents_to_be_saved(code):
    # Persuasion records come after the classification, so they cannot be demanded first.
    assert errors(valid(code, evidence=frozenset())) == []


def test_unrelated_evidence_does_not_satisfy_a_requirement():
    errs = errors(valid("B9", evidence=frozenset({"police_proof", "abroad_proof"})))
    assert fields_of(errs) == [F_EVIDENCE]


# --- A8 notes --------------------------------------------------------------------------

@pytest.mark.parametrize("notes, missing", [
    ("在家", ["目前状况", "家庭情况", "父母联系电话"]),
    ("目前在县城一家饭店打工，每天工作十小时，联系电话13812345678", ["家庭情况"]),
    ("目前在家闲居，家庭情况：父母离异，随母亲生活，母亲已联系", ["父母联系电话"]),
    ("父亲13812345678", ["目前状况"]),
    ("目前在家闲居不愿上学，与爷爷奶奶生活，座机0377-62345678", []),
])
def test_a8_notes_name_each_missing_part(notes, missing):
    errs = errors(valid("A8", notes=notes))
    if not missing:
        assert errs == []
        return
    assert fields_of(errs) == [F_NOTES]
    assert errs[0].message == "A8 其他原因须在处理说明中写明：" + "、".join(missing)


def test_a8_phone_must_be_a_whole_number_not_part_of_a_longer_one():
    notes = "目前在家闲居，家庭情况：父母离异，随母亲生活，证件号411328201305010011"
    assert "父母联系电话" in errors(valid("A8", notes=notes))[0].message


# --- place of study --------------------------------------------------------------------

@pytest.mark.parametrize("code", ["B2", "B3", "B4", "B8"])
def test_enrolled_codes_need_place_and_school(code):
    errs = errors(valid(code, study_region=None, study_school=" "))
    assert sorted(fields_of(errs)) == sorted([F_PLACE, F_SCHOOL])
    school_msg = next(e.message for e in errs if e.field == F_SCHOOL)
    assert school_msg == ("请填写中职学校名称" if code == "B8" else "请填写就读学校")


@pytest.mark.parametrize("code", ["B2", "B3"])
def test_b2_b3_must_study_in_the_province(code):
    assert errors(valid(code, study_region="410102")) == []  # 郑州 中原区, same province
    errs = errors(valid(code, study_region=JIANGSU, notes="随父母在江苏省徐州市务工地就读，已联系就读学校核实学籍情况"))
    assert fields_of(errs) == [F_PLACE]
    assert "B4" in errs[0].message


def test_b4_must_study_outside_the_province():
    errs = errors(valid("B4", study_region="410102"))
    assert fields_of(errs) == [F_PLACE]
    assert "B2 或 B3" in errs[0].message


def test_b8_may_study_in_or_out_of_province():
    assert errors(valid("B8", study_region="410102")) == []
    assert errors(valid("B8", study_region=JIANGSU, notes=NOTES["B4"])) == []


# --- cross-province notes --------------------------------------------------------------

def test_b4_always_needs_detailed_notes():
    errs = errors(valid("B4", notes="在江苏上学"))
    assert fields_of(errs) == [F_NOTES]
    assert "跨省" in errs[0].message and "现有 5 字" in errs[0].message


def test_henan_row_with_jiangsu_hukou_needs_detailed_notes():
    migrant = child_for("A1", hukou_region="320321")
    errs = errors(valid("A1", notes="外出打工"), migrant)
    assert fields_of(errs) == [F_NOTES]
    assert "跨省" in errs[0].message
    assert errors(valid("A1", notes="户籍在江苏省丰县，随父母来唐河务工，现随父亲在工地打工，已入户劝返两次"), migrant) == []


def test_henan_row_with_jiangsu_study_region_needs_detailed_notes():
    errs = errors(valid("B8", study_region=JIANGSU, notes="在徐州读中职"))
    assert fields_of(errs) == [F_NOTES]


def test_same_province_hukou_needs_no_long_notes():
    child = child_for("A1", hukou_region="419001")  # 济源市, also Henan
    assert errors(valid("A1", notes="外出打工"), child) == []


# --- ages at the cutoff ---------------------------------------------------------------

# The cutoff is 2026-08-31: a child born 2020-08-31 turns 6 on the cutoff day itself, one
# born 2020-09-01 turns 6 the day after (still 5); likewise 2010-08-31 / 2010-09-01 for 16.
SIXTH_ON_CUTOFF, SIXTH_AFTER_CUTOFF = date(2020, 8, 31), date(2020, 9, 1)
SIXTEENTH_ON_CUTOFF, SIXTEENTH_AFTER_CUTOFF = date(2010, 8, 31), date(2010, 9, 1)
KINDERGARTEN = frozenset({"kindergarten_sheet"})
DEFERRAL = frozenset({"deferral_approval"})


def test_b5_five_the_day_before_the_sixth_birthday_is_accepted():
    five = child_for("B5", birth_date=SIXTH_AFTER_CUTOFF)
    assert errors(valid("B5", evidence=KINDERGARTEN), five) == []


def test_b5_on_the_sixth_birthday_needs_health_deferral_approval():
    six = child_for("B5", birth_date=SIXTH_ON_CUTOFF)
    errs = errors(valid("B5", evidence=KINDERGARTEN), six)
    assert fields_of(errs) == [F_CODE]
    assert "已满 6 周岁" in errs[0].message and "2026-08-31" in errs[0].message
    assert "因身体原因延缓入学审批" in errs[0].message
    assert errors(valid("B5", evidence=DEFERRAL), six) == []


def test_b5_fifteen_the_day_before_the_sixteenth_birthday_needs_approval():
    fifteen = child_for("B5", birth_date=SIXTEENTH_AFTER_CUTOFF)
    assert fields_of(errors(valid("B5", evidence=KINDERGARTEN), fifteen)) == [F_CODE]
    assert errors(valid("B5", evidence=DEFERRAL), fifteen) == []


def test_b5_on_the_sixteenth_birthday_is_refused_even_with_approval():
    sixteen = child_for("B5", birth_date=SIXTEENTH_ON_CUTOFF)
    errs = errors(valid("B5", evidence=DEFERRAL | KINDERGARTEN), sixteen)
    assert fields_of(errs) == [F_CODE]
    assert "已满 16 周岁" in errs[0].message and "B6 超龄离校" in errs[0].message


def test_b5_child_born_after_the_cutoff_is_under_six():
    baby = child_for("B5", birth_date=date(2026, 10, 1))
    assert errors(valid("B5"), baby) == []


def test_b6_on_the_sixteenth_birthday_is_accepted_without_destination():
    sixteen = child_for("B6", birth_date=SIXTEENTH_ON_CUTOFF)
    assert errors(valid("B6", notes="已离校"), sixteen) == []


def test_b6_fifteen_the_day_before_the_sixteenth_birthday_needs_a_graduation_destination():
    fifteen = child_for("B6", birth_date=SIXTEENTH_AFTER_CUTOFF)
    errs = errors(valid("B6", notes="已离校"), fifteen)
    assert fields_of(errs) == [F_GRADUATION]
    assert "15 周岁" in errs[0].message and "毕业去向" in errs[0].message
    assert errors(valid("B6", notes="已离校", graduation="初中毕业，升入唐河县第一高级中学"), fifteen) == []


def test_b6_graduation_written_in_the_notes_does_not_count():
    thirteen = child_for("B6", birth_date=date(2013, 5, 1))
    errs = errors(valid("B6", notes="已毕业，毕业后在家"), thirteen)
    assert fields_of(errs) == [F_GRADUATION]
    assert "13 周岁" in errs[0].message
    assert fields_of(errors(valid("B6", notes="已毕业", graduation="  "), thirteen)) == [F_GRADUATION]


def test_only_b6_asks_for_a_graduation_destination():
    assert [c.code for c in CODE_LIST if asks_graduation(c)] == ["B6"]


def test_school_must_be_on_the_study_countys_list_when_it_has_one():
    on_list = frozenset({"源潭镇中心小学"})
    assert errors(valid("B2", study_school="源潭镇中心小学"), schools=on_list) == []
    errs = errors(valid("B2", study_school="不存在小学"), schools=on_list)
    assert fields_of(errs) == [F_SCHOOL] and "“不存在小学”不在本县学校名单中" in errs[0].message
    other = errors(valid("B2", study_region="411329", study_school="不存在小学"), schools=on_list)
    assert "新野县" in other[0].message
    # No list known (another province, or a county without schools on file): free text.
    assert errors(valid("B2", study_school="不存在小学"), schools=frozenset()) == []


def test_age_follows_the_cutoff_setting():
    # 15 on 31 August, 16 by a 1 October cutoff (a province that counts later).
    child = child_for("B6", birth_date=date(2010, 9, 15))
    assert errors(valid("B6", notes="已离校"), child) != []
    later = school_year_cutoff(TODAY, 10, 1)
    assert errors(valid("B6", notes="已离校"), child, cutoff=later) == []


@pytest.mark.parametrize("code", ["B5", "B6"])
def test_unknown_birth_date_blocks_age_codes(code):
    errs = errors(valid(code), child_for(code, birth_date=None))
    assert fields_of(errs) == [F_CODE]
    assert "出生日期未知" in errs[0].message


@pytest.mark.parametrize("code", [c.code for c in CODE_LIST if c.age_rule is None])
def test_other_codes_ignore_age(code):
    for birth in (None, date(2024, 1, 1), date(2005, 1, 1)):
        assert errors(valid(code), child_for(code, birth_date=birth)) == [], birth


def test_every_problem_is_reported_at_once():
    c = valid("B2", proof_person="", proof_date=None, notes="", study_region=None, study_school="",
              evidence=frozenset())
    assert sorted(fields_of(errors(c))) == sorted([F_PERSON, F_DATE, F_NOTES, F_EVIDENCE, F_PLACE, F_SCHOOL])
