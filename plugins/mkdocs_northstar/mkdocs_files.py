"""The MkDocs files Northstar adds: its pages and the plan export, perhaps still being rendered ahead.

Part of the MkDocs adapter, beside `mkdocs_northstar.plugin`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from mkdocs_northstar.check import UsageError
from mkdocs_northstar.parallel import WorkerError

Source = bytes | Callable[[], bytes]
"""A generated file's text, or what gives it when MkDocs reads it (see `AheadFile`)."""


def add_file(files: Files, config: MkDocsConfig, path: str, source: Source, inclusion: InclusionLevel) -> None:
    """Add one generated file; a page the user wrote at that path is never replaced."""
    existing = files.get_file_from_path(path)
    if existing is not None and existing.generated_by is None:
        raise PluginError(
            f"northstar: {config.docs_dir}/{path} exists, and Northstar generates that page; "
            "rename it or set `path:` in the plugin options to put the plan pages in a folder"
        )
    if isinstance(source, bytes):
        files.append(File.generated(config, path, content=source, inclusion=inclusion))
    else:
        ahead = cast("AheadFile", AheadFile.generated(config, path, content=b"", inclusion=inclusion))  # made by cls
        files.append(ahead.reading(source))


class AheadFile(File):
    """A generated file whose text may still be being rendered in another process (see `mkdocs_northstar.parallel`).

    MkDocs reads every file's text through `_content` (pages when it reaches them, plan.json when it
    copies it): the text is taken then, and kept, so MkDocs works on the first pages meanwhile.
    """

    _source: Callable[[], bytes] | None = None
    _text: str | bytes | None = None

    def reading(self, source: Callable[[], bytes]) -> AheadFile:
        self._source = source
        return self

    @property
    def _content(self) -> str | bytes | None:
        if self._source is not None:
            try:
                text = self._source()
            except (UsageError, WorkerError) as exc:  # a failing template override: MkDocs names the page, then stops
                raise PluginError(f"northstar: {exc}") from None
            self._text, self._source = text, None
        return self._text

    @_content.setter
    def _content(self, value: str | bytes | None) -> None:
        self._text, self._source = value, None


Renewed = TypeVar("Renewed")


def renewed(value: Renewed) -> Renewed:
    """A copy of nested tuples, lists and dicts of strings and bytes, made of new small objects.

    Only small objects share arenas; bytes of 512 or more (most pages) are kept as they are.
    """
    if isinstance(value, str):
        return value.encode().decode()  # type: ignore[return-value]
    if isinstance(value, bytes):
        return bytes(memoryview(value)) if len(value) < 512 else value  # type: ignore[return-value]
    if isinstance(value, tuple | list):
        return type(value)(renewed(v) for v in value)
    if isinstance(value, dict):
        return {renewed(k): renewed(v) for k, v in value.items()}  # type: ignore[return-value]
    return value
