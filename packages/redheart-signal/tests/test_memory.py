import numpy as np
import pytest

from redheart_signal.memory import DEFAULT_SCALES, EmotionalMemory, MemoryScale


def test_default_scales_follow_design_documents():
    assert [s.weight for s in DEFAULT_SCALES] == [1.0, 0.7, 0.4, 0.1]
    assert [s.tau for s in DEFAULT_SCALES] == [5.0, 30.0, 300.0, 1800.0]


def test_step_response_is_one_minus_exponential():
    mem = EmotionalMemory()
    x = np.r_[0.0, np.ones(100)]
    tr = mem.traces(x, dt=0.5)
    t = 0.5 * np.arange(101)
    for k, tau in enumerate(mem.taus):
        np.testing.assert_allclose(tr[:, k], 1 - np.exp(-t / tau), atol=1e-12)


def test_constant_stream_is_remembered_as_itself_and_gains_scale_linearly():
    x = np.full((50, 8), 0.125)
    np.testing.assert_allclose(EmotionalMemory()(x), x)
    gains = np.array([2.0, 1.0, 0.0, 0.0])
    # M = sum_k g_k w_k m_k / sum_k w_k = (2 * 1.0 + 1 * 0.7) / 2.2 * x
    np.testing.assert_allclose(EmotionalMemory(gains=gains)(x), x * 2.7 / 2.2)


def test_irregular_times_and_missing_samples():
    mem = EmotionalMemory([MemoryScale("fast", 2.0, 1.0)])
    x = np.array([0.0, np.nan, 1.0])
    tr = mem.traces(x, times=np.array([0.0, 1.0, 3.0]))
    # The NaN sample holds the trace; the update at t=3 decays over the 3 s since t=0.
    np.testing.assert_allclose(tr[:, 0], [0.0, 0.0, 1 - np.exp(-1.5)])
    lead = mem.traces(np.array([np.nan, 2.0]))
    assert np.isnan(lead[0, 0]) and lead[1, 0] == 2.0


def test_fit_gains_recovers_known_gains():
    rng = np.random.default_rng(0)
    x = np.cumsum(rng.normal(size=(400, 2)), axis=0)
    true = EmotionalMemory(gains=np.array([0.5, 1.5, 0.8, 2.0]))
    fitted = EmotionalMemory().fit_gains(x, true(x))
    np.testing.assert_allclose(fitted.gains, true.gains, atol=1e-6)


def test_bad_memory_inputs():
    with pytest.raises(ValueError, match="1 to 32"):
        EmotionalMemory([MemoryScale(str(i), 1.0, 1.0) for i in range(33)])
    with pytest.raises(ValueError, match="tau"):
        MemoryScale("x", 0.0, 1.0)
    with pytest.raises(ValueError, match="gains"):
        EmotionalMemory(gains=np.ones(3))
    with pytest.raises(ValueError, match="increasing"):
        EmotionalMemory().traces(np.ones(3), times=np.array([0.0, 2.0, 1.0]))
    with pytest.raises(ValueError, match="infinite"):
        EmotionalMemory().traces(np.array([1.0, np.inf]))
    with pytest.raises(ValueError, match="non-empty"):
        EmotionalMemory().traces(np.ones((0,)))
    with pytest.raises(ValueError, match="dt"):
        EmotionalMemory().traces(np.ones(3), dt=0.0)
