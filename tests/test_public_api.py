"""The public API is deliberate: two faces, and nothing else is imported from outside.

- ``publiceval`` is the flat namespace for users; ``publiceval.plugin`` is the plugin-author kit;
  ``publiceval.testing`` holds pytest fixtures for plugin tests. Everything under
  ``publiceval._core`` is private.
- Every name in each face's ``__all__`` resolves, and ``__all__`` is sorted.
- ``publiceval.__all__`` holds no plugin-kit-only name (base classes, the plugin host, estimation
  and scoring helpers); the names that moved to ``publiceval.plugin`` still work from
  ``publiceval`` with a :class:`DeprecationWarning` naming the new place.
- The docs' Python code blocks, README's, and every ``.py`` file under ``examples/`` (the example
  plugin packages included) import only from the faces, and only names the faces export.
- The built-in plugins live inside ``_core`` and import its modules relatively (importing the
  faces from there would load the user face while ``_core`` is still importing); the rule is that
  they use only names ``publiceval.plugin`` or ``publiceval`` exports, like a third party would.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

import publiceval
import publiceval.plugin
import publiceval.testing
from test_docs import code_blocks

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
EXAMPLES = REPO / "examples"
CORE = REPO / "src" / "publiceval" / "_core"
BUILTINS = CORE / "default_plugins"

FACES = {"publiceval": publiceval, "publiceval.plugin": publiceval.plugin}
ALLOWED_MODULES = {"publiceval", "publiceval.plugin", "publiceval.testing"}

# ``publiceval.__all__`` before the two faces were separated (62 names); every one keeps working.
OLD_TOP_LEVEL = (
    "OPD",
    "AnswerBlock",
    "Band",
    "Category",
    "CategoryScheme",
    "ColumnMap",
    "Component",
    "ComponentInfo",
    "DataError",
    "GateError",
    "DataQuality",
    "Design",
    "Evaluation",
    "EvaluationWarning",
    "Evidence",
    "GroupEstimate",
    "Interval",
    "Item",
    "ItemEstimates",
    "ItemInfo",
    "ItemScore",
    "MethodResult",
    "NoOptions",
    "OPDResult",
    "PluginError",
    "PluginHost",
    "PluginInfo",
    "Provenance",
    "PublicevalError",
    "PublishedScore",
    "PublishedScores",
    "Reader",
    "Recommendation",
    "RecommendationRule",
    "Reject",
    "RejectLog",
    "RejectReason",
    "Reporter",
    "Response",
    "ResponseTable",
    "Scale",
    "ScaleLabel",
    "SchemeOptions",
    "Score",
    "ScoreScale",
    "ScoringContext",
    "ScoringMethod",
    "Study",
    "StudyError",
    "Survey",
    "SurveyError",
    "SurveyWideResult",
    "TableAggregates",
    "Text",
    "__version__",
    "evaluate",
    "evaluate_file",
    "get_host",
    "get_plugins",
    "hookimpl",
    "item_estimates",
    "library_version",
    "load_study",
)

# Modules of the plugin contracts and the helpers behind them: nothing defined there belongs to
# the user face (``hookimpl`` excepted: every plugin writes ``@publiceval.hookimpl``).
KIT_MODULES = (
    "publiceval._core.aggregates",
    "publiceval._core.components",
    "publiceval._core.estimation",
    "publiceval._core.hookspecs",
    "publiceval._core.ingest",
    "publiceval._core.methods",
    "publiceval._core.plugins",
    "publiceval._core.reporters",
    "publiceval._core.rules",
    "publiceval._core.schemes",
    "publiceval._core.scoring",
)
BOTH_FACES = {"hookimpl"}

# Names built-in plugins import from ``_core`` that neither face exports yet: built-in-only
# machinery (the declarative rule engine, the report renderers, the chunked mean) waiting to be
# moved behind a contract or into the kit. Shrink this set; do not grow it.


def _sort_key(name: str) -> tuple[int, str]:
    """Ruff's RUF022 order: SCREAMING_CASE, then CamelCase, then everything else."""
    if name.isupper() and len(name) > 1:
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


# --- the faces -----------------------------------------------------------------------------


@pytest.mark.parametrize("face", ["publiceval", "publiceval.plugin", "publiceval.testing"])
def test_all_is_sorted_and_unique(face: str) -> None:
    names = list(sys.modules[face].__all__)
    assert len(names) == len(set(names)), f"{face}.__all__ repeats a name"
    assert names == sorted(names, key=_sort_key), f"{face}.__all__ is not sorted"


@pytest.mark.parametrize("face", ["publiceval", "publiceval.plugin", "publiceval.testing"])
def test_every_exported_name_resolves_without_warning(face: str) -> None:
    module = sys.modules[face]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in module.__all__:
            assert getattr(module, name) is not None, f"{face}.{name}"
            namespace: dict[str, object] = {}
            exec(f"from {face} import {name}", namespace)


