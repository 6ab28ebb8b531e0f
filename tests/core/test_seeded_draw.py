"""Seeded draws with plain values (app.core.seeded_draw): the HMAC line, seeds and witnesses."""
from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given, settings, strategies as st

from app.core.seeded_draw import (MAX_SEED_LENGTH, MAX_WITNESSES, RANK_V1, SeedRefused, choose_seed, new_seed,
                                  normalise_seed, rank_key, seeded_order)

pytestmark = pytest.mark.no_database

ids = st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=40, unique=True)


def test_the_line_is_hmac_sha256_keyed_by_the_seed_over_label_and_id():
    seed = "2025年6月1日 公开抽取"
    assert rank_key(seed, 42) == hmac.new(seed.encode("utf-8"), b"hmac-sha256-rank/v1:42", hashlib.sha256).digest()
    assert rank_key(seed, "A-07", "station-draw/v1") == hmac.new(seed.encode("utf-8"), b"station-draw/v1:A-07",
                                                                 hashlib.sha256).digest()
    assert RANK_V1 == "hmac-sha256-rank/v1"


@settings(max_examples=200, deadline=None)
@given(seed=st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40),
       items=ids, data=st.data())
def test_the_same_seed_gives_the_same_order_whatever_order_the_items_come_in(seed, items, data):
    shuffled = data.draw(st.permutations(items))
    assert seeded_order(shuffled, seed, int) == seeded_order(items, seed, int)
    assert sorted(seeded_order(items, seed, int)) == sorted(items)


@settings(max_examples=200, deadline=None)
@given(one=st.text(min_size=1, max_size=40, alphabet=st.characters(exclude_categories=("Cs",))),
       other=st.text(min_size=1, max_size=40, alphabet=st.characters(exclude_categories=("Cs",))))
def test_different_seeds_give_different_orders(one, other):
    if one == other:
        other = one + "x"
    items = list(range(1, 31))   # two seeds agree on the order of 30 items once in 30! ≈ 2.7e32
    assert seeded_order(items, one, int) != seeded_order(items, other, int)


@settings(max_examples=100, deadline=None)
@given(seed=st.text(min_size=1, max_size=20, alphabet=st.characters(exclude_categories=("Cs",))), items=ids)
def test_another_label_gives_another_line(seed, items):
    keys = {rank_key(seed, item) for item in items}
    assert keys.isdisjoint({rank_key(seed, item, "station-draw/v1") for item in items})


def test_a_new_seed_is_64_hex_characters_never_twice_the_same():
    seeds_made = {new_seed() for _ in range(20)}
    assert len(seeds_made) == 20 and all(len(s) == 64 and int(s, 16) >= 0 for s in seeds_made)


@pytest.mark.parametrize("typed, seed", [
    ("  20250601  ", "20250601"),
    ("\u3000２０２５年６月１日\u3000", "2025年6月1日"),        # full-width digits and ideographic spaces
    ("ｓｅｅｄ ０１\n", "seed 01"),
    ("x" * MAX_SEED_LENGTH, "x" * MAX_SEED_LENGTH),
])
def test_a_typed_seed_is_normalised(typed, seed):
    assert normalise_seed(typed) == seed


@pytest.mark.parametrize("typed", ["", "   ", "\u3000\n", "x" * (MAX_SEED_LENGTH + 1), "\ud800", None])
def test_an_empty_overlong_or_broken_seed_is_refused(typed):
    with pytest.raises(ValueError):
        normalise_seed(typed)


def test_a_secure_seed_is_new_each_time_and_may_name_witnesses():
    first, second = choose_seed(witnessed=False), choose_seed(witnessed=False, witnesses="  张三 \n 李四 ")
    assert not first.is_witnessed and first.witnesses is None and len(first.value) == 64
    assert second.value != first.value and second.witnesses == "张三 李四"


def test_a_witnessed_seed_is_the_typed_seed_normalised_with_the_witnesses_named():
    seed = choose_seed(witnessed=True, typed="２０２６-开幕", witnesses="张监督、李公证")
    assert (seed.value, seed.is_witnessed, seed.witnesses) == ("2026-开幕", True, "张监督、李公证")


@pytest.mark.parametrize("witnessed, typed, witnesses, field, reason", [
    (True, "   ", "张三", "seed", "invalid"),
    (True, "x" * (MAX_SEED_LENGTH + 1), "张三", "seed", "invalid"),
    (True, "2026", "  ", "witnesses", "missing"),
    (True, "2026", None, "witnesses", "missing"),
    (False, None, "名" * (MAX_WITNESSES + 1), "witnesses", "too_long"),
    (True, "", "名" * (MAX_WITNESSES + 1), "witnesses", "too_long"),   # the witnesses are checked first
])
def test_a_bad_seed_or_missing_witnesses_are_refused_naming_the_field(witnessed, typed, witnesses, field, reason):
    with pytest.raises(SeedRefused) as refused:
        choose_seed(witnessed=witnessed, typed=typed, witnesses=witnesses)
    assert (refused.value.field, refused.value.reason) == (field, reason)
