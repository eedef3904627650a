"""Reading the plan's history from git in one pass: one `git log`, one `git cat-file --batch`.

Never a process per commit or per file. Paths are relative to the plan folder (`--relative`), so
a plan in a subfolder of the repository works the same as one at its top. A first read streams:
git writes the log, newest commit first, and the blobs, while the history reads what came.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Self

from mkdocs_northstar.git import SHORT, GitError, commit_time, git_command, run_git

try:
    import fcntl
except ImportError:  # not on this system: pipes keep their default size
    fcntl = None  # type: ignore[assignment]

_MARK = secrets.token_hex(8)
_RECORD, _FIELD = f"\x1e{_MARK}\x1e", f"\x1f{_MARK}\x1f"
"""Separators no commit can hold: a commit's author or subject may contain any character but NUL,
U+001E and U+001F included, but not a random mark chosen by this process."""
_FORMAT = f"{_RECORD}%H{_FIELD}%P{_FIELD}%ct{_FIELD}%cz{_FIELD}%an{_FIELD}%s"
ZERO = "0" * 40
UNREADABLE_TIME = datetime(1970, 1, 1, tzinfo=UTC)
"""Stands in for a commit time git gives but no calendar holds: the commit's entry says so."""


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
        return self.sha[:SHORT]

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


_NO_HISTORY = ("not a git repository", "unknown revision", "ambiguous argument 'HEAD'", "git is not installed")
"""What git says outside a repository, in one without commits, or when it is missing."""


def repo_state(plan_dir: Path) -> RepoState | None:
    """HEAD and shallowness, or None outside a repository, without commits, or without git.

    Raises:
        GitError: git refuses the repository (its owner is not the user, say: `safe.directory`).
    """
    try:
        out = run_git("rev-parse", "--is-shallow-repository", "HEAD", cwd=plan_dir).split()
    except GitError as exc:
        if any(text in str(exc) for text in _NO_HISTORY):
            return None
        raise
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


def log_args(since: str | None = None, *, newest_first: bool = False) -> list[str]:
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
        *([] if newest_first else ["--reverse"]),
        f"--format={_FORMAT}",
        f"{since}..HEAD" if since else "HEAD",
        "--",
        ".",
    ]


def parse_log(out: str) -> list[tuple[Commit, list[FileChange]]]:
    return [_parse_record(record) for record in out.split(_RECORD)[1:]]


def _parse_record(record: str) -> tuple[Commit, list[FileChange]]:
    header, _, raw = record.partition("\0")
    fields = header.split(_FIELD)
    if len(fields) != 6:  # cannot happen with git's own output: still an entry, never a crash
        return Commit(fields[0][:40], (), "", UNREADABLE_TIME, "unreadable commit"), _parse_raw(raw)
    sha, parents, epoch, zone, author, subject = fields
    when = commit_time(epoch, zone)
    if when is None:
        when, subject = UNREADABLE_TIME, f"unreadable commit (its date is not a calendar date): {subject}"
    return Commit(sha, tuple(parents.split()), author, when, subject), _parse_raw(raw)


def _parse_raw(raw: str) -> list[FileChange]:
    fields = raw.lstrip("\n").split("\0")
    changes = []
    for meta, path in zip(fields[0::2], fields[1::2], strict=False):
        if not meta.startswith(":"):
            continue
        parts = meta[1:].split()
        if len(parts) < 5:
            continue
        old_blob, new_blob, status = parts[2], parts[3], parts[4]
        changes.append(
            FileChange(
                path,
                None if status == "D" or new_blob == ZERO else new_blob,
                None if status == "A" or old_blob == ZERO else old_blob,
            )
        )
    return changes


def read_tree(plan_dir: Path, rev: str) -> dict[str, str]:
    """Plan-relative path -> blob id of every file of the plan folder in `rev` (one `git ls-tree`)."""
    files: dict[str, str] = {}
    for entry in run_git("ls-tree", "-r", "-z", "--end-of-options", rev, "--", ".", cwd=plan_dir).split("\0"):
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob":
            files[path] = parts[2]
    return files


def read_blobs(plan_dir: Path, blobs: Iterable[str]) -> dict[str, bytes]:
    """The contents of many blobs through one `git cat-file --batch` process."""
    wanted = sorted(set(blobs))
    if not wanted:
        return {}
    done = subprocess.run(
        git_command("cat-file", "--batch"),
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


_PIPE = 1 << 20
"""How much git may write ahead of the reader: some 200 plan files, where a pipe holds 64 KiB."""


def _widen(pipe: int) -> None:
    """Let git write ahead while the reader is busy, where the system allows a wider pipe.

    With a narrow pipe git waits each time it is full, and then the reader waits for git to be
    scheduled again (the history at L waited 0.07 s in all for blobs).
    """
    if fcntl is not None and hasattr(fcntl, "F_SETPIPE_SZ"):
        with contextlib.suppress(OSError):  # above the system's limit: keep the default
            fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, _PIPE)


