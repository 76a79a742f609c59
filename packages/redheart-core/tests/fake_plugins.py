"""Fake plugins for core's tests: small real modules behind PluginSpecs, no installed package.

``mood`` predicts valence from its task features and tokens; ``judge`` reads ``mood``'s output
(optional upstream) and scores decision options with a GRU over them.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn

from redheart import losses
from redheart.layers import AttentionPooling
from redheart.plugin_api import EncodedBatch, PluginContext, PluginOutputs, TextInput
from redheart.plugins import API_VERSION, PluginSpec
from redheart.results import Result


class MoodHead(nn.Module):
    def __init__(self, ctx: PluginContext):
        super().__init__()
        d = ctx.d_model
        self.pool = AttentionPooling(d, 8)
        self.out = nn.Linear(2 * d, 1)

    def forward(self, batch: EncodedBatch) -> dict[str, Tensor]:
        pooled, _ = self.pool(batch.tokens, batch.mask)
        x = torch.cat([batch.features["mood"], pooled], -1)
        return {"valence": torch.tanh(self.out(x)).squeeze(-1)}


class MoodAnalyzer(nn.Module):
    def __init__(self, ctx: PluginContext):
        super().__init__()
        self.refine = nn.Linear(ctx.d_model + 1, 1)

    def forward(self, batch: EncodedBatch, head: dict[str, Tensor], upstream) -> dict[str, Tensor]:
        x = torch.cat([batch.features["mood"], head["valence"][:, None]], -1)
        return {"valence": torch.tanh(self.refine(x)).squeeze(-1)}


class JudgeHead(nn.Module):
    def __init__(self, ctx: PluginContext):
        super().__init__()
        d = ctx.d_model
        self.gru = nn.GRU(d, d, batch_first=True)
        self.score = nn.Linear(d, 1)

    def forward(self, batch: EncodedBatch) -> dict[str, Tensor]:
        out = {"acceptability": torch.tanh(self.score(batch.features["judge"])).squeeze(-1)}
        if batch.options is not None:
            states, _ = self.gru(batch.options)
            scores = self.score(states).squeeze(-1)
            out["option_scores"] = scores.masked_fill(~batch.option_mask, 0.0)
        return out


class JudgeAnalyzer(nn.Module):
    def __init__(self, ctx: PluginContext):
        super().__init__()
        self.mix = nn.Linear(2, 1)
        self.absent = nn.Parameter(torch.zeros(1))

    def forward(self, batch: EncodedBatch, head: dict[str, Tensor], upstream) -> dict[str, Tensor]:
        mood = (upstream["mood"].final("valence") if "mood" in upstream
                else self.absent.expand(batch.size))
        x = torch.stack([head["acceptability"], mood], -1)
        return {"acceptability": torch.tanh(self.mix(x)).squeeze(-1)}


def build_mood_head(ctx):
    return MoodHead(ctx)


def build_mood_analyzer(ctx):
    return MoodAnalyzer(ctx)


def build_judge_head(ctx):
    return JudgeHead(ctx)


def build_judge_analyzer(ctx):
    return JudgeAnalyzer(ctx)


def mood_loss(outputs: PluginOutputs, targets) -> dict[str, Tensor]:
    v, m = targets["valence"]
    return {"valence": losses.mse(outputs.final("valence"), v, m)}


def judge_loss(outputs: PluginOutputs, targets) -> dict[str, Tensor]:
    v, m = targets["hedonic"]
    terms = {"hedonic": losses.mse(outputs.final("acceptability"), v, m)}
    if "option_scores" in outputs.head:
        u, um = targets["utilities"]
        k = outputs.head["option_scores"].shape[1]
        terms["utilities"] = losses.mse(torch.tanh(outputs.head["option_scores"]), u[:, :k], um[:, :k])
    return terms


@dataclass
class MoodResult(Result):
    valence: float


@dataclass
class JudgeResult(Result):
    acceptability: float
    option_scores: list[float] | None


def interpret_mood(outputs: PluginOutputs, i: int, item: TextInput) -> MoodResult:
    return MoodResult(float(outputs.final("valence")[i]))


def interpret_judge(outputs: PluginOutputs, i: int, item: TextInput) -> JudgeResult:
    scores = None
    if item.options and "option_scores" in outputs.head:
        scores = outputs.head["option_scores"][i, : len(item.options)].tolist()
    return JudgeResult(float(outputs.final("acceptability")[i]), scores)


M = __name__
MOOD = PluginSpec(
    name="mood", api_version=API_VERSION, package="redheart-mood",
    head=f"{M}:build_mood_head", analyzer=f"{M}:build_mood_analyzer", loss=f"{M}:mood_loss",
    interpret=f"{M}:interpret_mood", schema_fields=("valence",), head_params=100,
)
JUDGE = PluginSpec(
    name="judge", api_version=API_VERSION, package="redheart-judge", optional=("mood",),
    head=f"{M}:build_judge_head", analyzer=f"{M}:build_judge_analyzer", loss=f"{M}:judge_loss",
    interpret=f"{M}:interpret_judge", schema_fields=("hedonic",),
)
LIBRARY = PluginSpec(name="lib", api_version=API_VERSION, package="redheart-lib")
OLD = PluginSpec(name="old", api_version=API_VERSION + 1, package="redheart-old")
NOT_A_SPEC = {"name": "bogus"}
NEEDS_MOOD = PluginSpec(name="needy", api_version=API_VERSION, package="redheart-needy",
                        requires=("mood",), head=f"{M}:build_mood_head",
                        interpret=f"{M}:interpret_mood")
