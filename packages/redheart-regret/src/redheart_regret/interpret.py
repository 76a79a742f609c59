"""Row ``index`` of the model's outputs → :class:`RegretResult` (``PluginSpec.interpret``).

The recommendation uses :mod:`redheart_regret.theory` on the analyzer's decision tree: leaf
values ``v[k, s]`` and state probabilities ``π`` give each option's expected and worst-case
regret; the recommended option minimises expected regret (equivalently, maximises expected
utility), and the reason says whether the minimax-regret choice agrees.
"""

from __future__ import annotations

import numpy as np

from redheart.plugin_api import PluginOutputs, TextInput
from redheart.schema import REGRET_TYPES
from redheart_regret import theory
from redheart_regret.config import SCENARIOS
from redheart_regret.result import OptionRegret, RegretResult
from redheart_regret.theory.temporal import HORIZONS_DAYS

CREDIBLE_LEVEL = 0.9


def interpret(outputs: PluginOutputs, index: int, item: TextInput) -> RegretResult:
    """Typed result for row ``index`` (outputs detached, on the CPU)."""
    n_rows = outputs.final("anticipated").shape[0]
    if not 0 <= index < n_rows:
        raise IndexError(f"row index {index} out of range for a batch of {n_rows}")

    def row(key: str) -> np.ndarray:
        return outputs.final(key)[index].detach().cpu().double().numpy()

    type_probs = row("regret_type_probs")
    result = RegretResult(
        anticipated=float(row("anticipated")),
        regret_type=REGRET_TYPES[int(np.argmax(type_probs))],
        type_probs={name: float(p) for name, p in zip(REGRET_TYPES, type_probs)},
        uncertainty=float(row("uncertainty")),
        trajectory={f"{d:g}d": float(v) for d, v in zip(HORIZONS_DAYS, row("regret_trajectory"))},
        scenario_probs={n: float(p) for n, p in zip(SCENARIOS, row("state_probs"))},
    )
    options = item.options or []
    if len(options) < 2 or "utilities" not in outputs.analyzer:
        result.reason = "no decision options were given, so no option is recommended"
        return result
    n = len(options)
    values = np.clip(row("tree_values")[:n], -1.0, 1.0)  # (n, 3)
    probs = row("state_probs")
    probs = probs / probs.sum()
    analysis = theory.analyze(values, probs)
    util, p_good = row("utilities")[:n], row("p_good")[:n]
    alpha, beta = row("p_good_alpha")[:n], row("p_good_beta")[:n]
    for k, text in enumerate(options):
        belief = theory.BetaBelief(float(alpha[k]), float(beta[k]))
        result.options.append(OptionRegret(
            index=k, text=text, utility=float(util[k]), p_good=float(p_good[k]),
            p_good_interval=belief.credible_interval(CREDIBLE_LEVEL),
            expected_regret=float(analysis.expected_regret[k]),
            max_regret=float(analysis.max_regret[k])))
    best = int(analysis.expected_regret_choice)
    result.recommended = best
    result.reason = _reason(options, analysis, best, p_good)
    return result


def _reason(options: list[str], analysis: theory.RegretAnalysis, best: int,
            p_good: np.ndarray) -> str:
    er = analysis.expected_regret
    order = np.argsort(er, kind="stable")
    runner = int(order[1])
    text = (f"option {best + 1} ({options[best]!r}) has the lowest expected regret "
            f"({er[best]:.2f}, next option {runner + 1} at {er[runner]:.2f}) and an estimated "
            f"{p_good[best]:.0%} chance of a good outcome")
    mm = analysis.minimax_choice
    if mm == best:
        return text + "; it also minimises the worst-case regret"
    return (text + f"; if you want to limit the worst case instead, option {mm + 1} "
            f"({options[mm]!r}) has the smallest worst-case regret "
            f"({analysis.max_regret[mm]:.2f} vs {analysis.max_regret[best]:.2f})")
