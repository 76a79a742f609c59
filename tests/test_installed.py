"""Cross-package checks with every package installed (nox -s integration)."""

import subprocess
import sys

from redheart.params import param_table
from redheart.plugins import discover

PLUGINS = {"emotion", "bentham", "regret", "surd", "signal"}


def test_every_plugin_registers_and_listing_imports_no_torch():
    reg = discover(strict=True)
    assert PLUGINS <= set(reg.plugins)
    code = ("import sys, redheart.plugins as p; p.registry(); "
            "assert 'torch' not in sys.modules, 'listing plugins imported torch'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_full_preset_meets_the_parameter_budget():
    rows = param_table("full")
    checked = [r for r in rows if not r.part and r.target]
    names = {r.name for r in checked}
    assert {"backbone", "emotion head", "emotion analyzer", "bentham head", "bentham analyzer",
            "regret head", "regret analyzer"} <= names
    out = [(r.name, r.params, r.target) for r in checked if not r.ok]
    assert not out, f"components outside ±5 % of SPEC §5: {out}"


def test_cli_lists_plugins():
    out = subprocess.run([sys.executable, "-m", "redheart.cli", "plugins"], check=True,
                         capture_output=True, text=True).stdout
    for name in PLUGINS:
        assert name in out
