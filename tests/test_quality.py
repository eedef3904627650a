"""Lint, format and strict typing run with the tests, so one command checks everything CI checks."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Collection
from pathlib import Path

import pytest

from tests.conftest import ROOT

BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy", "--strict", "plugins/"]],
    ids=["ruff-check", "ruff-format", "mypy-strict"],
)
def test_quality_gate(command: list[str]) -> None:
    done = subprocess.run(
        [str(BIN / command[0]), *command[1:]], cwd=ROOT, capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr


PACKAGE = ROOT / "plugins" / "mkdocs_northstar"
LIBRARIES = ("mkdocs", "jinja2", "markdown", "markupsafe", "yaml", "pydantic")


def _own_private_names(sources: list[str]) -> set[str]:
    """The `_names` the package defines itself: methods, class attributes and `self._x` attributes."""
    names = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name.startswith("_"):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
                names.add(node.attr)
            elif isinstance(node, ast.AnnAssign | ast.Assign):
                targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
                names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def _private_uses(source: str, own: Collection[str] = ()) -> list[str]:
    """Names the code imports from a library, or reaches in objects not its own, that begin with `_`."""
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in LIBRARIES:
            parts = [*(node.module or "").split("."), *(a.name for a in node.names)]
            found += [f"{node.module}: {p}" for p in parts if p.startswith("_")]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if any(p.startswith("_") for p in a.name.split("."))]
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            owner = node.value
            if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls")) and node.attr not in own:
                found.append(ast.unparse(node))
    return found


def test_no_private_names_of_mkdocs_or_jinja() -> None:
    """The package uses the libraries' public APIs only: an upgrade cannot break it from inside.
    (Its own `self._x` is its own business.)"""
    sources = {path: path.read_text(encoding="utf-8") for path in sorted(PACKAGE.rglob("*.py"))}
    own = _own_private_names(list(sources.values()))
    used = {
        path.relative_to(ROOT).as_posix(): names
        for path, text in sources.items()
        if (names := _private_uses(text, own))
    }
    assert used == {}


def test_the_catch_works() -> None:
    sample = "from mkdocs.structure.files import _x\nimport jinja2._compat\nf._content = 1\nsys._clear_type_cache()\n"
    assert _private_uses(sample) == [
        "mkdocs.structure.files: _x",
        "jinja2._compat",
        "f._content",
        "sys._clear_type_cache",
    ]


def test_the_mkdocs_adapter_stays_thin() -> None:
    """Only the adapters import MkDocs: the plugin (the build), under 200 lines, and site_config
    (a site's mkdocs.yml, for render and pdf), which loads MkDocs only when it is called. The core
    knows nothing of MkDocs."""
    importers = sorted(
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if re.search(r"^\s*(from|import) mkdocs\b", path.read_text(encoding="utf-8"), re.M)
    )
    assert importers == ["plugin.py", "site_config.py"]
    site_config = (PACKAGE / "site_config.py").read_text(encoding="utf-8")
    at_import = re.findall(r"^(?:from|import) mkdocs\b.*$", site_config, re.M)
    assert at_import == []  # every command imports site_config; only render and pdf load MkDocs
    assert len((PACKAGE / "plugin.py").read_text(encoding="utf-8").splitlines()) < 200
