"""The detail view shows the ID as the platform sent it beside the checked 18-digit value."""

from __future__ import annotations

from datetime import date

import pytest


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_detail_shows_the_received_id_and_the_checked_one(play, make_entry):
    make_entry(name="旧证号", birth_date=date(1984, 3, 5), id_number="41132819840305123X",
               id_raw="411328840305123")
    make_entry(name="新证号")

    async def script(ui):
        await ui.press("slash")
        await ui.type("旧证号")
        await ui.press("enter", "enter")
        text = ui.static("#detail-text")
        assert "证件号码：41132819840305123X" in text
        assert "证件号码（上游原值）：「411328840305123」" in text
        await ui.press("escape", "slash")
        await ui.type("新证号")
        await ui.press("enter", "enter")
        assert "上游原值" not in ui.static("#detail-text")

    play(script)
