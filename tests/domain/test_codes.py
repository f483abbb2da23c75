"""The code table matches the Ministry's 2019 standard as DOMAIN.md states it."""

from __future__ import annotations

from support import package_lines_matching

import pytest

import re

from kongcuo_tui.domain.codes import (
    CODE_LIST, CODES, EVIDENCE, UNCONFIRMED_CODE, Action, CodeClass, class_of, code_class_label, codes_for,
    codes_in, get_code,
)

ENROLLED = ["B2", "B3", "B4", "B8"]
DROPOUT = ["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "B1", "B5", "B6", "B7", "B9", "B10"]
NAMES = {
    "A1": "打工务农", "A2": "厌学辍学", "A3": "因病因残", "A4": "在家上学", "A5": "入寺入教",
    "A6": "早婚失学", "A7": "扶贫异地搬迁", "A8": "其他原因", "B1": "户籍原因", "B2": "在校有学籍",
    "B3": "省内就读无学籍", "B4": "省外就读无学籍", "B5": "延缓入学", "B6": "超龄离校",
    "B7": "重病重残", "B8": "中职就读", "B9": "失踪失联", "B10": "出国在外", "99": "未确认完成",
}


def test_nineteen_codes_with_the_ministry_names_in_table_order():
    assert len(CODE_LIST) == 19 == len(CODES)
    assert [(c.code, c.name) for c in CODE_LIST] == list(NAMES.items())


def test_actions_offer_exactly_the_codes_domain_md_lists():
    assert [c.code for c in codes_for(Action.ENROLLED)] == ENROLLED
    assert [c.code for c in codes_for(Action.DROPOUT)] == DROPOUT
    assert [c.code for c in codes_for(Action.UNCONFIRMED)] == ["99"]


def test_class_follows_the_letter_and_only_a_class_needs_persuasion():
    for c in CODE_LIST:
        assert c.klass == ("99" if c.code == "99" else c.code[0])
        assert c.needs_persuasion == (c.klass == "A")
        assert c.is_unconfirmed == (c.code == "99")
        assert class_of(c.code) is c.klass
    assert class_of("") is None and class_of("Z9") is None
    assert UNCONFIRMED_CODE is CODES["99"]
    assert code_class_label("A") == "A类（需要劝返）"
    assert code_class_label("B") == "B类（不需要劝返）"
    assert code_class_label("99") == "未确认"


def test_code_lists_per_class_for_filters():
    assert codes_in(CodeClass.PERSUADE) == ("A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8")
    assert codes_in(CodeClass.NO_PERSUADE) == tuple(f"B{i}" for i in range(1, 11))
    assert codes_in(CodeClass.UNCONFIRMED) == ("99",)
    assert codes_in("A", "99") == (*codes_in("A"), "99")


# A code-class literal outside the table: "99", a bare "A"/"B", or a prefix test on a code.
_CLASS_LITERAL = re.compile(r"""["']99["']|["'][AB]["']|startswith\(["'][AB]""")


def test_only_the_code_table_spells_out_code_classes():
    assert package_lines_matching(_CLASS_LITERAL, "domain/codes.py") == []


def test_every_b_code_names_documents_that_exist():
    for c in CODE_LIST:
        if c.klass == "B":
            assert c.required_evidence, c.code
        for key in c.evidence_keys:
            assert key in EVIDENCE, (c.code, key)


def test_only_enrolled_codes_ask_for_a_place_of_study():
    assert [c.code for c in CODE_LIST if c.needs_place] == ENROLLED
    assert CODES["B2"].place_scope == CODES["B3"].place_scope == "in_province"
    assert CODES["B4"].place_scope == "out_of_province"
    assert CODES["B8"].place_scope is None


def test_special_rules_sit_on_the_right_codes():
    assert {c.code: c.age_rule for c in CODE_LIST if c.age_rule} == {"B5": "under6", "B6": "over16"}
    assert {c.code: c.notes_rule for c in CODE_LIST if c.notes_rule} == {
        "A8": "a8", "B4": "cross_province", "99": "unconfirmed",
    }


@pytest.mark.parametrize("typed, code", [("b2", "B2"), (" B10 ", "B10"), ("99", "99"), ("a8", "A8")])
def test_get_code_tolerates_case_and_spaces(typed, code):
    assert get_code(typed).code == code


def test_get_code_names_the_bad_value_and_the_choices():
    with pytest.raises(KeyError) as e:
        get_code("B11")
    assert "B11" in str(e.value) and "B10" in str(e.value)


def test_label_is_code_and_name():
    assert CODES["B4"].label == "B4 省外就读无学籍"
