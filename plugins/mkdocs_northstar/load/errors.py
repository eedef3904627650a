"""Turn one pydantic validation error into a check code and a message a plan author understands."""

from __future__ import annotations

import re
import types
from collections import defaultdict
from datetime import date, datetime
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from mkdocs_northstar.load.yamlfile import too_large
from mkdocs_northstar.problems import did_you_mean

ITEM_NAMES = {
    "values": "value",
    "targets": "target",
    "where_to_play": "where-to-play choice",
    "how_to_win": "how-to-win choice",
    "not_doing": "trade-off",
    "talent": "talent need",
    "years": "year",
    "quarters": "quarter",
    "goals": "goal",
    "people": "person",
    "teams": "team",
    "issues": "issue",
    "objectives": "objective",
    "key_results": "key result",
    "rocks": "rock",
    "kpis": "KPI",
    "check_ins": "check-in",
    "score_bands": "score band",
}

_BOOL_WORDS = "YAML reads yes/no/on/off/true/false as true or false; put the text in quotes"


def describe_error(error: ErrorDetails, kind: str, model_cls: type[BaseModel], data: Any) -> tuple[str, str, bool]:
    """(code, message, point at the key rather than the value) for one validation error."""
    loc = tuple(error["loc"])
    kind_of_error = error["type"]
    name = str(loc[-1]) if loc else "file"
    where = _where(data, loc[:-1])
    if not where and kind in ("decision", "input") and isinstance(data, dict) and isinstance(data.get("id"), str):
        where = f"{kind} {data['id']!r}: "  # a file that is one record: name it, as a list names its items
    value = error.get("input")
    if kind_of_error == "extra_forbidden":
        fields = _fields_at(model_cls, loc[:-1])
        if name == "owners" and "owner" in fields:
            code = _owner_code(kind, (*loc[:-1], "owner"))
            return code, f"{where}names `owners`; exactly one person owns it: use `owner`", True
        return "NS110", f"{where}unknown key {name!r}{did_you_mean(name, fields)}", True
    if kind_of_error == "missing":
        code = _owner_code(kind, loc) if name == "owner" else "NS111"
        if code == "NS302":
            return (
                code,
                "the strategy names no owner: add `owner:` with the id of the one leader who owns it",
                False,
            )
        return code, f"{where}missing required key {name!r}", False
    if kind_of_error == "one_owner":
        return _owner_code(kind, loc), f"{where}{name} {error['msg']} ({_OTHERS[_list_of(loc)]})", False
    if kind_of_error.startswith("NS"):  # about a whole list item (loc ends at its index): name that item
        here = _where(data, loc) if loc and isinstance(loc[-1], int) else where
        return kind_of_error, f"{here}{error['msg']}", False
    return "NS112", f"{where}{name}: {_explain(kind_of_error, error, value)}", False


_OTHERS: defaultdict[str, str] = defaultdict(
    lambda: "name the others in its description",  # goals, objectives, rocks
    {
        "key_results": "name the others in the objective's description",
        "kpis": "the others can be members of the team, in teams.yml",
        "teams": "list the others under `members`",
        "": "the others can advise; one leader decides",  # the strategy's owner
    },
)
"""Where the people who share the work can be named, by the list the item is in."""


def _list_of(loc: tuple[Any, ...]) -> str:
    """The name of the innermost list of items `loc` is in ("" at the top of a file)."""
    return next((part for part in reversed(loc[:-1]) if isinstance(part, str)), "")


def _owner_code(kind: str, loc: tuple[Any, ...]) -> str:
    return "NS302" if kind == "strategy" and len(loc) == 1 else "NS205"


def _explain(kind_of_error: str, error: ErrorDetails, value: Any) -> str:
    got = _short(value)
    if isinstance(value, bool) and kind_of_error == "string_type":
        return f"expected text, got {str(value).lower()} ({_BOOL_WORDS})"
    if kind_of_error.startswith(("date", "datetime")):
        shown = str(value) if isinstance(value, date | datetime) else got  # 2026-06-01 12:30:00, not a repr
        return f"expected a date written YYYY-MM-DD, got {shown}"
    if kind_of_error == "finite_number":
        return f"expected a finite number, got {got} (NaN and infinity are not allowed)"
    if isinstance(value, int) and not isinstance(value, bool) and kind_of_error.startswith(("float", "int")):
        digits = len(str(abs(value)))
        return too_large(digits)
    if kind_of_error in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        whole = "a whole number" if kind_of_error.startswith("int") else "a number"
        return f"expected {whole}, got {got}"
    if kind_of_error in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of keys, got {_kind(value)}"
    if kind_of_error == "too_short":
        least = error.get("ctx", {}).get("min_length", 1)
        return f"needs at least {least} item{'s' * (least != 1)}, got {got}"
    if kind_of_error == "list_type":
        return f"expected a list, got {_kind(value)}"
    if kind_of_error == "string_type" and isinstance(value, date | datetime | int | float):
        written = getattr(value, "written", None) or (value.isoformat() if isinstance(value, date) else got)
        return f"expected text, got the {_scalar_name(value)} {written}; put it in quotes ('{written}') to make it text"
    if kind_of_error == "string_type":
        return f"expected text, got {_kind(value)}"
    if kind_of_error == "literal_error":
        choices = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
        options = ", ".join(repr(c) for c in choices)
        return f"expected one of {options}, got {got}{did_you_mean(str(value), choices)}"
    bound = {
        "greater_than": "greater than",
        "greater_than_equal": "at least",
        "less_than": "less than",
        "less_than_equal": "at most",
    }.get(kind_of_error)
    if bound:
        limit = next(iter(error.get("ctx", {}).values()), "")
        return f"must be {bound} {limit}, got {got}"
    message = error["msg"].removeprefix("Value error, ")
    if kind_of_error == "value_error":
        return message
    return f"{message[:1].lower()}{message[1:]}, got {got}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def _scalar_name(value: date | datetime | float) -> str:
    if isinstance(value, datetime):
        return "date and time"
    return "date" if isinstance(value, date) else "number"


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return _short(value)


def _where(data: Any, loc: tuple[Any, ...]) -> str:
    """'key result 'x': ' for the innermost list item with an id on the path, else ''."""
    label = ""
    node = data
    for i, part in enumerate(loc):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(part, int) and i > 0 and isinstance(node, dict):
            noun = ITEM_NAMES.get(str(loc[i - 1]), str(loc[i - 1]))
            ident = node.get("id")
            label = f"{noun} {ident!r}: " if isinstance(ident, str) else f"{noun} #{part + 1}: "
    return label


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            rest = [a for a in get_args(annotation) if a is not type(None)]
            annotation = rest[0]
        else:
            return annotation


def _fields_at(model_cls: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed at `loc` inside `model_cls`, for 'did you mean'."""
    current: Any = model_cls
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[part].annotation
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []
