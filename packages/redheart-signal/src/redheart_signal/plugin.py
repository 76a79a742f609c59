"""redheart plugin entry point (light: imports only redheart.plugins, never torch)."""

from redheart.plugins import PluginSpec

SPEC = PluginSpec(
    name="signal",
    api_version=1,
    package="redheart-signal",
    cli="redheart_signal.cli:register",
    description="FFT/wavelet DSP, biosignal features and Kalman tracking of emotion streams "
    "(no learned weights)",
)
