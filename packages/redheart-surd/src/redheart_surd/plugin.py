"""Entry point of the redheart plugin registry (imports nothing heavier than redheart.plugins)."""

from redheart.plugins import PluginSpec

SPEC = PluginSpec(
    name="surd",
    api_version=1,
    package="redheart-surd",
    cli="redheart_surd.cli:register",
    description="SURD causal decomposition, PID and information measures (numpy/scipy)",
)
