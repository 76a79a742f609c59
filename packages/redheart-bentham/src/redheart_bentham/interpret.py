"""Turn one row of the Bentham outputs into a :class:`BenthamResult` (``PluginSpec.interpret``)."""

from __future__ import annotations

from redheart.plugin_api import PluginOutputs, TextInput
from redheart.schema import BENTHAM_FACTORS, ETHICS, LEGAL_DOMAINS
from redheart_bentham.analyzer import HORIZONS, STAKEHOLDERS
from redheart_bentham.calculus import (
    WEIGHT_HIGH,
    WEIGHT_LAYERS,
    WEIGHT_LOW,
    Context,
    Factors,
    HedonicCalculator,
    LayerWeights,
)
from redheart_bentham.result import BenthamResult, OptionScore


def _row(outputs: PluginOutputs, key: str, index: int) -> list[float]:
    value = outputs.final(key)[index]
    return [float(v) for v in value.reshape(-1).tolist()]


def interpret(outputs: PluginOutputs, index: int, item: TextInput) -> BenthamResult:
    """Row ``index`` of detached outputs → result. The scenario views apply the deterministic
    calculus to the predicted factors and layer weights with the predicted hedonic value as the
    signed main effect (one implicit stakeholder group)."""
    n = int(outputs.final("hedonic").shape[0])
    if not 0 <= index < n:
        raise IndexError(f"row {index} is outside the batch of {n}")
    factors = dict(zip(BENTHAM_FACTORS, (min(max(v, 0.0), 1.0)
                                         for v in _row(outputs, "factors", index))))
    hedonic = max(-1.0, min(1.0, float(outputs.final("hedonic")[index])))
    ethics = dict(zip(ETHICS, _row(outputs, "ethics", index)))
    weights = dict(zip(WEIGHT_LAYERS, (min(max(v, WEIGHT_LOW), WEIGHT_HIGH)
                                       for v in _row(outputs, "weights", index))))
    views = HedonicCalculator().scenarios(Factors(**factors), Context(effect=hedonic),
                                          LayerWeights(**weights))
    impact = _row(outputs, "stakeholder_impact", index)
    involvement = _row(outputs, "stakeholder_involvement", index)
    options = ranking = None
    notes: list[str] = []
    if item.options:
        if "option_hedonic" not in outputs.analyzer:
            notes.append("options were given but the model produced no per-option values")
        else:
            # the pipeline hands over float copies of every output, the mask included
            mask = [m > 0.5 for m in outputs.analyzer["option_mask"][index].tolist()]
            values = outputs.analyzer["option_hedonic"][index].tolist()
            real = [float(v) for v, m in zip(values, mask) if m]
            if len(real) != len(item.options):
                raise ValueError(f"{len(item.options)} options given, the outputs hold "
                                 f"{len(real)} for row {index}")
            ranking = sorted(range(len(real)), key=lambda i: (-real[i], i))
            rank_of = {i: r + 1 for r, i in enumerate(ranking)}
            options = [OptionScore(text, real[i], rank_of[i]) for i, text in enumerate(item.options)]
    return BenthamResult(
        factors=factors,
        hedonic=hedonic,
        ethics=ethics,
        acceptability=sum(ethics.values()) / len(ethics),
        legal_risk=dict(zip(LEGAL_DOMAINS, _row(outputs, "legal_risk", index))),
        weights=weights,
        expert_gates=dict(zip(ETHICS, [float(v) for v in outputs.head["expert_gates"][index]])),
        scenarios=views.as_dict(),
        horizons=dict(zip(HORIZONS, _row(outputs, "horizon_hedonic", index))),
        stakeholders={g: {"impact": i, "involvement": v}
                      for g, i, v in zip(STAKEHOLDERS, impact, involvement)},
        options=options,
        ranking=ranking,
        notes=notes,
    )
