"""Schema-v1 records: validation and JSONL loading (no torch).

A record is one text with any subset of the labels of SPEC §4. A missing label (absent key or
``null``) stays missing: it is masked in training, never filled with a default. Vector labels
may be partial (``{"jeong": 0.3}``); the absent components are missing too.

Every problem is reported as a :class:`RecordError` naming the file, line, field and reason.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redheart import schema

# Top-level keys a record may carry besides the labels. "meta" is free-form and ignored.
_ID_KEYS = ("id", "lang", "text")
_EXTRA_KEYS = ("meta",)
_VECTOR_FIELDS = ("cultural", "bentham", "ethics", "legal_risk")
_SCALAR_FIELDS = ("valence", "arousal", "hedonic")
_SUM_TOLERANCE = 1e-3


class RecordError(ValueError):
    """A record that does not follow schema v1; says where and why."""

    def __init__(self, reason: str, *, field: str | None = None, source: str | None = None,
                 line: int | None = None):
        self.reason, self.field, self.source, self.line = reason, field, source, line
        where = []
        if source is not None:
            where.append(f"{source}:{line}" if line is not None else source)
        if field is not None:
            where.append(f"field {field!r}")
        super().__init__(f"{', '.join(where)}: {reason}" if where else reason)


@dataclass
class Decision:
    """A decision between 2–4 options; ``utilities``/``p_good`` are per option or ``None``."""

    options: list[str]
    chosen: int | None = None
    utilities: list[float] | None = None
    p_good: list[float] | None = None


@dataclass
class Record:
    """One text and its labels; every label is optional (``None`` = missing).

    Vector labels are dicts from schema names to values; absent names are missing components.
    """

    id: str
    lang: str
    text: str
    emotion: dict[str, float] | None = None
    intensity: int | None = None
    valence: float | None = None
    arousal: float | None = None
    cultural: dict[str, float] | None = None
    bentham: dict[str, float] | None = None
    hedonic: float | None = None
    ethics: dict[str, float] | None = None
    legal_risk: dict[str, float] | None = None
    regret_anticipated: float | None = None
    regret_type: str | None = None
    decision: Decision | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def label_fields(self) -> list[str]:
        """Names of the labels this record has."""
        have = [f for f in ("emotion", "intensity", "valence", "arousal", "cultural", "bentham",
                            "hedonic", "ethics", "legal_risk") if getattr(self, f) is not None]
        if self.regret_anticipated is not None:
            have.append("regret.anticipated")
        if self.regret_type is not None:
            have.append("regret.type")
        if self.decision is not None:
            have.append("decision")
        return have


def _number(value: Any, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RecordError(f"must be a number in [{low}, {high}], got {value!r}", field=name)
    value = float(value)
    if not math.isfinite(value):
        raise RecordError(f"must be finite, got {value}", field=name)
    if not low <= value <= high:
        raise RecordError(f"must be in [{low}, {high}], got {value}", field=name)
    return value


def _vector(value: Any, name: str) -> dict[str, float] | None:
    if value is None:
        return None
    spec = schema.FIELDS[name]
    if not isinstance(value, dict):
        raise RecordError(f"must be an object with keys {list(spec.names)}, got {type(value).__name__}",
                          field=name)
    unknown = sorted(set(value) - set(spec.names))
    if unknown:
        raise RecordError(f"unknown keys {unknown}; allowed: {list(spec.names)}", field=name)
    out = {k: _number(v, f"{name}.{k}", spec.low, spec.high)
           for k, v in value.items() if v is not None}
    return out or None


def _emotion(value: Any) -> dict[str, float] | None:
    if value is None:
        return None
    if isinstance(value, list):
        raise RecordError(
            "must be an object {emotion: probability}, got a list; write it as "
            f"{{{', '.join(repr(e) + ': p' for e in schema.EMOTIONS[:2])}, ...}}", field="emotion")
    if not isinstance(value, dict):
        raise RecordError(f"must be an object, got {type(value).__name__}", field="emotion")
    if value and set(value) <= set(schema.LEGACY_EMOTIONS):
        value = schema.legacy_to_v1(value)
    missing = [e for e in schema.EMOTIONS if e not in value]
    unknown = sorted(set(value) - set(schema.EMOTIONS))
    if unknown:
        raise RecordError(f"unknown emotions {unknown}; allowed: {list(schema.EMOTIONS)}",
                          field="emotion")
    if missing:
        # A distribution with a hole cannot be renormalised honestly: reject it.
        raise RecordError(f"a distribution needs all 8 emotions; missing {missing}", field="emotion")
    dist = {e: _number(value[e], f"emotion.{e}", 0.0, 1.0) for e in schema.EMOTIONS}
    total = sum(dist.values())
    if abs(total - 1.0) > _SUM_TOLERANCE:
        raise RecordError(f"probabilities must sum to 1 (±{_SUM_TOLERANCE}), got {total:.6f}",
                          field="emotion")
    return {e: p / total for e, p in dist.items()}


def _decision(value: Any) -> Decision | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise RecordError(f"must be an object, got {type(value).__name__}", field="decision")
    unknown = sorted(set(value) - {"options", "chosen", "utilities", "p_good"})
    if unknown:
        raise RecordError(f"unknown keys {unknown}", field="decision")
    options = value.get("options")
    if not isinstance(options, list) or not all(isinstance(o, str) and o.strip() for o in options):
        raise RecordError("options must be a list of non-empty strings", field="decision.options")
    if not schema.MIN_OPTIONS <= len(options) <= schema.MAX_OPTIONS:
        raise RecordError(f"needs {schema.MIN_OPTIONS}–{schema.MAX_OPTIONS} options, got {len(options)}",
                          field="decision.options")
    chosen = value.get("chosen")
    if chosen is not None and (isinstance(chosen, bool) or not isinstance(chosen, int)
                               or not 0 <= chosen < len(options)):
        raise RecordError(f"must be null or an index in [0, {len(options) - 1}], got {chosen!r}",
                          field="decision.chosen")
    per_option: dict[str, list[float] | None] = {}
    for key, low in (("utilities", -1.0), ("p_good", 0.0)):
        vals = value.get(key)
        if vals is None:
            per_option[key] = None
            continue
        if not isinstance(vals, list) or len(vals) != len(options):
            raise RecordError(f"must be a list with one value per option ({len(options)})",
                              field=f"decision.{key}")
        per_option[key] = [_number(v, f"decision.{key}[{i}]", low, 1.0) for i, v in enumerate(vals)]
    return Decision(list(options), chosen, per_option["utilities"], per_option["p_good"])


def parse_record(obj: Any) -> Record:
    """Validate one decoded JSON object and return a :class:`Record` (raises RecordError)."""
    if not isinstance(obj, dict):
        raise RecordError(f"a record must be a JSON object, got {type(obj).__name__}")
    unknown = sorted(set(obj) - set(_ID_KEYS) - set(schema.LABEL_FIELDS) - set(_EXTRA_KEYS))
    if unknown:
        raise RecordError(f"unknown fields {unknown}; schema v1 fields are "
                          f"{list(_ID_KEYS + schema.LABEL_FIELDS)}")
    rid = obj.get("id")
    if not isinstance(rid, str) or not rid:
        raise RecordError("must be a non-empty string", field="id")
    lang = obj.get("lang")
    if lang not in schema.LANGUAGES:
        raise RecordError(f"must be one of {list(schema.LANGUAGES)}, got {lang!r}", field="lang")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise RecordError("must be a non-empty string", field="text")

    intensity = obj.get("intensity")
    if intensity is not None and (isinstance(intensity, bool) or intensity not in schema.INTENSITY_GRADES):
        raise RecordError(f"must be one of {list(schema.INTENSITY_GRADES)}, got {intensity!r}",
                          field="intensity")
    scalars = {}
    for name in _SCALAR_FIELDS:
        spec = schema.FIELDS[name]
        v = obj.get(name)
        scalars[name] = None if v is None else _number(v, name, spec.low, spec.high)

    regret = obj.get("regret")
    anticipated = rtype = None
    if regret is not None:
        if not isinstance(regret, dict) or set(regret) - {"anticipated", "type"}:
            raise RecordError("must be an object with keys 'anticipated' and 'type'", field="regret")
        if regret.get("anticipated") is not None:
            anticipated = _number(regret["anticipated"], "regret.anticipated", 0.0, 1.0)
        rtype = regret.get("type")
        if rtype is not None and rtype not in schema.REGRET_TYPES:
            raise RecordError(f"must be one of {list(schema.REGRET_TYPES)}, got {rtype!r}",
                              field="regret.type")
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise RecordError("must be an object", field="meta")
    return Record(
        id=rid, lang=lang, text=text,
        emotion=_emotion(obj.get("emotion")), intensity=intensity,
        valence=scalars["valence"], arousal=scalars["arousal"], hedonic=scalars["hedonic"],
        cultural=_vector(obj.get("cultural"), "cultural"),
        bentham=_vector(obj.get("bentham"), "bentham"),
        ethics=_vector(obj.get("ethics"), "ethics"),
        legal_risk=_vector(obj.get("legal_risk"), "legal_risk"),
        regret_anticipated=anticipated, regret_type=rtype,
        decision=_decision(obj.get("decision")), meta=meta,
    )


class JSONLineError(ValueError):
    """A line of a JSON-lines file that is not valid JSON; ``line`` is 1-based."""

    def __init__(self, line: int, msg: str):
        self.line, self.msg = line, msg
        super().__init__(f"line {line}: invalid JSON ({msg})")


def json_lines(lines: Iterable[str]) -> Iterator[tuple[int, Any]]:
    """``(line number, decoded value)`` for every non-blank line (1-based numbers).

    Raises :class:`JSONLineError` at the first line that is not JSON; callers add the file name.
    """
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield lineno, json.loads(line)
        except json.JSONDecodeError as exc:
            raise JSONLineError(lineno, f"{exc.msg} at column {exc.colno}") from exc


def iter_jsonl(path: str | Path) -> Iterator[Record]:
    """Records of one schema-v1 JSONL file; blank lines are skipped."""
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise RecordError(f"cannot open: {exc.strerror}", source=str(path)) from exc
    with handle:
        try:
            for lineno, obj in json_lines(handle):
                try:
                    record = parse_record(obj)
                except RecordError as exc:
                    raise RecordError(exc.reason, field=exc.field, source=str(path),
                                      line=lineno) from exc
                yield record
        except JSONLineError as exc:
            raise RecordError(f"invalid JSON ({exc.msg})", source=str(path), line=exc.line) from exc


def load_records(paths: str | Path | Iterable[str | Path]) -> list[Record]:
    """Load JSONL files or folders of ``*.jsonl`` (sorted), rejecting duplicate ids."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(p.glob("*.jsonl"))
            if not found:
                raise RecordError("folder has no *.jsonl files", source=str(p))
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            raise RecordError("no such file or folder", source=str(p))
    records: list[Record] = []
    seen: dict[str, str] = {}
    for f in files:
        for rec in iter_jsonl(f):
            if rec.id in seen:
                raise RecordError(f"duplicate id {rec.id!r} (first seen in {seen[rec.id]})",
                                  field="id", source=str(f))
            seen[rec.id] = str(f)
            records.append(rec)
    if not records:
        raise RecordError("no records found", source=", ".join(map(str, files)))
    return records
