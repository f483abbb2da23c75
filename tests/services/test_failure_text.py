"""The words a registrar reads when a unit of work fails (services.errors.explain_failure)."""

from __future__ import annotations

import pytest
from peewee import InterfaceError, OperationalError

from kongcuo_tui.services.errors import PermissionDenied, explain_failure


def test_locked_database():
    text = explain_failure(OperationalError("database is locked"))
    assert text.startswith("数据库被锁定（database is locked）") and "稍后重试" in text


def test_closed_connection():
    assert explain_failure(InterfaceError("connection already closed")).startswith("与数据库的连接已断开")


def test_refusal_is_shown_as_written():
    assert explain_failure(PermissionDenied("只能处理本县的记录")) == "只能处理本县的记录"


def test_file_errors_behind_a_library_error():
    class FileCreateError(Exception):
        pass

    try:
        try:
            open("/nonexistent-dir/台账.xlsx", "wb")
        except OSError as e:
            raise FileCreateError(e) from e
    except FileCreateError as wrapped:
        text = explain_failure(wrapped)
    assert text.startswith("文件读写失败：找不到该文件或所在的文件夹") and "/nonexistent-dir" in text


def test_anything_else_names_the_error():
    assert explain_failure(ValueError("boom")).startswith("程序出错（ValueError: boom）")


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_a_dropped_postgresql_connection(db_url, registrar):
    """The server ends the session (restart, idle timeout): the next query says so in Chinese."""
    import psycopg

    from kongcuo_tui.db.connection import db
    from kongcuo_tui.services import ledger
    from kongcuo_tui.services.types import LedgerQuery

    pid = db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
    with psycopg.connect(db_url, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", (pid,))
    try:
        with pytest.raises(Exception) as failure:
            ledger.count(registrar, LedgerQuery())
        assert explain_failure(failure.value).startswith("与数据库的连接已断开"), failure.value
    finally:
        db.close()  # the dead connection must not be reused by the next test
