import json

import pytest
import torch

from redheart import schema
from redheart.data import RecordError, load_records, parse_record
from redheart.labels import collate_labels

GOOD = {
    "id": "x-1", "lang": "en", "text": "I finally told my sister the truth.",
    "emotion": {"joy": 0.3, "trust": 0.3, "fear": 0.1, "surprise": 0.1, "sadness": 0.1,
                "disgust": 0.0, "anger": 0.0, "anticipation": 0.1},
    "intensity": 2, "valence": 0.4, "arousal": 0.5,
    "cultural": {"jeong": 0.5, "han": 0.0, "chemyeon": 0.2},
    "bentham": dict.fromkeys(schema.BENTHAM_FACTORS, 0.5), "hedonic": 0.3,
    "ethics": {"utilitarian": 0.5, "deontological": 0.8, "virtue": 0.6, "care": 0.4},
    "legal_risk": dict.fromkeys(schema.LEGAL_DOMAINS, 0.0),
    "regret": {"anticipated": 0.2, "type": "inaction"},
    "decision": {"options": ["tell", "stay quiet"], "chosen": 0, "utilities": [0.5, -0.2],
                 "p_good": [0.6, 0.3]},
}


def test_loads_every_seed_file(seed_corpus):
    files = sorted(seed_corpus.glob("*.jsonl"))
    assert len(files) == 8
    records = load_records(seed_corpus)
    assert len(records) == 1600
    assert {r.lang for r in records} == {"ko", "en"}
    assert sum(r.decision is not None for r in records) == 630
    for r in records:
        assert abs(sum(r.emotion.values()) - 1) < 1e-9


def _write(tmp_path, lines, name="data.jsonl"):
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


@pytest.mark.parametrize("mutate, field, reason", [
    (lambda r: r["emotion"].pop("anger"), "emotion", "missing"),
    (lambda r: r["emotion"].update(joy=0.9), "emotion", "sum to 1"),
    (lambda r: r.update(emotion=[0.125] * 8), "emotion", "got a list"),
    (lambda r: r.update(lang="fr"), "lang", "must be one of"),
    (lambda r: r.update(valence=1.5), "valence", r"\[-1.0, 1.0\]"),
    (lambda r: r.update(arousal=float("nan")), "arousal", "finite"),
    (lambda r: r.update(text="   "), "text", "non-empty"),
    (lambda r: r.update(intensity=4), "intensity", "one of"),
    (lambda r: r["regret"].update(type="remorse"), "regret.type", "one of"),
    (lambda r: r["ethics"].update(justice=0.1), "ethics", "unknown keys"),
    (lambda r: r["decision"].update(options=["only one"]), "decision.options", "2–4 options"),
    (lambda r: r["decision"].update(chosen=5), "decision.chosen", "index"),
    (lambda r: r["decision"].update(p_good=[0.5]), "decision.p_good", "one value per option"),
    (lambda r: r["bentham"].update(extent="many"), "bentham.extent", "number"),
])
def test_rejects_corrupted_record_naming_file_line_field(tmp_path, mutate, field, reason):
    bad = json.loads(json.dumps(GOOD))
    bad["id"] = "x-2"
    mutate(bad)
    path = _write(tmp_path, [json.dumps(GOOD), json.dumps(bad)])
    with pytest.raises(RecordError, match=reason) as info:
        load_records(path)
    err = info.value
    assert err.source == str(path) and err.line == 2 and err.field == field
    assert f"{path}:2" in str(err) and repr(field) in str(err)


def test_rejects_invalid_json_and_unknown_fields_and_duplicates(tmp_path):
    with pytest.raises(RecordError, match="invalid JSON") as info:
        load_records(_write(tmp_path, [json.dumps(GOOD), "{not json"]))
    assert info.value.line == 2
    typo = dict(GOOD, emotions=GOOD["emotion"])
    with pytest.raises(RecordError, match="unknown fields"):
        load_records(_write(tmp_path, [json.dumps(typo)], "typo.jsonl"))
    with pytest.raises(RecordError, match="duplicate id"):
        load_records(_write(tmp_path, [json.dumps(GOOD), json.dumps(GOOD)], "dup.jsonl"))
    with pytest.raises(RecordError, match="no such file"):
        load_records(tmp_path / "absent.jsonl")


def test_rejects_corrupted_copy_of_a_seed_file(seed_corpus, tmp_path):
    lines = (seed_corpus / "ko-a.jsonl").read_text(encoding="utf-8").splitlines()
    rec = json.loads(lines[41])
    rec["emotion"]["fear"] = rec["emotion"]["fear"] + 0.5
    lines[41] = json.dumps(rec, ensure_ascii=False)
    with pytest.raises(RecordError) as info:
        load_records(_write(tmp_path, lines, "ko-a.jsonl"))
    assert info.value.line == 42 and info.value.field == "emotion"


def test_missing_labels_are_masked_not_defaulted():
    partial = {"id": "p", "lang": "ko", "text": "그냥 그랬다.", "valence": -0.2,
               "cultural": {"han": 0.7}, "regret": {"type": "timing"}}
    full = parse_record(GOOD)
    rec = parse_record(partial)
    assert rec.emotion is None and rec.intensity is None and rec.decision is None
    assert rec.label_fields() == ["valence", "cultural", "regret.type"]
    batch = collate_labels([full, rec])
    assert batch.masks["emotion"].tolist() == [True, False]
    assert batch.masks["cultural"].tolist() == [[True, True, True], [False, True, False]]
    assert batch.values["cultural"][1, 1].item() == pytest.approx(0.7)
    assert batch.masks["regret_anticipated"].tolist() == [True, False]
    assert batch.values["regret_type"][1].item() == schema.REGRET_TYPES.index("timing")
    assert batch.values["option_mask"].tolist() == [[True, True, False, False], [False] * 4]
    assert batch.masks["utilities"][0].tolist() == [True, True, False, False]
    assert batch.values["intensity"][0].item() == 1  # grade 2 → class 1
    assert torch.equal(batch.values["emotion"][1], torch.zeros(8))


def test_legacy_emotion_labels_map_to_v1():
    rec = parse_record({"id": "l", "lang": "en", "text": "t",
                        "emotion": {"Joy": 0.5, "Sadness": 0.5}})
    assert rec.emotion["anticipation"] == 0.0 and rec.emotion["joy"] == 0.5
