"""Plugin declaration (imports nothing heavier than redheart.plugins: listing never loads torch)."""

from redheart.plugins import PluginSpec

SPEC = PluginSpec(
    name="bentham",
    api_version=1,
    package="redheart-bentham",
    requires=(),
    optional=("emotion",),
    head="redheart_bentham.head:build_head",
    analyzer="redheart_bentham.analyzer:build_analyzer",
    loss="redheart_bentham.losses:compute_loss",
    interpret="redheart_bentham.interpret:interpret",
    schema_fields=("bentham", "hedonic", "ethics", "legal_risk"),
    cli="redheart_bentham.cli:register",
    description="Bentham's hedonic calculus (10 factors), 4 ethical frameworks, legal risk",
    head_params=20_000_000,
    analyzer_params=45_000_000,
)
