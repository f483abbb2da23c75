from datetime import date, datetime

import pytest

from kongcuo_tui.domain.dates import (
    DateParseError,
    age_at,
    compulsory_age_band,
    parse_date,
    parse_form_date,
    school_stage,
    school_year_cutoff,
)

D = date(2014, 3, 5)
TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    "value",
    [
        D,
        datetime(2014, 3, 5, 13, 45),
        41703,
        41703.0,
        41703.999,  # the fraction is the time of day
        20140305,
        "2014-03-05",
        "2014-3-5",
        "2014/03/05",
        "2014/3/5",
        "2014.3.5",
        "2014.03.05",
        "2014年3月5日",
        "2014年03月05日",
        "2014年3月5",
        "2014年3月5号",
        "20140305",
        "  2014-03-05 ",
        "２０１４－０３－０５",
        "２０１４年３月５日",
        "２０１４０３０５",
        "'2014-03-05",
        "\u200b2014/3/5\u3000",
        "2014-03-05 00:00:00",
        "2014-03-05T08:30",
    ],
)
def test_parse_date_accepts(value):
    assert parse_date(value) == D


@pytest.mark.parametrize("value", [None, "", "   ", "\u3000", "\u200b"])
def test_parse_date_blank_is_none(value):
    assert parse_date(value) is None


@pytest.mark.parametrize(
    "serial, expected",
    [(1, date(1900, 1, 1)), (59, date(1900, 2, 28)), (61, date(1900, 3, 1)), (45658, date(2025, 1, 1))],
)
def test_excel_serials_1900_system(serial, expected):
    assert parse_date(serial) == expected


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("2014-02-30", "2 月没有 30 日"),
        ("2015年2月29日", "2 月没有 29 日"),
        ("20140230", "2 月没有 30 日"),
        ("2014-13-01", "月份 13"),
        ("2014/0/1", "月份 0"),
        ("0214-03-05", "年份"),
        ("2014-3/5", "2014-3/5"),  # mixed separators
        ("14-3-5", "14-3-5"),  # two-digit years are ambiguous
        ("3.5", "3.5"),  # short forms only in forms
        ("abc", "abc"),
        ("2014-03-05x", "2014-03-05x"),
        (60, "1900-02-29"),
        (0, "0"),
        (-5, "-5"),
        (float("nan"), "nan"),
        (20140230, "20140230"),
        (True, "True"),
        ([2014, 3, 5], "2014"),
    ],
)
def test_parse_date_rejects_with_message_naming_value(value, fragment):
    with pytest.raises(DateParseError) as err:
        parse_date(value)
    assert fragment in str(err.value)


def test_leap_day_parses():
    assert parse_date("2016-02-29") == date(2016, 2, 29)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("9.1", date(2026, 9, 1)),
        ("9/1", date(2026, 9, 1)),
        ("9-1", date(2026, 9, 1)),
        ("9月1日", date(2026, 9, 1)),
        ("9月1", date(2026, 9, 1)),
        ("09.01", date(2026, 9, 1)),
        ("９．１", date(2026, 9, 1)),
        (" 11.29 ", TODAY),
        ("2025-12-31", date(2025, 12, 31)),
        ("2026/9/1", date(2026, 9, 1)),
        ("2026年9月1日", date(2026, 9, 1)),
        ("20260901", date(2026, 9, 1)),
    ],
)
def test_parse_form_date(text, expected):
    assert parse_form_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["", "  ", None])
def test_form_date_blank(text):
    with pytest.raises(DateParseError, match="不能为空"):
        parse_form_date(text, TODAY)


@pytest.mark.parametrize(
    "text, shown",
    [("11.30", "2026-11-30"), ("12月30日", "2026-12-30"), ("2027-01-01", "2027-01-01")],
)
def test_form_date_in_future(text, shown):
    with pytest.raises(DateParseError) as err:
        parse_form_date(text, TODAY)
    message = str(err.value)
    assert "证明日期不能晚于今天" in message and shown in message and "2026-11-29" in message


def test_form_short_future_date_suggests_full_year():
    with pytest.raises(DateParseError, match="完整年份"):
        parse_form_date("12.30", TODAY)


@pytest.mark.parametrize(
    "text, fragment", [("2.30", "2 月没有 30 日"), ("13.1", "月份 13"), ("下周一", "下周一"), ("9.1.", "9.1.")]
)
def test_form_date_unreadable(text, fragment):
    with pytest.raises(DateParseError) as err:
        parse_form_date(text, TODAY)
    assert fragment in str(err.value)


def test_form_date_feb_29_only_in_leap_years():
    assert parse_form_date("2.29", date(2028, 3, 1)) == date(2028, 2, 29)
    with pytest.raises(DateParseError):
        parse_form_date("2.29", date(2027, 3, 1))


