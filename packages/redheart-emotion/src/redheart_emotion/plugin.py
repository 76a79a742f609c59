"""Plugin registration for redheart core (imports nothing heavier than ``redheart.plugins``)."""

from __future__ import annotations

from redheart.plugins import PluginSpec

SPEC = PluginSpec(
    name="emotion",
    api_version=1,
    package="redheart-emotion",
    requires=(),
    optional=(),
    head="redheart_emotion.head:build_head",
    analyzer="redheart_emotion.analyzer:build_analyzer",
    loss="redheart_emotion.losses:compute_loss",
    interpret="redheart_emotion.interpret:interpret",
    cli="redheart_emotion.cli:register",
    examples="redheart_emotion.examples:examples",
    schema_fields=("emotion", "intensity", "valence", "arousal", "cultural"),
    head_params=22_000_000,
    analyzer_params=50_000_000,
    description="Plutchik's 8 emotions, 3-level hierarchy, valence/arousal, Korean cultural "
                "emotions, biosignal fusion and temporal tracking",
)
