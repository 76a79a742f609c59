"""``unified-test``: the design documents' gradient check on a few samples (SPEC §7).

Checks, on ``samples`` records chosen to cover every label the selected plugins predict
(decisions included when any record has one):

1. every trainable parameter receives a finite, non-zero gradient from the masked loss;
2. the loss falls over ``steps`` AdamW steps on those samples;
3. no NaN or infinity appears in any output or loss term.

Analyzers' "optional upstream absent" paths get a second backward pass with those upstreams
hidden. Experts of a sparse top-k mixture (``redheart.layers.TopKMoE``) that the router sent no
sample to in this batch cannot get a gradient by design; they are listed as "not routed" and
do not fail the check (their router still must get a gradient).

A parameter that cannot receive a gradient because its input is absent from the data
(e.g. a biosignal network when no record carries a biosignal) is reported; it fails the check,
because a model that cannot learn a part should say so rather than hide it. Plugins can supply
example side inputs for such parts through ``PluginSpec.examples``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import torch
from torch import nn

from redheart.data import Record
from redheart.layers import TopKMoE
from redheart.training.trainer import TrainConfig, Trainer, total_loss


@dataclass
class ModuleGrad:
    module: str
    params: int
    with_grad: int
    grad_norm: float
    problems: list[str]


@dataclass
class GradCheckReport:
    modules: list[ModuleGrad]
    losses: list[float]
    nonfinite: list[str]
    unrouted: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (not self.nonfinite and all(not m.problems for m in self.modules)
                and len(self.losses) > 1 and self.losses[-1] < self.losses[0])

    def format(self) -> str:
        lines = [f"{'module':<48} {'params':>11} {'with grad':>10} {'grad norm':>11}  status"]
        for m in self.modules:
            status = "ok" if not m.problems else "; ".join(m.problems)
            lines.append(f"{m.module:<48} {m.params:>11,} {m.with_grad:>10,} {m.grad_norm:>11.3e}  {status}")
        if self.unrouted:
            lines.append("not routed in this batch (sparse top-k, no gradient by design): "
                         + ", ".join(self.unrouted))
        lines.append("loss by step: " + " ".join(f"{v:.4f}" for v in self.losses))
        if self.nonfinite:
            lines.append("NON-FINITE: " + ", ".join(self.nonfinite))
        lines.append("RESULT: " + ("PASS" if self.ok else "FAIL"))
        return "\n".join(lines)


def pick_samples(records: list[Record], n: int) -> list[Record]:
    """Greedy pick of ``n`` records covering decisions, regret types and both languages."""
    chosen: list[Record] = []
    for want in (lambda r: r.decision is not None and r.decision.utilities is not None,
                 lambda r: r.lang == "ko", lambda r: r.lang == "en"):
        for r in records:
            if len(chosen) < n and want(r) and r not in chosen:
                chosen.append(r)
                break
    for r in records:
        if len(chosen) >= n:
            break
        if r not in chosen and r.regret_type not in {c.regret_type for c in chosen}:
            chosen.append(r)
    return chosen[:n]


def module_of(name: str, depth: int = 3) -> str:
    return ".".join(name.split(".")[:depth])


def gradient_check(cfg: TrainConfig, records: list[Record], steps: int = 8,
                   lr: float = 1e-3) -> GradCheckReport:
    """Run the check; ``records`` is the pool the samples are drawn from."""
    samples = pick_samples(records, cfg.samples or 3)
    # a handful of samples is not a training set: no degenerate-label stop here
    trainer = Trainer(cfg, records=samples, check_labels=False)
    model = trainer.model.train()
    idx = list(range(len(trainer.train_set)))
    inputs, labels = trainer.train_set.batch(idx, trainer.device)
    for spec in trainer.specs:
        if spec.examples is not None:
            inputs.extras.update(spec.load("examples")(samples, cfg.seed))

    routed = _track_routing(model)
    outputs = model(inputs)
    nonfinite = [f"{p}.{k}" for p, o in outputs.items() for k, v in {**o.head, **o.analyzer}.items()
                 if torch.is_floating_point(v) and not torch.isfinite(v).all()]
    loss, _ = total_loss(outputs, labels, trainer.losses, cfg.task_weights)
    loss.backward()
    if model.optional_upstreams:  # the "upstream absent" paths need a pass of their own
        hidden, _ = total_loss(model(inputs, hide=model.optional_upstreams), labels,
                               trainer.losses, cfg.task_weights)
        hidden.backward()
    per_module: dict[str, list[tuple[str, nn.Parameter]]] = defaultdict(list)
    for name, p in model.named_parameters():
        if p.requires_grad:
            per_module[module_of(name)].append((name, p))
    modules = []
    for mod, params in per_module.items():
        problems, with_grad, sq = [], 0, 0.0
        for name, p in params:
            if _not_routed(name, routed):
                continue
            if p.grad is None:
                problems.append(f"no gradient: {name}")
            elif not torch.isfinite(p.grad).all():
                problems.append(f"non-finite gradient: {name}")
            elif p.grad.abs().sum() == 0:
                problems.append(f"zero gradient: {name}")
            else:
                with_grad += p.numel()
                sq += float(p.grad.pow(2).sum())
        if len(problems) > 3:
            problems = problems[:3] + [f"... {len(problems) - 3} more"]
        modules.append(ModuleGrad(mod, sum(p.numel() for _, p in params), with_grad, sq ** 0.5,
                                  problems))

    unrouted = sorted({_expert_of(n) for n, _ in model.named_parameters() if _not_routed(n, routed)})
    for hook in routed.pop("__hooks__"):
        hook.remove()
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr)
    losses = []
    model.eval()  # no dropout: the loss curve shows optimisation, not noise
    for _ in range(steps):
        opt.zero_grad(set_to_none=True)
        loss, _ = total_loss(model(inputs), labels, trainer.losses, cfg.task_weights)
        if not torch.isfinite(loss):
            nonfinite.append("loss")
            break
        losses.append(loss.item())
        loss.backward()
        opt.step()
    return GradCheckReport(modules, losses, nonfinite, unrouted)


def _track_routing(model: nn.Module) -> dict:
    """Forward hooks recording which experts of each TopKMoE got a non-zero gate."""
    routed: dict = {"__hooks__": []}
    for name, module in model.named_modules():
        if isinstance(module, TopKMoE):
            def hook(mod, args, out, name=name):
                used = (out[1].detach() > 0).reshape(-1, out[1].shape[-1]).any(0)
                routed[name] = routed.get(name, torch.zeros_like(used)) | used
            routed["__hooks__"].append(module.register_forward_hook(hook))
    return routed


def _expert_of(param: str) -> str:
    """``a.moe.experts.3.fc.weight`` → ``a.moe.experts.3``."""
    prefix, rest = param.rsplit(".experts.", 1)
    return f"{prefix}.experts.{rest.split('.')[0]}"


def _not_routed(param: str, routed: dict) -> bool:
    if ".experts." not in param:
        return False
    moe, index = _expert_of(param).rsplit(".experts.", 1)
    used = routed.get(moe)
    return used is not None and not bool(used[int(index)])
