"""What an SSH login may run: `ForceCommand /opt/kongcuo/bin/kongcuo ssh-command`.

sshd runs the forced command whatever the client asked for and puts the client's command line
in SSH_ORIGINAL_COMMAND. An interactive login (no command) gets the ledger UI; a command line
must be `kongcuo …` with one of the commands below, and never names another database or
another login: the account comes from the Unix user sshd authenticated.
"""

from __future__ import annotations

import shlex

ALLOWED = ("tui", "import", "export", "report", "user", "due", "duplicates", "reconcile")
FORBIDDEN_OPTIONS = ("--db", "--login")


class Refused(ValueError):
    """The command line is not one an SSH login may run; the message is for the user."""


def forced_argv(original: str | None) -> list[str]:
    """The `kongcuo` arguments to run for SSH_ORIGINAL_COMMAND, or Refused."""
    if not original or not original.strip():
        return ["tui"]
    try:
        words = shlex.split(original)
    except ValueError:
        raise Refused("无法解析的命令行，请检查引号") from None
    if not words or words[0].rsplit("/", 1)[-1] != "kongcuo":
        raise Refused(f"此账号通过 SSH 只能运行 kongcuo 命令，不能运行“{words[0] if words else ''}”")
    args = words[1:]
    for a in args:
        if a.split("=", 1)[0] in FORBIDDEN_OPTIONS:
            raise Refused(f"通过 SSH 登录时不能使用 {a.split('=', 1)[0]}：数据库和登录名由服务器设定")
    command = next((a for a in args if not a.startswith("-")), "tui")
    if command not in ALLOWED:
        raise Refused(f"通过 SSH 登录时不能运行“kongcuo {command}”；可用的命令：{'、'.join(ALLOWED)}")
    return args or ["tui"]
