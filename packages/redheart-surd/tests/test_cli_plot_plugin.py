"""CLI (both entry points), plotting and the plugin entry point."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from redheart_surd.cli import main, register


def _write_csv(path: Path, n: int = 600) -> Path:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, n))
    x[1, 1:] += 2.0 * x[0, :-1]
    lines = ["driver,driven"] + [f"{a:.6f},{b:.6f}" for a, b in x.T]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_cli_json_by_name_and_index(tmp_path, capsys):
    csv = _write_csv(tmp_path / "s.csv")
    assert main([str(csv), "--target", "driven", "--lag", "1", "--bins", "4", "--json"]) == 0
    by_name = json.loads(capsys.readouterr().out)
    assert main([str(csv), "--target", "1", "--bins", "4", "--json"]) == 0
    by_index = json.loads(capsys.readouterr().out)
    assert by_name == by_index
    assert by_name["names"] == ["driver", "driven"]
    assert by_name["terms"]["U1"] > by_name["terms"]["U2"]


def test_cli_errors(tmp_path, capsys):
    csv = _write_csv(tmp_path / "s.csv")
    assert main([str(csv), "--target", "nope"]) == 2
    assert "no column named 'nope'" in capsys.readouterr().err
    assert main([str(csv), "--target", "5"]) == 2
    assert "out of range" in capsys.readouterr().err
    short = _write_csv(tmp_path / "short.csv", n=2)
    assert main([str(short), "--target", "0"]) == 2
    assert "data rows" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,x\n")
    assert main([str(bad), "--target", "a"]) == 2
    assert "not a number" in capsys.readouterr().err
    assert main([str(tmp_path / "missing.csv"), "--target", "a"]) == 2


def test_register_adds_subcommand(tmp_path, capsys):
    parser = argparse.ArgumentParser(prog="redheart")
    register(parser.add_subparsers())
    csv = _write_csv(tmp_path / "s.csv")
    args = parser.parse_args(["surd", str(csv), "--target", "driven", "--bins", "3"])
    assert args.func(args) == 0
    assert "U1" in capsys.readouterr().out


def test_python_dash_m(tmp_path):
    csv = _write_csv(tmp_path / "s.csv", n=200)
    out = subprocess.run([sys.executable, "-m", "redheart_surd", str(csv), "--target", "driven",
                          "--bins", "3", "--json"], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["n_sources"] == 2


def test_plot_writes_a_file(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    csv = _write_csv(tmp_path / "s.csv")
    png = tmp_path / "out.png"
    assert main([str(csv), "--target", "driven", "--bins", "4", "--plot", str(png)]) == 0
    assert png.stat().st_size > 1000


def test_plot_bars_follow_terms(bits_pmf):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from redheart_surd import surd
    from redheart_surd.plotting import COLORS, plot_surd

    r = surd(bits_pmf(lambda a, b: a & b))
    _, (ax, leak_ax) = plot_surd(r)
    heights = [p.get_height() for p in ax.patches]
    assert heights == pytest.approx([0.311278 / 0.811278, 0.5 / 0.811278], abs=1e-6)
    assert ax.patches[0].get_facecolor()[:3] == pytest.approx(
        matplotlib.colors.to_rgb(COLORS["R"]))
    assert leak_ax.patches[0].get_height() == pytest.approx(0.0)


def test_import_is_light_and_plugin_spec():
    code = ("import sys, redheart_surd, redheart_surd.info; "
            "print('torch' in sys.modules, 'redheart' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
    plugins = pytest.importorskip("redheart.plugins")
    from redheart_surd.plugin import SPEC

    assert isinstance(SPEC, plugins.PluginSpec)
    assert SPEC.name == "surd" and SPEC.api_version == plugins.API_VERSION
    assert plugins.load_object(SPEC.cli) is register


def test_plot_without_matplotlib_says_how_to_install(monkeypatch, bits_pmf):
    from redheart_surd import surd
    from redheart_surd.plotting import plot_surd

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"redheart-surd\[plot\]"):
        plot_surd(surd(bits_pmf(lambda a, b: a ^ b)))
