import json

from redheart.cli import main


def test_plugins_command(fake_registry, capsys):
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert "mood" in out and "judge" in out and "status" in out


def test_params_command(fake_registry, capsys):
    assert main(["params", "--preset", "tiny"]) == 0
    out = capsys.readouterr().out
    assert "backbone" in out and "mood head" in out and "lib (algorithms" in out


def test_analyze_without_checkpoint_says_so(fake_registry, capsys):
    assert main(["analyze", "hello there"]) == 2
    err = capsys.readouterr().err
    assert "no trained checkpoint available" in err and "--checkpoint" in err


def test_analyze_with_checkpoint_json_and_file(fake_registry, tmp_path, capsys):
    from redheart.pipelines import pipeline

    ckpt = pipeline("mood", "judge", encoder="tiny-16", preset="tiny",
                    allow_untrained=True).save(tmp_path / "m.safetensors")
    texts = tmp_path / "in.jsonl"
    texts.write_text(json.dumps({"text": "Should I go?", "options": ["go", "stay"]}) + "\n"
                     + json.dumps({"text": "오늘은 좋은 날"}) + "\n", encoding="utf-8")
    code = main(["analyze", "--file", str(texts), "--checkpoint", str(ckpt), "--json"])
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 0 and len(out) == 2
    first = json.loads(out[0])
    assert first["results"]["judge"]["option_scores"] is not None
    assert json.loads(out[1])["lang"] == "ko"
    assert main(["analyze", "plain text", "--checkpoint", str(ckpt)]) == 0
    assert "mood:" in capsys.readouterr().out


def test_analyze_errors(fake_registry, tmp_path, capsys):
    assert main(["analyze"]) == 2
    assert "no texts" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"txt": 1}\n')
    assert main(["analyze", "--file", str(bad)]) == 2
    assert "needs a string field 'text'" in capsys.readouterr().err
    assert main(["analyze", "x", "--plugins", "nope", "--checkpoint", "a"]) == 2
    assert "unknown plugin 'nope'" in capsys.readouterr().err
