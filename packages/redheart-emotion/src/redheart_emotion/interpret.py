"""Plugin ``interpret``: one row of the model's outputs → :class:`EmotionResult`."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from redheart.plugin_api import PluginOutputs, TextInput
from redheart_emotion.extras import SEQUENCE_KEY, TIMESTAMP_KEY
from redheart_emotion.results import EmotionResult

_VECTOR_KEYS = ("emotion_probs", "polarity_probs", "graded_probs", "intensity_probs", "cultural")


def _row(outputs: PluginOutputs, key: str, index: int) -> Any:
    return outputs.final(key)[index].detach().cpu().double().numpy()


def _json_id(sid: Hashable | None) -> str | int | None:
    return sid if sid is None or isinstance(sid, (str, int)) else str(sid)


def interpret(outputs: PluginOutputs, index: int, item: TextInput) -> EmotionResult:
    """Row ``index`` of detached ``outputs`` for ``item`` as an :class:`EmotionResult`."""
    n = outputs.final("emotion_probs").shape[0]
    if not 0 <= index < n:
        raise IndexError(f"row {index} is out of range for a batch of {n}")
    vectors = [_row(outputs, k, index) for k in _VECTOR_KEYS]
    has_bio = outputs.analyzer.get("has_biosignal")
    timestamp = item.extras.get(TIMESTAMP_KEY)
    return EmotionResult.from_arrays(
        *vectors,
        valence=float(_row(outputs, "valence", index)),
        arousal=float(_row(outputs, "arousal", index)),
        has_biosignal=bool(has_bio[index]) if has_bio is not None else False,
        sequence_id=_json_id(item.extras.get(SEQUENCE_KEY)),
        timestamp=None if timestamp is None else float(timestamp),
    )
