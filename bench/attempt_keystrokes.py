"""Keystrokes to record a child's third school attempt (学校劝返), with and without the pre-fill.

Drives the real app (ledger, r chooser, the step form) on a fresh demo database. Two
children each have two attempts on file (the last by 年级组长 王老师, 电话沟通, a phone).
Counted from the ledger row under the cursor until the attempt is saved:

  A  the form as it opens: date-time is now, role, person, method and phone are the last
     attempt's; the registrar types only the process and result
  B  the same attempt typed in full, as without the pre-fill (the pre-fill switched off)

Keys are counted apart from the characters typed into fields; each character counts one
key (a lower bound: with a pinyin input method a Chinese character costs several).

Usage: .venv/bin/python bench/attempt_keystrokes.py [--rows 300]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta

from keystrokes import Counter, settle

LOGIN = "bench"
RESULT = "家长同意下周一送返"
LAST = dict(role="年级组长", person="王老师", method="电话沟通", phone="13700002222")


def prepare(actor, n: int) -> list[str]:
    """Give `n` pending children two school attempts; returns their names."""
    from kongcuo_tui.domain.persuasion import SchoolAttempt
    from kongcuo_tui.services import ledger
    from kongcuo_tui.services import persuasion as svc
    from kongcuo_tui.services.types import LedgerQuery

    today = date.today()
    names = []
    for row in ledger.page(actor, LedgerQuery(status="pending"), 0, 40):
        if svc.case(actor, row.id).recorded or len(names) == n:
            continue
        v = row.version
        for back, role, person, method in ((4, "班主任", "李老师", "入户劝导"),
                                           (2, LAST["role"], LAST["person"], LAST["method"])):
            day = datetime.combine(today - timedelta(days=back), datetime.min.time()).replace(hour=9)
            v = svc.record_school_attempt(actor, row.id, v, SchoolAttempt(day, role, person, method, "", LAST["phone"]))
        names.append(row.name)
    return names


async def record_third(pilot, name: str, prefill: bool) -> Counter:
    from kongcuo_tui.screens.step_form import StepForm

    ledger_screen = pilot.app.screen
    await pilot.press("slash", *name, "enter")  # finding the row is not counted
    await settle(pilot)
    k = Counter(pilot)
    await k.keys("r", "1")  # 劝返记录, then 1 学校劝返
    await settle(pilot, lambda: isinstance(pilot.app.screen, StepForm))
    if not prefill:  # focus is in 责任人; Enter takes the one choice left, or goes on
        for text in (LAST["role"], LAST["person"], LAST["method"]):
            await k.text(text)
            await k.keys("enter")
            await settle(pilot)
    await k.text(RESULT)
    await k.keys("enter")  # on to 联系电话 if empty, else save
    if not prefill:
        await k.text(LAST["phone"])
        await k.keys("enter")
    await settle(pilot, lambda: pilot.app.screen is ledger_screen)
    await pilot.press("escape")  # clear the search (not counted)
    await settle(pilot)
    return k


async def drive(actor, names: list[str]) -> list[tuple[str, Counter]]:
    from kongcuo_tui.app import KongcuoApp
    from kongcuo_tui.config import Settings
    from kongcuo_tui.screens import step_fields

    app = KongcuoApp(actor, Settings())
    out = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: app.screen.query("LedgerTable") and app.screen.table.current_row)
        out.append(("A 按上次劝返预填", await record_third(pilot, names[0], True)))
        real = step_fields.initial

        def bare(setup, now):
            return {k: v for k, v in real(setup, now).items() if k not in ("role", "person", "method", "phone")}

        step_fields.initial = bare
        import kongcuo_tui.screens.step_form as form
        form.initial = bare
        try:
            out.append(("B 全部手工输入", await record_third(pilot, names[1], False)))
        finally:
            step_fields.initial = form.initial = real
    return out


def verify(actor, name: str) -> bool:
    from kongcuo_tui.services import ledger
    from kongcuo_tui.services import persuasion as svc
    from kongcuo_tui.services.types import LedgerQuery

    [row] = [r for r in ledger.page(actor, LedgerQuery(status="pending", search=name), 0, 5) if r.name == name][:1]
    a = svc.case(actor, row.id).records.attempts
    last = a[-1]
    return len(a) == 3 and (last.role, last.person, last.method, last.phone, last.process_result) == (
        LAST["role"], LAST["person"], LAST["method"], LAST["phone"], RESULT)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=300)
    args = p.parse_args()
    url = f"sqlite:///{tempfile.mkdtemp(prefix='kongcuo-attempt-')}/bench.db"
    env = {**os.environ, "KONGCUO_DB": url}
    kongcuo = os.path.join(os.path.dirname(sys.executable), "kongcuo")
    subprocess.run([kongcuo, "--login", LOGIN, "demo", "--rows", str(args.rows), "--no-tui"],
                   env=env, check=True, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)

    from kongcuo_tui.db.connection import open_database
    from kongcuo_tui.services import accounts

    open_database(url)
    actor = accounts.resolve(LOGIN)
    names = prepare(actor, 2)
    ok = True
    for (label, k), name in zip(asyncio.run(drive(actor, names)), names):
        saved = verify(actor, name)
        ok &= saved
        print(f"{label}: {k.counted} 次按键 + 输入文字 {k.typed} 个，合计 {k.counted + k.typed}"
              f"（{'已保存第3次劝返' if saved else '未保存！'}）")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
