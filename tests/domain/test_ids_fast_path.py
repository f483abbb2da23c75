"""The import's fast path for clean IDs must give exactly what the full check gives."""

import random
from datetime import date, timedelta

from stdnum.cn import ric

from kongcuo_tui.domain import ids
from kongcuo_tui.domain.ids import check_id

TODAY = date(2026, 11, 29)
# Current counties, an abolished one (南阳县), a made-up prefix and one that is not a county.
REGIONS = ("411328", "411302", "320321", "110101", "412921", "419999", "000000")


def _id(rng: random.Random) -> str:
    region = rng.choice(REGIONS)
    kind = rng.random()
    if kind < 0.05:
        birth = f"{rng.randint(2000, 2030)}{rng.randint(0, 13):02d}{rng.randint(0, 32):02d}"
    elif kind < 0.08:
        birth = "18991231"
    else:
        birth = f"{TODAY - timedelta(days=rng.randint(0, 20 * 365)):%Y%m%d}"
    body = f"{region}{birth}{rng.randint(0, 999):03d}"
    check = ric.calc_check_digit(body + "0")
    if rng.random() < 0.1:
        check = rng.choice("0123456789X".replace(check, ""))
    return body + check


def test_fast_path_equals_full_check_over_generated_ids():
    rng = random.Random(20261129)
    numbers = [_id(rng) for _ in range(4000)]
    numbers += [n.replace("X", "x") for n in numbers if n.endswith("X")][:50]  # lowercase x
    fast_hits = 0
    for number in numbers:
        full = ids._check_full(number, TODAY)
        assert check_id(number, TODAY) == full, number
        fast = ids.clean_id_facts(number, TODAY)
        fast_hits += fast is not None
        # Only IDs without any issue may take the fast path, and it decodes the same facts.
        if fast is not None:
            assert full.issues == () and full.normalized == number, number
            assert fast == (full.birth_date, full.sex), number
    assert 1500 < fast_hits < len(numbers) - 500  # both paths were exercised


def test_fast_path_does_not_take_full_width_or_padded_ids():
    valid = "411328201403051230"
    valid = valid[:17] + ric.calc_check_digit(valid)
    for variant in (" " + valid, valid + "\u200b", valid.translate(str.maketrans("0123456789", "０１２３４５６７８９"))):
        c = check_id(variant, TODAY)
        assert c == ids._check_full(variant, TODAY)
        assert c.normalized == valid
        assert ids.clean_id_facts(variant, TODAY) is None
    for wrong in (valid[:17] + "x", valid[:16] + "X" + valid[17], valid + "0", valid[:17], "-" + valid[1:]):
        assert ids.clean_id_facts(wrong, TODAY) is None
        assert check_id(wrong, TODAY) == ids._check_full(wrong, TODAY)
