"""`northstar render`: the generated pages as Markdown files, for generators that run no MkDocs plugins.

The pages are the plugin's own: the same options (from the site's mkdocs.yml, when there is one),
the same templates (the theme's `custom_dir` overrides too), the same builder. Render writes only
files it wrote before or that are new (`MANIFEST`), never over a file someone else wrote, and
refuses to write where the plugin generates the same pages when MkDocs builds the site.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from mkdocs_northstar.build import STYLESHEET, STYLESHEET_PATH, Built, Settings
from mkdocs_northstar.serve_watch import Listing, listing
from mkdocs_northstar.site_config import PLUGIN, SiteConfig
from mkdocs_northstar.writes import inside, write_atomic

MANIFEST = ".northstar-render"
"""Lists what the last `northstar render` wrote, so it only ever replaces or removes its own files."""


class RenderError(Exception):
    """Render would write over files it did not write, or where the plugin generates the same pages."""


@dataclass(frozen=True)
class Job:
    """What to render, and where: the plan, its settings, the output folder, and the site it came from."""

    plan_dir: Path
    settings: Settings
    out: Path
    site: SiteConfig | None = None


def job(
    site: SiteConfig | None,
    out: Path,
    *,
    plan_dir: Path | None = None,
    path: str | None = None,
    directory_urls: bool | None = None,
    as_of: date | None = None,
    period: str | None = None,
) -> Job:
    """The render job for `out`: the site's settings (the defaults without a site), with what the
    command line gives (None: not given) over them.

    Raises:
        RenderError: the site's plugin generates the pages itself when MkDocs builds it, and `out`
            is inside its docs folder: the next build would meet every page twice.
    """
    settings = site.settings if site is not None else Settings()
    given: dict[str, Any] = {"path": path, "directory_urls": directory_urls, "as_of": as_of, "period": period}
    settings = replace(settings, **{k: v for k, v in given.items() if v is not None})
    if site is not None and site.generates and _within(out, site.docs_dir):
        raise RenderError(
            f"{site.config_file.as_posix()} has the {PLUGIN} plugin, which generates these pages into "
            f"{site.docs_dir.name}/ when MkDocs builds the site; pages rendered into {out.as_posix()} as well "
            "would break that build. For another generator, keep the plugin's options and turn it off "
            f"(`- {PLUGIN}: {{enabled: false, ...}}`), or render outside the docs folder"
        )
    root = plan_dir if plan_dir is not None else site.plan_dir if site is not None else Path("plan")
    return Job(root, settings, out, site)


def _within(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def files_of(built: Built) -> dict[str, bytes]:
    """Every file a render writes: the pages, the plan export and the stylesheet, by path under `out`."""
    assert built.site is not None  # noqa: S101 - the caller stops on an invalid plan
    files = {page.path: page.content for page in built.site.pages}
    if built.export is not None:
        files[built.export.path] = built.export.content
    files[STYLESHEET_PATH] = STYLESHEET.read_bytes()
    return files


def watched(job: Job) -> tuple[Listing, ...]:
    """What, when it changes, calls for a new render: the plan, the site's configuration, its templates."""
    config = (job.site.config_file,) if job.site is not None else ()
    return tuple(listing(p) for p in (job.plan_dir, *config, *job.settings.template_dirs))


def _rendered_kind(rel: str) -> bool:
    """A path of the kind render writes: a page, the plan export or the stylesheet."""
    return rel.endswith((".md", "/plan.json", STYLESHEET_PATH)) or rel == "plan.json"


def write(out: Path, files: dict[str, bytes]) -> int:
    """Write `files` under `out`, replacing or removing only what an earlier render wrote there;
    how many files changed.

    The manifest names every file render may have written before any is written, so a render
    stopped half-way (a full disk) leaves files the next render knows as its own. Of the files the
    manifest names, only those of a kind render writes, inside `out`, are ever removed.

    Raises:
        RenderError: `out` has files render did not write where it would write.
        OSError: a file cannot be written.
    """
    manifest = out / MANIFEST
    listed = manifest.read_text(encoding="utf-8").split() if manifest.is_file() else []
    previous = {rel for rel in listed if _rendered_kind(rel) and inside(out, rel) is not None}
    clashes = sorted(p for p in files if (out / p).exists() and p not in previous)
    if clashes:
        shown = ", ".join(clashes[:5]) + (" ..." if len(clashes) > 5 else "")
        raise RenderError(
            f"{out.as_posix()} already has files Northstar did not write: {shown}; "
            "use --path to render into a folder, or another --out"
        )
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(manifest, "".join(f"{rel}\n" for rel in sorted(previous | set(files))).encode("utf-8"))
    changed = 0
    for rel in sorted(previous - set(files)):
        target = inside(out, rel)
        if target is not None and target.is_file():
            target.unlink()  # a page the plan no longer has, written by an earlier render
            changed += 1
    for rel, content in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_bytes() != content:
            write_atomic(target, content)
            changed += 1
    write_atomic(manifest, "".join(f"{rel}\n" for rel in sorted(files)).encode("utf-8"))
    return changed
