"""Scripted git histories of a plan: real repositories, fixed dates, one commit per step."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from tests.conftest import CASES, ROOT
from tests.site_helpers import git


class PlanRepo:
    """A git repository holding the base plan under `plan/` (or a subfolder), committed step by step."""

    def __init__(self, root: Path, plan_subdir: str = "plan") -> None:
        self.root = root
        self.plan = root / plan_subdir
        root.mkdir(parents=True, exist_ok=True)
        shutil.copytree(CASES / "_base", self.plan)
        self.git("init", "-q", "-b", "main")
        self.commit("Create the plan", "2026-07-02")

    def git(self, *args: str, when: str = "2026-07-02", stdin: str | None = None) -> str:
        return git(*args, cwd=self.root, when=f"{when}T12:00:00+00:00", stdin=stdin)

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.plan / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def write(self, rel: str, text: str) -> None:
        (self.plan / rel).parent.mkdir(parents=True, exist_ok=True)
        (self.plan / rel).write_text(text, encoding="utf-8")

    def add_site(self, config: str) -> None:
        """An MkDocs site around the plan: `config` as mkdocs.yml, a home page, the built site ignored."""
        self.write("../mkdocs.yml", config)
        self.write("../docs/index.md", "# Home\n")
        self.write("../.gitignore", "site/\n")

    def commit(self, message: str, when: str) -> str:
        self.git("add", "-A", when=when)
        self.git("commit", "-q", "--allow-empty", "-m", message, when=when)
        return self.git("rev-parse", "HEAD").strip()


def generated_history(root: Path, size: str, commits: int, seed: int) -> Path:
    """The benchmark's synthetic plan committed as a history of `commits` commits under `root`; its plan folder."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate  # noqa: PLC0415 - the benchmark's plan generator, not a package
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    generate.commit_history(root, generate.plan_files(size, seed), commits, seed)
    return root / "plan"
