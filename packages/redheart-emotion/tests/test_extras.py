"""Validation and collation of the biosignal and sequence extras."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from redheart_emotion.extras import collate_biosignal, group_sequences, signed_log


def test_signed_log_by_hand():
    np.testing.assert_allclose(signed_log(np.array([0.0, math.e - 1, -(math.e - 1)])),
                               [0.0, 1.0, -1.0])


def test_collate_vector_sequence_missing_and_nan():
    seq = np.arange(6, dtype=float).reshape(3, 2)
    seq[1, 0] = np.nan
    bio = collate_biosignal([None, [1.0, 2.0], seq, [[np.nan, np.nan]]], 4, 2)
    assert bio.values.shape == (4, 3, 2)
    assert bio.lengths.tolist() == [0, 1, 3, 0]  # an all-NaN row counts as absent
    assert bio.present.tolist() == [False, True, True, False]
    assert bio.step_mask[2].tolist() == [True, True, True]
    assert not bio.observed[2, 1, 0] and bio.values[2, 1, 0] == 0.0
    assert bio.values[1, 0, 1].item() == pytest.approx(math.log(3.0))
    assert torch.all(bio.values[0] == 0)


def test_collate_none_list():
    bio = collate_biosignal(None, 3, 5)
    assert bio.values.shape == (3, 1, 5) and not bio.present.any()


@pytest.mark.parametrize("items, match", [
    ([np.zeros(3)], "expects 4"),
    ([np.zeros((2, 2, 4))], "feature vector"),
    ([np.zeros((0, 4))], "no time steps"),
    ([np.array([1.0, np.inf, 0.0, 0.0])], "infinite"),
    ([None, None], "2 items for a batch of 1"),
])
def test_collate_bad(items, match):
    with pytest.raises(ValueError, match=match):
        collate_biosignal(items, 1, 4)


def test_group_sequences_orders_by_time_and_gaps():
    ids = ["a", None, "a", "b", "a", "c"]
    ts = [50.0, None, 10.0, 1.0, 70.0, None]
    g = group_sequences(ids, ts, 6)
    assert g.groups == [[2, 0, 4]]  # "b" and "c" are singletons: no group
    assert g.gaps.tolist() == [40.0, 0.0, 0.0, 0.0, 20.0, 0.0]
    assert sorted(g.in_sequence) == [0, 2, 4]


def test_group_without_timestamps_uses_batch_order():
    g = group_sequences([1, 1, 1], None, 3)
    assert g.groups == [[0, 1, 2]] and g.gaps.tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("ids, ts, match", [
    (["a", "a"], [1.0, None], "some rows but not others"),
    (["a", "a"], [1.0, float("nan")], "finite"),
    (["a"], [None, None], "2 items for a batch of 1"),
])
def test_group_bad(ids, ts, match):
    with pytest.raises(ValueError, match=match):
        group_sequences(ids, ts, 1 if len(ids) == 1 else 2)


def test_unhashable_sequence_id():
    with pytest.raises(TypeError, match="not hashable"):
        group_sequences([["x"], None], None, 2)
