"""Meta-tests that keep the documentation honest.

- every hook in ``publiceval._core.hookspecs`` has a heading in ``docs/plugins/hooks.md`` with its exact
  signature, each argument explained and a runnable example;
- every hook has a test (a test module under ``tests/`` implements or calls it);
- every built-in plugin has a docs page: ``docs/<kind>/<name>.md`` (kind: methods, schemes, rules,
  readers, reporters); readers and reporters may instead have a heading naming them in
  ``docs/readers*.md`` / ``docs/reports*.md``;
- every fenced ``python`` block in ``docs/**/*.md`` runs, page by page in one namespace (like a
  session), in a temporary folder holding a copy of the repository's ``examples/``; a block right
  after ``<!-- docs-test: skip -->`` is not run. ``bash`` blocks right after
  ``<!-- docs-test: run -->`` run too, in the same folder, with this Python (as ``python``) and its
  ``publiceval`` first on ``PATH``. A block of any language right after
  ``<!-- docs-test: file PATH -->`` is written to ``PATH`` in that folder instead (how a page shows
  the files of a package it builds step by step); after ``<!-- docs-test: append PATH -->`` it is
  added to the end of ``PATH`` (the tutorial's "add these lines to study.toml").
"""

from __future__ import annotations

import ast
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from publiceval._core import hookspecs
from publiceval._core.plugins import ENV_LOAD
from publiceval.plugin import PluginHost

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
HOOKS_PAGE = DOCS / "plugins" / "hooks.md"
SKIP = "<!-- docs-test: skip -->"
RUN = "<!-- docs-test: run -->"
_FILE = re.compile(r"^<!-- docs-test: (?P<mode>file|append) (?P<path>[\w./-]+) -->$")
KINDS = ("methods", "schemes", "rules", "readers", "reporters")
# translated pages whose runnable code must equal the original's; it runs once, on the original
TRANSLATIONS = {"id/tutorial.md": "tutorial.md"}
# single pages that may document several readers or reporters, one heading each
SHARED_PAGES = {"readers": ("readers*.md",), "reporters": ("reports*.md", "reporters*.md")}

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")


@dataclass(frozen=True)
class Block:
    """A fenced code block of a docs page."""

    page: Path
    line: int
    lang: str
    code: str
    marker: str | None

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(REPO)}:{self.line}"


def code_blocks(page: Path, text: str | None = None) -> list[Block]:
    """The fenced code blocks of ``page`` (or of ``text`` from it), each with the marker comment
    just before it, if any."""
    if text is None:
        text = page.read_text(encoding="utf-8")
    lines = text.splitlines()
    out: list[Block] = []
    k = 0
    previous = ""
    while k < len(lines):
        m = _FENCE.match(lines[k])
        if not m:
            if lines[k].strip():
                previous = lines[k].strip()
            k += 1
            continue
        fence, indent = m.group("fence"), m.group("indent")
        lang = (m.group("info").strip().split() or [""])[0].lstrip("{.").rstrip("}")
        start = k + 1
        k += 1
        while k < len(lines) and not (
            lines[k].strip().startswith(fence) and lines[k].strip().strip(fence[0]) == ""
        ):
            k += 1
        body = [ln[len(indent) :] if ln.startswith(indent) else ln for ln in lines[start:k]]
        marker = previous if previous in (SKIP, RUN) or _FILE.match(previous) else None
        out.append(Block(page, start, lang.lower(), textwrap.dedent("\n".join(body)), marker))
        previous = ""
        k += 1
    return out


def doc_pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def _target(block: Block) -> str | None:
    m = _FILE.match(block.marker or "")
    return m.group("path") if m else None


def _appends(block: Block) -> bool:
    m = _FILE.match(block.marker or "")
    return bool(m and m.group("mode") == "append")


def _runnable(block: Block) -> bool:
    if _target(block):
        return True
    if block.lang in ("python", "py"):
        return block.marker != SKIP
    return block.lang in ("bash", "sh", "shell", "console") and block.marker == RUN


def pages_with_code() -> list[Path]:
    translated = {DOCS / t for t in TRANSLATIONS}
    return [
        p for p in doc_pages() if p not in translated and any(_runnable(b) for b in code_blocks(p))
    ]


def _same_code(block: Block) -> str:
    """What must match between a page and its translation: Python up to comments, else text."""
    if block.lang in ("python", "py"):
        return ast.dump(ast.parse(block.code))
    if block.lang == "toml":
        return "\n".join(ln.split("#", 1)[0].rstrip() for ln in block.code.splitlines())
    return block.code


