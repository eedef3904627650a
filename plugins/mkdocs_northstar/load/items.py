"""Plan files read part by part, so that a file read again costs only the parts whose text changed.

A team file is a few top-level keys, most of them lists of objectives, rocks or KPIs. Each part
(a top-level key with its value, one item of a top-level list, or one item of such an item's own
list, as an objective's key results) is composed on its own and kept by its text with its
validated model: a revision that edits one key result composes that key result, and the
history's first revision reuses what loading the working tree read.

This is only a faster way to the same result, for files that are valid and plainly written. A part
is read alone only when the way it is written guarantees the same value as in the file (block
style, split at lines that start a key or a list item); anything else, and any problem at all,
answers None, and the caller reads the file whole, with exact positions in every message.
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from mkdocs_northstar.load.yamlfile import (
    MAX_ALIAS_NODES,
    MAX_BYTES,
    MAX_NODES,
    Composer,
    NodeConstructor,
    TooLargeError,
)
from mkdocs_northstar.model import FILE_MODELS, Model

# The patterns that look at line starts begin with the newline itself, and are searched in the
# text after a newline ("\n" + text): the engine then jumps from newline to newline, where a
# multiline "^" would be tried at every character (several times slower on a team file).
_PLAIN = re.compile(r"\n(?![A-Za-z_ #\n]|-[ \n]|-\Z|\Z)")
"""A line that does not start with a plain key, a list item, a comment, a space or nothing."""
_KEY_LINE = re.compile(r"\n(?=[A-Za-z_])")
_BLOCK_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):[ ]*(?:#.*)?")
"""A top-level key whose value is on the following lines."""
_FIRST_ITEM = re.compile(r"\n( *)-(?:[ \n]|\Z)")
_ITEM_START = re.compile(r" *- +(?=[A-Za-z_])")
"""An item's first line, up to the column where its keys start."""
_MARGIN = 1_000
"""Values the split leaves uncounted (the top mapping, its keys and lists) stay far within this."""


class _UnsureError(Exception):
    """The file is not one the parts can read exactly: read it whole."""


class Parts:
    """The parts of each file as last read, by path: reading a file again parses only what changed.

    A history reads through `derived()`, which finds the working tree's parts (its first revision
    mostly matches them) and keeps its own, one version per file, out of the working tree's memo.
    """

    def __init__(self, seed: Parts | None = None) -> None:
        self._seed = seed
        self._files: dict[Path, dict[_Key, _Part]] = {}

    def derived(self) -> Parts:
        return Parts(self)

    def forget_missing(self, present: set[Path]) -> None:
        self._files = {k: v for k, v in self._files.items() if k in present}

    def read(self, path: Path, kind: str, raw: bytes) -> tuple[str, Model] | None:
        """The text and model of a valid file read part by part, or None: then read it whole."""
        model_cls = FILE_MODELS.get(kind)
        if model_cls is None or kind == "strategy" or len(raw) > MAX_BYTES:
            return None  # strategy.yml has keys to strip with a warning each: always read whole
        before = self._files.get(path)
        if before is None and self._seed is not None:
            before = self._seed._files.get(path)
        now: dict[_Key, _Part] = {}
        try:
            text = raw.decode("utf-8")
            model = _read(model_cls, text, lambda key, part, parse: _reuse(before, now, key, part, parse))
        except (_UnsureError, UnicodeDecodeError):
            return None
        self._files[path] = now
        return text, model


_Key = tuple[object, str]
"""(what a part is, its text)."""
Lookup = Callable[[object, str, Callable[[], "_Part"]], "_Part"]
"""Finds a part by (what it is, its text), or parses it with the function given."""


def _reuse(
    before: dict[_Key, _Part] | None,
    now: dict[_Key, _Part],
    what: object,
    text: str,
    parse: Callable[[], _Part],
) -> _Part:
    key = (what, text)
    part = now.get(key)
    if part is None:
        part = before.get(key) if before is not None else None
        if part is None:
            part = parse()
        now[key] = part
        now.update(part.inner)  # its own parts stay known for the next version
    return part


def _read(model_cls: type[Model], text: str, part_of: Lookup) -> Model:
    after_newline = "\n" + text
    if text.startswith("\ufeff") or "\t" in text or "\r" in text or _PLAIN.search(after_newline):
        raise _UnsureError  # a BOM, tabs, other line ends, or a line that is not a key, an item or a comment
    segments = _split_lines(text, _KEY_LINE, after_newline)
    if not _only_comments(segments[0]):
        raise _UnsureError
    data: dict[str, Any] = {}
    nodes = aliases = 0
    for segment in segments[1:]:
        head, _, body = segment.partition("\n")
        item = _item_type(model_cls, head)
        items = _items(body) if item is not None else None
        if item is None or items is None:
            part = part_of(None, segment, partial(_parse, None, segment, 0))
            if not isinstance(part.value, dict) or len(part.value) != 1:
                raise _UnsureError
            ((key, value),) = part.value.items()
        else:
            key = head.partition(":")[0]
            found = [part_of(item, p, partial(_parse_item, item, p, 1, part_of)) for p in items]
            value = [p.value for p in found]
            part = _Part(None, sum(p.nodes for p in found), sum(p.aliases for p in found))
        if key in data:
            raise _UnsureError  # a duplicate key: the whole read says where
        data[key] = value
        nodes += part.nodes
        aliases += part.aliases
    if nodes > MAX_NODES - _MARGIN or aliases > MAX_ALIAS_NODES - _MARGIN:
        raise _UnsureError
    try:
        return model_cls.model_validate(data)
    except ValidationError as exc:
        raise _UnsureError from exc


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.split("\n"))


