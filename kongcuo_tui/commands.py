"""Command-palette entries for the rare actions (frequent ones have keys on the footer)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

# (title, help, screen action) — each runs an action of the ledger screen.
COMMANDS = (
    ("导入台账 Excel", "导入上级下发的台账（Ctrl+O）", "import"),
    ("导出 Excel", "导出当前标签的台账（Ctrl+E）", "export"),
    ("切换标签：待本级处理 / 已处理", "t", "switch_tab"),
    ("筛选：来源、乡镇、学校、代码", "f", "filters"),
    ("只看 99 未确认完成", "n", "toggle_99"),
    ("只看证件号码有误的记录", "x", "toggle_bad_id"),
    ("清除搜索和筛选", "Esc", "clear"),
    ("全选当前条件下的记录", "a", "mark_all"),
    ("清除全部标记", "u", "unmark_all"),
    ("刷新台账", "Ctrl+R", "reload"),
)


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

    async def discover(self) -> Hits:
        for title, help_text, action in COMMANDS:
            yield DiscoveryHit(title, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in COMMANDS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._run, action), help=help_text)
