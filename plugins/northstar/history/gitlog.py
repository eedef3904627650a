"""Reading the plan's history from git in one pass: one `git log`, one `git cat-file --batch`.

Never a process per commit or per file. Paths are relative to the plan folder (`--relative`), so
a plan in a subfolder of the repository works the same as one at its top.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from northstar.git import GitError, run_git

_RECORD, _FIELD = "\x1e", "\x1f"
_FORMAT = f"{_RECORD}%H{_FIELD}%P{_FIELD}%an{_FIELD}%cI{_FIELD}%s"
ZERO = "0" * 40


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    author: str
    when: datetime
    """The committer date: when the change landed on the branch."""
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:7]

    @property
    def day(self) -> date:
        return self.when.date()

    @property
    def merge(self) -> bool:
        return len(self.parents) > 1


@dataclass(frozen=True)
class FileChange:
    path: str
    """Relative to the plan folder, with forward slashes."""
    blob: str | None
    """The new content's blob id; None when the file was deleted."""
    old: str | None = None
    """The content's blob id before the commit; None when the file was added."""

    def undone(self) -> FileChange:
        """The change that takes the file back to how it was before the commit."""
        return FileChange(self.path, self.old, self.blob)


@dataclass(frozen=True)
class RepoState:
    head: str
    shallow: bool


def repo_state(plan_dir: Path) -> RepoState | None:
    """HEAD and shallowness, or None outside a repository, without commits, or without git."""
    try:
        out = run_git("rev-parse", "--is-shallow-repository", "HEAD", cwd=plan_dir).split()
    except GitError:
        return None
    return RepoState(out[1], out[0] == "true") if len(out) == 2 else None


def is_ancestor(older: str, newer: str, plan_dir: Path) -> bool:
    try:
        run_git("merge-base", "--is-ancestor", older, newer, cwd=plan_dir)
    except GitError:
        return False
    return True


def read_log(plan_dir: Path, since: str | None = None) -> list[tuple[Commit, list[FileChange]]]:
    """Every first-parent commit that changed the plan folder, oldest first, with its file changes.

    A merge counts as one change on the main line (its diff against the first parent). With `since`,
    only commits after it.
    """
    return parse_log(run_git(*log_args(since), cwd=plan_dir))


def log_args(since: str | None = None) -> list[str]:
    """The one `git log` that reads the plan's history (shared with the benchmark's floor)."""
    return [
        "log",
        "--first-parent",
        "--diff-merges=first-parent",
        "--root",
        "--raw",
        "--no-abbrev",
        "--no-renames",
        "--relative",
        "-z",
        "--reverse",
        f"--format={_FORMAT}",
        f"{since}..HEAD" if since else "HEAD",
        "--",
        ".",
    ]


def parse_log(out: str) -> list[tuple[Commit, list[FileChange]]]:
    entries = []
    for record in out.split(_RECORD)[1:]:
        header, _, raw = record.partition("\0")
        sha, parents, author, when, subject = header.split(_FIELD, 4)
        commit = Commit(sha, tuple(parents.split()), author, datetime.fromisoformat(when), subject)
        fields = raw.lstrip("\n").split("\0")
        changes = []
        for meta, path in zip(fields[0::2], fields[1::2], strict=False):
            if not meta.startswith(":"):
                continue
            parts = meta[1:].split()
            old_blob, new_blob, status = parts[2], parts[3], parts[4]
            changes.append(
                FileChange(
                    path,
                    None if status == "D" or new_blob == ZERO else new_blob,
                    None if status == "A" or old_blob == ZERO else old_blob,
                )
            )
        entries.append((commit, changes))
    return entries


def read_blobs(plan_dir: Path, blobs: Iterable[str]) -> dict[str, bytes]:
    """The contents of many blobs through one `git cat-file --batch` process."""
    wanted = sorted(set(blobs))
    if not wanted:
        return {}
    exe = shutil.which("git")
    if exe is None:
        raise GitError("git is not installed")
    done = subprocess.run(
        [exe, "cat-file", "--batch"],
        cwd=plan_dir,
        input="".join(f"{b}\n" for b in wanted).encode(),
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or "git cat-file failed")
    out, pos, contents = done.stdout, 0, {}
    for blob in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        if len(header) < 3 or header[1] == b"missing":
            raise GitError(f"blob {blob} is missing from the repository")
        size = int(header[2])
        contents[blob] = out[end + 1 : end + 1 + size]
        pos = end + 1 + size + 1
    return contents
