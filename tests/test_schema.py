"""The JSON Schemas shipped in plan/schema: current, referenced by every file, and faithful to the model."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import jsonschema
import pytest
import yaml
from mkdocs_northstar.load.plan import file_kind, find_files
from mkdocs_northstar.schema import KINDS, dump, schema_for

from tests.conftest import ROOT

PLAN = ROOT / "plan"


def _kind(path: Path) -> str:
    kind = file_kind(PurePosixPath(path.relative_to(PLAN).as_posix()))
    assert kind is not None and kind != "unknown", path
    return kind


def _plan_files() -> list[Path]:
    singles, execution, _ = find_files(PLAN)
    return [*singles.values(), *execution]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


@pytest.mark.parametrize("kind", KINDS)
def test_committed_schema_is_current(kind: str) -> None:
    committed = (PLAN / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == dump(schema_for(kind)), "run: northstar schema --out plan/schema"


@pytest.mark.parametrize("path", _plan_files(), ids=lambda p: p.relative_to(PLAN).as_posix())
def test_every_plan_file_names_its_schema_and_passes_it(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    target = first.removeprefix("# yaml-language-server: $schema=")
    assert target != first, "first line must associate the schema"
    schema_path = (path.parent / target).resolve()
    assert schema_path == (PLAN / "schema" / f"{_kind(path)}.schema.json").resolve()
    data = _jsonable(yaml.safe_load(path.read_text(encoding="utf-8")))
    jsonschema.validate(data, json.loads(schema_path.read_text(encoding="utf-8")))


def test_schema_rejects_what_the_loader_rejects() -> None:
    schema = schema_for("people")
    with pytest.raises(jsonschema.ValidationError, match="Additional properties"):
        jsonschema.validate({"people": [{"id": "ana", "name": "Ana", "emial": "a@x"}]}, schema)
    with pytest.raises(jsonschema.ValidationError, match="does not match"):
        jsonschema.validate({"people": [{"id": "Ana Silva", "name": "Ana"}]}, schema)
