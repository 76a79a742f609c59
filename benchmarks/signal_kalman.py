"""Batched numpy Kalman filter/smoother vs a loop of filterpy filters (redheart-signal).

1,000 emotion streams x 1,000 steps, state dimension 8 (random-walk model, shared parameters).
Batched runs report the best of 2-3 repeats. The filterpy loop is timed on a subset of streams and scaled linearly (each stream is an
independent, identical amount of work); the table says so. Also checks that both agree.

    python benchmarks/signal_kalman.py [--streams 1000] [--steps 1000] [--subset 25]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from filterpy.kalman import KalmanFilter

from redheart_signal.batched import batched_filter, batched_smoother
from redheart_signal.kalman_config import KalmanConfig


def filterpy_filter(z: np.ndarray, c: KalmanConfig, smooth: bool) -> np.ndarray:
    kf = KalmanFilter(dim_x=c.dim_x, dim_z=c.dim_z)
    kf.F, kf.H, kf.Q, kf.R = c.F, c.H, c.Q, c.R
    kf.x, kf.P = c.x0.reshape(-1, 1).copy(), c.P0.copy()
    means, covs = np.empty((len(z), c.dim_x, 1)), np.empty((len(z), c.dim_x, c.dim_x))
    for i, row in enumerate(z):  # the same predict/update loop EmotionKalman runs
        kf.predict()
        kf.update(row)
        means[i], covs[i] = kf.x, kf.P
    if smooth:
        means, covs, _, _ = kf.rts_smoother(means, covs)
    return means[:, :, 0]


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--subset", type=int, default=25, help="filterpy streams actually timed")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    config = KalmanConfig.random_walk(process_var=1e-3, observation_var=2e-2)
    b, t = args.streams, args.steps
    z = rng.dirichlet(np.ones(8), size=(b, t))
    z_missing = z.copy()
    z_missing[rng.random((b, t)) < 0.05] = np.nan  # 5 % of rows missing -> general path
    k = min(args.subset, b)

    rows = []
    t_fp, fp_means = timed(lambda: [filterpy_filter(z[i], config, False) for i in range(k)])
    t_fp_full = t_fp * b / k
    t_b, res = timed(lambda: batched_filter(z, config), repeat=3)
    err = max(np.abs(res.means[i] - fp_means[i]).max() for i in range(k))
    rows.append(("filter", f"filterpy loop ({k} streams timed, x{b // k} scaled)", t_fp_full, None))
    rows.append(("filter", "batched, shared fast path (covariances stored)", t_b, t_fp_full / t_b))
    t_g, _ = timed(lambda: batched_filter(z_missing, config, store_covariances=False), repeat=2)
    rows.append(("filter", "batched, general path, 5% rows missing", t_g, t_fp_full / t_g))

    t_fps, fps_means = timed(lambda: [filterpy_filter(z[i], config, True) for i in range(k)])
    t_fps_full = t_fps * b / k
    t_bs, sres = timed(lambda: batched_smoother(batched_filter(z, config), config), repeat=3)
    err_s = max(np.abs(sres.means[i] - fps_means[i]).max() for i in range(k))
    rows.append(("filter+RTS", f"filterpy loop ({k} streams timed, x{b // k} scaled)",
                 t_fps_full, None))
    rows.append(("filter+RTS", "batched, shared fast path", t_bs, t_fps_full / t_bs))
    sub = slice(0, 200)  # general-path smoothing stores (B, T, 8, 8); keep memory modest
    t_gs, _ = timed(lambda: batched_smoother(batched_filter(z_missing[sub], config), config))
    t_gs_full = t_gs * b / 200
    rows.append(("filter+RTS", "batched, general path, 5% missing (200 timed, x5)", t_gs_full,
                 t_fps_full / t_gs_full))

    print(f"{b} streams x {t} steps, state dim 8, numpy {np.__version__}")
    print(f"{'task':<11} {'implementation':<55} {'seconds':>9} {'speed-up':>9}")
    for task, name, sec, ratio in rows:
        r = "1.0x" if ratio is None else f"{ratio:.0f}x"
        print(f"{task:<11} {name:<55} {sec:>9.3f} {r:>9}")
    print(f"max |batched - filterpy| on the timed streams: filter {err:.1e}, smoother {err_s:.1e}")


if __name__ == "__main__":
    main()
