"""The regret analyzer (SPEC §5: 50M parameters at ``full``).

Runs after the head, on its outputs and on the optional upstream plugins (Bentham, emotion):

1. ``base`` — fuse the text state with upstream outputs (absent embeddings when not
   installed); corrects the anticipated-regret and type logits.
2. ``simulation`` — counterfactual simulation over slot × scenario nodes.
3. ``tree`` — decision-tree evaluation of those nodes by backward induction.
4. ``bayes`` — amortised Beta posterior of each option's p_good.
5. ``temporal`` — regret trajectory over the time horizons.

Output keys (batch-first; per-option keys only when ``batch.options`` is given, K columns, 0
where ``option_mask`` is False):

======================  ==========  ======================================================
anticipated             (B,)        refined anticipated regret ∈ [0, 1]
regret_type_logits      (B, 6)      refined; regret_type_probs = softmax
regret_trajectory       (B, H)      regret at ``theory.HORIZONS_DAYS`` ∈ [0, 1]
trajectory_prior        (B, H)      the theory prior it corrects
simulated_utilities     (B, S, 3)   simulator read-out per node ∈ [-1, 1]
tree_values             (B, S, 3)   leaf values; state_probs (B, 3) chance probabilities
slot_utilities          (B, S)      V[k] by backward induction; slot_regret (B, S)
decision_value          (B,)        value of the decision node
slot_p_good_logits      (B, S)      Beta posterior; slot_alpha, slot_beta (B, S)
utilities               (B, K)      V[k] of the real options ∈ [-1, 1]
option_regret           (B, K)      expected regret of each option ≥ 0
p_good, p_good_logits   (B, K)      posterior mean ∈ [0, 1] and its logit
p_good_alpha/beta/std   (B, K)      Beta parameters and posterior standard deviation
======================  ==========  ======================================================

``uncertainty`` is not refined: the head's ensemble spread is the reported epistemic
uncertainty (``PluginOutputs.final`` falls back to it).
"""

from __future__ import annotations

from typing import ClassVar

import torch
from torch import Tensor, nn

from redheart.layers import init_weights
from redheart.plugin_api import EncodedBatch, PluginContext, PluginOutputs
from redheart_regret.bayes_net import BetaPosteriorNet
from redheart_regret.config import RegretAnalyzerConfig, analyzer_config
from redheart_regret.simulation import CounterfactualSimulator
from redheart_regret.temporal_net import EPS, TemporalPropagation
from redheart_regret.tree_net import DecisionTreeEvaluator
from redheart_regret.upstream import BaseRefinement

HEAD_KEYS = ("anticipated", "regret_type_logits", "text_state", "slot_states", "slot_mask",
             "scenario_utilities", "scenario_logits", "member_slot_logits")


def _logit(p: Tensor) -> Tensor:
    p = p.clamp(EPS, 1.0 - EPS)
    return torch.log(p) - torch.log1p(-p)


