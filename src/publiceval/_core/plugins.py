"""The plugin host: loads built-ins and installed plugins, and hands out what they registered.

Built-ins are ordinary plugin modules in :mod:`publiceval._core.default_plugins`. Third-party
plugins come from the ``publiceval`` entry-point group, loaded the first time something is
looked up (never at import). ``PUBLICEVAL_LOAD_PLUGINS`` restricts autoloading: unset loads
all, an empty value loads none, ``a,b`` loads only the entry points named ``a`` and ``b``.

Two plugins may register the same name (two packages both shipping a ``median`` method). That is
not an error until something asks for the name: :meth:`PluginHost.method` and the other lookups
then raise :class:`~publiceval._core.errors.PluginClashError` naming both plugins and their
packages, while everything else keeps working and ``publiceval plugins`` lists both providers.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.metadata
import os
from collections.abc import Iterable
from types import ModuleType
from typing import Any

import pluggy

from . import hookspecs
from .components import Component
from .errors import PluginClashError, PluginError
from .ingest import Reader
from .methods import ScoringMethod
from .plugin_registry import Entry as _Entry
from .plugin_registry import PluginClash, PluginInfo, registrar
from .reporters import Reporter
from .rules import RecommendationRule
from .schemes import CategoryScheme

__all__ = [
    "ENTRY_POINT_GROUP",
    "ENV_LOAD",
    "PluginClash",
    "PluginHost",
    "PluginInfo",
    "get_host",
    "get_plugins",
]

ENTRY_POINT_GROUP = "publiceval"
ENV_LOAD = "PUBLICEVAL_LOAD_PLUGINS"

DEFAULT_PLUGINS = (
    "publiceval._core.default_plugins.mean",
    "publiceval._core.default_plugins.cutoffs",
    "publiceval._core.default_plugins.ikm",
    "publiceval._core.default_plugins.top_box",
    "publiceval._core.default_plugins.nps",
    "publiceval._core.default_plugins.csi",
    "publiceval._core.default_plugins.ipa",
    "publiceval._core.default_plugins.servqual",
    "publiceval._core.default_plugins.permenpan_2017",
    "publiceval._core.default_plugins.kepmenpan_2004",
    "publiceval._core.default_plugins.likert_interval",
    "publiceval._core.default_plugins.ombudsman_2021",
    "publiceval._core.default_plugins.lowest_k",
    "publiceval._core.default_plugins.rule_category",
    "publiceval._core.default_plugins.rule_ipa",
    "publiceval._core.default_plugins.rule_survey_wide",
    "publiceval._core.default_plugins.rule_tagged",
    "publiceval._core.default_plugins.rule_weakest_items",
    "publiceval._core.default_plugins.rule_when",
    "publiceval._core.default_plugins.csv_reader",
    "publiceval._core.default_plugins.arrow_csv_reader",
    "publiceval._core.default_plugins.xlsx_reader",
    "publiceval._core.default_plugins.gforms_reader",
    "publiceval._core.default_plugins.kobo_reader",
    "publiceval._core.default_plugins.parquet_reader",
    "publiceval._core.default_plugins.json_reporter",
    "publiceval._core.default_plugins.table_reporter",
    "publiceval._core.default_plugins.markdown_reporter",
    "publiceval._core.default_plugins.html_reporter",
    "publiceval._core.default_plugins.xlsx_reporter",
    "publiceval._core.default_plugins.pdf_reporter",
    "publiceval._core.default_plugins.infographic_reporter",
)

_KINDS: dict[str, tuple[str, type[Component]]] = {
    "methods": ("register_methods", ScoringMethod),
    "schemes": ("register_schemes", CategoryScheme),
    "rules": ("register_rules", RecommendationRule),
    "readers": ("register_readers", Reader),
    "reporters": ("register_reporters", Reporter),
}


class PluginHost:
    """A pluggy ``PluginManager`` with typed getters over its hooks.

    Make a fresh host for isolated work (tests do); :func:`get_host` returns the shared one.
    """

    def __init__(self, *, builtins: bool = True, entrypoints: bool = True) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self._sources: dict[str, tuple[str, str | None, str | None]] = {}
        self._autoload = entrypoints
        self._loaded_entrypoints = False
        self._cache: dict[str, dict[str, list[_Entry]]] | None = None
        if builtins:
            for dotted in DEFAULT_PLUGINS:
                self.register(
                    importlib.import_module(dotted), name=dotted.rsplit(".", 1)[1], source="builtin"
                )

    def register(
        self, plugin: ModuleType | object, *, name: str | None = None, source: str = "registered"
    ) -> str:
        """Register a plugin object or module (what an entry point would load)."""
        try:
            registered = self.pm.register(plugin, name=name)
        except ValueError as exc:
            raise PluginError(f"cannot register plugin {name!r}: {exc}") from None
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"plugin {name!r} is invalid: {exc}") from None
        if registered is None:
            raise PluginError(f"plugin {name!r} is blocked")
        # pluggy accepts a misspelt hook silently; a plugin author would see nothing happen
        unknown = [
            c.name
            for c in self.pm.get_hookcallers(plugin) or []
            if c.spec is None
            and not all(i.optionalhook for i in c.get_hookimpls() if i.plugin is plugin)
        ]
        if unknown:
            self.pm.unregister(plugin)
            known = sorted(n for n in dir(self.pm.hook) if not n.startswith("_"))
            known = [n for n in known if getattr(self.pm.hook, n).spec is not None]
            hint = difflib.get_close_matches(unknown[0], known, n=1)
            tip = f"; did you mean {hint[0]!r}?" if hint else f" (hooks: {', '.join(known)})"
            raise PluginError(
                f"plugin {registered!r} implements {unknown[0]!r}, which is not a publiceval "
                f"hook{tip}"
            )
        package = "publiceval" if source == "builtin" else None
        self._sources[registered] = (source, None, package)
        self._cache = None
        return registered

    def _load_entrypoints(self) -> None:
        if self._loaded_entrypoints or not self._autoload:
            return
        self._loaded_entrypoints = True
        wanted = os.environ.get(ENV_LOAD)
        allowed = None if wanted is None else {w.strip() for w in wanted.split(",") if w.strip()}
        for ep in sorted(
            importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name
        ):
            if allowed is not None and ep.name not in allowed:
                continue
            if self.pm.has_plugin(ep.name):
                continue
            try:
                plugin = ep.load()
            except Exception as exc:  # a broken plugin must say who it is
                raise PluginError(f"plugin {ep.name!r} ({ep.value}) failed to load: {exc}") from exc
            self.register(plugin, name=ep.name, source="entrypoint")
            version = ep.dist.version if ep.dist is not None else None
            package = ep.dist.name if ep.dist is not None else None
            self._sources[ep.name] = ("entrypoint", version, package)

    def _collect(self) -> dict[str, dict[str, list[_Entry]]]:
        """Every registration by kind and name; a name with two entries is a clash."""
        self._load_entrypoints()
        if self._cache is not None:
            return self._cache
        out: dict[str, dict[str, list[_Entry]]] = {}
        for kind, (hook_name, base) in _KINDS.items():
            found: dict[str, list[_Entry]] = {}
            hook = getattr(self.pm.hook, hook_name)
            for impl in hook.get_hookimpls():
                register = registrar(found, kind, base, impl.plugin_name)
                try:
                    impl.function(register)
                except PluginError:
                    raise
                except Exception as exc:
                    raise PluginError(
                        f"plugin {impl.plugin_name!r} failed in {hook_name}: {exc}"
                    ) from exc
            out[kind] = dict(sorted(found.items()))
        self._cache = out
        return out

    def _get(self, kind: str, name: str) -> _Entry:
        entries = self._collect()[kind]
        if name not in entries:
            hint = difflib.get_close_matches(name, list(entries), n=1)
            tip = f"; did you mean {hint[0]!r}?" if hint else ""
            known = ", ".join(entries) or "none"
            raise PluginError(f"unknown {kind[:-1]} {name!r} (installed: {known}){tip}")
        found = entries[name]
        if len(found) > 1:
            raise PluginClashError(self._clash_message(kind, name, found))
        return found[0]

    def _clash_message(self, kind: str, name: str, found: list[_Entry]) -> str:
        who = [f"plugin {p!r}" + self._package_note(p) for _, p in found]
        if len(set(who)) == 1:  # one plugin, two classes under one name
            return (
                f"{kind[:-1]} name {name!r} is registered twice by {who[0]}, by different classes"
            )
        listed = " and ".join(who) if len(who) == 2 else ", ".join(who[:-1]) + " and " + who[-1]
        both = "both " if len(who) == 2 else ""
        return (
            f"{kind[:-1]} name {name!r} is registered by {both}{listed}; uninstall one, or load "
            f"only the plugins you want with {ENV_LOAD} (see 'publiceval plugins')"
        )

    def _package_note(self, plugin: str) -> str:
        _, version, package = self._sources.get(plugin, ("registered", None, None))
        if package is None:
            return ""
        return f" (package {package}{' ' + version if version else ''})"

    def clashes(self) -> list[PluginClash]:
        """Names registered by more than one plugin (harmless until a study or call uses one)."""
        return [
            PluginClash(
                kind=kind,
                name=name,
                plugins=[p for _, p in found],
                packages=[self._sources.get(p, ("", None, None))[2] for _, p in found],
            )
            for kind, entries in self._collect().items()
            for name, found in entries.items()
            if len(found) > 1
        ]

    # typed getters -------------------------------------------------------
    # The plural getters leave out clashing names (see :meth:`clashes`); asking for one by name
    # raises PluginClashError.
    def methods(self) -> dict[str, type[ScoringMethod]]:
        """Scoring methods by name."""
        return _typed(self._collect()["methods"], ScoringMethod)

    def schemes(self) -> dict[str, type[CategoryScheme]]:
        """Category schemes by name."""
        return _typed(self._collect()["schemes"], CategoryScheme)

    def rules(self) -> dict[str, type[RecommendationRule]]:
        """Recommendation rules by name."""
        return _typed(self._collect()["rules"], RecommendationRule)

    def readers(self) -> dict[str, type[Reader]]:
        """Readers by name."""
        return _typed(self._collect()["readers"], Reader)

    def reporters(self) -> dict[str, type[Reporter]]:
        """Reporters by name."""
        return _typed(self._collect()["reporters"], Reporter)

    def method(self, name: str) -> type[ScoringMethod]:
        """The scoring method registered as ``name`` (an error lists what is installed)."""
        cls: type[ScoringMethod] = _one(self._get("methods", name)[0], ScoringMethod)
        return cls

    def scheme(self, name: str) -> type[CategoryScheme]:
        """The category scheme registered as ``name``."""
        cls: type[CategoryScheme] = _one(self._get("schemes", name)[0], CategoryScheme)
        return cls

    def rule(self, name: str) -> type[RecommendationRule]:
        """The recommendation rule registered as ``name``."""
        cls: type[RecommendationRule] = _one(self._get("rules", name)[0], RecommendationRule)
        return cls

    def reader(self, name: str) -> type[Reader]:
        """The reader registered as ``name``."""
        cls: type[Reader] = _one(self._get("readers", name)[0], Reader)
        return cls

    def reporter(self, name: str) -> type[Reporter]:
        """The reporter registered as ``name``."""
        cls: type[Reporter] = _one(self._get("reporters", name)[0], Reporter)
        return cls

    def provider(self, kind: str, name: str) -> str:
        """The plugin that registered ``name`` among ``kind`` (e.g. ``"methods"``)."""
        return self._get(kind, name)[1]

    def reader_for_suffix(self, suffix: str) -> type[Reader]:
        """The reader that claims a file ending such as ``.csv``."""
        suffix = suffix.lower()
        claims = {
            name: {s for cls, _ in found for s in _one(cls, Reader).suffixes}
            for name, found in self._collect()["readers"].items()
        }
        for name, suffixes in claims.items():
            if suffix in suffixes:
                return self.reader(name)  # a clashing name raises PluginClashError here
        known = sorted(set().union(*claims.values()))
        raise PluginError(
            f"no reader for files ending {suffix!r} (readers know: {', '.join(known)})"
        )

    def plugins(self) -> list[PluginInfo]:
        """Every registered plugin, with its hooks and what it provides."""
        collected = self._collect()
        infos = []
        for name, plugin in sorted(self.pm.list_name_plugin(), key=lambda p: p[0]):
            hooks = sorted(h.name for h in self.pm.get_hookcallers(plugin) or [])
            provides = {
                kind: sorted(n for n, found in entries.items() if any(p == name for _, p in found))
                for kind, entries in collected.items()
            }
            clashes = {
                kind: [n for n in provides[kind] if len(entries[n]) > 1]
                for kind, entries in collected.items()
            }
            source, version, package = self._sources.get(name, ("registered", None, None))
            infos.append(
                PluginInfo(
                    name=name,
                    source=source,
                    version=version,
                    package=package,
                    hooks=hooks,
                    provides={k: v for k, v in provides.items() if v},
                    clashes={k: v for k, v in clashes.items() if v},
                )
            )
        return infos


def component_base(kind: str) -> type[Component]:
    """The base class of a kind of plugin (``methods`` → ``ScoringMethod`` …)."""
    if kind not in _KINDS:
        raise PluginError(f"unknown kind of plugin {kind!r}; known: {', '.join(_KINDS)}")
    return _KINDS[kind][1]


def _typed(entries: dict[str, list[_Entry]], base: type[Any]) -> dict[str, Any]:
    return {name: _one(found[0][0], base) for name, found in entries.items() if len(found) == 1}


def _one(cls: type[Component], base: type[Any]) -> Any:
    # registration already checked the base class; this keeps the typed getters honest
    if not issubclass(cls, base):  # pragma: no cover
        raise PluginError(f"{cls.__name__} is not a {base.__name__}")
    return cls


_host: PluginHost | None = None


def get_host() -> PluginHost:
    """The shared host, created (and plugins loaded) on first use."""
    global _host
    if _host is None:
        _host = PluginHost()
    return _host


def reset_host(host: PluginHost | None = None) -> None:
    """Replace the shared host (tests; or after installing a plugin at run time)."""
    global _host
    _host = host


def get_plugins() -> list[PluginInfo]:
    """Installed plugins with their hooks (what ``publiceval plugins`` prints)."""
    return get_host().plugins()


def iter_names(kind: str) -> Iterable[str]:
    """Registered names of one kind (``methods``, ``schemes``, ``rules``, ``readers``, ``reporters``)."""
    return list(get_host()._collect()[kind])
