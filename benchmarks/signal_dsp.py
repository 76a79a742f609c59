"""DSP throughput of redheart-signal on 1M-sample signals, against the raw library calls.

Each redheart-signal function wraps numpy/scipy/PyWavelets with validation and scaling; the
"raw" column is the same computation called directly (the strongest alternative here), so the
ratio is the wrapper's overhead. Biosignal features have no installed alternative; their rows
give throughput only. Best of 3 runs each.

    python benchmarks/signal_dsp.py [--samples 1000000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pywt
from scipy import signal as sps

import redheart_signal as rs
from redheart_signal.synthetic import sinusoids, synthetic_ecg, synthetic_eda


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1_000_000)
    args = parser.parse_args()
    n, fs = args.samples, 256.0
    rng = np.random.default_rng(0)
    x = sinusoids([6.0, 10.0, 22.0], [1.0, 3.0, 2.0], fs, n / fs) + rng.standard_normal(n)
    seg = 512
    rows = [
        ("FFT (rfft, magnitude+phase)", lambda: rs.fft_spectrum(x, fs).power,
         lambda: np.abs(np.fft.rfft(x)) ** 2),
        ("Welch PSD (2 s Hann segments)", lambda: rs.welch_psd(x, fs),
         lambda: sps.welch(x, fs, nperseg=seg, noverlap=seg // 2)),
        ("STFT (256, 50 % overlap)", lambda: rs.stft(x, fs, nperseg=256),
         lambda: sps.stft(x, fs, nperseg=256, noverlap=128)),
        ("spectrogram (256, 50 %)", lambda: rs.spectrogram(x, fs, nperseg=256),
         lambda: sps.spectrogram(x, fs, nperseg=256, noverlap=128)),
        ("wavedec db4 level 5 + energies", lambda: rs.wavelet_decompose(x).relative_energies,
         lambda: [np.sum(c**2) for c in pywt.wavedec(x, "db4", level=5, mode="periodization")]),
        ("EEG band powers (5 bands)", lambda: rs.band_powers(x, fs),
         lambda: sps.welch(x, fs, nperseg=seg, noverlap=seg // 2)),
    ]
    ecg, _ = synthetic_ecg(72.0, 250.0, n / 250.0, seed=1)
    onsets = np.arange(5.0, n / 32.0 - 20, 15.0)
    eda = synthetic_eda(onsets, np.full(onsets.size, 0.4), 32.0, n / 32.0, seed=1)
    recordings = {"ecg": (ecg, 250.0), "eda": (eda, 32.0), "eeg": (x, fs)}
    feature_rows = [
        ("ECG R peaks + HRV (250 Hz)", lambda: rs.analyze_ecg(ecg, 250.0)),
        ("EDA tonic/phasic + SCRs (32 Hz)", lambda: rs.analyze_eda(eda, 32.0)),
        ("biosignal_features (ECG+EDA+EEG)", lambda: rs.biosignal_features(recordings)),
        ("feature sequence, 10 s windows / 5 s",
         lambda: rs.biosignal_feature_sequence(recordings, window=10.0, step=5.0)),
    ]
    print(f"{n:,} samples per signal, numpy {np.__version__}")
    print(f"{'operation':<38} {'redheart s':>10} {'raw s':>8} {'ratio':>6} {'Msamples/s':>10}")
    for name, ours, raw in rows:
        t_ours, t_raw = best(ours), best(raw)
        print(f"{name:<38} {t_ours:>10.4f} {t_raw:>8.4f} {t_ours / t_raw:>6.2f} "
              f"{n / t_ours / 1e6:>10.1f}")
    for name, ours in feature_rows:
        t_ours = best(ours, repeat=2)
        total = n * (3 if "features" in name or "sequence" in name else 1)
        print(f"{name:<38} {t_ours:>10.4f} {'-':>8} {'-':>6} {total / t_ours / 1e6:>10.1f}")


if __name__ == "__main__":
    main()