class RegretAnalyzer(nn.Module):
    """Base refinement, counterfactual simulation, decision tree, Bayes and temporal parts."""

    PART_TARGETS: ClassVar[dict[str, int]] = {
        "base": 3_000_000,
        "simulation": 15_000_000,
        "temporal": 12_000_000,
        "tree": 10_000_000,
        "bayes": 10_000_000,
    }

    def __init__(self, config: RegretAnalyzerConfig):
        super().__init__()
        self.config = config
        c = config
        self.base = BaseRefinement(c.summary_dim, c.d_model, c.base_hidden, c.dropout)
        self.simulation = CounterfactualSimulator(c.state_dim, c.d_model, c.n_heads,
                                                  c.sim_layers, c.sim_ffn, c.dropout)
        self.temporal = TemporalPropagation(c.d_model, c.temporal_hidden, c.temporal_layers,
                                            c.temporal_out_hidden, c.dropout)
        self.tree = DecisionTreeEvaluator(c.d_model, c.tree_hidden, c.tree_head_hidden,
                                          c.dropout)
        self.bayes = BetaPosteriorNet(c.state_dim, c.d_model, c.n_heads, c.bayes_ffn,
                                      c.bayes_hidden, c.dropout)
        if not any(p.is_meta for p in self.parameters()):
            init_weights(self, n_layers=c.sim_layers)
            # Learned stand-ins for absent upstream inputs start as small random vectors like
            # any embedding (init_weights covers only Linear/Embedding/LayerNorm).
            for absent in (self.base.bentham.absent, self.base.emotion.absent,
                           self.simulation.hedonic_absent):
                nn.init.normal_(absent, 0.0, 0.02)

    def forward(self, batch: EncodedBatch, head_out: dict[str, Tensor],
                upstream: dict[str, PluginOutputs]) -> dict[str, Tensor]:
        missing = [k for k in HEAD_KEYS if k not in head_out]
        if missing:
            raise KeyError(f"regret head outputs lack {missing}; the analyzer must run on "
                           f"RegretHead outputs")
        slot_mask = head_out["slot_mask"]
        state, correction = self.base(head_out["text_state"], upstream)
        anticipated = torch.sigmoid(_logit(head_out["anticipated"]) + correction[:, 0])
        type_logits = head_out["regret_type_logits"] + correction[:, 1:]
        type_probs = torch.softmax(type_logits, -1)

        nodes, scores = self.simulation(
            head_out["slot_states"], head_out["scenario_utilities"], state,
            self._option_hedonic(upstream, slot_mask), batch.tokens, batch.mask, slot_mask)
        tree = self.tree(nodes, scores, slot_mask, head_out["scenario_logits"])
        prior_logit = _logit(torch.sigmoid(head_out["member_slot_logits"]).mean(-1))
        bayes = self.bayes(head_out["slot_states"], tree["slot_utilities"], prior_logit,
                           slot_mask)
        temporal = self.temporal(state, anticipated, type_probs)

        out = {
            "anticipated": anticipated,
            "regret_type_logits": type_logits,
            "regret_type_probs": type_probs,
            "simulated_utilities": torch.tanh(scores),
            "slot_p_good_logits": bayes["p_good_logits"],
            "slot_alpha": bayes["alpha"],
            "slot_beta": bayes["beta"],
            **tree,
            **temporal,
        }
        if batch.options is not None and batch.option_mask is not None:
            k, om = batch.options.shape[1], batch.option_mask

            def opt(t: Tensor) -> Tensor:
                return t[:, :k].masked_fill(~om, 0.0)

            a, b = bayes["alpha"], bayes["beta"]
            n = a + b
            out.update({
                "utilities": opt(tree["slot_utilities"]),
                "option_regret": opt(tree["slot_regret"]),
                "p_good": opt(bayes["p_good"]),
                "p_good_logits": opt(bayes["p_good_logits"]),
                "p_good_alpha": opt(a),
                "p_good_beta": opt(b),
                "p_good_std": opt(torch.sqrt(a * b / (n * n * (n + 1.0)))),
            })
        return out

    @staticmethod
    def _option_hedonic(upstream: dict[str, PluginOutputs], slot_mask: Tensor) -> Tensor | None:
        """Bentham's option_hedonic padded to (B, S), NaN where unknown; None without it."""
        bentham = upstream.get("bentham")
        if bentham is None or ("option_hedonic" not in bentham.analyzer
                               and "option_hedonic" not in bentham.head):
            return None
        values = bentham.final("option_hedonic")
        b, s = slot_mask.shape
        out = values.new_full((b, s), float("nan"))
        out[:, :values.shape[1]] = values
        return out


def build_analyzer(ctx: PluginContext) -> RegretAnalyzer:
    """Plugin factory: the regret analyzer sized for ``ctx.preset``."""
    return RegretAnalyzer(analyzer_config(ctx.preset))