@pytest.mark.parametrize("translated", sorted(TRANSLATIONS))
def test_translated_page_runs_the_same_code(translated: str) -> None:
    original = DOCS / TRANSLATIONS[translated]
    page = DOCS / translated

    def runnable(path: Path) -> list[tuple[str | None, str, str]]:
        return [(b.marker, b.lang, _same_code(b)) for b in code_blocks(path) if _runnable(b)]

    assert runnable(page) == runnable(original), (
        f"{translated} must run the same commands and code as {TRANSLATIONS[translated]} "
        "(comments may be translated)"
    )


# --- snippets ------------------------------------------------------------------------------


@pytest.fixture
def docs_workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch folder with a copy of ``examples/``, as a reader's checkout would have."""
    examples = REPO / "examples"
    if examples.is_dir():
        shutil.copytree(
            examples,
            tmp_path / "examples",
            ignore=shutil.ignore_patterns(
                "__pycache__", "*.egg-info", ".mypy_cache", ".ruff_cache", ".hypothesis", "build"
            ),
        )
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "page", pages_with_code(), ids=lambda p: str(p.relative_to(DOCS)).replace(os.sep, "/")
)
def test_docs_snippets_run(page: Path, docs_workdir: Path) -> None:
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem.replace('-', '_')}"}
    bin_dir = docs_workdir / ".bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "python"  # a script, not a symlink: a venv is found from the real path
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join(
        [str(bin_dir), str(Path(sys.executable).parent), env.get("PATH", "")]
    )
    sys_path = list(sys.path)
    try:
        _run_blocks(page, docs_workdir, namespace, env)
    finally:
        # forget modules a page imported from its scratch folder, and its sys.path changes
        sys.path[:] = sys_path
        root = str(docs_workdir)
        for name, module in list(sys.modules.items()):
            if str(getattr(module, "__file__", None) or "").startswith(root):
                del sys.modules[name]


def _run_blocks(
    page: Path, workdir: Path, namespace: dict[str, object], env: dict[str, str]
) -> None:
    for block in code_blocks(page):
        if not _runnable(block):
            continue
        target = _target(block)
        if target:
            if Path(target).is_absolute() or ".." in Path(target).parts:
                raise AssertionError(
                    f"{block.where}: file marker must stay in the folder: {target}"
                )
            path = workdir / target
            path.parent.mkdir(parents=True, exist_ok=True)
            if _appends(block):
                if not path.is_file():
                    raise AssertionError(f"{block.where}: cannot append to missing file {target}")
                with path.open("a", encoding="utf-8") as fh:
                    fh.write("\n" + block.code + "\n")
            else:
                path.write_text(block.code + "\n", encoding="utf-8")
        elif block.lang in ("python", "py"):
            try:
                exec(compile(block.code, block.where, "exec"), namespace)
            except Exception as exc:
                raise AssertionError(
                    f"snippet at {block.where} failed: {type(exc).__name__}: {exc}"
                ) from exc
        else:
            done = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", block.code],
                cwd=workdir,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            if done.returncode != 0:
                raise AssertionError(
                    f"shell block at {block.where} exited {done.returncode}:\n"
                    f"{block.code}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
                )


def test_writing_guide_package_installs_and_is_usable_by_name(tmp_path: Path) -> None:
    """The package docs/plugins/writing.md builds, installed with pip as its step 5 says, is
    listed by ``publiceval plugins`` and usable by name from a study file (its step 6)."""
    from publiceval.testing import PluginHarness, make_host, sample_responses, sample_survey

    for block in code_blocks(DOCS / "plugins" / "writing.md"):
        target = _target(block)
        if target:
            path = tmp_path / target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(block.code + "\n", encoding="utf-8")
    package = tmp_path / "publiceval-trimmed"
    assert (package / "pyproject.toml").is_file()
    site = tmp_path / "site"
    pip = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(site),
            str(package),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert pip.returncode == 0, pip.stdout + pip.stderr
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *sys.path])}
    env.pop(ENV_LOAD, None)

    def publiceval(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "publiceval", *args],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            env=env,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    listed = {p["name"]: p for p in json.loads(publiceval("plugins", "--json"))}
    assert listed["trimmed"]["source"] == "entrypoint"
    assert listed["trimmed"]["version"] == "0.1.0"
    assert listed["trimmed"]["provides"] == {"methods": ["trimmed-mean"]}

    harness = PluginHarness(make_host(), sample_survey(), sample_responses())
    study = harness.write_study(
        tmp_path / "study", method="trimmed-mean", method_options={"trim": 0.34}
    )
    out = tmp_path / "out.json"
    publiceval("evaluate", str(study), "--format", "json", "--output", str(out))
    ev = json.loads(out.read_text(encoding="utf-8"))
    assert ev["provenance"]["method"]["plugin"] == "trimmed"
    scores = {r["opd"]: r["score"]["value"] for r in ev["opds"]}
    assert scores == pytest.approx({"disdukcapil": 11 / 3, "dpmptsp": 8 / 3, "rsud": 5 / 3})


