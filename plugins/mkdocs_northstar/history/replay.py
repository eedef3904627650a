"""The plan revision after revision, from git blobs, at the cost of what each revision changed.

A history replays thousands of commits that each touch one file or two. Assembling every
revision's plan from all of its files would make a plan of a thousand teams cost a thousand
files per commit; instead the replay keeps each file's parsed model and running totals, and a
commit updates only the files it names. Files a commit does not touch stay the very same
objects, which is what lets the semantic diff skip them by identity.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from mkdocs_northstar.history.gitlog import FileChange
from mkdocs_northstar.load.items import Parts
from mkdocs_northstar.load.plan import RECORD_DIRS, REQUIRED, Parsed, assemble_plan, file_kind, parse_file
from mkdocs_northstar.model import Model, Plan, TeamPeriod


@dataclass(frozen=True)
class _File:
    rel: str
    kind: str
    """A single file's kind, "execution" or "unknown"."""
    path: Path
    model: Model | None
    errors: int


class Replay:
    """The plan at one revision, moved forward commit by commit with `apply`."""

    def __init__(self, root: Path, known: Callable[[str, str], Parsed | None] | None = None) -> None:
        self.root = root
        self.known = known
        """Finds a file already parsed elsewhere by (kind, blob id): the working tree's, mostly."""
        self.files: dict[str, _File] = {}
        """Plan-relative path -> the file as of the last revision applied."""
        self._errors = 0
        self._singles: dict[str, set[str]] = {}
        self._invalid_execution = 0
        self._records: dict[str, _File] = {}
        """Decision records and inputs, one file each, by plan-relative path (a plan has a few)."""
        self._execution: list[tuple[Path, TeamPeriod]] | None = []
        """Valid team files in path order; None when a file came or went (sorted again on demand)."""
        self._at: dict[str, int] = {}
        """Plan-relative path -> its index in `_execution`."""
        self._places: dict[str, tuple[str | None, Path]] = {}
        self.edited: set[int] | None = None
        """The places in the plan's `execution` that the last `apply` changed; None when it moved
        files about (a file came, went, or turned valid or invalid): then any place may differ."""

    def knows(self, rel: str, blob: str) -> bool:
        """Whether `apply` can do without this file's content: already parsed, or never read."""
        kind = self._place(rel)[0]
        return kind is None or kind == "unknown" or (self.known is not None and self.known(kind, blob) is not None)

    def copy(self) -> Replay:
        """Another replay at the same revision, moved on independently of this one."""
        other = Replay(self.root, self.known)
        other.files = dict(self.files)
        other._errors = self._errors
        other._singles = {kind: set(paths) for kind, paths in self._singles.items()}
        other._invalid_execution = self._invalid_execution
        other._records = dict(self._records)
        other._execution = list(self._execution) if self._execution is not None else None
        other._at = dict(self._at)
        other._places = self._places  # the same paths have the same places
        return other

    def apply(
        self, changes: Iterable[FileChange], read: Callable[[str], bytes], parts: Parts | None = None
    ) -> tuple[Plan, int]:
        """Move to the next revision; returns its plan and its number of errors.

        The plan is whole (`complete`) only when every required file is there and valid. With
        `parts`, a changed file is parsed only where it differs from its last revision read.
        """
        self.edited = set()
        for change in changes:
            before = self.files.get(change.path)
            self._drop(change.path)
            if change.blob is not None:
                self._add(change.path, change.blob, read, parts)
            after = self.files.get(change.path)
            if self._execution is not None and _valid_work(before) and _valid_work(after):
                assert after is not None and isinstance(after.model, TeamPeriod)  # noqa: S101 - just checked
                self._execution[self._at[change.path]] = (after.path, after.model)  # edited in place
                self.edited.add(self._at[change.path])
            elif _valid_work(before) or _valid_work(after):
                self._execution = None
        if self._execution is None:
            self.edited = None
        missing = [k for k in REQUIRED if k not in self._singles]
        doubled = sum(len(paths) - 1 for paths in self._singles.values())
        errors = self._errors + len(missing) + doubled
        single: dict[str, Any] = {kind: self.files[min(paths)].model for kind, paths in self._singles.items()}
        complete = not missing and all(single.get(k) is not None for k in REQUIRED) and not self._invalid_execution
        if self._execution is None:
            valid = [f for _, f in sorted(self.files.items()) if _valid_work(f)]
            self._execution = [(f.path, f.model) for f in valid if isinstance(f.model, TeamPeriod)]
            self._at = {f.rel: i for i, f in enumerate(valid)}
        records = [(f.path, f.model) for _, f in sorted(self._records.items()) if f.model is not None]
        return assemble_plan(self.root, single, [*self._execution, *records], complete=complete), errors

    def _place(self, rel_text: str) -> tuple[str | None, Path]:
        """The kind and full path of a plan-relative path (a history names the same few thousand)."""
        place = self._places.get(rel_text)
        if place is None:
            rel = PurePosixPath(rel_text)
            place = self._places[rel_text] = (file_kind(rel), self.root.joinpath(*rel.parts))
        return place

    def _add(self, rel_text: str, blob: str, read: Callable[[str], bytes], parts: Parts | None) -> None:
        kind, path = self._place(rel_text)
        if kind is None:
            return
        model: Model | None = None
        errors = 0
        if kind != "unknown":  # an unknown file is only a warning, and its content never matters
            parsed = self.known(kind, blob) if self.known is not None else None
            _, problems, model = parsed or parse_file(path, kind, lambda: read(blob), parts)
            errors = sum(1 for p in problems if p.severity == "error")
        self.files[rel_text] = entry = _File(rel_text, kind, path, model, errors)
        self._count(entry, 1)

    def _drop(self, rel_text: str) -> None:
        entry = self.files.pop(rel_text, None)
        if entry is not None:
            self._count(entry, -1)

    def _count(self, entry: _File, sign: int) -> None:
        rel = entry.rel
        self._errors += sign * entry.errors
        if entry.kind == "execution":
            self._invalid_execution += sign * (not isinstance(entry.model, TeamPeriod))
        elif entry.kind in RECORD_DIRS.values():
            self._invalid_execution += sign * (entry.model is None)
            if sign > 0:
                self._records[rel] = entry
            else:
                self._records.pop(rel, None)
        elif entry.kind != "unknown":
            paths = self._singles.setdefault(entry.kind, set())
            if sign > 0:
                paths.add(rel)
            else:
                paths.discard(rel)
                if not paths:
                    del self._singles[entry.kind]


def _valid_work(entry: _File | None) -> bool:
    return entry is not None and isinstance(entry.model, TeamPeriod)
