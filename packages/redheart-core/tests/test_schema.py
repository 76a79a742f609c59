import numpy as np
import pytest

from redheart import schema


def test_names_and_order():
    assert schema.EMOTIONS == ("joy", "trust", "fear", "surprise", "sadness", "disgust", "anger",
                               "anticipation")
    assert len(schema.GRADED_EMOTIONS) == 24 and len(set(schema.GRADED_EMOTIONS)) == 24
    assert schema.GRADED_EMOTIONS[:3] == ("serenity", "joy", "ecstasy")
    assert schema.GRADED_EMOTIONS[-3:] == ("interest", "anticipation", "vigilance")
    assert len(schema.BENTHAM_FACTORS) == 10 and schema.BENTHAM_FACTORS[-1] == "self_damage"
    assert schema.REGRET_TYPES[0] == "action" and len(schema.REGRET_TYPES) == 6
    assert schema.SCHEMA_VERSION == 1


def test_polarity_projection_hand_computed():
    d = np.array([0.5, 0.1, 0.1, 0.1, 0.05, 0.05, 0.0, 0.1])
    # positive = joy + trust + anticipation; negative = fear + sadness + disgust + anger
    np.testing.assert_allclose(schema.project_polarity(d), [0.7, 0.2, 0.1])
    batch = np.stack([d, np.eye(8)[3]])
    np.testing.assert_allclose(schema.project_polarity(batch)[1], [0, 0, 1])


def test_graded_projection_marginalises():
    rng = np.random.default_rng(0)
    d = rng.dirichlet(np.ones(8), size=5)
    g = rng.dirichlet(np.ones(3), size=(5, 8))
    graded = schema.project_graded(d, g)
    assert graded.shape == (5, 24)
    np.testing.assert_allclose(graded.sum(-1), 1.0)
    np.testing.assert_allclose(graded.reshape(5, 8, 3).sum(-1), d)
    # one shared grade: intensity 3 puts all mass on the intense forms
    onehot = schema.project_graded(d[0], schema.one_hot_grade(3))
    np.testing.assert_allclose(onehot[2::3], d[0])
    assert onehot[schema.GRADED_EMOTIONS.index("ecstasy")] == pytest.approx(d[0][0])


def test_valence_arousal_hand_computed():
    d = np.zeros(8)
    d[0], d[2] = 0.5, 0.5  # joy and fear
    va = schema.valence_arousal(d)
    np.testing.assert_allclose(va, [0.5 * 1.0 + 0.5 * -1.0, 0.5 * 0.61 + 0.5 * 0.97])
    assert all(-1 <= v <= 1 for v in schema.EMOTION_VALENCE)
    assert all(0 <= a <= 1 for a in schema.EMOTION_AROUSAL)


@pytest.mark.parametrize("bad, msg", [
    (np.ones(7) / 7, "8 values"),
    (np.full(8, 0.2), "sum to 1"),
    (np.array([1.5, -0.5, 0, 0, 0, 0, 0, 0]), "negative"),
    (np.array([np.nan] + [0.0] * 7), "NaN"),
])
def test_projection_rejects_bad_distributions(bad, msg):
    with pytest.raises(ValueError, match=msg):
        schema.project_polarity(bad)


def test_legacy_mapping():
    out = schema.legacy_to_v1({"Joy": 0.6, "Anger": 0.4})
    assert out["joy"] == 0.6 and out["anger"] == 0.4 and out["anticipation"] == 0.0
    assert list(out) == list(schema.EMOTIONS)
    with pytest.raises(ValueError, match="unknown legacy"):
        schema.legacy_to_v1({"Happy": 1.0})


def test_one_hot_grade_rejects_bad_intensity():
    with pytest.raises(ValueError, match="intensity"):
        schema.one_hot_grade(0)