@pytest.mark.parametrize("face", ["publiceval", "publiceval.plugin"])
def test_faces_have_a_docstring_saying_who_they_are_for(face: str) -> None:
    doc = sys.modules[face].__doc__ or ""
    assert "for people who" in doc and "publiceval._core" in doc


def test_user_face_has_no_plugin_kit_names() -> None:
    from publiceval import _MOVED_TO_PLUGIN

    assert not set(publiceval.__all__) & _MOVED_TO_PLUGIN
    for name in publiceval.__all__:
        if name in BOTH_FACES or name.startswith("__"):
            continue
        obj = getattr(publiceval, name)
        module = getattr(obj, "__module__", "") or ""
        assert not module.startswith(KIT_MODULES), (
            f"publiceval.{name} comes from {module}, a plugin contract module: export it from "
            "publiceval.plugin instead"
        )
    base_classes = (
        publiceval.plugin.Component,
        publiceval.plugin.PluginHost,
    )
    for name in publiceval.__all__:
        obj = getattr(publiceval, name)
        assert not (isinstance(obj, type) and issubclass(obj, base_classes)), name


def test_the_plugin_kit_has_what_a_third_party_needs() -> None:
    kit = set(publiceval.plugin.__all__)
    assert {
        "hookimpl",
        "ScoringMethod",
        "MethodResult",
        "ScoringContext",
        "CategoryScheme",
        "Band",
        "SchemeOptions",
        "RecommendationRule",
        "Reader",
        "TabularReader",
        "RawChunk",
        "KeepColumns",
        "Reporter",
        "Component",
        "NoOptions",
        "PluginHost",
        "PluginInfo",
        "get_host",
        "get_plugins",
        "Design",
        "ItemEstimates",
        "GroupEstimate",
        "item_estimates",
        "TableAggregates",
        "make_scores",
        "AnswerBlock",
        "Evaluation",
        "Recommendation",
        "Evidence",
    } <= kit
    assert publiceval.plugin.hookimpl is publiceval.hookimpl


@pytest.mark.parametrize("name", OLD_TOP_LEVEL)
def test_old_top_level_names_still_import(name: str) -> None:
    namespace: dict[str, object] = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exec(f"from publiceval import {name}", namespace)
    assert namespace[name] is not None
    deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    if name in publiceval.__all__:
        assert not deprecations, f"publiceval.{name} is public; it must not warn"
        return
    assert len(deprecations) == 1, f"publiceval.{name} moved: it must warn once"
    message = str(deprecations[0].message)
    if name == "library_version":
        assert "publiceval.__version__" in message
        assert namespace[name]() == publiceval.__version__  # type: ignore[operator]
    else:
        assert f"publiceval.plugin.{name}" in message
        assert namespace[name] is getattr(publiceval.plugin, name)


def _typed_imports(test: str) -> dict[str, tuple[str, str]]:
    """Name → (module, attribute) of the imports under ``if <test>:`` in ``publiceval/__init__``."""
    source = Path(publiceval.__file__).read_text(encoding="utf-8")
    typed: dict[str, tuple[str, str]] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == test:
            for sub in node.body:
                if isinstance(sub, ast.ImportFrom):
                    module = "." * sub.level + (sub.module or "")
                    typed |= {a.asname or a.name: (module, a.name) for a in sub.names}
    return typed


def test_deprecated_names_are_typed_for_type_checkers() -> None:
    """The ``if TYPE_CHECKING:`` imports of ``publiceval/__init__.py`` are the deprecated names."""
    from publiceval import _MOVED_TO_PLUGIN

    typed = _typed_imports("TYPE_CHECKING")
    assert set(typed) == set(_MOVED_TO_PLUGIN) | {"library_version"}


def test_lazy_public_names_are_typed_as_they_are_imported() -> None:
    """Every public name imported on first use (``_LAZY``) is typed for type checkers, from the
    same module and attribute, in the ``if typing.TYPE_CHECKING:`` block, and nothing else is."""
    from publiceval import _LAZY

    typed = _typed_imports("typing.TYPE_CHECKING")
    assert typed == dict(_LAZY)
    assert set(_LAZY) <= set(publiceval.__all__)


def test_unknown_names_still_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = publiceval.no_such_name  # type: ignore[attr-defined]


