"""`kongcuo duplicates` through cli.main: the list (table, JSON), link and different (both engines)."""

from __future__ import annotations

import json
from datetime import date

from stdnum.cn import ric

from kongcuo_tui.cli import main
from kongcuo_tui.db.connection import open_database
from kongcuo_tui.db.models import Entry
from kongcuo_tui.services import accounts


def kongcuo(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def _ledger(db_url, capsys, make_entry):
    assert kongcuo(capsys, "--db", db_url, "--login", "boss", "init")[0] == 0
    open_database(db_url)
    accounts.add(accounts.resolve("boss"), "tanghe", "张丽", "county", "411328")
    body = "41132820120304031"
    good = body + ric.calc_check_digit(body + "0")
    keep = make_entry(name="张伟\x1b[31m", birth_date=date(2012, 3, 4), id_number=good)
    other = make_entry(name="张伟\x1b[31m", birth_date=date(2012, 3, 4), id_number=good[:-1] + "0", id_ok=False)
    return keep, other


def test_the_list_shows_each_pair_with_its_reason_and_json_gives_the_same(db_url, capsys, make_entry):
    keep, other = _ledger(db_url, capsys, make_entry)
    rc, out, err = kongcuo(capsys, "--db", db_url, "--login", "tanghe", "duplicates")
    assert rc == 0, err
    assert "证件号码仅一位不同" in out and str(keep) in out and str(other) in out
    assert "\x1b" not in out and "共 1 组疑似重复" in out
    rc, out, _ = kongcuo(capsys, "--db", db_url, "--login", "tanghe", "duplicates", "--json")
    [pair] = json.loads(out)
    assert (pair["reason"], pair["reason_label"], pair["a"]["id"], pair["b"]["id"]) == (
        "one_digit", "证件号码仅一位不同", keep, other)


def test_link_without_the_b1_evidence_is_refused_then_applied_with_it(db_url, capsys, make_entry):
    keep, other = _ledger(db_url, capsys, make_entry)
    rc, out, _ = kongcuo(capsys, "--db", db_url, "--login", "tanghe", "duplicates", "link", str(keep), str(other))
    assert rc == 1 and "辖区派出所证明" in out and Entry.get_by_id(other).status == "pending"
    rc, _, err = kongcuo(capsys, "--db", db_url, "--login", "tanghe", "duplicates", "link", str(keep), str(other),
                         "--evidence", "派出所")
    assert rc == 2 and "不是证明材料的名称" in err
    rc, out, err = kongcuo(capsys, "--db", db_url, "--login", "tanghe", "duplicates", "link", str(keep), str(other),
                           "--evidence", "police_proof,村（居）委会证明", "--proof-date", "2026-11-20")
    assert rc == 0, err
    assert f"保留记录 #{keep}" in out
    row = Entry.get_by_id(other)
    assert (row.code, row.proof_person, row.proof_date) == ("B1", "张丽", date(2026, 11, 20))
    rc, out, _ = kongcuo(capsys, "--db", db_url, "--login", "tanghe", "duplicates")
    assert rc == 0 and "没有疑似重复" in out


def test_different_removes_the_pair_and_a_city_may_only_look(db_url, capsys, make_entry):
    keep, other = _ledger(db_url, capsys, make_entry)
    accounts.add(accounts.resolve("boss"), "nanyang", "南阳市", "city", "411300")
    rc, _, err = kongcuo(capsys, "--db", db_url, "--login", "nanyang", "duplicates", "different", str(keep), str(other))
    assert rc == 2 and "市级、省级账号只能查看" in err
    rc, out, _ = kongcuo(capsys, "--db", db_url, "--login", "nanyang", "duplicates")
    assert rc == 0 and "共 1 组" in out and "只能查看" in out
    rc, out, err = kongcuo(capsys, "--db", db_url, "--login", "tanghe", "duplicates", "different", str(other), str(keep))
    assert rc == 0 and "不是同一人" in out, err
    rc, out, _ = kongcuo(capsys, "--db", db_url, "--login", "tanghe", "duplicates", "--json")
    assert json.loads(out) == []
