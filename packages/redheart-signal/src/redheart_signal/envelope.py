"""ADSR envelope of an emotion-intensity curve, fitted by bounded least squares.

The envelope is piecewise linear (the classic synthesiser ADSR), on top of a baseline ``b``::

    t < t0                      b
    t0 <= t < t0+A              b + peak * (t - t0) / A                      attack
    ... < t0+A+D                b + peak + (sustain - peak) * (t - t0 - A) / D   decay
    ... < t0+A+D+H              b + sustain                                 sustain (hold H)
    ... < t0+A+D+H+R            b + sustain * (1 - (t - t0 - A - D - H) / R)      release
    afterwards                  b

with ``0 <= sustain <= peak``. Times are in the units of ``t`` (seconds, turns, ...).
The fit minimises the sum of squared residuals with ``scipy.optimize.least_squares`` (trust
region reflective, bounds keep every duration positive and the sustain below the peak), started
from several data-driven initial guesses; the best is kept.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy.optimize import least_squares

from ._validation import check_signal

PARAM_NAMES: tuple[str, ...] = (
    "onset", "attack", "decay", "sustain_level", "sustain_time", "release", "peak", "baseline",
)


@dataclass(frozen=True)
class ADSRParams:
    """ADSR envelope parameters (times in the units of ``t``; levels in the units of ``y``).

    ``peak`` and ``sustain_level`` are heights above ``baseline``; ``sustain_level <= peak``.
    """

    onset: float
    attack: float
    decay: float
    sustain_level: float
    sustain_time: float
    release: float
    peak: float
    baseline: float = 0.0

    def __post_init__(self) -> None:
        for name in ("attack", "decay", "release"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be a positive duration, got {getattr(self, name)}")
        if self.sustain_time < 0:
            raise ValueError(f"sustain_time must be >= 0, got {self.sustain_time}")
        if not 0 <= self.sustain_level <= self.peak + 1e-12:
            raise ValueError(
                f"need 0 <= sustain_level <= peak, got sustain_level={self.sustain_level}, "
                f"peak={self.peak}"
            )
        if not all(np.isfinite(v) for v in asdict(self).values()):
            raise ValueError("ADSR parameters must be finite")

    def to_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in asdict(self).items()}

    @property
    def end(self) -> float:
        """Time at which the release reaches the baseline."""
        return self.onset + self.attack + self.decay + self.sustain_time + self.release


def adsr_envelope(t: np.ndarray, params: ADSRParams) -> np.ndarray:
    """The envelope (N,) evaluated at times ``t`` (N,)."""
    t = np.asarray(t, dtype=float)
    p = params
    knots_t = np.cumsum([p.onset, p.attack, p.decay, p.sustain_time, p.release])
    knots_y = np.array([0.0, p.peak, p.sustain_level, p.sustain_level, 0.0])
    # np.interp holds the end values outside the knots, i.e. 0 before onset and after release.
    return p.baseline + np.interp(t, knots_t, knots_y)


@dataclass(frozen=True)
class ADSRFit:
    """Result of :func:`fit_adsr`.

    Attributes:
        params: fitted envelope.
        residual_rms: root mean square of ``y - envelope(t)``.
        r_squared: 1 - SSE / SST (1 is a perfect fit).
        success: the optimiser's convergence flag.
        message: the optimiser's message.
    """

    params: ADSRParams
    residual_rms: float
    r_squared: float
    success: bool
    message: str

    def to_dict(self) -> dict[str, object]:
        return {
            "params": self.params.to_dict(),
            "residual_rms": self.residual_rms,
            "r_squared": self.r_squared,
            "success": self.success,
        }


def _unpack(theta: np.ndarray) -> ADSRParams:
    onset, attack, decay, frac, hold, release, peak, baseline = (float(v) for v in theta)
    return ADSRParams(onset, attack, decay, frac * peak, hold, release, peak, baseline)


def _initial_guesses(t: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    span = t[-1] - t[0]
    width = max(3, y.size // 50)
    smooth = np.convolve(y, np.ones(width) / width, mode="same")
    baseline = float(np.percentile(smooth, 5))
    i_peak = int(np.argmax(smooth))
    peak = max(float(smooth[i_peak] - baseline), 1e-6)
    above = smooth - baseline > 0.1 * peak
    before = np.nonzero(~above[:i_peak])[0]
    onset = float(t[before[-1]]) if before.size else float(t[0])
    after = np.nonzero(~above[i_peak:])[0]
    i_end = i_peak + int(after[0]) if after.size else y.size - 1
    t_peak, t_end = float(t[i_peak]), float(t[i_end])
    tail = smooth[i_peak:i_end + 1] - baseline
    sustain = float(np.median(tail)) if tail.size else 0.5 * peak
    frac = float(np.clip(sustain / peak, 0.05, 0.95))
    attack = max(t_peak - onset, 1e-3 * span)
    active = max(t_end - t_peak, 3e-3 * span)
    guesses = []
    for d_share, r_share in ((0.2, 0.2), (0.1, 0.4), (0.35, 0.15)):
        decay, release = d_share * active, r_share * active
        hold = max(active - decay - release, 0.0)
        guesses.append(np.array([onset, attack, decay, frac, hold, release, peak, baseline]))
    return guesses


def fit_adsr(t: np.ndarray, y: np.ndarray) -> ADSRFit:
    """Fit an ADSR envelope to an intensity curve ``y`` (N,) sampled at increasing times ``t``.

    Raises:
        ValueError: on mismatched lengths, fewer than 8 samples (one per parameter), NaN/inf,
            non-increasing times or a constant curve (no envelope to fit).
    """
    t = check_signal(t, "t", min_length=len(PARAM_NAMES))
    y = check_signal(y, "y", min_length=len(PARAM_NAMES))
    if t.shape != y.shape:
        raise ValueError(f"t and y must have the same length, got {t.size} and {y.size}")
    if np.any(np.diff(t) <= 0):
        raise ValueError("t must be strictly increasing; sort the samples by time")
    if np.ptp(y) == 0:
        raise ValueError("y is constant, there is no envelope to fit")
    span = float(t[-1] - t[0])
    dt_min = float(np.min(np.diff(t)))
    ymin, ymax = float(y.min()), float(y.max())
    height = ymax - ymin
    lower = np.array([t[0] - span, dt_min / 10, dt_min / 10, 0.0, 0.0, dt_min / 10, 0.0,
                      ymin - height])
    upper = np.array([t[-1], 2 * span, 2 * span, 1.0, 2 * span, 2 * span, 2 * height,
                      ymax])

    def residuals(theta: np.ndarray) -> np.ndarray:
        return adsr_envelope(t, _unpack(theta)) - y

    solutions = []
    for guess in _initial_guesses(t, y):
        x0 = np.clip(guess, lower, upper)
        sol = least_squares(residuals, x0, bounds=(lower, upper), method="trf", x_scale="jac")
        solutions.append(sol)
    best = min(solutions, key=lambda sol: sol.cost)
    res = best.fun
    sst = float(np.sum((y - y.mean()) ** 2))
    return ADSRFit(
        params=_unpack(best.x),
        residual_rms=float(np.sqrt(np.mean(res**2))),
        r_squared=1.0 - float(np.sum(res**2)) / sst,
        success=bool(best.success),
        message=str(best.message),
    )
