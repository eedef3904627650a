"""What a site's mkdocs.yml says of Northstar's pages, read by MkDocs itself.

The plugin takes its options from MkDocs when it builds. The commands that work beside a site
rather than inside its build (`northstar render` for other generators, `northstar pdf` for the
built one-page plan) read the same file the same way, so they agree with the plugin on where the
pages are and what they say: the plugin's options, the theme's `custom_dir` (template overrides),
`site_dir`, `docs_dir` and `use_directory_urls` as the site's plugins leave it (the offline plugin
turns directory URLs off).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs_northstar.build import Settings
from mkdocs_northstar.pages.labels import labels_for
from mkdocs_northstar.techdocs import built_for_techdocs

if TYPE_CHECKING:  # MkDocs is loaded only by the commands that read a site, not by every command
    from mkdocs.config.defaults import MkDocsConfig

PLUGIN = "northstar"
"""The plugin's name in mkdocs.yml."""


class SiteConfigError(Exception):
    """mkdocs.yml cannot be read, or gives the plugin options it refuses; the message says which."""


@dataclass(frozen=True)
class SiteConfig:
    """A site's settings for Northstar's pages."""

    config_file: Path
    plan_dir: Path
    docs_dir: Path
    site_dir: Path
    settings: Settings
    generates: bool
    """Whether `mkdocs build` generates the pages itself (the plugin is listed and enabled)."""


def settings_for(options: Any, config: MkDocsConfig, show_problems: Path | None = None) -> Settings:
    """The build settings the plugin's `options` and the site's `config` give."""
    custom_dir = config.theme.custom_dir
    return Settings(
        path=options.path,
        directory_urls=config.use_directory_urls,
        pages=tuple(options.pages),
        labels=labels_for(config.theme.get("language") or config.theme.get("locale"), options.labels),
        period=options.period,
        as_of=options.as_of,
        bands=options.score_bands,
        churn_threshold=options.churn_threshold,
        churn_window_months=options.churn_window_months,
        nav_limit=options.nav_limit,
        techdocs=built_for_techdocs(config.plugins, config.theme.static_templates),
        one_page_pdf=options.one_page_pdf,
        template_dirs=(Path(custom_dir),) if custom_dir else (),
        show_problems=show_problems,
    )


def read_site_config(config_file: Path) -> SiteConfig:
    """The site `config_file` describes, with the plugin's options as MkDocs validates them.

    The plugin's options are read even when it is disabled (`enabled: false`, as a site built by
    another generator keeps it); without the plugin listed at all, they are the defaults.

    Raises:
        SiteConfigError: the file is missing or invalid, or the plugin's options are.
    """
    from mkdocs.config import load_config  # noqa: PLC0415
    from mkdocs.exceptions import MkDocsException  # noqa: PLC0415

    quiet = logging.getLogger("mkdocs")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # MkDocs' own notices about the site are the build's business
    try:
        config = load_config(str(config_file))
        config = config.plugins.on_config(config)  # as a build sees it: the offline plugin turns off directory URLs
        plugin = config.plugins.get(PLUGIN)
        options = plugin.config if plugin is not None else _options_of_unloaded(config_file)
    except (MkDocsException, OSError) as exc:
        raise SiteConfigError(f"{config_file.as_posix()}: {exc}") from None
    finally:
        quiet.setLevel(level)
    base = config_file.resolve().parent
    return SiteConfig(
        config_file=config_file,
        plan_dir=base / options.plan_dir,
        docs_dir=Path(config.docs_dir),
        site_dir=Path(config.site_dir),
        settings=settings_for(options, config),
        generates=plugin is not None,
    )


def _options_of_unloaded(config_file: Path) -> Any:
    """The options of a plugin MkDocs did not load (disabled, or not listed), validated as it would."""
    from mkdocs.utils.yaml import yaml_load  # noqa: PLC0415

    from mkdocs_northstar.plugin import NorthstarConfig  # noqa: PLC0415 - the adapter imports this module

    with config_file.open("rb") as f:
        raw = yaml_load(f) or {}
    entries = raw.get("plugins") or [] if isinstance(raw, dict) else []
    listed = entries.items() if isinstance(entries, dict) else (_entry(e) for e in entries)
    given = next((dict(v) if isinstance(v, dict) else {} for k, v in listed if k == PLUGIN), {})
    given.pop("enabled", None)
    options = NorthstarConfig()
    options.load_dict(given)
    errors, _ = options.validate()
    if errors:
        said = "; ".join(f"{name}: {error}" for name, error in errors)
        raise SiteConfigError(f"{config_file.as_posix()}: plugin {PLUGIN!r}: {said}")
    return options


def _entry(entry: object) -> tuple[object, object]:
    """A `plugins:` list item as (name, options)."""
    if isinstance(entry, dict) and len(entry) == 1:
        return next(iter(entry.items()))
    return entry, None
