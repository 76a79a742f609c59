import pytest
import torch

from redheart.checkpoint import CheckpointError
from redheart.pipelines import Pipeline, as_inputs, detect_lang, pipeline
from redheart.plugin_api import TextInput
from redheart.plugins import PluginError

TEXTS = [
    "I covered for my colleague's mistake and now my boss blames me.",
    "친구의 실수를 덮어줬는데 상사가 나를 탓한다.",
    "Short one.",
    "We adopted a dog from the shelter today and the kids have not stopped laughing since noon.",
]


def _pipe(*names, **kw):
    torch.manual_seed(0)
    kw.setdefault("allow_untrained", True)
    return pipeline(*names, encoder="tiny-16", preset="tiny", **kw)


def test_reports_in_input_order_with_typed_results(fake_registry):
    pipe = _pipe("judge", "mood")
    assert [s.name for s in pipe.specs] == ["mood", "judge"]  # dependency order
    reports = pipe(TEXTS, batch_size=3)
    assert [r.text for r in reports] == TEXTS
    assert [r.lang for r in reports] == ["en", "ko", "en", "en"]
    assert set(reports[0].results) == {"mood", "judge"}
    assert -1 <= reports[0].results["mood"].valence <= 1
    assert "UNTRAINED" in reports[0].notes[0]
    d = reports[1].to_dict()
    assert d["results"]["judge"]["acceptability"] == reports[1].results["judge"].acceptability
    assert '"lang": "ko"' in reports[1].to_json()


def test_batching_and_order_do_not_change_results(fake_registry):
    pipe = _pipe("mood", "judge")
    one_by_one = [pipe(t).results["mood"].valence for t in TEXTS]
    batched = [r.results["mood"].valence for r in pipe(TEXTS, batch_size=8)]
    reversed_ = [r.results["mood"].valence for r in pipe(TEXTS[::-1], batch_size=2)][::-1]
    assert one_by_one == pytest.approx(batched, abs=1e-5)
    assert batched == pytest.approx(reversed_, abs=1e-5)
    assert pipe(TEXTS[0]).results["mood"].valence == pipe(TEXTS[0]).results["mood"].valence


def test_decision_options_are_encoded(fake_registry):
    pipe = _pipe("judge")
    item = TextInput("Should I report the leak?", options=["report it", "stay quiet", "ask HR"])
    rep = pipe([item, "No decision here."])
    scores = rep[0].results["judge"].option_scores
    assert len(scores) == 3 and len(set(scores)) == 3
    assert rep[1].results["judge"].option_scores is None


def test_checkpoint_round_trip_through_pipeline(fake_registry, tmp_path):
    pipe = _pipe("mood", "judge")
    path = pipe.save(tmp_path / "m.safetensors")
    loaded = pipeline("mood", "judge", checkpoint=path, encoder="tiny-16")
    assert loaded.checkpoint_label == str(path) and not loaded.untrained
    a = [r.to_dict()["results"] for r in pipe(TEXTS)]
    b = [r.to_dict()["results"] for r in loaded(TEXTS)]
    assert a == b
    # a checkpoint of more plugins serves a subset, strictly
    only_mood = pipeline("mood", checkpoint=path, encoder="tiny-16")
    assert only_mood(TEXTS[0]).results["mood"].valence == pytest.approx(
        pipe(TEXTS[0]).results["mood"].valence, abs=1e-6)
    # the encoder is part of the model: another one is refused
    with pytest.raises(CheckpointError, match="trained with encoder 'tiny-16'"):
        from redheart.encoders.tiny import TinyEncoder

        pipeline("mood", checkpoint=path, encoder=TinyEncoder(dim=8))
    with pytest.raises(CheckpointError, match="preset"):
        pipeline("mood", checkpoint=path, encoder="tiny-16", preset="small")


def test_checkpoint_missing_a_plugin_is_refused(fake_registry, tmp_path):
    path = _pipe("mood").save(tmp_path / "mood.safetensors")
    with pytest.raises(CheckpointError, match=r"no weights for plugins \['judge'\]"):
        pipeline("mood", "judge", checkpoint=path, encoder="tiny-16")


def test_no_trained_checkpoint_is_a_clear_error(fake_registry):
    with pytest.raises(CheckpointError, match="no trained checkpoint available"):
        Pipeline(["mood"], encoder="tiny-16")


def test_bad_input_errors(fake_registry):
    pipe = _pipe("mood")
    with pytest.raises(ValueError, match="empty or whitespace"):
        pipe("   ")
    with pytest.raises(ValueError, match="no texts"):
        pipe([])
    with pytest.raises(TypeError, match="pass a str or a TextInput"):
        pipe([3])
    with pytest.raises(ValueError, match="2–4 options"):
        pipe(TextInput("x", options=["only"]))
    with pytest.raises(ValueError, match="batch_size"):
        pipe("fine", batch_size=0)
    with pytest.raises(PluginError, match="pip install redheart-emotion"):
        _pipe("emotion")
    with pytest.raises(PluginError, match="no text model"):
        _pipe("lib")


def test_detect_lang_and_inputs():
    assert detect_lang("안녕") == "ko" and detect_lang("hello") == "en"
    assert detect_lang("ㅋㅋㅋ") == "ko"
    assert as_inputs("hi")[0].lang == "en"
    with pytest.raises(ValueError, match="lang must be"):
        as_inputs(TextInput("x", lang="fr"))


def test_sequences_are_never_split_across_batches():
    from redheart.pipelines import plan_batches

    items = [TextInput(f"t{i}", extras={"sequence_id": "a" if i in (1, 4, 6) else None})
             for i in range(8)]
    lengths = [5, 1, 9, 3, 2, 8, 1, 7]
    batches = plan_batches(items, lengths, batch_size=2)
    assert sorted(i for b in batches for i in b) == list(range(8))
    assert any({1, 4, 6} <= set(b) for b in batches)  # the whole sequence in one batch
    assert batches[0] == [2, 5]  # longest singletons first
    assert plan_batches(items[:1], lengths[:1], 4) == [[0]]
