"""Find the plan files, validate each into its model, and assemble the `Plan`."""

from __future__ import annotations

import difflib
import hashlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from mkdocs_northstar import collector
from mkdocs_northstar.load.errors import describe_error
from mkdocs_northstar.load.items import Parts
from mkdocs_northstar.load.yamlfile import Document, Loc, read_yaml, tag_memo
from mkdocs_northstar.model import FILE_MODELS, Decision, Input, Model, Plan, Settings, TeamPeriod
from mkdocs_northstar.problems import Problem, did_you_mean, problem

SINGLE_FILES = ("strategy", "company", "people", "teams", "northstar", "issues")
RECORD_DIRS = {"decisions": "decision", "inputs": "input"}
"""Folders of records, one file each (`decisions/<id>.yml`), and the kind of file they hold."""
REQUIRED = ("strategy", "company", "people", "teams")
EXECUTION_DIR = "execution"
SCHEMA_DIR = "schema"
_SUFFIXES = (".yml", ".yaml")

EXECUTION_KEYS = frozenset(
    {
        "objectives",
        "key_results",
        "okrs",
        "rocks",
        "priorities",
        "kpis",
        "check_ins",
        "due",
        "deadline",
        "baseline",
        "metric",
        "status",
        "confidence",
        "quarter",
        "period",
    }
)
"""Keys that mark execution items; inside `strategy.yml` they trigger NS304 instead of NS110."""


Parsed = tuple[Document | None, list[Problem], Model | None]


class FileCache:
    """Parsed files kept between loads (e.g. across `mkdocs serve` rebuilds), keyed by file identity.

    A file is parsed again only when its size, modification time, inode or mode changes. Each file is
    also known by its git blob id, so reading the history can reuse what checking the plan parsed.
    """

    def __init__(self) -> None:
        self._entries: dict[tuple[Path, str], tuple[tuple[int, int, int, int], Parsed, str]] = {}
        self._by_blob: dict[tuple[str, str], Parsed] | None = None
        self.parts = Parts()
        """Each file's parts as last read: a file saved again is parsed only where it changed."""

    def get(self, path: Path, kind: str) -> Parsed | None:
        entry = self._entries.get((path, kind))
        return entry[1] if entry is not None and entry[0] == _identity(path) else None

    def put(self, path: Path, kind: str, parsed: Parsed, blob: str) -> None:
        identity = _identity(path)
        if identity != (0, 0, 0, 0):
            self._entries[(path, kind)] = (identity, parsed, blob)
            self._by_blob = None

    def forget_missing(self, present: set[Path]) -> None:
        self._entries = {k: v for k, v in self._entries.items() if k[0] in present}
        self._by_blob = None
        self.parts.forget_missing(present)

    def parsed_blob(self, kind: str, blob: str) -> Parsed | None:
        """The parse of a file with this content (git blob id), if one is kept."""
        if self._by_blob is None:
            self._by_blob = {(k[1], v[2]): v[1] for k, v in self._entries.items()}
        return self._by_blob.get((kind, blob))


