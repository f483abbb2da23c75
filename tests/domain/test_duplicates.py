"""The 疑似重复 matching rules: which two rows are probably one child."""

from __future__ import annotations

from datetime import date

from stdnum.cn import ric

from kongcuo_tui.domain.duplicates import (
    Candidate, Reason, id_relation, normalize_name, pair_reason, pairs_in_block, typo_keys,
)


def valid(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


GOOD = valid("41132820130501012")


def test_one_digit_and_adjacent_transposition_are_told_apart():
    assert id_relation(GOOD, GOOD[:10] + "9" + GOOD[11:]) is Reason.ONE_DIGIT
    swapped = GOOD[:14] + GOOD[15] + GOOD[14] + GOOD[16:]
    assert swapped != GOOD
    assert id_relation(GOOD, swapped) is Reason.TRANSPOSED
    # Two digits apart, or a swap of non-adjacent digits: not one typo.
    assert id_relation(GOOD, GOOD[:3] + "9" + GOOD[4:10] + "8" + GOOD[11:]) is None
    assert id_relation(GOOD, GOOD[:14] + GOOD[16] + GOOD[15] + GOOD[14] + GOOD[17:]) is None
    assert id_relation(GOOD, GOOD) is None
    assert id_relation(GOOD, GOOD[:15]) is None


def test_ids_one_typo_apart_share_a_key_and_others_do_not():
    one = GOOD[:5] + "7" + GOOD[6:]
    swapped = GOOD[:14] + GOOD[15] + GOOD[14] + GOOD[16:]
    other = valid("41132820130601044")
    keys = set(typo_keys(GOOD))
    assert keys & set(typo_keys(one))
    assert keys & set(typo_keys(swapped))
    assert not keys & set(typo_keys(other))


def test_names_are_matched_without_spaces_width_or_dot_variants():
    assert normalize_name(" 王　丽 ") == normalize_name("王丽")
    assert normalize_name("阿依古丽•买买提") == normalize_name("阿依古丽·买买提")
    assert normalize_name("王丽") != normalize_name("王莉")


def _c(i, id_number, birth=date(2013, 5, 1), ok=True, region="411328", name="王丽"):
    return Candidate(i, region, name, birth, id_number, ok)


def test_same_name_and_birth_with_a_wrong_id_is_a_pair_but_two_valid_ids_are_not():
    other_valid = valid("41132820130501044")
    assert pair_reason(_c(1, GOOD), _c(2, "411328201305019999", ok=False)) is Reason.SAME_NAME_BIRTH
    assert pair_reason(_c(1, GOOD), _c(2, other_valid)) is None


def test_two_children_who_share_a_name_are_not_paired():
    a = _c(1, GOOD, birth=date(2013, 5, 1))
    b = _c(2, valid("41132820111103021"), birth=date(2011, 11, 3))
    assert pair_reason(a, b) is None
    assert list(pairs_in_block([a, b])) == []


def test_same_id_in_two_counties():
    assert pair_reason(_c(1, GOOD), _c(2, GOOD, region="411330")) is Reason.SAME_ID_ACROSS_COUNTIES


def test_a_large_block_finds_the_same_pairs_as_comparing_all():
    rows = [_c(i, valid(f"411328201{i % 10}0{1 + i % 9}0{i % 3 + 1}{i:03d}"),
               birth=date(2010 + i % 10, 1 + i % 9, 1)) for i in range(1, 60)]
    typo = rows[7].id_number
    rows.append(_c(100, typo[:16] + ("1" if typo[16] != "1" else "2") + typo[17], birth=rows[7].birth_date, ok=False))
    swapped = rows[20].id_number
    rows.append(_c(101, swapped[:14] + swapped[15] + swapped[14] + swapped[16:], birth=None, ok=False))
    brute = {(a.id, b.id, r) for i, a in enumerate(rows) for b in rows[i + 1:]
             if (r := pair_reason(a, b)) is not None}
    keyed = {(a.id, b.id, r) for a, b, r in pairs_in_block(rows)}
    assert {(min(a, b), max(a, b), r) for a, b, r in brute} == keyed
    assert (8, 100, Reason.ONE_DIGIT) in keyed and (21, 101, Reason.TRANSPOSED) in keyed
