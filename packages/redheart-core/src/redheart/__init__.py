"""redheart: affective and ethical analysis of situations and decisions (Korean and English).

Importing ``redheart`` is light (no torch); heavy parts load on first use::

    import redheart
    pipe = redheart.pipeline("emotion", "bentham")
    report = pipe("I covered for my colleague's mistake and now my boss blames me")
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "pipeline": ("redheart.pipelines", "pipeline"),
    "Pipeline": ("redheart.pipelines", "Pipeline"),
    "Backbone": ("redheart.backbone", "Backbone"),
    "Preset": ("redheart.config", "Preset"),
    "PRESETS": ("redheart.config", "PRESETS"),
    "load_records": ("redheart.data", "load_records"),
    "PluginSpec": ("redheart.plugins", "PluginSpec"),
    "registry": ("redheart.plugins", "registry"),
    "get_encoder": ("redheart.encoders", "get_encoder"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attribute = _LAZY[name]
        return getattr(importlib.import_module(module), attribute)
    raise AttributeError(f"module 'redheart' has no attribute {name!r}")


__all__ = ["__version__", *_LAZY]