class _Git:
    """A git process read as it writes, stopped on leaving its `with` block.

    Its messages go to a file, where they can never stall it.
    """

    def __init__(self, args: list[str], cwd: Path, *, stdin: bool = False) -> None:
        command = git_command(*args)
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        try:
            self.process = subprocess.Popen(
                command,
                cwd=cwd,
                stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=self._errors,
                bufsize=_PIPE,
            )
        except OSError as exc:
            self._errors.close()
            raise GitError(str(exc)) from exc
        assert self.process.stdout is not None  # noqa: S101 - asked for above
        self.stdout = self.process.stdout
        _widen(self.stdout.fileno())

    def failure(self, fallback: str) -> GitError:
        """What went wrong, once git has ended: its own message when it gave one."""
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._errors.seek(0)
        message = self._errors.read().decode("utf-8", "replace").strip()
        return GitError(message or fallback)

    def close(self) -> None:
        """Stop git if it still runs (the reader gave up early), and let go of its pipes."""
        for stream in (self.process.stdin, self.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):  # a pipe git already closed
                    stream.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._errors.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()


class LogStream(_Git):
    """The plan's log, newest commit first, read while git still writes it."""

    def __init__(self, plan_dir: Path, head: str) -> None:
        args = log_args(newest_first=True)
        args[args.index("HEAD")] = head
        super().__init__(args, plan_dir)

    def __iter__(self) -> Iterator[tuple[Commit, list[FileChange]]]:
        separator, pending = _RECORD.encode(), bytearray()
        while chunk := os.read(self.stdout.fileno(), 1 << 16):
            pending += chunk
            end = pending.rfind(separator)
            if end > 0:  # every record before the last separator is whole
                yield from self._records(bytes(pending[:end]))
                del pending[:end]
        if self.process.wait() != 0:
            raise self.failure("git log failed")
        yield from self._records(bytes(pending))

    @staticmethod
    def _records(data: bytes) -> Iterator[tuple[Commit, list[FileChange]]]:
        for record in data.decode("utf-8", "replace").split(_RECORD):
            if record:
                yield _parse_record(record)


class BlobStream(_Git):
    """Blob contents from one `git cat-file --batch`: asked for ahead of need, read when needed.

    No more than `AHEAD` blobs are ever asked for and not yet read, so neither side can wait on
    a full pipe while the other waits on it.
    """

    AHEAD = 256
    BATCH = 16
    """Asked-for blobs go to git in batches (a write each) unless one of them is needed sooner."""

    def __init__(self, plan_dir: Path) -> None:
        super().__init__(["cat-file", "--batch"], plan_dir, stdin=True)
        assert self.process.stdin is not None  # noqa: S101 - asked for above
        self._stdin = self.process.stdin
        self._asked: deque[str] = deque()
        self._unsent = 0
        self._waiting: set[str] = set()
        self._got: dict[str, bytes] = {}

    def want(self, blobs: Iterable[str]) -> None:
        """Ask git for these blobs, to be read later."""
        for blob in blobs:
            if blob in self._got or blob in self._waiting:
                continue
            if len(self._asked) >= self.AHEAD:
                self._receive()
            self._stdin.write(f"{blob}\n".encode())
            self._asked.append(blob)
            self._waiting.add(blob)
            self._unsent += 1
        if self._unsent >= self.BATCH:
            self._send()

    def __getitem__(self, blob: str) -> bytes:
        if blob not in self._got and blob not in self._waiting:
            self.want([blob])
        while blob not in self._got:
            self._receive()
        return self._got[blob]

    def _send(self) -> None:
        try:
            self._stdin.flush()
        except OSError as exc:  # git stopped reading: say why
            raise self.failure(f"git cat-file failed: {exc}") from exc
        self._unsent = 0

    def _receive(self) -> None:
        if self._unsent >= len(self._asked):
            self._send()  # the blob read next (the oldest asked for) has not gone to git yet
        blob = self._asked.popleft()
        self._waiting.discard(blob)
        header = self.stdout.readline().split()
        if not header:
            raise self.failure("git cat-file stopped")
        if len(header) < 3 or header[1] == b"missing" or header[0].decode() != blob:
            raise GitError(f"blob {blob} is missing from the repository")
        size = int(header[2])
        content = self.stdout.read(size)
        if len(content) < size or self.stdout.read(1) != b"\n":
            raise self.failure("git cat-file stopped")
        self._got[blob] = content


class CommitCount(_Git):
    """How many commits the log lists, counted by a git of its own alongside (for a progress display)."""

    def __init__(self, plan_dir: Path, head: str) -> None:
        super().__init__(["rev-list", "--count", "--first-parent", head, "--", "."], plan_dir)
        self._value: int | None = None

    def value(self) -> int:
        """The count, waiting for git the first time; 0 when git could not count."""
        if self._value is None:
            out = self.stdout.read().strip()
            self._value = int(out) if out.isdigit() and self.process.wait() == 0 else 0
        return self._value
