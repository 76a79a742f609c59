"""Entry point of the regret plugin: its :class:`PluginSpec` (imports nothing heavy)."""

from redheart.plugins import PluginSpec

SPEC = PluginSpec(
    name="regret",
    api_version=1,
    package="redheart-regret",
    requires=(),
    optional=("bentham", "emotion"),
    head="redheart_regret.head:build_head",
    analyzer="redheart_regret.analyzer:build_analyzer",
    loss="redheart_regret.losses:compute_loss",
    interpret="redheart_regret.interpret:interpret",
    schema_fields=("regret", "decision"),
    cli="redheart_regret.cli:register",
    description="regret theory, counterfactual options and ensemble uncertainty",
    head_params=22_000_000,
    analyzer_params=50_000_000,
)
