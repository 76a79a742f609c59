"""Differentiable readout shared by the head and the analyzer: logits → consistent hierarchy.

The three levels are consistent by construction: the model predicts the basic distribution
p(e) and, per emotion, p(g | e); polarity is the exact marginal through
``schema.polarity_matrix()``, the graded distribution is p(e) p(g | e) (``schema.project_graded``
laid out emotion-major), and the intensity distribution is the grade marginal Σ_e p(e, g).
The tests check these against core's numpy functions.

Valence and arousal start from the schema's fixed linear map of the distribution and are
corrected in logit space by a learned offset: valence = tanh(atanh(p·V) + δ_v),
arousal = σ(logit(p·A) + δ_a). With δ = 0 they equal ``schema.valence_arousal`` exactly, so the
networks learn only what the distribution misses (e.g. arousal from intensity).
"""

from __future__ import annotations

import torch
from torch import Tensor

from redheart import schema

_EPS = 1e-4  # keeps atanh/logit finite at the ends of the ranges


def polarity_tensor(like: Tensor) -> Tensor:
    """(8, 3) polarity matrix from core, on ``like``'s device and dtype."""
    return torch.as_tensor(schema.polarity_matrix(), dtype=like.dtype, device=like.device)


def hierarchy_readout(
    emotion_logits: Tensor,
    grade_logits: Tensor,
    va_offset: Tensor,
    cultural_logits: Tensor,
) -> dict[str, Tensor]:
    """The fixed output keys from raw logits.

    Args:
        emotion_logits: (B, 8) logits of the basic distribution.
        grade_logits: (B, 8, 3) logits of p(grade | emotion).
        va_offset: (B, 2) learned corrections (δ_v, δ_a) in atanh / logit space.
        cultural_logits: (B, 3) logits of jeong, han, chemyeon.

    Returns:
        emotion_logits (B, 8), grade_logits (B, 8, 3), emotion_probs (B, 8), polarity_probs
        (B, 3), graded_log_probs / graded_probs (B, 24), intensity_log_probs / intensity_probs
        (B, 3), valence (B,) in [-1, 1], arousal (B,) in [0, 1], cultural_logits / cultural (B, 3).
    """
    b = emotion_logits.shape[0]
    if emotion_logits.shape != (b, 8) or grade_logits.shape != (b, 8, 3):
        raise ValueError(
            f"expected emotion_logits (B, 8) and grade_logits (B, 8, 3), got "
            f"{tuple(emotion_logits.shape)} and {tuple(grade_logits.shape)}"
        )
    log_p = torch.log_softmax(emotion_logits, dim=-1)
    log_joint = log_p.unsqueeze(-1) + torch.log_softmax(grade_logits, dim=-1)  # (B, 8, 3)
    p = log_p.exp()
    prior_v = p @ torch.as_tensor(schema.EMOTION_VALENCE, dtype=p.dtype, device=p.device)
    prior_a = p @ torch.as_tensor(schema.EMOTION_AROUSAL, dtype=p.dtype, device=p.device)
    valence = torch.tanh(torch.atanh(prior_v.clamp(-1 + _EPS, 1 - _EPS)) + va_offset[:, 0])
    arousal = torch.sigmoid(torch.logit(prior_a.clamp(_EPS, 1 - _EPS)) + va_offset[:, 1])
    graded_log = log_joint.reshape(b, 24)
    intensity_log = torch.logsumexp(log_joint, dim=1)  # (B, 3)
    return {
        "emotion_logits": emotion_logits,
        "grade_logits": grade_logits,
        "emotion_probs": p,
        "polarity_probs": p @ polarity_tensor(p),
        "graded_log_probs": graded_log,
        "graded_probs": graded_log.exp(),
        "intensity_log_probs": intensity_log,
        "intensity_probs": intensity_log.exp(),
        "valence": valence,
        "arousal": arousal,
        "cultural_logits": cultural_logits,
        "cultural": torch.sigmoid(cultural_logits),
    }
