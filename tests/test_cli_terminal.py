"""Whatever the database holds, the CLI's tables reach the terminal without raw controls."""

from __future__ import annotations

import subprocess
import sys

from kongcuo_tui.db.models import Region
from kongcuo_tui.domain.terminal import BIDI
from kongcuo_tui.services import accounts

UNSAFE = set("\x1b\x07\x9b" + BIDI)


def _cli(db_url, *argv):
    done = subprocess.run([sys.executable, "-m", "kongcuo_tui.cli", "--db", db_url, "--login", "admin", *argv],
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode()


def test_report_and_user_list_escape_what_they_show(db_url, admin, registrar, make_entry):
    make_entry()
    accounts.add(admin, "evil", "\x1b]0;pwned\x07\u202e李四", "county", "411328")
    region = Region.get_by_id("411328")
    old = region.full_name
    Region.update(full_name="唐河县\x1b[31m红\u2066").where(Region.code == "411328").execute()
    try:
        out = _cli(db_url, "report", "summary")
        assert "\\x1b[31m红\\u2066" in out and not set(out) & UNSAFE
        out = _cli(db_url, "user", "list")
        assert "\\x1b]0;pwned" in out and not set(out) & UNSAFE
    finally:
        Region.update(full_name=old).where(Region.code == "411328").execute()
