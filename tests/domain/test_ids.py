from datetime import date

import pytest
from stdnum.cn import ric

from kongcuo_tui.domain import ids
from kongcuo_tui.domain.ids import birth_date_mismatch, check_id, normalize_id_text

TODAY = date(2026, 11, 29)
TANGHE = "411328"  # 河南省南阳市唐河县


def make_id(body17: str) -> str:
    """A valid 18-character ID; stdnum's calc_check_digit ignores the last character."""
    assert len(body17) == 17
    return body17 + ric.calc_check_digit(body17 + "?")


def id_ending_in_x(prefix: str = TANGHE + "20140305") -> str:
    for seq in range(1000):
        candidate = make_id(f"{prefix}{seq:03d}")
        if candidate.endswith("X"):
            return candidate
    raise AssertionError("no X check character found")


VALID = make_id(TANGHE + "20140305123")  # male: sequence 123 is odd
VALID_F = make_id(TANGHE + "20150617124")  # female: sequence 124 is even
VALID_X = id_ending_in_x()


def codes(check):
    return [i.code for i in check.issues]


def check(value):
    return check_id(value, today=TODAY)


def test_fixtures_are_valid_per_stdnum():
    for number in (VALID, VALID_F, VALID_X):
        assert ric.is_valid(number)


def test_valid_id_decodes_everything():
    c = check(VALID)
    assert c.ok and c.issues == () and c.reason_code is None and c.reason is None
    assert c.raw == c.normalized == VALID
    assert c.birth_date == date(2014, 3, 5)
    assert c.sex == "男"
    assert c.region_code == TANGHE


def test_female_and_x_check_character():
    assert check(VALID_F).sex == "女"
    c = check(VALID_X)
    assert c.ok and c.normalized.endswith("X") and c.issues == ()


@pytest.mark.parametrize("value", ["", None, "   ", "\u200b", "\u3000", "'"])
def test_blank(value):
    c = check(value)
    assert not c.ok and codes(c) == ["id_blank"]
    assert c.birth_date is None and c.sex is None and c.region_code is None


@pytest.mark.parametrize(
    "value, shown",
    [
        (4.11328201403051e17, "4.11328201403051e+17"),
        (411328201403051234, "411328201403051234"),
        (4113282014030512, "4113282014030512"),
        ("4.11328E+17", "4.11328E+17"),
        ("4.11328201403051E17", "4.11328201403051E17"),
        ("4.11328201403051e+17", "4.11328201403051e+17"),
        ("４.１１３２８Ｅ＋１７", "4.11328E+17"),
        ("411328201403051234.0", "411328201403051234.0"),
        (411328140305123.5, "411328140305123.5"),
    ],
)
def test_excel_number(value, shown):
    c = check(value)
    assert not c.ok
    assert c.reason_code == "id_excel_number"
    assert shown in c.reason and "文本" in c.reason
    assert c.birth_date is None


def test_excel_number_raw_text_of_float():
    assert check(4.11328201403051e17).raw == "4.11328201403051e+17"


@pytest.mark.parametrize("value", [VALID[:-1], VALID + "1", "4113282014"])
def test_length(value):
    c = check(value)
    assert not c.ok and codes(c) == ["id_length"]
    assert value in c.reason and f"{len(value)} 位" in c.reason


@pytest.mark.parametrize(
    "value, bad",
    [
        (VALID[:-1] + "A", "A"),
        (VALID[:10] + "-" + VALID[11:], "-"),
        (VALID[:4] + "X" + VALID[5:], "X"),  # X only allowed as the check character
        (TANGHE + "14030512X", "X"),  # 15-digit IDs have no check character
        (VALID[:8] + "O" + VALID[9:], "O"),  # letter O for zero
    ],
)
def test_illegal_chars(value, bad):
    c = check(value)
    assert not c.ok and c.reason_code == "id_chars"
    assert value in c.reason and f"“{bad}”" in c.reason


def test_illegal_chars_and_length_both_reported():
    assert codes(check("abc")) == ["id_chars", "id_length"]


@pytest.mark.parametrize(
    "birth, fragment",
    [("20140230", "20140230"), ("20141301", "20141301"), ("20300101", "晚于今天"), ("18990101", "1900")],
)
def test_impossible_birth_date(birth, fragment):
    value = make_id(TANGHE + birth + "123")
    c = check(value)
    assert not c.ok and codes(c) == ["id_birth_date"]
    assert value in c.reason and fragment in c.reason
    assert c.birth_date is None


def test_birth_date_today_is_allowed():
    assert check(make_id(TANGHE + TODAY.strftime("%Y%m%d") + "123")).ok


def test_unknown_region():
    value = make_id("411399" + "20140305123")
    c = check(value)
    assert not c.ok and codes(c) == ["id_region"]
    assert "411399" in c.reason and value in c.reason


def test_reused_region_code_is_current():
    # 120110 was 东郊区 until 1991, 东丽区 since 1992: not abolished
    assert check(make_id("120110" + "20140305123")).issues == ()


def test_abolished_region_is_a_warning():
    value = make_id("110103" + "20050101123")  # 崇文区, merged into 东城区 in 2010
    c = check(value)
    assert c.ok and codes(c) == ["id_region_abolished"]
    assert c.issues[0].severity == "warning"
    assert "110103" in c.reason and "崇文区" in c.reason and "2010" in c.reason


