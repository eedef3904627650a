"""Read one YAML file safely into plain values, remembering where every value came from.

PyYAML composes the node graph (C-accelerated when available); we construct values ourselves so
that duplicate keys, alias expansion and nesting depth are checked as we go. No object is ever
constructed from a tag: only the YAML core types are accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar

import yaml

from mkdocs_northstar.problems import FORGING, Problem, problem

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 500_000
MAX_ALIAS_NODES = 10_000

Loc = tuple[str | int, ...]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALARS = yaml.constructor.SafeConstructor()
_STR = "tag:yaml.org,2002:str"
_CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)
_MERGE = "tag:yaml.org,2002:merge"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_LEADING_TAB = re.compile(r"^ *\t")
_PLAIN_TAGS_KEPT = 50_000


class Composer(_Loader):  # type: ignore[misc]
    """The safe loader's composer, with a memo for plain scalars' implicit tags inside `tag_memo()`.

    Resolving a tag tries the core schema's patterns on every plain scalar; plan files repeat the
    same numbers and dates thousands of times, so each distinct text is resolved once.
    """

    plain_tags: ClassVar[dict[str, str] | None] = None
    """The memo while a `tag_memo()` block runs; None outside one."""

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        memo = Composer.plain_tags
        if memo is not None and kind is yaml.ScalarNode and implicit[0]:
            tag = memo.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(memo) < _PLAIN_TAGS_KEPT:
                    memo[value] = tag
            return tag
        return str(super().resolve(kind, value, implicit))


@contextmanager
def tag_memo() -> Iterator[None]:
    """Remember plain scalars' tags while the block reads files (nested blocks share the outer memo).

    The memo is dropped when the block ends. It holds the very strings the files were read into,
    so keeping it for the life of the process would also keep the memory every read took: a build
    that has freed its plan could not give that memory back.
    """
    if Composer.plain_tags is not None:
        yield
        return
    Composer.plain_tags = {}
    try:
        yield
    finally:
        Composer.plain_tags = None


class WrittenInt(int):
    """An integer that remembers how it was written, so a text field gets '010', not '8'."""

    written: str

    def __new__(cls, value: int, written: str) -> WrittenInt:
        self = super().__new__(cls, value)
        self.written = written
        return self


class WrittenFloat(float):
    """A float that remembers how it was written ('1.10' stays '1.10' in a title)."""

    written: str

    def __new__(cls, value: float, written: str) -> WrittenFloat:
        self = super().__new__(cls, value)
        self.written = written
        return self


@dataclass
class Document:
    """A parsed YAML file: its values and its text, for positions and inline comments.

    The node tree that gives positions costs many times the file's size, and only a problem needs
    it: it is composed again from the text on first use, and `forget_tree` lets it go once the
    problems are placed. The positions found are kept, so a file that keeps its problems across
    `mkdocs serve` rebuilds is not composed again.
    """

    path: Path
    data: Any
    """The plain values; dropped (None) once a model holds them."""
    text: str = ""
    reported: set[Loc] = field(default_factory=set)
    """Locations that already have a problem, so validation does not report them twice."""
    _tree: yaml.Node | None = field(default=None, init=False, repr=False)
    _places: dict[tuple[Loc, bool], tuple[int, int]] = field(default_factory=dict, init=False, repr=False)

    def line(self, number: int) -> str | None:
        """The text of line `number` (from 1), or None past the end."""
        lines = self.text.splitlines()
        return lines[number - 1] if 0 < number <= len(lines) else None

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """(line, column) of the value at `loc`, or of its key when `key` is true.

        Falls back to the deepest node that exists, so a missing key points at its mapping.
        """
        found = self._places.get((loc, key))
        if found is None:
            found = self._places[(loc, key)] = self._locate(loc, key)
        return found

    def forget_tree(self) -> None:
        """Let the node tree go; a later `position` composes it again if it must."""
        self._tree = None

    def _locate(self, loc: Loc, key: bool) -> tuple[int, int]:
        if self._tree is None and self.text:
            self._tree = yaml.compose(self.text, Loader=Composer)  # it composed before: it will again
        node = self._tree
        if node is None:
            return (1, 1)
        mark = node.start_mark
        for i, part in enumerate(loc):
            child = _child(node, part)
            if child is None:
                break
            knode, node = child
            last = i == len(loc) - 1
            mark = (knode if (key and last and knode is not None) else node).start_mark
        return (mark.line + 1, mark.column + 1)


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for knode, vnode in reversed(node.value):
            if knode.value == part or (isinstance(part, int) and knode.value == str(part)):
                return knode, vnode
        for knode, vnode in node.value:  # merged mappings
            if knode.tag == _MERGE:
                found = _child(vnode, part)
                if found is not None:
                    return found
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None


def read_yaml(path: Path, content: Callable[[], bytes] | None = None) -> tuple[Document | None, list[Problem]]:
    """Read and parse `path` (or the bytes `content` gives, reported as `path`).

    Returns the document (None if unusable) and the problems found.
    """
    try:
        raw = content() if content is not None else path.read_bytes()
    except OSError as exc:
        return None, [problem("NS100", path, (1, 1), f"cannot read the file: {exc.strerror or exc}")]
    if len(raw) > MAX_BYTES:
        size = len(raw) / 1024 / 1024
        limit = MAX_BYTES // 1024 // 1024
        return None, [problem("NS100", path, (1, 1), f"file is {size:.1f} MB; plan files are limited to {limit} MB")]
    text, trouble = _decode(path, raw)
    if text is None:
        return None, trouble
    lines = text.splitlines()
    tabs = [(n, m.end()) for n, line in enumerate(lines, 1) if (m := _LEADING_TAB.match(line))]
    if tabs:
        more = f" (and {len(tabs) - 1} more line{'s' * (len(tabs) != 2)})" if len(tabs) > 1 else ""
        msg = f"tab used for indentation{more}; YAML indents with spaces only: replace each tab with spaces"
        return None, [problem("NS103", path, tabs[0], msg)]
    try:
        root = yaml.compose(text, Loader=Composer)
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        pos = (before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1)
        msg = f"control character U+{exc.character:04X} is not allowed; plan files are plain text"
        return None, [problem("NS100", path, pos, msg)]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(path, exc, lines)]
    except RecursionError:
        return None, [problem("NS105", path, (1, 1), "the YAML is nested too deeply to read")]
    if root is None:
        return None, [problem("NS102", path, (1, 1), "the file is empty; see the format reference")]
    builder = NodeConstructor(path, may_alias="&" in text or "*" in text)
    try:
        data = builder.build(root, (), 0)
    except TooLargeError as exc:
        return None, [*builder.problems, exc.problem]
    return Document(path, data, text, builder.reported), builder.problems


def too_large(digits: int) -> str:
    """The message for a number far past what a plan needs (or a float can hold)."""
    return f"a number of {digits:,} digits is too large; plan numbers are at most 15 significant digits"


def _decode(path: Path, raw: bytes) -> tuple[str | None, list[Problem]]:
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return None, [problem("NS100", path, (1, 1), "file is UTF-32; save it as UTF-8")]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [problem("NS100", path, (1, 1), "file is UTF-16; save it as UTF-8")]
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        bad = raw[exc.start]
        msg = f"not valid UTF-8 (byte 0x{bad:02x}); save the file as UTF-8"
        return None, [problem("NS100", path, (line, col), msg)]


def _syntax_problem(path: Path, exc: yaml.MarkedYAMLError, lines: list[str]) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    pos = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = exc.problem or "invalid YAML"
    if "expected a single document" in what or "but found another document" in str(exc):
        return problem("NS101", path, pos, "more than one YAML document (---); keep one per file")
    if what.startswith("mapping values are not allowed") and mark is not None:
        hint = _colon_hint(lines, mark.line)
        if hint:
            return problem("NS101", path, pos, f"YAML syntax: {hint}")
    detail = ""
    if exc.context:
        started = exc.context_mark
        at = f" started at line {started.line + 1}" if started and mark and started.line != mark.line else ""
        detail = f" ({exc.context}{at})"
    return problem("NS101", path, pos, f"YAML syntax: {what}{detail}")


_KEY = re.compile(r"^( *)(?:- +)*([^\s#'\"][^:#]*?):(?: |$)")
"""A line's first key: its indentation, any `- ` list markers, then `key:`."""


