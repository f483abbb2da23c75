"""Bytes and seconds the real app writes to a 120×40 terminal, normal and low-bandwidth.

Runs `kongcuo --db sqlite:///… tui` under a pseudo-terminal (TERM=xterm-256color) and
measures: start to first row, cursor down, page down, tab switch, open the overview (g) and
back, the 月报表 (m) and back, open form, save a 50-row batch, 10 s idle; then the first-row time at 100 / 10,000 / 100,000 rows. Databases are made
by `kongcuo demo --rows N --no-tui` and kept in --dir for the next run.

Targets (low-bandwidth): ≤25 KB start, ≤500 B per cursor move, ≤9 KB per page change,
≤8 KB to open the overview or the 月报表, nothing while idle; first row ≤1 s at 100,000 rows.

Usage: .venv/bin/python bench/tui_bytes.py [--dir /tmp/kongcuo-bench] [--quick]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ptydriver import PtyApp  # noqa: E402

LOGIN = "bench"
FIRST_ROW = "第 1/".encode()  # the status bar once the first page is on screen
OVERVIEW_SHOWN = "月报表".encode()  # the overview's first line
REPORT_SHOWN = "台账总数".encode()  # the report's first figure: its counts are in
FIRST_ROW_AGAIN = "行".encode()  # the ledger's position ("第 n/N 行") painted again
KONGCUO = str(Path(sys.executable).parent / "kongcuo")
NOTES = "村委会正在核实去向，已电话联系监护人，待户籍地教育局回复就读情况"  # ≥ 20 字: valid for cross-province rows too
FORM_DRAWN = "Esc 取消".encode()  # the form's key line: the form is on screen
SAVED = "已处理 50 条记录".encode()


def database(folder: Path, rows: int) -> str:
    path = folder / f"rows-{rows}.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        env = {**os.environ, "KONGCUO_DB": url}
        subprocess.run([KONGCUO, "--login", LOGIN, "demo", "--rows", str(rows), "--no-tui"],
                       env=env, check=True, stderr=subprocess.DEVNULL)
    return url


def start(url: str, low: bool) -> PtyApp:
    env = {k: v for k, v in os.environ.items() if k not in ("SSH_CONNECTION", "COLORTERM", "NO_COLOR")}
    env.update(TERM="xterm-256color", LANG="C.UTF-8", KONGCUO_LOW_BANDWIDTH="1" if low else "0")
    argv = [KONGCUO, "--db", url, "--login", LOGIN] + (["--low-bandwidth"] if low else []) + ["tui"]
    return PtyApp(argv, env, cols=120, rows=40)


def drive(app: PtyApp, wire=None) -> list[tuple[str, int, float, int | None]]:
    """The standard key sequence; (step, bytes to the terminal, seconds, wire bytes) per step.

    `wire()`, when given, returns the bytes carried so far on the link (bench/sshwire.py).
    """
    count = wire or (lambda: None)

    def measured(label: str, keys: str, until: bytes | None = None) -> tuple[str, int, float, int | None]:
        """`until`: text that shows the step is done (a screen drawn by a worker can take longer
        than a quiet spell; its bytes must not count for the next step)."""
        app.wait_quiet()
        before = count()
        n, took = app.step(keys, quiet=0.4, until=until)
        return label, n, took, None if before is None else count() - before

    first = app.wait_for(FIRST_ROW)
    app.wait_quiet()
    out = [("启动到首行", app.offset, first, count())]
    out.append(measured("光标下移", "\x1b[B"))
    out.append(measured("向下翻页", "\x1b[6~"))
    out.append(measured("切换标签", "t"))
    app.step("t")
    out.append(measured("打开概览（g）", "g", OVERVIEW_SHOWN))
    out.append(measured("概览返回台账（Esc）", "\x1b", FIRST_ROW_AGAIN))
    out.append(measured("打开月报表（m）", "m", REPORT_SHOWN))
    out.append(measured("月报表返回台账（Esc）", "\x1b", FIRST_ROW_AGAIN))
    out.append(measured("打开表单（w）", "w", FORM_DRAWN))
    app.step("\x1b")  # Esc closes the form
    app.step("\x1b[H")
    before, start = count(), app.offset
    parts = [measured(label, text, until) for label, text, until in (
        ("  其中 标记50条", "50 ", None), ("  其中 打开批量表单", "w", FORM_DRAWN),
        ("  其中 输入处理说明", NOTES, None), ("  其中 保存并回到台账", "\r", SAVED))]
    out.append(("保存50条（含输入）", app.offset - start, parts[-1][2], None if before is None else count() - before))
    out += parts
    before = count()
    out.append(("空闲10秒", app.idle(10), 0.0, None if before is None else count() - before))
    return out


def session(url: str, low: bool) -> list[tuple[str, int, float]]:
    app = start(url, low)
    try:
        return [(label, n, took) for label, n, took, _ in drive(app)]
    finally:
        app.close()


def first_row(url: str, low: bool) -> tuple[int, float]:
    app = start(url, low)
    try:
        seconds = app.wait_for(FIRST_ROW)
        app.wait_quiet()
        return app.offset, seconds
    finally:
        app.close()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dir", default="/tmp/kongcuo-bench", help="where the demo databases are kept")
    p.add_argument("--quick", action="store_true", help="skip the 100,000-row database")
    args = p.parse_args()
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)

    print("| 操作 | 普通模式 字节 | 秒 | 低带宽模式 字节 | 秒 |")
    print("|---|---:|---:|---:|---:|")
    url = database(folder, 2000)
    normal, low = session(database(folder, 2000), False), session(url, True)
    for (label, nb, ns), (_, lb, ls) in zip(normal, low):
        print(f"| {label} | {nb:,} | {ns:.2f} | {lb:,} | {ls:.2f} |")
    path = url.split("///", 1)[1]
    for leftover in (path, path + "-wal", path + "-shm"):  # the batch changed it; next run starts fresh
        if os.path.exists(leftover):  # (a -wal left beside a new file would be replayed into it)
            os.remove(leftover)

    print()
    print("| 台账行数 | 首行出现（普通）秒 | 字节 | 首行出现（低带宽）秒 | 字节 |")
    print("|---:|---:|---:|---:|---:|")
    for rows in (100, 10_000) + (() if args.quick else (100_000,)):
        url = database(folder, rows)
        nb, ns = first_row(url, False)
        lb, ls = first_row(url, True)
        print(f"| {rows:,} | {ns:.2f} | {nb:,} | {ls:.2f} | {lb:,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
