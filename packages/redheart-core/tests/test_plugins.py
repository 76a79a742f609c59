import subprocess
import sys

import pytest
from conftest import fake_eps

from redheart import plugins
from redheart.plugins import PluginError, discover, format_table


def test_good_and_broken_plugins_are_isolated():
    eps = fake_eps(mood="MOOD", judge="JUDGE", old="OLD", bogus="NOT_A_SPEC",
                   broken="DOES_NOT_EXIST")
    eps.append(fake_eps(mood="JUDGE")[0])  # a second distribution registering "mood"
    eps += [plugins.EntryPoint("crash", "no_such_module_xyz:SPEC", "redheart.plugins")]
    reg = discover(eps, strict=False)
    status = {(r.name, r.status) for r in reg.records}
    assert ("mood", "ok") in status and ("judge", "ok") in status
    assert ("old", "incompatible") in status
    assert ("bogus", "invalid") in status
    assert ("broken", "import-error") in status and ("crash", "import-error") in status
    assert ("mood", "duplicate") in status
    assert sorted(reg.plugins) == ["judge", "mood"]
    table = format_table(reg)
    assert "incompatible" in table and "written for plugin API 2" in table


def test_name_mismatch_is_invalid():
    reg = discover(fake_eps(other="MOOD"), strict=False)
    assert reg.records[0].status == "invalid" and "differs" in reg.records[0].error


def test_strict_mode_raises(monkeypatch):
    monkeypatch.setenv(plugins.STRICT_ENV, "1")
    with pytest.raises(PluginError, match="incompatible"):
        discover(fake_eps(mood="MOOD", old="OLD"))


def test_disable_env(monkeypatch):
    monkeypatch.setenv(plugins.DISABLE_ENV, "judge, lib")
    reg = discover(fake_eps(mood="MOOD", judge="JUDGE", lib="LIBRARY"))
    assert sorted(reg.plugins) == ["mood"]
    assert {r.name: r.status for r in reg.records}["judge"] == "disabled"


def test_resolve_orders_by_dependencies_and_explains_errors():
    reg = discover(fake_eps(mood="MOOD", judge="JUDGE", needy="NEEDS_MOOD"), strict=False)
    assert [s.name for s in reg.resolve(["judge", "mood"])] == ["mood", "judge"]
    assert [s.name for s in reg.resolve(["judge"])] == ["judge"]  # optional, not pulled in
    with pytest.raises(PluginError, match=r"requires \['mood'\].*pip install redheart-mood"):
        reg.resolve(["needy"])
    with pytest.raises(PluginError, match="pip install redheart-emotion"):
        reg.resolve(["emotion"])


def test_broken_plugin_get_says_why():
    reg = discover(fake_eps(old="OLD"), strict=False)
    with pytest.raises(PluginError, match="installed but not usable"):
        reg.get("old")


def test_listing_installed_plugins_imports_no_torch():
    code = ("import sys, redheart.plugins as p; reg = p.registry(); p.format_table(reg); "
            "assert 'torch' not in sys.modules, sorted(m for m in sys.modules if 'torch' in m)")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_spec_load_errors():
    with pytest.raises(PluginError, match="declares no 'head'"):
        plugins.PluginSpec("x", 1, "redheart-x").load("head")
    with pytest.raises(PluginError, match="bad import string"):
        plugins.load_object("nocolon")