def _colon_hint(lines: list[str], index: int) -> str | None:
    """What people mean by the YAML error "mapping values are not allowed here", when it can be told:
    a `: ` inside unquoted text, or a key indented more than the one above it."""
    if index >= len(lines):
        return None
    line, n = lines[index], index + 1
    written = [text for text in lines[:index] if text.strip() and not text.lstrip().startswith("#")]
    above = written[-1] if written else ""
    here, before = _KEY.match(line), _KEY.match(above)
    if here and before and here.start(2) > before.start(2) and not above.rstrip().endswith(":"):
        return f"line {n} is indented more than the key above it (line up `{here.group(2)}:` with `{before.group(2)}:`)"
    if here and ": " in line[here.end() :]:
        return f"line {n}: text containing ': ' must be quoted ({here.group(2)}: \"{line[here.end() :].strip()}\")"
    return None


class TooLargeError(Exception):
    def __init__(self, found: Problem) -> None:
        super().__init__(found.message)
        self.problem = found


class NodeConstructor:
    """Turns composed nodes into plain values, with budgets against hostile input."""

    def __init__(self, path: Path, *, may_alias: bool = True) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.reported: set[Loc] = set()
        self.nodes = 0
        self.alias_nodes = 0
        self.may_alias = may_alias
        """False when the text has no `&` or `*`: then no node can appear twice, and none is tracked."""
        self.seen: set[int] = set()
        self.open: set[int] = set()
        """The collections being built around the current node (only tracked when aliases may occur)."""

    def _fail(self, code: str, node: yaml.Node, message: str) -> TooLargeError:
        pos = (node.start_mark.line + 1, node.start_mark.column + 1)
        return TooLargeError(problem(code, self.path, pos, message))

    def build(self, node: yaml.Node, loc: Loc, depth: int, *, aliased: bool = False) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self._fail("NS105", node, f"more than {MAX_NODES:,} values; split the file")
        if depth > MAX_DEPTH:
            raise self._fail("NS105", node, f"nested more than {MAX_DEPTH} levels deep")
        key = id(node)
        if self.may_alias:
            if key in self.open:  # inside itself: `&a [*a]` would never end
                loop = "an alias refers to itself (a loop of &anchor and *alias); write it out"
                raise self._fail("NS105", node, loop)
            if key in self.seen:  # the same node again: an alias
                aliased = True
            self.seen.add(key)
        if aliased:
            self.alias_nodes += 1
            if self.alias_nodes > MAX_ALIAS_NODES:
                raise self._fail(
                    "NS105",
                    node,
                    f"aliases (*name) expand to more than {MAX_ALIAS_NODES:,} values; "
                    "this looks like an alias bomb - write the values out",
                )
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, loc)
        if not self.may_alias:
            return self._collection(node, loc, depth, aliased=aliased)
        self.open.add(key)
        try:
            return self._collection(node, loc, depth, aliased=aliased)
        finally:
            self.open.discard(key)

    def _collection(self, node: yaml.Node, loc: Loc, depth: int, *, aliased: bool) -> Any:
        if node.tag not in _CORE_TAGS:
            self._unsafe(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(n, (*loc, i), depth + 1, aliased=aliased) for i, n in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)  # noqa: S101 - the composer yields only three kinds
        return self._mapping(node, loc, depth, aliased=aliased)

    def _mapping(self, node: yaml.MappingNode, loc: Loc, depth: int, *, aliased: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first: dict[str, int] = {}
        merged: dict[str, Any] = {}
        for knode, vnode in node.value:
            if knode.tag == _MERGE:
                value = self.build(vnode, loc, depth + 1, aliased=True)
                for part in value if isinstance(value, list) else [value]:
                    if isinstance(part, dict):
                        merged = {**part, **merged}
                continue
            name = knode.value if isinstance(knode, yaml.ScalarNode) else "<complex key>"
            if name in first:
                pos = (knode.start_mark.line + 1, knode.start_mark.column + 1)
                msg = f"duplicate key {name!r} (first at line {first[name]}); the first value would be lost"
                self.problems.append(problem("NS104", self.path, pos, msg))
                self.reported.add((*loc, name))
            else:
                first[name] = knode.start_mark.line + 1
            out[name] = self.build(vnode, (*loc, name), depth + 1, aliased=aliased)
        return {**merged, **out}

    def _scalar(self, node: yaml.ScalarNode, loc: Loc) -> Any:
        if node.tag == _STR:
            if (found := FORGING.search(node.value)) is not None:
                self._forging(node, loc, found.group())
            return node.value
        if node.tag not in _CORE_TAGS:
            self._unsafe(node, loc)
            return node.value
        if node.tag == _TIMESTAMP and len(node.value) == 10:
            try:  # the common case, YYYY-MM-DD, far faster than the general timestamp constructor
                return date.fromisoformat(node.value)
            except ValueError:
                pass  # let the general constructor explain (or accept 2026-1-5)
        try:
            value = _SCALARS.yaml_constructors[node.tag](_SCALARS, node)  # no cache kept
        except (ValueError, OverflowError, yaml.YAMLError):
            pos = (node.start_mark.line + 1, node.start_mark.column + 1)
            shown = node.value if len(node.value) <= 40 else f"{node.value[:37]}..."
            msg = f"{shown!r} is not a valid value"
            digits = sum(c.isdigit() for c in node.value)
            if node.tag.endswith("int") and digits > 40:
                msg = too_large(digits)
            if node.tag.endswith("timestamp"):
                msg = f"{node.value!r} is not a real date; write dates as YYYY-MM-DD"
            self.problems.append(problem("NS112", self.path, pos, msg))
            self.reported.add(loc)
            return node.value
        if isinstance(value, bool | datetime | date) or value is None:
            return value
        if isinstance(value, int):
            return WrittenInt(value, node.value)
        if isinstance(value, float):
            return WrittenFloat(value, node.value)
        return node.value  # pragma: no cover - core tags construct only the types above

    def _forging(self, node: yaml.ScalarNode, loc: Loc, found: str) -> None:
        """Text that could forge what a reader sees (`found`, its first such character), reached
        through an escape (`"\\e[2K"`, `"\\0"`) or written as it is (a right-to-left override):
        refused where it stands."""
        pos = (node.start_mark.line + 1, node.start_mark.column + 1)
        char = ord(found)
        what = "bidirectional override" if char >= 0x202A else "control character"
        msg = f"{what} U+{char:04X} is not allowed in text; it could make the text read as something else"
        self.problems.append(problem("NS100", self.path, pos, msg))
        self.reported.add(loc)

    def _unsafe(self, node: yaml.Node, loc: Loc) -> None:
        pos = (node.start_mark.line + 1, node.start_mark.column + 1)
        msg = f"tag {node.tag!r} is not allowed; plan files hold plain data only"
        self.problems.append(problem("NS106", self.path, pos, msg))
        self.reported.add(loc)
