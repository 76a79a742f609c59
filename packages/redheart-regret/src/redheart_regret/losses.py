"""Training loss of the regret plugin: named, masked scalar terms (``PluginSpec.loss``).

Every term uses redheart.losses with the label masks of redheart.labels, so a missing label
gives exactly zero gradient to its output. Targets (labels.py): ``regret_anticipated`` (B,),
``regret_type`` (B,), ``utilities`` and ``p_good`` (B, 4) masked per option.

=====================  =======  ==================================================================
term                   weight   what
=====================  =======  ==================================================================
anticipated            1        Huber(δ=0.5) of the final anticipated regret
regret_type            1        cross-entropy of the final type logits
ensemble_anticipated   0.5      each member's Huber on its bootstrap rows, mean over members
ensemble_type          0.5      each member's cross-entropy on its bootstrap rows
utilities              1        MSE of the final per-option utilities over real options
head_utilities         0.5      MSE of the head's scenario-weighted utilities
option_regret          0.5      MSE of expected regret vs max_j u_j − u_k of the labelled
                                utilities (rows where every option is labelled)
ranking                0.5      pairwise margin (0.1) on final utilities for option pairs whose
                                labelled utilities differ by more than 0.05
p_good                 1        BCE of the Beta posterior mean
ensemble_p_good        0.5      each member's BCE on its bootstrap rows
p_good_beta_nll        0.05     −log Beta(p_good | α, β), target clipped to [0.01, 0.99]; trains
                                the posterior concentration
trajectory             0.25     MSE of the regret trajectory vs the temporal theory prior at the
                                labelled anticipated regret and type (no time-course labels
                                exist; see temporal_net.py)
=====================  =======  ==================================================================

The weights are starting points chosen so that no auxiliary term outweighs the main ones; they
are not tuned.
"""

from __future__ import annotations

import torch
from torch import Tensor

from redheart import losses as L
from redheart.labels import LabelBatch
from redheart.plugin_api import PluginOutputs, zero_loss
from redheart_regret.temporal_net import ACTION, INACTION, horizon_curves, theory_prior

WEIGHTS: dict[str, float] = {
    "anticipated": 1.0, "regret_type": 1.0, "ensemble_anticipated": 0.5, "ensemble_type": 0.5,
    "utilities": 1.0, "head_utilities": 0.5, "option_regret": 0.5, "ranking": 0.5,
    "p_good": 1.0, "ensemble_p_good": 0.5, "p_good_beta_nll": 0.05, "trajectory": 0.25,
}
RANK_MARGIN = 0.1
RANK_MIN_GAP = 0.05
BETA_CLIP = 0.01
_CURVES = horizon_curves()


def _target(targets: LabelBatch, key: str) -> tuple[Tensor, Tensor]:
    """Values and mask of ``key`` with unlabelled entries set to 0 (see ``redheart.losses.clean``:
    the ranking and Beta terms below compute on the targets before any masked average)."""
    values, mask = targets[key]
    return L.clean(values, mask), mask


def _members(per_member: list[Tensor]) -> Tensor:
    return torch.stack(per_member).mean()


def compute_loss(outputs: PluginOutputs, targets: LabelBatch) -> dict[str, Tensor]:
    """Weighted loss terms (already multiplied by ``WEIGHTS``) keyed by term name."""
    head = outputs.head
    ref = head["anticipated"]
    boot = head["bootstrap_weights"] > 0  # (B, M)
    m = boot.shape[1]
    a_val, a_mask = _target(targets, "regret_anticipated")
    t_val, t_mask = _target(targets, "regret_type")
    terms: dict[str, Tensor] = {
        "anticipated": L.huber(outputs.final("anticipated"), a_val, a_mask),
        "regret_type": L.cross_entropy(outputs.final("regret_type_logits"), t_val, t_mask),
        "ensemble_anticipated": _members([
            L.huber(torch.sigmoid(head["member_logits"][:, i, 0]), a_val, a_mask & boot[:, i])
            for i in range(m)]),
        "ensemble_type": _members([
            L.cross_entropy(head["member_logits"][:, i, 1:], t_val, t_mask & boot[:, i])
            for i in range(m)]),
    }
    terms.update(_option_terms(outputs, targets, boot))
    terms["trajectory"] = _trajectory_term(outputs, a_val, a_mask, t_val, t_mask, ref)
    return {name: WEIGHTS[name] * value for name, value in terms.items()}