def blob_id(content: bytes) -> str:
    """The id git gives a file with this content (`git hash-object`)."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


def _within(path: Path, folder: Path) -> bool:
    """Whether `path`, links followed, is inside `folder` (already resolved)."""
    try:
        path.resolve().relative_to(folder)
    except (ValueError, OSError, RuntimeError):  # elsewhere, unreadable, or a loop of links
        return False
    return True


def _identity(path: Path) -> tuple[int, int, int, int]:
    """What changes when a file is saved, replaced or made unreadable: time, size, inode, mode."""
    try:
        stat = path.stat()
    except OSError:
        return (0, 0, 0, 0)
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino, stat.st_mode)


@dataclass
class Loaded:
    """The result of loading: the plan (parts None where invalid), documents and problems."""

    plan: Plan
    docs: dict[Path, Document] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)
    """Where each single file is (or would be): 'strategy', 'company', 'people', 'teams', 'northstar'."""
    invalid: tuple[Path, ...] = ()
    """The plan files missing from the plan or left out of it as invalid (settings aside)."""


def find_files(root: Path) -> tuple[dict[str, Path], list[Path], list[Problem]]:
    """The single plan files by kind, the execution files, and problems for what is not read:
    files Northstar does not know, links to folders (never followed), and plan files that are
    not ordinary files (a folder named people.yml, a pipe)."""
    found: list[str] = []
    problems: list[Problem] = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        for name in sorted(dirs):
            if (here / name).is_symlink():
                msg = "a link to a folder; Northstar does not follow links to folders (copy the folder in)"
                problems.append(problem("NS100", here / name, (1, 1), msg))
        for name in [*files, *(d for d in dirs if not (here / d).is_symlink())]:
            path = here / name
            if path.suffix not in _SUFFIXES:
                continue
            if path.is_file():
                found.append(path.relative_to(root).as_posix())
                continue
            what = "a folder" if path.is_dir() else "a link that leads nowhere" if path.is_symlink() else "not a file"
            problems.append(problem("NS100", path, (1, 1), f"{what}; a plan file must be an ordinary file"))
    singles, execution, classified = classify_paths(root, sorted(found))
    return singles, execution, [*problems, *classified]


def file_kind(rel: PurePosixPath) -> str | None:
    """What a plan-relative path holds: a single file's kind, "execution", "unknown", or None (not read)."""
    if rel.suffix not in _SUFFIXES:
        return None
    if rel.parts[0] == EXECUTION_DIR and len(rel.parts) > 1:
        return "execution"
    if rel.parts[0] in RECORD_DIRS and len(rel.parts) == 2:
        return RECORD_DIRS[rel.parts[0]]
    if len(rel.parts) == 1 and rel.stem in SINGLE_FILES:
        return rel.stem
    return None if rel.parts[0] == SCHEMA_DIR else "unknown"


def classify_paths(root: Path, rel_paths: Iterable[str]) -> tuple[dict[str, Path], list[Path], list[Problem]]:
    """Sort plan-relative paths (posix, sorted) into single files by kind, execution files and unknown files."""
    singles: dict[str, Path] = {}
    execution: list[Path] = []
    problems: list[Problem] = []
    for rel_text in rel_paths:
        rel = PurePosixPath(rel_text)
        kind = file_kind(rel)
        if kind is None:
            continue
        path = root.joinpath(*rel.parts)
        if kind in ("execution", *RECORD_DIRS.values()):  # a file of work, or a record: one of many
            execution.append(path)
        elif kind != "unknown":
            if kind in singles:
                problems.append(problem("NS201", path, (1, 1), duplicate_single(singles[kind].name, rel.name)))
                continue
            singles[kind] = path
        else:
            problems.append(problem("NS114", path, (1, 1), unknown_file(rel)))
    return singles, execution, problems


def duplicate_single(first: str, second: str) -> str:
    return f"both {first} and {second} exist; keep one"


def unknown_file(rel: PurePosixPath) -> str:
    stem = did_you_mean(rel.stem, SINGLE_FILES) if len(rel.parts) == 1 else ""  # the shared ".yml" would match
    hint = stem.replace("'?)", ".yml'?)")
    where = "" if hint else f"; team work goes under {EXECUTION_DIR}/<period>/<team>.yml"
    return f"Northstar does not read this file{hint or where}"


Parse = Callable[[Path, str], Parsed]
"""Parses one file: (path, kind) -> (document, problems, model)."""