class _Part:
    __slots__ = ("aliases", "inner", "nodes", "value")

    def __init__(self, value: Any, nodes: int, aliases: int, inner: Iterable[tuple[_Key, _Part]] = ()) -> None:
        self.value = value
        self.nodes = nodes
        self.aliases = aliases
        self.inner = tuple(inner)
        """The parts of an item read as its keys plus each item of its own list."""


def _item_type(model_cls: type[Model], head: str) -> type[BaseModel] | None:
    """The model of the items of the list under this top-level key line, if it is one."""
    match = _BLOCK_KEY.fullmatch(head)
    return _list_fields(model_cls).get(match.group(1)) if match else None


@functools.cache
def _list_fields(model: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Field name -> item model, for the fields of `model` that are lists of models, in field order."""
    fields = ((name, _model_items(field.annotation)) for name, field in model.model_fields.items())
    return {name: item for name, item in fields if item is not None}


def _model_items(annotation: Any) -> type[BaseModel] | None:
    """X for a `list[X]` field where X is a model."""
    if typing.get_origin(annotation) is not list:
        return None
    (item,) = typing.get_args(annotation)
    return item if isinstance(item, type) and issubclass(item, BaseModel) else None


def _split_lines(text: str, at: re.Pattern[str], after_newline: str | None = None) -> list[str]:
    """`text` cut before every line where `at` (a pattern starting with the newline) matches.

    The same pieces as splitting at a multiline "^" with a lookahead, the first one empty when the
    text starts with such a line. `after_newline` is "\n" + text, when the caller already has it.
    """
    cuts = [m.start() for m in at.finditer(after_newline or "\n" + text)]
    return [text[start:end] for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True)]


@functools.cache
def _item_line(indent: str) -> re.Pattern[str]:
    """A line starting an item of a block list at this indentation."""
    return re.compile(f"\\n(?={indent}-(?:[ \\n]|\\Z))")


def _items(body: str) -> list[str] | None:
    """The text of each item of a block list, or None when the body is not only such a list."""
    first = _FIRST_ITEM.search("\n" + body)
    if first is None or not _only_comments(body[: first.start()]):
        return None
    parts = _split_lines(body[first.start() :], _item_line(first.group(1)))
    return [p for p in parts if p]


def _parse_item(item: type[BaseModel], text: str, depth: int, part_of: Lookup) -> _Part:
    """One list item; an item that holds a list of its own (an objective's key results) is read
    as its other keys plus each item of that list, so editing one key result parses that one."""
    nested = _nested(item, text)
    if nested is None:
        return _parse(item, text, depth)
    name, inner_item, header, texts = nested
    head = part_of((item, name), header, partial(_parse, None, header, depth))
    if not isinstance(head.value, list) or len(head.value) != 1 or not isinstance(head.value[0], dict):
        raise _UnsureError
    if head.value[0].get(name, ...) is not None:
        raise _UnsureError
    found = [part_of(inner_item, t, partial(_parse, inner_item, t, depth + 2)) for t in texts]
    try:
        model = item.model_validate({**head.value[0], name: [p.value for p in found]})
    except ValidationError as exc:
        raise _UnsureError from exc
    nodes, aliases = head.nodes + sum(p.nodes for p in found), head.aliases + sum(p.aliases for p in found)
    inner = [(((item, name), header), head), *(((inner_item, t), p) for t, p in zip(texts, found, strict=True))]
    return _Part(model, nodes, aliases, inner)


def _nested(item: type[BaseModel], text: str) -> tuple[str, type[BaseModel], str, list[str]] | None:
    """(field name, its item model, the item's text without that list, the list's items), or None."""
    first = _ITEM_START.match(text)
    if first is None:
        return None
    column = len(first.group(0))
    after_newline = "\n" + text  # a line's newline there is at the index where the line starts in text
    for name, inner in _list_fields(item).items():
        key = _list_key(column, name).search(after_newline)
        if key is None:
            continue
        start = key.end() - 1  # where the list's first line starts in text
        end = _list_end(column).search(after_newline, start)
        stop = end.start() if end else len(text)
        texts = _items(text[start:stop])
        if texts is None:
            return None
        return name, inner, text[:start] + text[stop:], texts
    return None


@functools.cache
def _list_key(column: int, name: str) -> re.Pattern[str]:
    """An item's key at this column whose value (a list) is on the following lines, with its newline."""
    return re.compile(f"\\n {{{column}}}{name}:[ ]*(?:#[^\\n]*)?(?:\\n|\\Z)")


@functools.cache
def _list_end(column: int) -> re.Pattern[str]:
    """The first line after such a list: one indented up to the item's keys, or a new item."""
    return re.compile(f"\\n(?: {{0,{column}}}[^ \\n#-]| {{0,{column - 1}}}-)")


def _parse(item: type[BaseModel] | None, text: str, depth: int) -> _Part:
    """Compose and check one part alone; an item part must be a list of exactly one valid item."""
    try:
        root = yaml.compose(text, Loader=Composer)
    except (yaml.YAMLError, RecursionError) as exc:
        raise _UnsureError from exc
    if root is None:
        raise _UnsureError
    builder = NodeConstructor(Path(), may_alias="&" in text or "*" in text)
    try:
        value = builder.build(root, (), depth)
    except TooLargeError as exc:  # the whole read reports it, at its place in the file
        raise _UnsureError from exc
    if builder.problems:
        raise _UnsureError
    if item is not None:
        if not isinstance(value, list) or len(value) != 1:
            raise _UnsureError
        try:
            value = item.model_validate(value[0])
        except ValidationError as exc:
            raise _UnsureError from exc
    return _Part(value, builder.nodes, builder.alias_nodes)
