"""Edits of a YAML file's text that keep every byte they do not add.

A round-trip YAML library writes the whole file again, in one indentation style; plan files are
written by hand in many. So an edit here works on the text: it finds the nodes by their positions
(PyYAML composes them), then inserts new list items or keys as lines in the file's own
indentation, or replaces one value where it stands. A list written in flow style (`[...]`) gets
its new item inside the brackets, and a mapping in flow style its new key inside the braces.
Everything else in the file (comments, blank lines, quoting, key order) is left as it was.

The caller checks the result by reading it back (see `checkin`): an edit that cannot be placed
safely raises `EditError` rather than guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from mkdocs_northstar.load.yamlfile import Loc

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_LINE_BREAKS = "\n\r\x85\u2028\u2029"
"""What YAML reads as a line break: a plain or single-quoted scalar would fold each into a space."""


class _Dumper(yaml.SafeDumper):
    """Writes text with line breaks double-quoted on one line (`"one\\ntwo"`), so an added item
    never spreads over lines whose indentation would have to be guessed, and reads back as written."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    broken = any(c in value for c in _LINE_BREAKS)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"' if broken else None)


_Dumper.add_representer(str, _text)
_WIDE = 1_000_000
"""No line is ever wrapped: an item written on one line stays on one line."""


class EditError(Exception):
    """The edit cannot be placed in the text without guessing; the message says where."""


@dataclass(frozen=True)
class Edit:
    """A file's new text, and where it changed: the first changed line (from 1) and how many lines were added."""

    text: str
    line: int
    added: int


def compose(text: str) -> yaml.Node:
    """The file's node tree (positions included).

    Raises:
        EditError: the text is not one YAML document with a mapping at the top.
    """
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise EditError(f"the file is not valid YAML ({exc}); run northstar check") from None
    if not isinstance(root, yaml.MappingNode):
        raise EditError("the file has no mapping at the top; run northstar check")
    return root


def node_at(root: yaml.Node, loc: Loc) -> yaml.Node | None:
    """The node at `loc` (keys and list indexes), or None when the path does not exist."""
    node: yaml.Node | None = root
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            node = _value(node, part)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
        else:
            return None
    return node


def _mapping(text: str, loc: Loc) -> tuple[yaml.Node, yaml.MappingNode]:
    """The file's tree and the mapping at `loc` in it.

    Raises:
        EditError: the text cannot be read, or there is no mapping at `loc`.
    """
    root = compose(text)
    mapping = node_at(root, loc)
    if not isinstance(mapping, yaml.MappingNode):
        raise EditError(f"no mapping at {_where(loc)}")
    return root, mapping


def _value(mapping: yaml.MappingNode, key: str) -> yaml.Node | None:
    found = [v for k, v in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == key]
    return found[-1] if found else None


def _key_node(mapping: yaml.MappingNode, key: str) -> yaml.Node | None:
    found = [k for k, _ in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == key]
    return found[-1] if found else None


def append_item(text: str, loc: Loc, key: str, item: Mapping[str, Any], *, flow: bool | None = None) -> Edit:
    """`text` with `item` appended to the list under `key` of the mapping at `loc`.

    The item is written as the list's last item is (a one-line `{...}` or a block of keys),
    unless `flow` says which; a missing key (or one with no value) starts a block list in the
    file's own indentation.

    Raises:
        EditError: there is no mapping at `loc`, or `key` holds something other than a list.
    """
    root, mapping = _mapping(text, loc)
    nl = _newline(text)
    seq = _value(mapping, key)
    if isinstance(seq, yaml.SequenceNode) and seq.flow_style:
        return _into_flow_list(text, seq, item)
    if isinstance(seq, yaml.SequenceNode) and seq.value:
        last = seq.value[-1]
        dash = _dash_column(text, last)
        as_flow = flow if flow is not None else bool(getattr(last, "flow_style", False))
        keys_at = last.start_mark.column if isinstance(last, yaml.MappingNode) and not last.flow_style else dash + 2
        at = _after(text, _end(text, last))
        lines = _item_lines(item, dash, keys_at, as_flow, nl)
        return _insert(text, at, lines, nl)
    if seq is not None and not _empty_scalar(seq):
        raise EditError(f"{_where((*loc, key))} holds {_what(seq)}, not a list")
    if mapping.flow_style:
        return _into_flow_mapping(text, mapping, f"{key}: [{_flow(item)}]")
    key_col = _key_column(mapping)
    dash = key_col + _list_offset(root)
    if seq is not None:  # `key:` with nothing after it
        at = _after(text, seq.start_mark.index)
        return _insert(text, at, _item_lines(item, dash, dash + 2, bool(flow), nl), nl)
    at = _after(text, _end(text, mapping))
    lines = [f"{' ' * key_col}{key}:", *_item_lines(item, dash, dash + 2, bool(flow), nl)]
    return _insert(text, at, lines, nl)