def test_date_parse_error_is_value_error():
    assert issubclass(DateParseError, ValueError)


@pytest.mark.parametrize(
    "birth, on, age",
    [
        (date(2014, 3, 5), date(2026, 8, 31), 12),
        (date(2014, 8, 31), date(2020, 8, 31), 6),  # birthday on the cutoff counts
        (date(2014, 9, 1), date(2020, 8, 31), 5),
        (date(2014, 3, 5), date(2014, 3, 5), 0),
        (date(2012, 2, 29), date(2018, 2, 28), 5),  # common year: birthday is 1 March
        (date(2012, 2, 29), date(2018, 3, 1), 6),
        (date(2012, 2, 29), date(2016, 2, 29), 4),
        (date(2012, 2, 29), date(2016, 2, 28), 3),
    ],
)
def test_age_at(birth, on, age):
    assert age_at(birth, on) == age


def test_age_before_birth_raises():
    with pytest.raises(ValueError, match="2014-03-05"):
        age_at(date(2014, 3, 5), date(2014, 3, 4))


@pytest.mark.parametrize(
    "today, expected",
    [
        (date(2026, 11, 29), date(2026, 8, 31)),
        (date(2027, 3, 1), date(2026, 8, 31)),
        (date(2026, 8, 31), date(2026, 8, 31)),
        (date(2026, 8, 30), date(2025, 8, 31)),
        (date(2027, 1, 1), date(2026, 8, 31)),
    ],
)
def test_school_year_cutoff(today, expected):
    assert school_year_cutoff(today) == expected


def test_school_year_cutoff_other_settings():
    assert school_year_cutoff(date(2026, 11, 29), 9, 1) == date(2026, 9, 1)
    assert school_year_cutoff(date(2026, 8, 31), 9, 1) == date(2025, 9, 1)
    assert school_year_cutoff(date(2027, 3, 1), 2, 29) == date(2027, 2, 28)
    assert school_year_cutoff(date(2028, 3, 1), 2, 29) == date(2028, 2, 29)


@pytest.mark.parametrize(
    "age, band", [(0, "under"), (5, "under"), (6, "compulsory"), (15, "compulsory"), (16, "over"), (40, "over")]
)
def test_compulsory_age_band(age, band):
    assert compulsory_age_band(age) == band


CUTOFF = date(2026, 8, 31)  # school year 2026–27


@pytest.mark.parametrize(
    "grade, age, stage",
    [
        ("2026级1班", None, "小学"),  # grade 1
        ("2021级3班", None, "小学"),  # grade 6
        ("2020级3班", None, "初中"),  # grade 7
        ("2019级3班", None, "初中"),  # grade 8
        ("2018级2班", 9, "初中"),  # grade wins over age
        ("２０１９级３班", None, "初中"),
        ("2019 级 3 班", None, "初中"),
        ("2017级1班", 14, "初中"),  # grade 10: out of range, falls back to age
        ("2017级1班", None, None),
        ("2027级1班", 5, None),  # not yet entered, under age
        ("三年级2班", None, "小学"),
        ("七年级2班", None, "初中"),
        ("初二3班", None, "初中"),
        ("6年级", None, "小学"),
        (None, 6, "小学"),
        ("", 11, "小学"),
        ("未知", 12, "初中"),
        (None, 15, "初中"),
        (None, 16, None),
        (None, 5, None),
        (None, None, None),
    ],
)
def test_school_stage(grade, age, stage):
    assert school_stage(grade, age, CUTOFF) == stage


def test_school_stage_moves_with_the_cutoff():
    assert school_stage("2020级1班", None, date(2025, 8, 31)) == "小学"
    assert school_stage("2020级1班", None, date(2026, 8, 31)) == "初中"


def test_stage_of_a_row_from_the_grade_else_the_age_at_the_cutoff():
    from kongcuo_tui.domain.dates import stage_of

    cutoff = date(2026, 8, 31)
    assert stage_of("2021级1班", date(2011, 2, 2), cutoff) == "小学"  # the grade wins over the age (15)
    assert stage_of("", date(2014, 8, 31), cutoff) == "初中"  # 12 on the cutoff day itself
    assert stage_of("", date(2014, 9, 1), cutoff) == "小学"  # one day younger: 11
    assert stage_of(None, date(2015, 9, 1), cutoff) == "小学"
    assert stage_of("", date(2008, 1, 1), cutoff) == "" and stage_of("", None, cutoff) == ""
    assert stage_of("", date(2026, 9, 1), cutoff) == ""  # born after the cutoff: no age yet
