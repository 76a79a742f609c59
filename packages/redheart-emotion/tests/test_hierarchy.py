"""Deterministic formulas against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

from redheart import schema
from redheart_emotion import hierarchy as H

# joy .5, fear .2, surprise .1, anger .2
P = np.array([0.5, 0.0, 0.2, 0.1, 0.0, 0.0, 0.2, 0.0])


def test_polarity_by_hand():
    # positive = joy + trust + anticipation = .5; negative = fear + sadness + disgust + anger
    # = .4; neutral = surprise = .1
    np.testing.assert_allclose(H.project_polarity(P), [0.5, 0.4, 0.1])


def test_graded_and_marginals_by_hand():
    grade = np.array([0.2, 0.5, 0.3])
    g = H.project_graded(P, grade)
    assert g.shape == (24,)
    np.testing.assert_allclose(g[0:3], [0.1, 0.25, 0.15])  # serenity, joy, ecstasy
    np.testing.assert_allclose(g[6:9], [0.04, 0.1, 0.06])  # apprehension, fear, terror
    np.testing.assert_allclose(H.basic_from_graded(g), P)
    np.testing.assert_allclose(H.grade_marginal(g), grade)
    assert H.intensity_grade(H.grade_marginal(g)) == 2


def test_valence_arousal_by_hand():
    va = H.valence_arousal(P)
    # valence = .5*1 + .2*(-1) + .1*.37 + .2*(-.77) = .5 - .2 + .037 - .154 = .183
    # arousal = .5*.61 + .2*.97 + .1*.69 + .2*.87 = .305 + .194 + .069 + .174 = .742
    np.testing.assert_allclose(va, [0.183, 0.742], atol=1e-12)


def test_dominant_topk_and_ties():
    assert H.dominant(P) == ("joy", 0.5)
    assert H.top_k(P, 3) == [("joy", 0.5), ("fear", 0.2), ("anger", 0.2)]  # tie: schema order
    named = dict(zip(schema.EMOTIONS, P))
    assert H.top_k(named, 1) == [("joy", 0.5)]
    assert H.dominant(np.full(8, 1 / 8))[0] == "joy"


def test_intensity_grade_batched():
    out = H.intensity_grade(np.array([[0.6, 0.3, 0.1], [0.1, 0.2, 0.7]]))
    np.testing.assert_array_equal(out, [1, 3])


@pytest.mark.parametrize("bad, match", [
    (np.ones(7) / 7, "8 values"),
    (np.array([np.nan] + [0.0] * 7), "NaN"),
])
def test_bad_distributions(bad, match):
    with pytest.raises(ValueError, match=match):
        H.dominant(bad)


def test_bad_topk_and_mapping():
    with pytest.raises(ValueError, match="k must be"):
        H.top_k(P, 0)
    with pytest.raises(ValueError, match="lacks"):
        H.top_k({"joy": 1.0}, 1)
    with pytest.raises(ValueError, match="24 values"):
        H.grade_marginal(np.ones(8))
