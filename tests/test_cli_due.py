"""`kongcuo due`: open persuasion cases with stage, due date and responsible person (both engines)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from kongcuo_tui.cli import main
from kongcuo_tui.db.connection import open_database
from kongcuo_tui.domain.persuasion import SchoolAttempt
from kongcuo_tui.services import accounts
from kongcuo_tui.services import persuasion as svc


def kongcuo(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def cases(db_url, capsys, make_entry):
    assert kongcuo(capsys, "--db", db_url, "--login", "boss", "init")[0] == 0
    open_database(db_url)
    boss = accounts.resolve("boss")
    today = date.today()
    for name, days_ago, person in (("逾期生", 30, "王老师"), ("新案\x1b[31m", 0, "李老师")):
        eid = make_entry(name=name)
        d = today - timedelta(days=days_ago)
        svc.record_school_attempt(boss, eid, 1, SchoolAttempt(datetime(d.year, d.month, d.day), "班主任", person, "电话沟通"))
    make_entry(name="已分类", code="B2")


def test_due_lists_open_cases_overdue_first_with_escaped_names(db_url, capsys, make_entry):
    cases(db_url, capsys, make_entry)
    rc, out, err = kongcuo(capsys, "--db", db_url, "--login", "boss", "due")
    assert rc == 0, err
    lines = out.splitlines()
    assert "阶段" in lines[0] and "责任人" in lines[0]
    body = lines[2:-1]
    assert len(body) == 2 and "逾期生" in body[0] and "逾期" in body[0] and "王老师" in body[0]
    assert "\x1b" not in out and "\\x1b[31m" in body[1] and "第2次学校劝返" in body[1]
    assert lines[-1] == "共 2 件，其中逾期 1 件"


def test_due_overdue_within_and_json(db_url, capsys, make_entry):
    cases(db_url, capsys, make_entry)
    rc, out, _ = kongcuo(capsys, "--db", db_url, "--login", "boss", "due", "--overdue", "--json")
    rows = json.loads(out)
    assert rc == 0 and [(r["name"], r["stage"], r["overdue"], r["responsible"]) for r in rows] == [
        ("逾期生", "学校劝返", True, "王老师")]
    rc, out, _ = kongcuo(capsys, "--db", db_url, "--login", "boss", "due", "--within", "0", "--json")
    assert [r["name"] for r in json.loads(out)] == ["逾期生"]
    rc, out, _ = kongcuo(capsys, "--db", db_url, "--login", "boss", "due", "--within", "30", "--json")
    assert len(json.loads(out)) == 2
    rc, _, err = kongcuo(capsys, "--db", db_url, "--login", "boss", "due", "--within", "-1")
    assert rc == 2 and "不能为负数" in err