def _option_terms(outputs: PluginOutputs, targets: LabelBatch, boot: Tensor) -> dict[str, Tensor]:
    head = outputs.head
    names = ("utilities", "head_utilities", "option_regret", "ranking", "p_good",
             "ensemble_p_good", "p_good_beta_nll")
    if "utilities" not in head:  # no decision in this batch
        ref = head["anticipated"]
        return {n: zero_loss(ref) for n in names}
    util = outputs.final("utilities")
    k = util.shape[1]
    u_val, u_mask = (t[:, :k] for t in _target(targets, "utilities"))
    p_val, p_mask = (t[:, :k] for t in _target(targets, "p_good"))
    for name, mask in (("utilities", targets.masks["utilities"]),
                       ("p_good", targets.masks["p_good"])):
        if bool(mask[:, k:].any()):
            raise ValueError(f"targets have {name} labels beyond the batch's K={k} options; "
                             f"collate options and labels from the same records")
    terms = {
        "utilities": L.mse(util, u_val, u_mask),
        "head_utilities": L.mse(head["utilities"], u_val, u_mask),
        "option_regret": _regret_term(outputs.final("option_regret"), u_val, u_mask,
                                      targets.values["option_mask"][:, :k]),
        "ranking": _ranking_term(util, u_val, u_mask),
        "p_good": L.binary_cross_entropy(outputs.final("p_good_logits"), p_val, p_mask),
        "ensemble_p_good": _members([
            L.binary_cross_entropy(head["member_slot_logits"][:, :k, i], p_val,
                                   p_mask & boot[:, i:i + 1])
            for i in range(boot.shape[1])]),
    }
    alpha, beta = outputs.final("p_good_alpha"), outputs.final("p_good_beta")
    safe_a = torch.where(p_mask, alpha, torch.ones_like(alpha))
    safe_b = torch.where(p_mask, beta, torch.ones_like(beta))
    nll = -torch.distributions.Beta(safe_a, safe_b).log_prob(
        p_val.clamp(BETA_CLIP, 1.0 - BETA_CLIP))
    terms["p_good_beta_nll"] = L.masked_average(nll, p_mask)
    return terms


def _regret_term(pred: Tensor, u_val: Tensor, u_mask: Tensor, option_mask: Tensor) -> Tensor:
    """Expected regret vs the labelled regret ``max_j u_j − u_k`` (rows fully labelled)."""
    full = (u_mask == option_mask).all(-1) & option_mask.any(-1)  # (B,)
    best = u_val.masked_fill(~u_mask, -2.0).amax(-1, keepdim=True)
    target = (best - u_val).clamp_min(0.0)
    return L.mse(pred, target, u_mask & full[:, None])


def _ranking_term(pred: Tensor, u_val: Tensor, u_mask: Tensor) -> Tensor:
    """Pairwise margin: for labelled pairs with u_i > u_j + gap, relu(margin − (ŷ_i − ŷ_j))."""
    diff_t = u_val[:, :, None] - u_val[:, None, :]  # (B, K, K)
    pair = u_mask[:, :, None] & u_mask[:, None, :] & (diff_t > RANK_MIN_GAP)
    diff_p = pred[:, :, None] - pred[:, None, :]
    return L.masked_average(torch.relu(RANK_MARGIN - diff_p), pair)


def _trajectory_term(outputs: PluginOutputs, a_val: Tensor, a_mask: Tensor, t_val: Tensor,
                     t_mask: Tensor, ref: Tensor) -> Tensor:
    traj = outputs.final("regret_trajectory")
    rows = a_mask & t_mask
    if not bool(rows.any()):
        return zero_loss(traj)
    p_a = (t_val == ACTION).to(traj.dtype)
    p_i = (t_val == INACTION).to(traj.dtype)
    target = theory_prior(a_val.to(traj.dtype), p_a, p_i, _CURVES)
    return L.mse(traj, target, rows[:, None].expand_as(traj))
