"""Where Northstar writes, and how: a build never overwrites or deletes what the user wrote.

MkDocs empties `site_dir` before it builds, so a site folder that overlaps the plan, the project
(the folder of mkdocs.yml) or the git directory would delete them: such a folder is refused
before anything is written. Paths given for generated pages stay inside their output folder.
Files are written whole or not at all (a temporary file beside them, then a rename), so a full
disk leaves the previous file, never a truncated one.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path, PurePosixPath


class UnsafeOutputError(ValueError):
    """An output folder or path that would put the user's files at risk."""


def _overlap(a: Path, b: Path) -> bool:
    """True when `a` and `b` (both resolved) are one folder or one holds the other."""
    return a == b or a in b.parents or b in a.parents


def check_site_dir(site_dir: Path, *, project: Path, plan_dir: Path, git_dir: Path | None) -> None:
    """Refuse a site folder that emptying would lose the user's files in.

    Raises:
        UnsafeOutputError: `site_dir` is or holds the project folder, or is, holds or lies inside
            the plan folder or the git directory. Paths are named relative to the project.
    """
    site, project = site_dir.resolve(), project.resolve()
    shown = _relative(site, project)
    if site == project or site in project.parents:
        raise UnsafeOutputError(f"site_dir {shown} is or holds the project folder (where mkdocs.yml is)")
    plan = plan_dir.resolve()
    if _overlap(site, plan):
        raise UnsafeOutputError(f"site_dir {shown} overlaps the plan folder {_relative(plan, project)}")
    if git_dir is not None and _overlap(site, git := git_dir.resolve()):
        raise UnsafeOutputError(f"site_dir {shown} overlaps the git directory {_relative(git, project)}")


def _relative(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path, start)).as_posix()


def check_plan_outside_docs(plan_dir: Path, docs_dir: Path, project: Path) -> None:
    """Refuse a plan folder inside docs_dir: MkDocs would publish the raw YAML, comments included.

    Raises:
        UnsafeOutputError: `plan_dir` is or lies inside `docs_dir`.
    """
    plan, docs = plan_dir.resolve(), docs_dir.resolve()
    if plan == docs or docs in plan.parents:
        raise UnsafeOutputError(
            f"plan_dir {_relative(plan, project)} is inside docs_dir {_relative(docs, project)}, "
            "so the raw plan files (comments included) would be published"
        )


def inner_path(path: str, what: str) -> PurePosixPath:
    """`path` as a folder inside an output folder: relative, without `..`.

    Raises:
        UnsafeOutputError: `path` is absolute (on any system) or climbs out with `..`.
    """
    pure = PurePosixPath(path.replace("\\", "/"))
    drive = len(path) > 1 and path[1] == ":"
    if pure.is_absolute() or drive or ".." in pure.parts:
        raise UnsafeOutputError(f"{what} {path!r} must be a folder inside the output, without '..' or a leading '/'")
    return pure


def inside(folder: Path, rel: str) -> Path | None:
    """`folder / rel` when `rel` is a plain relative path that stays inside `folder` (links
    resolved), else None."""
    if not rel or rel.startswith(("/", "\\")) or "\\" in rel or ".." in PurePosixPath(rel).parts:
        return None
    target = folder / rel
    try:
        target.resolve().relative_to(folder.resolve())
    except ValueError:
        return None
    return target


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all: a temporary file beside it (created as any new
    file is, so it takes the usual permissions), then a rename over `path`."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with temporary.open("xb") as f:
            f.write(data)
        temporary.replace(path)
    except OSError as exc:  # named after the file meant, not the temporary one
        temporary.unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_all(files: Mapping[Path, bytes]) -> None:
    """Write every file or none: each to a temporary file beside it first, and only when all are
    written, each renamed over its target (a full disk half-way leaves every file as it was)."""
    written: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
            written.append((temporary, path))
            try:
                with temporary.open("xb") as f:
                    f.write(data)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, path in written:
        temporary.replace(path)
