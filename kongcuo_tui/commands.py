"""Command-palette entries for the rare actions (frequent ones have keys on the footer)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

# (title, help, screen action) — each runs an action of the ledger screen.
COMMANDS = (
    ("导入台账 Excel", "导入上级下发的台账（Ctrl+O）", "import"),
    ("导出 Excel", "导出当前标签的台账（Ctrl+E）", "export"),
    ("打印表格：登记表、劝返通知书、控辍保学的函", "已标记的行，没有标记时光标所在行（p）", "print_forms"),
    ("切换标签：待本级处理 / 已处理", "t", "switch_tab"),
    ("筛选：来源、乡镇、学校、代码", "f", "filters"),
    ("只看 99 未确认完成", "n", "toggle_99"),
    ("证件号码：有误未核实 → 已核实 → 全部", "x", "toggle_bad_id"),
    ("录入核实证件号码（光标所在行）", "v", "verify_id"),
    ("只看 B 类结果（复核用）", "已处理标签中只显示 B1–B10；再选一次取消", "toggle_b"),
    ("只看需复核的 B 类结果", "k", "toggle_flagged"),
    ("概览：各状态、代码类别、乡镇学校进度", "g", "overview"),
    ("只看逾期的劝返案件", "o", "toggle_overdue"),
    ("劝返记录", "录入光标所在行的学校劝返、联合劝返、复学、销号等（r）", "steps"),
    ("清除搜索和筛选", "Esc", "clear"),
    ("全选当前条件下的记录", "a", "mark_all"),
    ("清除全部标记", "u", "unmark_all"),
    ("疑似重复：可能是同一个孩子的两行", "d", "duplicates"),
    ("刷新台账", "Ctrl+R", "reload"),
)


NO_MATCH = "没有匹配的命令"


class LedgerCommands(Provider):
    """Runs ledger-screen actions by name from the palette (Ctrl+P)."""

    def _target(self):
        from .screens.ledger import LedgerScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, LedgerScreen):
                return screen
        return None

    async def _run(self, action: str) -> None:
        screen = self._target()
        if screen is not None:
            await screen.run_action(action)

    def _commands(self):
        """(title, help, callback): the ledger's actions, then the app's (help, quit)."""
        for title, help_text, action in COMMANDS:
            yield title, help_text, partial(self._run, action)
        for command in self.app.get_system_commands(self.screen):
            yield command.title, command.help, command.callback

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        # The only provider, so an empty answer is ours to word (Textual's is "No matches found").
        matcher = self.matcher(query)
        found = False
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                found = True
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
        if not found:
            yield Hit(0.01, NO_MATCH, lambda: None, help="换个词试试，如“导出”“筛选”")
