from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch
from importlib_metadata import EntryPoint

sys.path.insert(0, str(Path(__file__).parent))  # for `import fake_plugins`

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
SEED_CORPUS = SHARED / "data" / "seed_corpus"


def fake_eps(**names: str) -> list[EntryPoint]:
    """Entry points named after keyword arguments, pointing at fake_plugins attributes."""
    return [EntryPoint(name, f"fake_plugins:{target}", "redheart.plugins")
            for name, target in names.items()]


@pytest.fixture
def fake_registry(monkeypatch):
    """Replace the installed plugins with the fakes `mood` and `judge`."""
    from redheart import plugins

    reg = plugins.discover(fake_eps(mood="MOOD", judge="JUDGE", lib="LIBRARY"), strict=False)
    monkeypatch.setattr(plugins, "_REGISTRY", reg)
    return reg


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


@pytest.fixture
def seed_corpus() -> Path:
    if not SEED_CORPUS.is_dir():
        pytest.skip(f"seed corpus not found at {SEED_CORPUS} (../shared is not beside the repo)")
    return SEED_CORPUS
