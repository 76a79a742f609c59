import numpy as np
import pytest

from redheart.data import load_records
from redheart.encoders import get_encoder
from redheart.labels import collate_labels
from redheart.training.baselines import LinearProbe, MeanBaseline, _Ridge
from redheart.training.encoded import EncodedCorpus
from redheart.training.metrics import MetricCollector


def _metrics(predict, corpus):
    import torch

    c = MetricCollector()
    idx = list(range(len(corpus)))
    c.update(predict(corpus, idx), collate_labels(corpus.records), torch.zeros(len(idx), dtype=torch.long))
    return c.compute()


def test_ridge_leave_one_out_recovers_a_linear_map():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 5))
    y = x @ np.array([[1.0], [-2.0], [0.5], [0.0], [3.0]]) + 0.01 * rng.normal(size=(200, 1))
    r = _Ridge(x, y)
    assert r.alpha == 0.1  # nearly noiseless: the weakest penalty wins
    np.testing.assert_allclose(r(x), y, atol=0.05)


def test_baselines_on_seed_corpus(seed_corpus):
    records = load_records(seed_corpus)[::8]  # 200 records
    corpus = EncodedCorpus.build(records, get_encoder("tiny-16"))
    mean = _metrics(MeanBaseline(corpus).predict, corpus)
    valence = np.array([r.valence for r in records])
    assert mean["valence_mae"] == pytest.approx(np.abs(valence - valence.mean()).mean(), abs=1e-5)
    assert "valence_r" not in mean  # a constant prediction has no correlation
    probe = _metrics(LinearProbe(corpus).predict, corpus)  # in-sample: must fit better
    assert probe["valence_mae"] < mean["valence_mae"]
    assert probe["emotion_kl"] < mean["emotion_kl"]
    assert 0 <= probe["option_pair_acc"] <= 1
