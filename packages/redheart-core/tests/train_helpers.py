"""Synthetic records and a fake-plugin trainer entry point for the training tests.

Run as a script (``python train_helpers.py OUT EPOCHS [KILL_AT_STEP]``) it trains the fake
plugins; with KILL_AT_STEP it SIGKILLs itself right after that optimizer step, mid-epoch.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from importlib_metadata import EntryPoint  # noqa: E402

from redheart.data import parse_record  # noqa: E402
from redheart.plugins import discover  # noqa: E402

WORDS = [("wonderful", 0.8), ("calm", 0.4), ("ordinary", 0.0), ("tiring", -0.4), ("awful", -0.8)]


def synthetic_records(n: int = 40) -> list:
    """Records whose valence and hedonic follow the adjective, so there is something to learn."""
    out = []
    for i in range(n):
        word, v = WORDS[i % len(WORDS)]
        lang = "ko" if i % 3 == 0 else "en"
        text = (f"오늘은 {word} 하루였다 {i}" if lang == "ko" else f"Today was a {word} day, number {i}.")
        rec = {"id": f"s-{i:03d}", "lang": lang, "text": text, "valence": v,
               "hedonic": round(v * 0.5, 3)}
        if i % 4 == 0:
            rec["decision"] = {"options": ["go out", "stay in", "call a friend"][: 2 + i % 2],
                               "utilities": [v, -v, 0.1][: 2 + i % 2]}
        out.append(parse_record(rec))
    return out


def fake_registry():
    return discover([EntryPoint("mood", "fake_plugins:MOOD", "redheart.plugins"),
                     EntryPoint("judge", "fake_plugins:JUDGE", "redheart.plugins")], strict=True)


def config(out: str, epochs: int = 2, **kw):
    from redheart.training.trainer import TrainConfig

    base = {"data": [], "preset": "tiny", "encoder": "tiny-16", "epochs": epochs,
            "batch_size": 4, "lr": 3e-3, "save_every": 1, "out": out, "val_fraction": 0.25,
            "threads": 1}
    base.update(kw)
    return TrainConfig(**base)


def main() -> None:
    from redheart.training.trainer import Trainer

    out, epochs = sys.argv[1], int(sys.argv[2])
    kill_at = int(sys.argv[3]) if len(sys.argv) > 3 else None
    trainer = Trainer(config(out, epochs), reg=fake_registry(), records=synthetic_records())
    if kill_at is not None:
        step = trainer.optimizer.step

        def step_then_maybe_die(*a, **k):
            result = step(*a, **k)
            if trainer.progress["step"] + 1 == kill_at:  # progress["step"] counts after step()
                # let the trainer save this step's state first: die on the next forward
                trainer.model.register_forward_pre_hook(
                    lambda *_: os.kill(os.getpid(), signal.SIGKILL))
            return result

        trainer.optimizer.step = step_then_maybe_die
    trainer.fit()


if __name__ == "__main__":
    main()
