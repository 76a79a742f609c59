"""Plugin registry: discovery of analyzer packages through the ``redheart.plugins`` entry points.

A plugin package declares, in its ``pyproject.toml``::

    [project.entry-points."redheart.plugins"]
    emotion = "redheart_emotion.plugin:SPEC"

where ``SPEC`` is a :class:`PluginSpec`. The module holding ``SPEC`` must import nothing heavier
than this module: listing plugins never imports torch. Heavy code is named by import strings
(``"package.module:attribute"``) and loaded only when a pipeline or trainer asks for it.

Failure isolation: a plugin that fails to import, has an incompatible ``api_version``, is not a
``PluginSpec``, or is registered twice is recorded with its status and skipped, so the other
plugins keep working. ``REDHEART_STRICT_PLUGINS=1`` turns any such failure into an error;
``REDHEART_DISABLE_PLUGINS=a,b`` switches the named plugins off.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from importlib_metadata import EntryPoint, entry_points

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

ENTRY_POINT_GROUP = "redheart.plugins"
# Bumped when the contract between core and plugins changes incompatibly (see plugin_api.py).
API_VERSION = 1
STRICT_ENV = "REDHEART_STRICT_PLUGINS"
DISABLE_ENV = "REDHEART_DISABLE_PLUGINS"


class PluginError(RuntimeError):
    """A plugin is unknown, not installed, broken or incompatible."""


@dataclass(frozen=True)
class PluginSpec:
    """What a plugin tells core about itself, without importing its heavy code.

    Attributes:
        name: short plugin name used in pipelines and checkpoints (``"emotion"``).
        api_version: the core plugin API it was written against (must equal ``API_VERSION``).
        package: the pip distribution that provides it (``"redheart-emotion"``), named in errors.
        requires: plugins whose outputs it needs; the pipeline refuses to run it without them.
        optional: plugins whose outputs it uses when installed; it degrades without them.
        head: import string of ``factory(ctx: PluginContext) -> nn.Module`` or ``None``.
        analyzer: import string of ``factory(ctx: PluginContext) -> nn.Module`` or ``None``.
        loss: import string of ``loss(outputs: PluginOutputs, targets: LabelBatch) -> dict``.
        interpret: import string of ``interpret(outputs, index, item) -> Result`` turning row
            ``index`` of the model's outputs for ``item`` (a ``TextInput``) into a typed result.
        schema_fields: the label-schema fields (``redheart.schema.FIELDS``) it predicts.
        cli: import string of ``register(subparsers)`` adding its own ``redheart`` subcommands.
        description: one line for ``redheart plugins``.
        examples: import string of ``examples(records, seed) -> dict[str, list]`` giving
            deterministic side inputs (``TextInput.extras`` keys) for those records, used by the
            gradient check so parts fed only by side inputs (e.g. biosignals) are exercised.
        head_params: the head's parameter target at preset ``full`` (SPEC §5), 0 for none.
        analyzer_params: the analyzer's parameter target at preset ``full``, 0 for none.

    Heads and analyzers may declare ``PART_TARGETS: dict[str, int]`` as a class attribute,
    mapping names of their child modules to parameter targets at ``full``; ``redheart params``
    prints those parts under the row.
    """

    name: str
    api_version: int
    package: str
    requires: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    head: str | None = None
    analyzer: str | None = None
    loss: str | None = None
    interpret: str | None = None
    schema_fields: tuple[str, ...] = ()
    cli: str | None = None
    description: str = ""
    examples: str | None = None
    head_params: int = 0
    analyzer_params: int = 0

    @property
    def has_model(self) -> bool:
        """True when the plugin contributes learned modules (and so a backbone task slot)."""
        return self.head is not None

    def load(self, attribute: str) -> Any:
        """Import and return the object named by one of the import-string attributes."""
        target = getattr(self, attribute)
        if target is None:
            raise PluginError(f"plugin {self.name!r} declares no {attribute!r}")
        return load_object(target)


@dataclass
class PluginRecord:
    """One discovered entry point and what happened when it was loaded."""

    name: str
    status: str  # "ok" | "disabled" | "import-error" | "incompatible" | "duplicate" | "invalid"
    version: str = ""
    package: str = ""
    spec: PluginSpec | None = None
    error: str = ""


@dataclass
class Registry:
    """The plugins found in this environment; build one with :func:`discover`."""

    records: list[PluginRecord] = field(default_factory=list)

    @property
    def plugins(self) -> dict[str, PluginSpec]:
        """Working plugins by name."""
        return {r.name: r.spec for r in self.records if r.status == "ok" and r.spec is not None}

    def version(self, name: str) -> str:
        for r in self.records:
            if r.name == name and r.status == "ok":
                return r.version
        raise PluginError(f"plugin {name!r} is not available")

    def get(self, name: str) -> PluginSpec:
        """The spec of a working plugin, or a :class:`PluginError` that says how to get it."""
        if name in self.plugins:
            return self.plugins[name]
        for r in self.records:
            if r.name == name:
                raise PluginError(
                    f"plugin {name!r} is installed but not usable ({r.status}: {r.error}); "
                    f"see `redheart plugins`"
                )
        raise PluginError(
            f"unknown plugin {name!r}: it is not installed. Install it with "
            f"`pip install redheart-{name}`; installed plugins: {sorted(self.plugins) or 'none'}"
        )

    def resolve(self, names: Iterable[str]) -> list[PluginSpec]:
        """Specs for ``names`` in dependency order (requirements before dependants).

        Required plugins that were not asked for are an error naming what to add; optional ones
        are used only when they are among ``names``.
        """
        wanted = list(dict.fromkeys(names))
        specs = {n: self.get(n) for n in wanted}
        for spec in specs.values():
            missing = [r for r in spec.requires if r not in specs]
            if missing:
                raise PluginError(
                    f"plugin {spec.name!r} requires {missing}; add them to the pipeline "
                    f"(and `pip install {' '.join('redheart-' + m for m in missing)}` if needed)"
                )
        order: list[PluginSpec] = []
        state: dict[str, int] = {}  # 1 = visiting, 2 = done

        def visit(name: str, chain: tuple[str, ...]) -> None:
            if state.get(name) == 2:
                return
            if state.get(name) == 1:
                raise PluginError(f"plugin dependency cycle: {' -> '.join(chain + (name,))}")
            state[name] = 1
            spec = specs[name]
            for dep in spec.requires + tuple(o for o in spec.optional if o in specs):
                visit(dep, chain + (name,))
            state[name] = 2
            order.append(spec)

        for name in wanted:
            visit(name, ())
        return order


def load_object(target: str) -> Any:
    """Import ``"package.module:attribute"`` and return the attribute."""
    module_name, _, attribute = target.partition(":")
    if not module_name or not attribute:
        raise PluginError(f"bad import string {target!r}; expected 'package.module:attribute'")
    module = importlib.import_module(module_name)
    try:
        return getattr(module, attribute)
    except AttributeError as exc:
        raise PluginError(f"{module_name!r} has no attribute {attribute!r}") from exc


def _disabled() -> set[str]:
    return {n.strip() for n in os.environ.get(DISABLE_ENV, "").split(",") if n.strip()}


def _strict() -> bool:
    return os.environ.get(STRICT_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def discover(
    eps: Iterable[EntryPoint] | None = None, *, strict: bool | None = None
) -> Registry:
    """Load every ``redheart.plugins`` entry point into a :class:`Registry`.

    Args:
        eps: entry points to load (tests pass fakes); defaults to the installed ones.
        strict: raise on the first broken plugin; defaults to ``$REDHEART_STRICT_PLUGINS``.
    """
    strict = _strict() if strict is None else strict
    eps = list(entry_points(group=ENTRY_POINT_GROUP) if eps is None else eps)
    disabled = _disabled()
    registry = Registry()
    seen: dict[str, PluginRecord] = {}
    for ep in sorted(eps, key=lambda e: e.name):
        dist = getattr(ep, "dist", None)
        record = PluginRecord(
            name=ep.name,
            status="ok",
            version=getattr(dist, "version", "") or "",
            package=getattr(dist, "name", "") or "",
        )
        registry.records.append(record)
        if ep.name in disabled:
            record.status = "disabled"
            record.error = f"switched off by {DISABLE_ENV}"
            continue
        if ep.name in seen:
            record.status = "duplicate"
            record.error = (
                f"plugin name {ep.name!r} is registered by both {seen[ep.name].package or '?'} "
                f"and {record.package or '?'}; uninstall one of them"
            )
        else:
            seen[ep.name] = record
            _load_into(ep, record)
        if record.status != "ok":
            if strict:
                raise PluginError(f"plugin {ep.name!r}: {record.status}: {record.error}")
            logger.warning("skipping plugin %r (%s): %s", ep.name, record.status, record.error)
    return registry


def _load_into(ep: EntryPoint, record: PluginRecord) -> None:
    try:
        spec = ep.load()
    except Exception as exc:  # a broken plugin must not take the others down
        record.status, record.error = "import-error", f"{type(exc).__name__}: {exc}"
        return
    if not isinstance(spec, PluginSpec):
        record.status = "invalid"
        record.error = f"entry point {ep.value!r} is a {type(spec).__name__}, not a PluginSpec"
        return
    if spec.name != ep.name:
        record.status = "invalid"
        record.error = f"entry point name {ep.name!r} differs from the spec's name {spec.name!r}"
        return
    if spec.api_version != API_VERSION:
        record.status = "incompatible"
        record.error = (
            f"written for plugin API {spec.api_version}, this redheart speaks {API_VERSION}; "
            f"upgrade {spec.package} and redheart-core together"
        )
        return
    record.spec = spec
    record.package = record.package or spec.package


_REGISTRY: Registry | None = None


def registry(refresh: bool = False) -> Registry:
    """The process-wide registry of installed plugins (discovered once, on first use)."""
    global _REGISTRY
    if _REGISTRY is None or refresh:
        _REGISTRY = discover()
    return _REGISTRY


def format_table(reg: Registry) -> str:
    """The table printed by ``redheart plugins``."""
    rows = [("name", "status", "version", "package", "detail")]
    for r in reg.records:
        detail = r.error or (r.spec.description if r.spec else "")
        rows.append((r.name, r.status, r.version or "-", r.package or "-", detail))
    if len(rows) == 1:
        return "no redheart plugins installed (pip install redheart-emotion, ...)"
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths)) + "  " + row[4]
        for row in rows
    )