def test_snippet_parser_sees_markers_and_indented_fences(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# T\n\n```python\nx = 1\n```\n\n"
        f"{SKIP}\n```python\nnot python\n```\n\n"
        "!!! note\n\n    ```python\n    y = 2\n    ```\n\n"
        f"{RUN}\n```bash\necho hi\n```\n\n```bash\nrm -rf /nope\n```\n\n"
        "<!-- docs-test: append a/b.toml -->\n```toml\nk = 1\n```\n",
        encoding="utf-8",
    )
    blocks = code_blocks(page)
    assert [(b.lang, b.code, b.marker) for b in blocks] == [
        ("python", "x = 1", None),
        ("python", "not python", SKIP),
        ("python", "y = 2", None),
        ("bash", "echo hi", RUN),
        ("bash", "rm -rf /nope", None),
        ("toml", "k = 1", "<!-- docs-test: append a/b.toml -->"),
    ]
    assert [_runnable(b) for b in blocks] == [True, False, True, True, False, True]
    assert _target(blocks[-1]) == "a/b.toml"
    assert _appends(blocks[-1])


# --- hooks ---------------------------------------------------------------------------------


def hook_names() -> list[str]:
    marker = f"{hookspecs.PROJECT}_spec"
    return sorted(
        name
        for name, obj in vars(hookspecs).items()
        if inspect.isfunction(obj) and hasattr(obj, marker)
    )


def hook_sections() -> dict[str, str]:
    """The text under each ``## `hook_name` `` heading of the hook reference."""
    text = HOOKS_PAGE.read_text(encoding="utf-8")
    parts = re.split(r"^## +(.+?) *$", text, flags=re.M)
    return {
        title.strip().strip("`"): body
        for title, body in zip(parts[1::2], parts[2::2], strict=False)
    }


def _norm(annotation: str) -> str:
    return ast.unparse(ast.parse(annotation, mode="eval"))


def test_there_are_hooks() -> None:
    # the five registration hooks at least; new hooks are picked up by the tests below
    assert {
        "register_methods",
        "register_readers",
        "register_reporters",
        "register_rules",
        "register_schemes",
    } <= set(hook_names())


@pytest.mark.parametrize("hook", hook_names())
def test_hook_is_documented_with_its_exact_signature(hook: str) -> None:
    sections = hook_sections()
    assert hook in sections, f"docs/plugins/hooks.md has no heading '## `{hook}`'"
    section = sections[hook]
    blocks = code_blocks(HOOKS_PAGE, section)
    sig_blocks = [b.code for b in blocks if b.code.lstrip().startswith(f"def {hook}(")]
    assert sig_blocks, f"the {hook} section shows no 'def {hook}(...)' signature block"
    documented = sig_blocks[0].strip()
    tree = ast.parse(documented if documented.endswith(":") else documented + ": ...")
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)

    actual = inspect.signature(getattr(hookspecs, hook))
    doc_args = func.args
    assert not (doc_args.posonlyargs or doc_args.vararg or doc_args.kwarg or doc_args.kwonlyargs)
    assert [a.arg for a in doc_args.args] == list(actual.parameters), "parameter names differ"
    for arg in doc_args.args:
        param = actual.parameters[arg.arg]
        assert param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
        assert param.default is inspect.Parameter.empty
        assert arg.annotation is not None, f"{hook}: {arg.arg} has no annotation in the docs"
        assert _norm(ast.unparse(arg.annotation)) == _norm(str(param.annotation)), arg.arg
    assert func.returns is not None
    assert _norm(ast.unparse(func.returns)) == _norm(str(actual.return_annotation))
    # the documented annotations mean the same objects as the real ones
    resolved = inspect.signature(getattr(hookspecs, hook), eval_str=True)
    ns = vars(hookspecs)
    for arg in doc_args.args:
        assert arg.annotation is not None
        assert eval(ast.unparse(arg.annotation), ns) == resolved.parameters[arg.arg].annotation

    for name in actual.parameters:
        assert re.search(rf"^`{name}`\s*$", section, flags=re.M), (
            f"{hook}: argument {name!r} is not explained (expected a '`{name}`' definition line)"
        )