@collector.paused()
@tag_memo()
def load_plan(root: Path, cache: FileCache | None = None, *, edits: Mapping[Path, bytes] | None = None) -> Loaded:
    """Load every plan file under `root`. Never raises for bad input: problems are returned.

    With a `cache`, files unchanged since the last load are not read again. `edits` gives some
    files' content as it would be after an edit (`northstar checkin` checks a change before it
    writes it): those files are read from there, not from the disk.
    """
    if not root.is_dir():
        msg = "plan directory not found; pass the folder holding strategy.yml"
        paths = {kind: root / f"{kind}.yml" for kind in SINGLE_FILES}
        return Loaded(Plan(root=root, complete=False), {}, [problem("NS113", root, (1, 1), msg)], paths, (root,))
    singles, execution_paths, problems = find_files(root)
    inside = root.resolve()
    outside = {p for p in [*singles.values(), *execution_paths] if p.is_symlink() and not _within(p, inside)}
    for path in sorted(outside):
        msg = "a link to a file outside the plan folder; Northstar reads only files inside it (copy the file in)"
        problems.append(problem("NS100", path, (1, 1), msg))

    def parse(path: Path, kind: str) -> Parsed:
        if path in outside:
            return None, [], None
        if edits is not None and path in edits:
            return parse_file(path, kind, lambda: edits[path])
        parsed = cache.get(path, kind) if cache is not None else None
        if parsed is None:
            read: list[bytes] = []

            def content() -> bytes:
                read.append(path.read_bytes())
                return read[0]

            parsed = parse_file(path, kind, content, cache.parts if cache is not None else None)
            if cache is not None and read:
                cache.put(path, kind, parsed, blob_id(read[0]))
        return parsed

    loaded = _assemble(root, singles, execution_paths, problems, parse)
    if cache is not None:
        cache.forget_missing({*singles.values(), *execution_paths})
    return loaded


@tag_memo()
def load_plan_from(
    root: Path, files: Mapping[str, str], read: Callable[[str], bytes], cache: dict[tuple[str, str], Parsed]
) -> Loaded:
    """Load a plan that is not on disk: `files` maps plan-relative paths to blob ids, `read` gives a blob's bytes.

    Each (kind, blob) is parsed once and kept in `cache`, so a history of many revisions costs
    one parse per distinct file content.
    """
    singles, execution_paths, problems = classify_paths(root, sorted(files))

    def parse(path: Path, kind: str) -> Parsed:
        blob = files[path.relative_to(root).as_posix()]
        parsed = cache.get((kind, blob))
        if parsed is None:
            parsed = cache[(kind, blob)] = parse_file(path, kind, lambda: read(blob))
        return parsed

    return _assemble(root, singles, execution_paths, problems, parse)


def _assemble(
    root: Path, singles: dict[str, Path], execution_paths: list[Path], problems: list[Problem], parse: Parse
) -> Loaded:
    docs: dict[Path, Document] = {}
    parts: dict[str, Any] = {}
    invalid: list[Path] = []
    for kind in REQUIRED:
        if kind not in singles:
            path = root / f"{kind}.yml"
            invalid.append(path)
            problems.append(problem("NS113", path, (1, 1), f"missing {kind}.yml; see the format reference"))
    for kind, path in singles.items():
        model = _load(path, kind, docs, problems, parse)
        if model is None and kind != "northstar":
            invalid.append(path)  # (invalid settings fall back to the defaults; the plan itself is whole)
        parts[kind] = model
    execution: list[tuple[Path, Model]] = []
    for path in execution_paths:
        kind = file_kind(PurePosixPath(path.relative_to(root).as_posix())) or "execution"
        model = _load(path, kind, docs, problems, parse)
        if model is not None:
            execution.append((path, model))
        else:
            invalid.append(path)
    plan = assemble_plan(root, parts, execution, complete=not invalid)
    paths = {kind: singles.get(kind, root / f"{kind}.yml") for kind in SINGLE_FILES}
    return Loaded(plan, docs, problems, paths, tuple(invalid))


def assemble_plan(
    root: Path, singles: Mapping[str, Any], execution: Sequence[tuple[Path, Model]], *, complete: bool
) -> Plan:
    """The plan made of already-validated parts, as loading and history replay both make it.

    `singles` maps 'strategy', 'company', 'people', 'teams', 'northstar' and 'issues' to their models (None
    or absent where a file is missing or invalid; invalid settings fall back to the defaults).
    `execution` holds the files of which there are many, in path order: each team's work for a
    quarter, and each decision record and input.
    """
    settings = singles.get("northstar")
    return Plan.model_construct(  # every part is an already-validated model: no second validation
        root=root,
        strategy=singles.get("strategy"),
        company=singles.get("company"),
        people=singles.get("people"),
        teams=singles.get("teams"),
        issues=singles.get("issues"),
        decision_files=tuple((p, m) for p, m in execution if isinstance(m, Decision)),
        input_files=tuple((p, m) for p, m in execution if isinstance(m, Input)),
        execution=tuple((p, m) for p, m in execution if isinstance(m, TeamPeriod)),
        settings=settings if isinstance(settings, Settings) else Settings(),
        complete=complete,
    )


