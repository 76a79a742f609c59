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


register_encoder("tiny-16", _tiny)

__all__ = ["Encoder", "EncoderError", "Tokenized", "check_texts", "get_encoder",
           "encoder_names", "pad_ids", "register_encoder"]
