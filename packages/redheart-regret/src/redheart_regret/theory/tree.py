"""Decision trees with chance nodes, solved by backward induction (Raiffa 1968).

A tree is built from three frozen dataclasses: :class:`Outcome` (a leaf utility),
:class:`Chance` (branches with probabilities summing to 1) and :class:`Choice` (a decision
between named options). Backward induction values a chance node by its expected value
``Σ p_b V(b)`` and a decision node by its best option ``max_o V(o)``; the regret of an option at
a decision node is ``max_o V(o) − V(option)``, the value forgone by choosing it there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from redheart_regret.theory._checks import PROB_ATOL


@dataclass(frozen=True)
class Outcome:
    """A leaf: the utility of reaching it."""

    value: float
    label: str = ""

    def __post_init__(self) -> None:
        if not np.isfinite(self.value):
            raise ValueError(f"outcome {self.label!r} has a non-finite value {self.value}")


@dataclass(frozen=True)
class Chance:
    """A chance node: ``branches`` are (probability, subtree) pairs summing to 1."""

    branches: tuple[tuple[float, Node], ...]
    label: str = ""

    def __post_init__(self) -> None:
        if not self.branches:
            raise ValueError(f"chance node {self.label!r} has no branches")
        probs = np.array([p for p, _ in self.branches], dtype=float)
        if not np.all(np.isfinite(probs)) or np.any(probs < 0) or np.any(probs > 1):
            raise ValueError(f"chance node {self.label!r}: probabilities must be in [0, 1], "
                             f"got {probs.tolist()}")
        if abs(probs.sum() - 1.0) > PROB_ATOL:
            raise ValueError(f"chance node {self.label!r}: probabilities must sum to 1, "
                             f"got {probs.sum():.6g}")


@dataclass(frozen=True)
class Choice:
    """A decision node: ``options`` are (name, subtree) pairs; at least 2 distinct names."""

    options: tuple[tuple[str, Node], ...]
    label: str = ""

    def __post_init__(self) -> None:
        names = [n for n, _ in self.options]
        if len(names) < 2:
            raise ValueError(f"decision node {self.label!r} needs at least 2 options, "
                             f"got {len(names)}")
        if len(set(names)) != len(names):
            raise ValueError(f"decision node {self.label!r} has duplicate option names {names}")


Node = Outcome | Chance | Choice


@dataclass(frozen=True)
class Solution:
    """Backward-induction result for one node.

    Attributes:
        value: the node's value (expected value at chance nodes, best option at decisions).
        option_values: at a decision node, each option's value by name (else empty).
        option_regrets: at a decision node, ``value − option value`` by name (else empty).
        best: at a decision node, the best option's name (first on ties), else ``None``.
        children: solutions of the child nodes, in order.
    """

    value: float
    option_values: dict[str, float] = field(default_factory=dict)
    option_regrets: dict[str, float] = field(default_factory=dict)
    best: str | None = None
    children: tuple[Solution, ...] = ()

    def policy(self) -> list[str]:
        """Best option of every decision node, in depth-first order."""
        own = [self.best] if self.best is not None else []
        return own + [p for c in self.children for p in c.policy()]


def solve(node: Node) -> Solution:
    """Value every node of the tree by backward induction."""
    if isinstance(node, Outcome):
        return Solution(float(node.value))
    if isinstance(node, Chance):
        kids = tuple(solve(sub) for _, sub in node.branches)
        value = float(sum(p * k.value for (p, _), k in zip(node.branches, kids)))
        return Solution(value, children=kids)
    if isinstance(node, Choice):
        kids = tuple(solve(sub) for _, sub in node.options)
        values = {name: k.value for (name, _), k in zip(node.options, kids)}
        best = max(values, key=lambda n: (values[n], -list(values).index(n)))
        top = values[best]
        return Solution(top, values, {n: top - v for n, v in values.items()}, best, kids)
    raise TypeError(f"not a tree node: {type(node).__name__}; use Outcome, Chance or Choice")


def from_payoffs(payoffs: object, probs: object, names: list[str] | None = None) -> Choice:
    """The one-stage tree of a payoff matrix: a decision, then a chance node over states.

    ``payoffs`` (n, S) and ``probs`` (S,) as in :mod:`redheart_regret.theory.matrix`.
    """
    from redheart_regret.theory._checks import payoff_matrix, probabilities

    u = payoff_matrix(payoffs, None, None)
    p = probabilities(probs, u.shape[1])
    names = names or [f"option_{i}" for i in range(u.shape[0])]
    if len(names) != u.shape[0]:
        raise ValueError(f"need {u.shape[0]} option names, got {len(names)}")
    return Choice(tuple(
        (name, Chance(tuple((float(ps), Outcome(float(v))) for ps, v in zip(p, row))))
        for name, row in zip(names, u)))
