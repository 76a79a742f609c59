import subprocess
import sys

import pytest

import redheart_signal


def test_import_is_light():
    code = (
        "import sys, redheart_signal as rs; rs.band_powers; rs.EmotionKalman; rs.fit_adsr; "
        "rs.biosignal_features; rs.estimate_noise; "
        "print(any(m == 'torch' or m.startswith('torch.') for m in sys.modules), "
        "'redheart' in sys.modules, 'matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False"]


def test_every_export_resolves():
    for name in redheart_signal.__all__:
        assert getattr(redheart_signal, name) is not None
    with pytest.raises(AttributeError):
        redheart_signal.not_a_thing  # noqa: B018


def test_plugin_spec():
    pytest.importorskip("redheart.plugins")
    from redheart.plugins import API_VERSION, PluginSpec
    from redheart_signal.plugin import SPEC

    assert isinstance(SPEC, PluginSpec)
    assert SPEC.name == "signal" and SPEC.api_version == API_VERSION
    assert SPEC.head is None and SPEC.analyzer is None and not SPEC.has_model
    assert SPEC.cli == "redheart_signal.cli:register"


def test_all_lists_every_export():
    assert set(redheart_signal.__all__) == {"__version__", *redheart_signal._EXPORTS}