def test_abolished_region_born_after_abolition_says_so():
    c = check(make_id("110103" + "20140305123"))
    assert c.ok and c.reason_code == "id_region_abolished" and "2014" in c.reason


def test_wrong_check_character():
    wrong = VALID[:-1] + ("0" if VALID[-1] != "0" else "1")
    c = check(wrong)
    assert not c.ok and codes(c) == ["id_checksum"]
    assert wrong in c.reason and f"应为 {VALID[-1]}" in c.reason
    assert c.birth_date == date(2014, 3, 5)  # still decodable, to help find the record


def test_checksum_ending_000_mentions_excel():
    value = TANGHE + "201403051000"
    assert not ric.is_valid(value)
    c = check(value)
    assert codes(c) == ["id_checksum"]
    assert value in c.reason and "Excel" in c.reason and "文本" in c.reason


def test_several_errors_all_reported_in_field_order():
    c = check("411399" + "20140230" + "1230")
    assert codes(c) == ["id_birth_date", "id_region", "id_checksum"]
    assert c.reason_code == "id_birth_date"


@pytest.mark.parametrize(
    "value, note",
    [
        ("４１１３２８" + VALID[6:], "全角"),
        (VALID[:6] + " " + VALID[6:14] + " " + VALID[14:], "空格"),
        (VALID[:6] + "\u00a0" + VALID[6:], "空格"),
        (VALID[:6] + "\u3000" + VALID[6:], "全角"),
        (VALID[:9] + "\u200b" + VALID[9:], "不可见"),
        ("\ufeff" + VALID, "不可见"),
        (VALID_X[:-1] + "x", "小写 x"),
        (VALID_X[:-1] + "ｘ", "全角"),
    ],
)
def test_normalized_is_a_warning_naming_the_change(value, note):
    c = check(value)
    assert c.ok and codes(c) == ["id_normalized"]
    assert c.normalized in (VALID, VALID_X)
    assert note in c.reason and c.normalized in c.reason
    assert c.issues[0].severity == "warning"


@pytest.mark.parametrize("value", [f"  {VALID}\t", f"'{VALID}", f" '{VALID} ", f"\u2018{VALID}"])
def test_outer_spaces_and_excel_apostrophe_are_silent(value):
    c = check(value)
    assert c.ok and c.issues == () and c.normalized == VALID


def test_errors_come_before_warnings():
    wrong = VALID[:-1] + ("0" if VALID[-1] != "0" else "1")
    c = check("４" + wrong[1:])
    assert not c.ok and codes(c) == ["id_checksum", "id_normalized"]
    assert [i.code for i in c.errors] == ["id_checksum"]
    assert [i.code for i in c.warnings] == ["id_normalized"]


def test_15_digit_legacy_upgraded():
    legacy = "110101" + "840305123"  # 东城区; 411328 only exists since 1994
    c = check(legacy)
    assert c.ok and codes(c) == ["id_upgraded_15"]
    assert len(c.normalized) == 18 and ric.is_valid(c.normalized)
    assert c.normalized[:17] == "110101" + "1984" + "0305123"
    assert legacy in c.reason and c.normalized in c.reason
    assert c.birth_date == date(1984, 3, 5) and c.sex == "男"


@pytest.mark.parametrize("value", [110101840305123, 110101840305123.0])
def test_15_digit_number_accepted_with_warnings(value):
    c = check(value)
    assert c.ok and codes(c) == ["id_normalized", "id_upgraded_15"]
    assert ric.is_valid(c.normalized)
    assert "110101840305123" in c.issues[0].message and "文本" in c.issues[0].message


def test_region_created_after_birth_is_not_flagged():
    # stdnum rejects this (唐河县 got 411328 in 1994); people keep IDs issued after moving
    c = check(make_id(TANGHE + "19840305123"))
    assert c.ok and c.issues == ()


def test_15_digit_with_bad_date_or_region():
    assert codes(check(TANGHE + "840230123")) == ["id_birth_date", "id_upgraded_15"]
    assert codes(check("411399" + "840305123")) == ["id_region", "id_upgraded_15"]


def test_bool_is_not_a_number():
    assert check(True).reason_code == "id_chars"


def test_today_defaults_to_real_today():
    assert check_id(VALID).ok


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, ""),
        (f"  {VALID} ", VALID),
        (f"'{VALID}", VALID),
        ("４１１３２８", "411328"),
        ("1234 5678\u00a09\u200b0", "1234567890"),
        ("12x", "12X"),
        (411328840305123, "411328840305123"),
        (411328840305123.0, "411328840305123"),
        (4.11328201403051e17, "4.11328201403051e+17"),
    ],
)
def test_normalize_id_text(value, expected):
    assert normalize_id_text(value) == expected


def test_birth_date_mismatch():
    c = check(VALID)
    assert birth_date_mismatch(c, date(2014, 3, 5)) is None
    assert birth_date_mismatch(c, None) is None
    assert birth_date_mismatch(check("bad"), date(2014, 3, 5)) is None
    issue = birth_date_mismatch(c, date(2014, 5, 3))
    assert issue.code == "id_birth_mismatch" and issue.severity == "warning"
    assert "2014-03-05" in issue.message and "2014-05-03" in issue.message and VALID in issue.message


def test_every_reason_code_is_documented():
    for code in (
        "id_blank id_excel_number id_length id_chars id_birth_date id_region id_checksum "
        "id_normalized id_upgraded_15 id_region_abolished id_birth_mismatch"
    ).split():
        assert code in ids.__doc__
