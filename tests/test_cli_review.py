"""`kongcuo review …` through the real entry point: a city lists and flags, the county re-submits."""

from __future__ import annotations

import json

from kongcuo_tui.cli import main
from kongcuo_tui.db.models import Entry, Review


def kongcuo(capsys, db_url, login, *argv):
    rc = main(["--db", db_url, "--login", login, *argv])
    out, err = capsys.readouterr()
    return rc, out, err


def setup(db_url, capsys):
    for argv in (["init"], ["demo", "--rows", "300", "--seed", "7", "--no-tui"],
                 ["user", "add", "nanyang", "--role", "city", "--region", "411300", "--name", "李督导"],
                 ["user", "add", "tanghe", "--role", "county", "--region", "411328", "--name", "张丽"]):
        rc, _, err = kongcuo(capsys, db_url, "boss", *argv)
        assert rc == 0, err


def test_a_city_lists_flags_and_the_county_resubmits(db_url, capsys):
    setup(db_url, capsys)
    rc, out, _ = kongcuo(capsys, db_url, "nanyang", "review", "list", "--json")
    assert rc == 0
    rows = json.loads(out)
    want = Entry.select().where(Entry.region.startswith("4113") & Entry.code.startswith("B")).count()
    assert len(rows) == want > 0 and {r["county"][:4] for r in rows} == {"4113"}
    first = next(r for r in rows if r["county"] == "411328" and r["evidence"])
    assert first["code"].startswith("B") and first["review"] == ""

    rc, out, err = kongcuo(capsys, db_url, "nanyang", "review", "flag", str(first["id"]), "--note", "证明未盖章")
    assert rc == 0, err
    assert "已将 1 条 B 类结果标记为需复核" in out
    rc, out, _ = kongcuo(capsys, db_url, "tanghe", "review", "list", "--flagged")
    assert rc == 0 and first["name"] in out and "需复核：证明未盖章" in out and "其中需复核 1 条" in out

    rc, _, err = kongcuo(capsys, db_url, "tanghe", "review", "flag", str(first["id"]), "--note", "x")
    assert rc == 2 and "只有市级、省级账号" in err

    rc, out, err = kongcuo(capsys, db_url, "tanghe", "review", "resubmit", str(first["id"]), "--note", "已补盖章")
    assert rc == 0, err
    assert Entry.get_by_id(first["id"]).review_state == "resubmitted"
    assert [r.kind for r in Review.select().where(Review.entry == first["id"]).order_by(Review.id)] == [
        "flag", "resubmit"]
    rc, out, _ = kongcuo(capsys, db_url, "nanyang", "review", "counts", "--json")
    tanghe = next(c for c in json.loads(out) if c["region"] == "411328")
    assert (tanghe["flagged"], tanghe["resubmitted"]) == (0, 1)


def test_rows_outside_the_city_are_refused_in_one_line(db_url, capsys):
    setup(db_url, capsys)
    outside = Entry.select().where(~Entry.region.startswith("4113") & Entry.code.startswith("B")).first()
    rc, _, err = kongcuo(capsys, db_url, "nanyang", "review", "flag", str(outside.id), "--note", "查")
    assert rc == 2 and len(err.strip().splitlines()) == 1
    assert "不在您的管辖范围内" in err and str(outside.id) in err
    assert Entry.get_by_id(outside.id).review_state == ""