def test_the_plugin_kit_does_not_load_the_builtins() -> None:
    code = (
        "import sys, publiceval.plugin, publiceval.testing\n"
        "bad = sorted(m for m in sys.modules if m.startswith('publiceval._core.default_plugins'))\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr


# --- who imports what ----------------------------------------------------------------------


def _imports(tree: ast.AST) -> Iterator[tuple[int, str, list[str]]]:
    """(line, module, names) of every import of a ``publiceval`` module in ``tree``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "publiceval":
                    yield node.lineno, alias.name, []
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module
            and node.module.split(".")[0] == "publiceval"
        ):
            yield node.lineno, node.module, [a.name for a in node.names]


def _face_aliases(tree: ast.AST) -> dict[str, str]:
    """Local names bound to a face module (``import publiceval as pe`` → ``{"pe": ...}``)."""
    out: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in FACES:
                    out[alias.asname or alias.name.split(".")[0]] = (
                        alias.name if alias.asname else "publiceval"
                    )
        elif isinstance(node, ast.ImportFrom) and node.module == "publiceval":
            for alias in node.names:
                if alias.name == "plugin":
                    out[alias.asname or "plugin"] = "publiceval.plugin"
    return out


def _problems(tree: ast.AST) -> list[str]:
    found: list[str] = []
    for line, module, names in _imports(tree):
        if module not in ALLOWED_MODULES:
            found.append(f"line {line}: imports {module} (use publiceval or publiceval.plugin)")
            continue
        face = FACES.get(module)
        if face is None:
            continue
        for name in names:
            if name == "plugin" and module == "publiceval":
                continue
            if name not in face.__all__:
                found.append(f"line {line}: {name} is not in {module}.__all__")
    # attribute access: publiceval.get_host(), pe._core.x, publiceval.plugin.Reader
    aliases = _face_aliases(tree)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)):
            continue
        face_name = aliases.get(node.value.id)
        if face_name is None:
            continue
        if face_name == "publiceval" and node.attr in ("plugin", "testing"):
            continue
        if node.attr not in FACES[face_name].__all__:
            found.append(f"line {node.lineno}: {face_name}.{node.attr} is not exported")
    # publiceval.plugin.X
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and isinstance(node.value.value, ast.Name)
            and aliases.get(node.value.value.id) == "publiceval"
        ):
            if node.value.attr in publiceval.__all__:
                continue  # pe.ResponseTable.from_rows: checked above
            sub = f"publiceval.{node.value.attr}"
            if sub in FACES and node.attr not in FACES[sub].__all__:
                found.append(f"line {node.lineno}: {sub}.{node.attr} is not exported")
            elif sub not in ALLOWED_MODULES:
                found.append(f"line {node.lineno}: uses {sub}")
    return found


def _python_fences(page: Path) -> Iterator[tuple[str, str]]:
    for block in code_blocks(page):
        if block.lang in ("python", "py"):
            yield block.where, block.code


def _sources() -> list[tuple[str, str]]:
    """(where, code) of every piece of Python a reader of the project copies from."""
    out: list[tuple[str, str]] = []
    pages = [*sorted(DOCS.rglob("*.md")), REPO / "README.md", *sorted(EXAMPLES.rglob("*.md"))]
    for page in pages:
        out.extend(_python_fences(page))
    for path in sorted(EXAMPLES.rglob("*.py")):
        if any(part in {"build", ".venv", "site-packages"} for part in path.parts):
            continue
        out.append((str(path.relative_to(REPO)), path.read_text(encoding="utf-8")))
    return out


def test_there_is_code_to_check() -> None:
    wheres = [w for w, _ in _sources()]
    assert any(w.startswith("docs/plugins/") for w in wheres)
    assert any(w.startswith("examples/plugins/publiceval-spi/src/") for w in wheres)


@pytest.mark.parametrize(("where", "code"), [pytest.param(w, c, id=w) for w, c in _sources()])
def test_docs_and_examples_import_only_the_faces(where: str, code: str) -> None:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        pytest.skip("not Python (a shell session or a fragment)")
    problems = _problems(tree)
    assert not problems, f"{where}:\n" + "\n".join(problems)


def test_the_import_check_catches_private_and_deprecated_imports() -> None:
    tree = ast.parse(
        "import publiceval as pe\n"
        "from publiceval._core.scoring import oriented\n"
        "from publiceval import ScoringMethod, Survey\n"
        "from publiceval.plugin import Reader, NotAThing\n"
        "pe.get_host()\n"
        "pe.evaluate\n"
        "pe.plugin.TabularReader\n"
        "pe._core.table\n"
    )
    problems = "\n".join(_problems(tree))
    assert "publiceval._core.scoring" in problems
    assert "ScoringMethod is not in publiceval.__all__" in problems
    assert "NotAThing" in problems
    assert "publiceval.get_host is not exported" in problems
    assert "Survey" not in problems and "evaluate" not in problems
    assert "TabularReader" not in problems and "Reader is" not in problems
    assert "publiceval._core is not exported" in problems


# --- the built-in plugins ------------------------------------------------------------------

#: What a built-in plugin may import from publiceval: the two faces, and its own siblings'
#: private helpers (``from ._paired import ...``).
BUILTIN_ALLOWED = ("publiceval", "publiceval.plugin")


def builtin_imports() -> dict[str, list[tuple[int, str, list[str]]]]:
    """Per built-in plugin module: (line, module, names) of every import from publiceval,
    relative imports resolved; sibling built-ins are left out."""
    out: dict[str, list[tuple[int, str, list[str]]]] = {}
    for path in sorted(BUILTINS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rows: list[tuple[int, str, list[str]]] = []
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom):
                if node.level == 1:
                    continue  # a sibling built-in's helper
                if node.level:
                    package = path.parent.relative_to(CORE.parent.parent).parts
                    base = package[: len(package) - node.level + 1]
                    module = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    module = node.module or ""
                names = [a.name for a in node.names]
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "publiceval":
                        rows.append((node.lineno, alias.name, []))
                continue
            else:
                continue
            if module.split(".")[0] == "publiceval":
                rows.append((node.lineno, module, names))
        out[path.name] = rows
    return out


def builtin_violations() -> dict[str, list[str]]:
    faces = {
        "publiceval": set(publiceval.__all__),
        "publiceval.plugin": set(publiceval.plugin.__all__),
    }
    out: dict[str, list[str]] = {}
    for name, rows in builtin_imports().items():
        bad: list[str] = []
        for line, module, names in rows:
            if module not in BUILTIN_ALLOWED:
                bad.append(f"{line}: imports {module} (only publiceval.plugin or publiceval)")
                continue
            bad.extend(
                f"{line}: {module}.{n} is not exported" for n in names if n not in faces[module]
            )
        if bad:
            out[name] = bad
    return out


def test_builtins_are_seen() -> None:
    rows = builtin_imports()
    assert "mean.py" in rows
    assert any("hookimpl" in names for _, _, names in rows["mean.py"])


def test_builtins_import_only_from_the_faces() -> None:
    violations = builtin_violations()
    assert not violations, (
        "built-in plugins import from outside publiceval.plugin / publiceval:\n"
        + "\n".join(f"  {m}: {'; '.join(v)}" for m, v in sorted(violations.items()))
    )


def test_builtin_check_catches_a_private_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check is not vacuous: a built-in reaching into ``_core`` is reported."""
    fake = tmp_path / "publiceval" / "_core" / "default_plugins"
    fake.mkdir(parents=True)
    (fake / "bad.py").write_text(
        "from ..scoring import make_scores\nfrom publiceval.plugin import NotAThing\n"
        "from ._paired import x\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "BUILTINS", fake)
    monkeypatch.setattr(sys.modules[__name__], "CORE", fake.parent)
    found = builtin_violations()["bad.py"]
    assert any("publiceval._core.scoring" in v for v in found)
    assert any("NotAThing" in v for v in found)
    assert len(found) == 2


# --- the architecture page -----------------------------------------------------------------


def test_architecture_page_names_modules_that_exist() -> None:
    """Every module the architecture page places in a layer or points to exists."""
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    missing: list[str] = []
    for path in re.findall(r"`(_core/[\w/.]+)`", text):
        if not (CORE.parent / path).exists():
            missing.append(path)
    layers = text.split("| Layer |", 1)[1].split("\n\n", 1)[0]
    for row in layers.splitlines()[2:]:
        cells = row.split("|")
        if len(cells) < 4:
            continue
        modules = re.sub(r"\([^)]*\)", "", cells[3])  # what follows a module in (...) is prose
        for token in re.findall(r"`([\w.]+)`", modules):
            if token.startswith("publiceval"):
                if token not in ALLOWED_MODULES:
                    missing.append(token)
                continue
            name = token.removeprefix("_core.")
            if not ((CORE / name).is_dir() or (CORE / f"{name}.py").is_file()):
                missing.append(f"_core.{name}")
    assert not missing, f"docs/architecture.md names modules that do not exist: {missing}"


# --- rendering from the user face ----------------------------------------------------------


def test_render_gives_the_reporters_bytes_in_either_language() -> None:
    """``publiceval.render`` is the reporter's own output, so a user never needs the host."""
    from publiceval.plugin import PluginHost

    study = publiceval.load_study(REPO / "examples" / "serang" / "study.toml")
    evaluation = study.evaluate()
    host = PluginHost(entrypoints=False)
    for fmt in ("table", "json", "markdown"):
        expected = host.reporter(fmt).create().render(evaluation, lang="en")
        assert publiceval.render(evaluation, fmt, lang="en", host=host) == expected
    indonesian = publiceval.render(evaluation, "table").decode()
    english = publiceval.render(evaluation, "table", lang="en").decode()
    assert indonesian != english
    with pytest.raises(publiceval.PluginError, match="no-such-format"):
        publiceval.render(evaluation, "no-such-format")
