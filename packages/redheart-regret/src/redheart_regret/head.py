"""The regret head (SPEC §5: 22M parameters at ``full``).

Data flow for a batch (B rows, T tokens, D width, S = 4 slots, H = GRU width, M = 5 members)::

    features['regret'] (B, D) + lang ─▶ cross-attention to tokens ─▶ context c (B, D)
                                                                    alternatives (B, S, D)
    options (B, K, D) or alternatives ─▶ slots (B, S, D) ─▶ [slot, c] ─▶ bidirectional GRU
                                                                    ─▶ slot states (B, S, 2H)
    [c, slot state] / [c, mean state] ─▶ 3 scenario views ─▶ u (B, S, 3), π (B, 3)
                                       ─▶ 5-member ensemble ─▶ anticipated, type, p_good

Output keys (batch-first; "per option" keys only when ``batch.options`` is given, K columns,
0 where ``option_mask`` is False):

=========================  ===========  ==================================================
anticipated                (B,)         mean over members of sigmoid(member logit), [0, 1]
regret_type_logits         (B, 6)       mean member logits (``schema.REGRET_TYPES`` order)
regret_type_probs          (B, 6)       softmax of the above
uncertainty                (B,)         std over members of their anticipated regret, ≥ 0
member_logits              (B, M, 7)    per member: anticipated logit, 6 type logits
member_slot_logits         (B, S, M)    per member p_good logits of each slot
bootstrap_weights          (B, M)       {0, 2} in training, 1 in eval (see ensemble.py)
context                    (B, D)       text context
text_state                 (B, D + 2H)  [context, mean slot state]
slot_states                (B, S, 2H)   counterfactual GRU states (0 on padded slots)
slot_mask                  (B, S)       real slots (options, or all S alternatives)
has_options                (B,)         row has a decision
scenario_utilities         (B, S, 3)    u[k, s] ∈ [-1, 1]
scenario_logits            (B, 3)       state weight logits; scenario_probs = softmax
slot_utilities             (B, S)       Σ_s π_s u[k, s]
slot_regret                (B, S)       expected regret over the scenarios
utilities, option_regret   (B, K)       slot_utilities / slot_regret of the real options
p_good                     (B, K)       mean over members of sigmoid(slot logit), [0, 1]
=========================  ===========  ==================================================
"""

from __future__ import annotations

from typing import ClassVar

import torch
from torch import Tensor, nn

from redheart.layers import init_weights, masked_mean
from redheart.plugin_api import EncodedBatch, PluginContext
from redheart.schema import LANGUAGES
from redheart_regret._checks import PLUGIN, check_batch
from redheart_regret.config import RegretHeadConfig, head_config
from redheart_regret.counterfactual import CounterfactualGRU, TextQueries, slot_sequence
from redheart_regret.ensemble import Ensemble, bootstrap_weights
from redheart_regret.scenarios import ScenarioViews, expected_utility_and_regret


class RegretHead(nn.Module):
    """Scenario views, counterfactual GRU over options and an uncertainty ensemble."""

    PART_TARGETS: ClassVar[dict[str, int]] = {
        "queries": 2_400_000,
        "counterfactual": 6_300_000,
        "scenarios": 2_800_000,
        "ensemble": 10_500_000,
    }

    def __init__(self, config: RegretHeadConfig):
        super().__init__()
        self.config = config
        c = config
        self.queries = TextQueries(c.d_model, c.n_heads, c.n_slots, len(LANGUAGES), c.dropout)
        self.counterfactual = CounterfactualGRU(2 * c.d_model, c.gru_hidden)
        self.scenarios = ScenarioViews(c.summary_dim, c.scenario_hidden, c.dropout)
        self.ensemble = Ensemble(c.summary_dim, c.member_hidden, c.n_members, c.ensemble_seed,
                                 c.dropout)
        # Counts training forwards so each step gets fresh, reproducible bootstrap masks. Shape
        # (1,) rather than a 0-dim scalar: core's checkpoint digest cannot view 0-dim tensors.
        self.register_buffer("bootstrap_step", torch.zeros(1, dtype=torch.long))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        if any(p.is_meta for p in self.parameters()):
            return
        init_weights(self)
        # Alternatives must differ from one another by as much as texts do, or the queries
        # would collapse onto one vector after the query LayerNorm.
        nn.init.normal_(self.queries.alternatives, 0.0, 1.0)
        self.ensemble.reset_parameters()

    def forward(self, batch: EncodedBatch) -> dict[str, Tensor]:
        c = self.config
        check_batch(batch, c.d_model, c.n_slots)
        context, alternatives = self.queries(batch.features[PLUGIN], batch.lang, batch.tokens,
                                             batch.mask)
        slots, slot_mask, has_options = slot_sequence(alternatives, batch.options,
                                                      batch.option_mask)
        s = slots.shape[1]
        ctx_slots = context[:, None].expand(-1, s, -1)
        states = self.counterfactual(torch.cat([slots, ctx_slots], -1), slot_mask)  # (B, S, 2H)
        text_state = torch.cat([context, masked_mean(states, slot_mask)], -1)
        slot_in = torch.cat([ctx_slots, states], -1)  # (B, S, D + 2H)

        scen_u, scen_logits = self.scenarios(slot_in, text_state)
        scen_probs = torch.softmax(scen_logits, -1)
        slot_util, slot_regret = expected_utility_and_regret(scen_u, scen_probs, slot_mask)

        member_logits, member_slot = self.ensemble(text_state, slot_in)
        member_regret = torch.sigmoid(member_logits[..., 0])  # (B, M)
        type_logits = member_logits[..., 1:].mean(1)
        if self.training:
            weights = bootstrap_weights(batch.size, c.n_members, c.ensemble_seed,
                                        int(self.bootstrap_step[0]), member_logits.device)
            self.bootstrap_step += 1
        else:
            weights = member_logits.new_ones(batch.size, c.n_members)
        out = {
            "anticipated": member_regret.mean(1),
            "regret_type_logits": type_logits,
            "regret_type_probs": torch.softmax(type_logits, -1),
            "uncertainty": member_regret.std(1, unbiased=False),
            "member_logits": member_logits,
            "member_slot_logits": member_slot,
            "bootstrap_weights": weights,
            "context": context,
            "text_state": text_state,
            "slot_states": states,
            "slot_mask": slot_mask,
            "has_options": has_options,
            "scenario_utilities": scen_u,
            "scenario_logits": scen_logits,
            "scenario_probs": scen_probs,
            "slot_utilities": slot_util,
            "slot_regret": slot_regret,
        }
        if batch.options is not None and batch.option_mask is not None:
            k, om = batch.options.shape[1], batch.option_mask
            p_good = torch.sigmoid(member_slot).mean(-1)
            out["utilities"] = slot_util[:, :k].masked_fill(~om, 0.0)
            out["option_regret"] = slot_regret[:, :k].masked_fill(~om, 0.0)
            out["p_good"] = p_good[:, :k].masked_fill(~om, 0.0)
        return out


def build_head(ctx: PluginContext) -> RegretHead:
    """Plugin factory: the regret head sized for ``ctx.preset``."""
    return RegretHead(head_config(ctx.preset))
