"""A page of the ledger, at county, city or province scope, is an index range read in order.

Every ordered query the ledger screen and the exports send is captured as it runs and
explained by the engine (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN with sequential
scans and sorts priced out, so a plan that still sorts has no index giving the order). A
plan that sorts the scope ("USE TEMP B-TREE FOR ORDER BY" / a Sort node) fails the test.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

import pytest

from kongcuo_tui.db.connection import db, is_sqlite
from kongcuo_tui.exports.ledger import iter_rows
from kongcuo_tui.exports.summary import _pages as summary_pages
from kongcuo_tui.services import accounts, ledger
from kongcuo_tui.services.scope import narrowed_scope
from kongcuo_tui.domain.codes import CodeClass
from kongcuo_tui.services.types import LedgerQuery

SCOPES = {"province": "410000", "city": "411300", "county": "411328"}
COUNTIES = ("411328", "411330", "411381", "410102")


@pytest.fixture
def filled(admin, make_entry):
    for n in range(60):
        make_entry(region=COUNTIES[n % len(COUNTIES)], seq=n // len(COUNTIES) + 1, name="王李张"[n % 3] + f"{n}")
    return {level: accounts.add(admin, f"plan_{level}", f"{level} 账号", level, region)
            for level, region in SCOPES.items()}


@contextmanager
def entry_queries():
    """The ordered SELECTs on entry run inside the block, with their parameters."""
    seen: list[tuple[str, tuple]] = []

    class Catch(logging.Handler):
        def emit(self, record):
            sql, params = record.msg
            if sql.startswith("SELECT") and 'FROM "entry"' in sql and "ORDER BY" in sql:
                seen.append((sql, tuple(params)))

    log = logging.getLogger("peewee")
    handler, level = Catch(), log.level
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    try:
        yield seen
    finally:
        log.removeHandler(handler)
        log.setLevel(level)


def plan(sql: str, params: tuple) -> str:
    if is_sqlite():
        return " | ".join(r[-1] for r in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall())
    with db.atomic():
        db.execute_sql("SET LOCAL enable_seqscan = off")
        db.execute_sql("SET LOCAL enable_sort = off")
        return " | ".join(r[0] for r in db.execute_sql("EXPLAIN " + sql, params).fetchall())


def sorts(text: str) -> bool:
    return "TEMP B-TREE" in text or "Sort" in text


def _screen_queries(actor, q: LedgerQuery) -> None:
    first = ledger.page(actor, q, 0, 5)
    if first:
        ledger.page_after(actor, q, first[-1], 5)
    ledger.page(actor, q, 0, 5, total=12)  # a window read backwards from the end
    ledger.page(actor, q, 8, 2, total=12)


QUERIES = {
    "pending tab": LedgerQuery(status="pending"),
    "processed tab": LedgerQuery(status="processed"),
    "only 99": LedgerQuery(status="processed", code_class=CodeClass.UNCONFIRMED),
    "name search": LedgerQuery(status="pending", search="王"),
    "ID search": LedgerQuery(status="pending", search="4113"),
    "all rows": LedgerQuery(status=None),
}


@pytest.mark.parametrize("level", SCOPES)
@pytest.mark.parametrize("what", QUERIES)
def test_ledger_pages_are_read_in_index_order(filled, level, what):
    actor = filled[level]
    q = QUERIES[what]
    with entry_queries() as seen:
        _screen_queries(actor, q)
    assert seen
    for sql, params in seen:
        text = plan(sql, params)
        assert not sorts(text), f"{level} {what}: {sql} → {text}"


@pytest.mark.parametrize("level", SCOPES)
@pytest.mark.parametrize("status", ["all", "pending"])
def test_export_pages_are_read_in_index_order(filled, level, status):
    actor = filled[level]
    cond = narrowed_scope(actor, None)
    if status != "all":
        from kongcuo_tui.db.models import Entry

        cond &= Entry.status == status
    with entry_queries() as seen:
        assert len(list(iter_rows(cond, page=4))) > 4
        assert sum(len(p) for p in summary_pages(narrowed_scope(actor, None))) > 0
    assert len(seen) > 4
    for sql, params in seen:
        text = plan(sql, params)
        assert not sorts(text), f"{level} export: {sql} → {text}"


def test_the_order_is_county_then_seq_at_province_scope(filled):
    rows = ledger.page(filled["province"], LedgerQuery(status=None), 0, 100)
    assert [(r.region, r.seq) for r in rows] == sorted((r.region, r.seq) for r in rows)
    assert {r.region for r in rows} == set(COUNTIES)
    found = ledger.page(filled["province"], LedgerQuery(status=None, search="王"), 0, 100)
    assert [r.name for r in found] == sorted(r.name for r in found) and all(r.name.startswith("王") for r in found)