def _load(path: Path, kind: str, docs: dict[Path, Document], problems: list[Problem], parse: Parse) -> Model | None:
    doc, found, model = parse(path, kind)
    if doc is not None:
        docs[path] = doc
    problems.extend(found)
    return model


def parse_file(path: Path, kind: str, content: Callable[[], bytes], parts: Parts | None = None) -> Parsed:
    """Read and validate one file: (document or None, its problems, model or None if invalid).

    With `parts`, a valid file is read part by part, parsing only the parts not read before.
    """
    if parts is not None:
        try:
            raw = content()
        except OSError:
            pass  # read_yaml reads again and explains
        else:
            found = parts.read(path, kind, raw)
            if found is not None:
                return Document(path, None, found[0]), [], found[1]
            content = lambda: raw  # noqa: E731 - read once
    doc, problems = read_yaml(path, content)
    if doc is None:
        return None, problems, None
    if not isinstance(doc.data, dict):
        what = {list: "a list", type(None): "nothing"}.get(type(doc.data), repr(doc.data)[:40])
        msg = f"expected a mapping of keys at the top of the file, got {what}"
        return doc, [*problems, problem("NS112", path, doc.position(()), msg)], None
    read_errors = bool(problems)
    data = _strip_execution_keys(doc, problems) if kind == "strategy" else doc.data
    model_cls = FILE_MODELS[kind]
    try:
        model = model_cls.model_validate(data)
    except ValidationError as exc:
        return doc, [*problems, *_validation_problems(doc, kind, model_cls, exc)], None
    doc.data = None  # the model holds the values now
    return doc, problems, None if read_errors else model


def _strip_execution_keys(doc: Document, problems: list[Problem]) -> Any:
    """Remove execution keys from strategy data, warning (NS304) at each one."""
    return _stripped(doc.data, (), doc, problems)


def _stripped(value: Any, loc: Loc, doc: Document, problems: list[Problem]) -> Any:
    if isinstance(value, dict):
        kept = {}
        for key, item in value.items():
            if key in EXECUTION_KEYS:
                msg = (
                    f"{key!r} is execution, not strategy: move it to a team file under "
                    f"{EXECUTION_DIR}/<period>/<team>.yml"
                )
                problems.append(problem("NS304", doc.path, doc.position((*loc, key), key=True), msg))
            else:
                kept[key] = _stripped(item, (*loc, key), doc, problems)
        return kept
    if isinstance(value, list):
        return [_stripped(item, (*loc, i), doc, problems) for i, item in enumerate(value)]
    return value


def _validation_problems(doc: Document, kind: str, model_cls: type[Model], exc: ValidationError) -> list[Problem]:
    out: list[Problem] = []
    errors = exc.errors(include_url=False)
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
    misspelt: set[Loc] = set()  # a misspelt required key is one mistake: report the unknown key with its suggestion
    for e in errors:
        if e["type"] == "extra_forbidden":
            where, key = tuple(e["loc"][:-1]), str(e["loc"][-1])
            close = [m[-1] for m in missing if m[:-1] == where and (key == "owners" and m[-1] == "owner")]
            close += difflib.get_close_matches(key, [str(m[-1]) for m in missing if m[:-1] == where], n=1)
            misspelt.update((*where, m) for m in close)
    for error in errors:
        loc: Loc = tuple(error["loc"])
        if any(loc[: i + 1] in doc.reported for i in range(len(loc))):
            continue  # already reported while reading (duplicate key, bad date, unsafe tag)
        if error["type"] == "missing" and loc in misspelt:
            continue
        code, message, at_key = describe_error(error, kind, model_cls, doc.data)
        target = loc if error["type"] != "missing" else loc[:-1]
        out.append(problem(code, doc.path, doc.position(target, key=at_key), message))
    return out