@pytest.mark.parametrize("hook", hook_names())
def test_hook_has_a_runnable_example(hook: str) -> None:
    section = hook_sections()[hook]
    runnable = [
        b
        for b in code_blocks(HOOKS_PAGE, section)
        if b.lang == "python" and b.marker != SKIP and f"def {hook}(" in b.code
    ]
    assert runnable, f"the {hook} section has no runnable example implementing the hook"
    assert any("@hookimpl" in b.code for b in runnable)


def _identifiers_in_tests(path: Path) -> set[str]:
    """Names used as code (functions defined, attributes, names) inside a test module; a hook
    name that only appears in a string or a comment does not count."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if not any(
        isinstance(n, ast.FunctionDef) and n.name.startswith("test_") for n in ast.walk(tree)
    ):
        return set()
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out.add(node.name)
        elif isinstance(node, ast.Attribute):
            out.add(node.attr)
        elif isinstance(node, ast.Name):
            out.add(node.id)
    return out


@pytest.mark.parametrize("hook", hook_names())
def test_hook_has_a_test(hook: str) -> None:
    here = Path(__file__).resolve()
    users = [
        p.name
        for p in sorted((REPO / "tests").rglob("test_*.py"))
        if p.resolve() != here and hook in _identifiers_in_tests(p)
    ]
    assert users, f"no test module under tests/ implements or calls the hook {hook}"


# --- built-in plugins ----------------------------------------------------------------------


def builtin_components() -> list[tuple[str, str]]:
    host = PluginHost(entrypoints=False)
    out: list[tuple[str, str]] = []
    for info in host.plugins():
        if info.source != "builtin":
            continue
        for kind, names in info.provides.items():
            out.extend((kind, name) for name in names)
    return sorted(out)


def _documented(kind: str, name: str) -> bool:
    if (DOCS / kind / f"{name}.md").is_file():
        return True
    word = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", re.I)
    for pattern in SHARED_PAGES.get(kind, ()):
        for page in DOCS.glob(pattern):
            for line in page.read_text(encoding="utf-8").splitlines():
                if line.startswith("#") and word.search(line):
                    return True
    return False


def test_builtins_are_found() -> None:
    found = builtin_components()
    assert ("methods", "mean") in found
    assert {kind for kind, _ in found} == set(KINDS)


@pytest.mark.parametrize(("kind", "name"), builtin_components(), ids=lambda v: str(v))
def test_builtin_plugin_has_a_docs_page(kind: str, name: str) -> None:
    shared = (
        " or a heading naming it in docs/" + "/".join(SHARED_PAGES[kind])
        if kind in SHARED_PAGES
        else ""
    )
    assert _documented(kind, name), (
        f"built-in {kind[:-1]} {name!r} has no docs/{kind}/{name}.md{shared}"
    )


def test_undocumented_plugin_is_caught() -> None:
    assert not _documented("methods", "no-such-method-anywhere")
    assert not _documented("readers", "no-such-reader-anywhere")


# --- the site ------------------------------------------------------------------------------


def test_indonesian_pages_match_english() -> None:
    for name in ("tutorial", "concepts"):
        en = (DOCS / f"{name}.md").read_text(encoding="utf-8")
        id_ = (DOCS / "id" / f"{name}.md").read_text(encoding="utf-8")
        heads_en = re.findall(r"^#{1,3} ", en, flags=re.M)
        heads_id = re.findall(r"^#{1,3} ", id_, flags=re.M)
        assert len(heads_en) == len(heads_id), f"{name}: Indonesian page has other sections"


# The pages the site is built around; every other page (methods, schemes, rules, readers,
# reports, statistics, examples, performance) is optional and picked up by glob when present.
CORE_PAGES = (
    ".nav.yml",
    "index.md",
    "getting-started.md",
    "tutorial.md",
    "concepts.md",
    "api.md",
    "architecture.md",
    "cli.md",
    "contributing.md",
    "id",
    "plugins",
    "javascripts",
)


@pytest.mark.parametrize("pages", ["all", "core"])
def test_site_builds_strictly(pages: str, tmp_path: Path) -> None:
    """``mkdocs build --strict`` passes with every page, and with only the core pages."""
    pytest.importorskip("mkdocs")
    pytest.importorskip("material")
    pytest.importorskip("mkdocs_awesome_nav")
    pytest.importorskip("mkdocs_click")
    pytest.importorskip("mkdocstrings_handlers.python")
    root = REPO
    if pages == "core":
        root = tmp_path / "repo"
        (root / "docs").mkdir(parents=True)
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        (root / "src").symlink_to(REPO / "src")
        for name in CORE_PAGES:
            source = DOCS / name
            if source.is_dir():
                shutil.copytree(source, root / "docs" / name)
            else:
                shutil.copy(source, root / "docs" / name)
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "site" / "plugins" / "hooks" / "index.html").is_file()