def set_value(text: str, loc: Loc, key: str, value: Any) -> Edit:
    """`text` with `key` of the mapping at `loc` set to `value` (a scalar): replaced where it
    stands, or added after the mapping's last line (inside the braces of a flow mapping).

    Raises:
        EditError: there is no mapping at `loc`, or `key` holds a list or a mapping.
    """
    _, mapping = _mapping(text, loc)
    written = _scalar(value)
    current = _value(mapping, key)
    if current is not None:
        if not isinstance(current, yaml.ScalarNode) or current.style in ("|", ">"):
            raise EditError(f"{_where((*loc, key))} holds {_what(current)}; edit it by hand")
        start, end = current.start_mark.index, current.end_mark.index
        if start == end:  # `key:` with no value: the value goes after the colon
            colon = _key_node(mapping, key)
            start = end = colon.end_mark.index if colon is not None else start
            written = " " + written if text[start : start + 1] != " " else written
        line = text.count("\n", 0, start) + 1
        return Edit(text[:start] + written + text[end:], line, 0)
    if mapping.flow_style:
        return _into_flow_mapping(text, mapping, f"{key}: {written}")
    at = _after(text, _end(text, mapping))
    return _insert(text, at, [f"{' ' * _key_column(mapping)}{key}: {written}"], _newline(text))


# --- where things are ------------------------------------------------------------------------------


def _where(loc: Loc) -> str:
    return ".".join(str(part) for part in loc) or "the top of the file"


def _what(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"the value {node.value!r}"


def _empty_scalar(node: yaml.Node) -> bool:
    """A key written with nothing after it (`check_ins:`)."""
    return isinstance(node, yaml.ScalarNode) and node.start_mark.index == node.end_mark.index


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _end(text: str, node: yaml.Node) -> int:
    """Where the node's own text ends: its last value, not the comments or blank lines after it."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        key, value = node.value[-1]
        return int(key.end_mark.index) if _empty_scalar(value) else _end(text, value)
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return _end(text, node.value[-1])
    end = node.end_mark.index
    while end > node.start_mark.index and text[end - 1] in " \t\r\n":
        end -= 1  # a block scalar's end counts the line breaks after it
    return end


def _after(text: str, index: int) -> int:
    """The start of the line after the one `index` is on (the end of the text when it is the last)."""
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1


def _dash_column(text: str, item: yaml.Node) -> int:
    """The column of the `-` that starts a block list's item."""
    start = item.start_mark.index
    line_start = text.rfind("\n", 0, start) + 1
    dash = text.rfind("-", line_start, start)
    if dash < 0:
        raise EditError(f"cannot find the '-' of the list item on line {item.start_mark.line + 1}")
    return dash - line_start


def _key_column(mapping: yaml.MappingNode) -> int:
    if not mapping.value:
        raise EditError(f"the mapping on line {mapping.start_mark.line + 1} is empty; edit it by hand")
    return int(mapping.value[0][0].start_mark.column)


def _list_offset(root: yaml.Node) -> int:
    """How far this file indents a list's `-` past its key (0 or 2 in most files); 2 when it has no list."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for knode, vnode in node.value:
                if isinstance(vnode, yaml.SequenceNode) and not vnode.flow_style and vnode.value:
                    offset = vnode.start_mark.column - knode.start_mark.column
                    if offset >= 0:
                        return int(offset)
                stack.append(vnode)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return 2


# --- how things are written ----------------------------------------------------------------------


def _scalar(value: Any) -> str:
    """One value as YAML writes it in a flow mapping (quoted only when it must be)."""
    flow = _flow({"v": value})
    return flow[len("{v: ") : -1]


def _flow(item: Mapping[str, Any]) -> str:
    """`{key: value, ...}` on one line."""
    dumped = yaml.dump(
        dict(item), Dumper=_Dumper, default_flow_style=True, sort_keys=False, allow_unicode=True, width=_WIDE
    )
    return str(dumped).strip()


def _item_lines(item: Mapping[str, Any], dash: int, keys_at: int, flow: bool, nl: str) -> list[str]:
    if flow:
        return [f"{' ' * dash}- {_flow(item)}"]
    dumped = yaml.dump(
        dict(item), Dumper=_Dumper, default_flow_style=False, sort_keys=False, allow_unicode=True, width=_WIDE
    )
    block = str(dumped).rstrip("\n").split("\n")
    gap = " " * max(1, keys_at - dash - 1)
    return [f"{' ' * dash}-{gap}{block[0]}", *(f"{' ' * keys_at}{line}" if line else "" for line in block[1:])]


def _insert(text: str, at: int, lines: list[str], nl: str) -> Edit:
    before = text[:at]
    if before and not before.endswith("\n"):
        before += nl  # the last line had no line break
    line = before.count("\n") + 1
    return Edit(before + "".join(line + nl for line in lines) + text[at:], line, len(lines))


def _into_flow_list(text: str, seq: yaml.SequenceNode, item: Mapping[str, Any]) -> Edit:
    close = seq.end_mark.index - 1
    if text[close] != "]":
        raise EditError(f"cannot find the ']' closing the list on line {seq.start_mark.line + 1}")
    added = (", " if seq.value else "") + _flow(item)
    inner = text[seq.start_mark.index + 1 : close]
    stripped = inner.rstrip()
    cut = seq.start_mark.index + 1 + len(stripped)
    return Edit(text[:cut] + added + text[cut:], text.count("\n", 0, cut) + 1, 0)


def _into_flow_mapping(text: str, mapping: yaml.MappingNode, entry: str) -> Edit:
    close = mapping.end_mark.index - 1
    if text[close] != "}":
        raise EditError(f"cannot find the '}}' closing the mapping on line {mapping.start_mark.line + 1}")
    cut = mapping.start_mark.index + 1 + len(text[mapping.start_mark.index + 1 : close].rstrip())
    added = (", " if mapping.value else "") + entry
    return Edit(text[:cut] + added + text[cut:], text.count("\n", 0, cut) + 1, 0)
