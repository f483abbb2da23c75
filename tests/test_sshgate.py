"""What a forced SSH command lets a registrar run (the pure part; the real sshd is in test_ssh.py)."""

import pytest

from kongcuo_tui.sshgate import Refused, forced_argv


@pytest.mark.parametrize("original", [None, "", "   "])
def test_an_interactive_login_gets_the_ui(original):
    assert forced_argv(original) == ["tui"]


@pytest.mark.parametrize("original, argv", [
    ("kongcuo export ledger -o -", ["export", "ledger", "-o", "-"]),
    ("/opt/kongcuo/bin/kongcuo report summary", ["report", "summary"]),
    ("kongcuo --low-bandwidth", ["--low-bandwidth"]),
    ("kongcuo", ["tui"]),
])
def test_kongcuo_commands_pass_through(original, argv):
    assert forced_argv(original) == argv


@pytest.mark.parametrize("original, words", [
    ("bash -i", "bash"),
    ("cat /etc/shadow", "cat"),
    ("kongcuo; bash", "kongcuo;"),
    ("kongcuo --db sqlite:////tmp/x.db export ledger -o -", "--db"),
    ("kongcuo --login=root export ledger -o -", "--login"),
    ("kongcuo init", "kongcuo init"),
    ("kongcuo demo --rows 10", "kongcuo demo"),
    ("kongcuo ssh-command", "kongcuo ssh-command"),
    ("kongcuo 'unterminated", "引号"),
])
def test_anything_else_is_refused_with_a_reason(original, words):
    with pytest.raises(Refused) as e:
        forced_argv(original)
    assert words in str(e.value)
