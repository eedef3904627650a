"""JSON Schemas generated from the model, for editors (`# yaml-language-server: $schema=...`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from mkdocs_northstar.model import FILE_MODELS

DIALECT = "https://json-schema.org/draft/2020-12/schema"
KINDS = tuple(FILE_MODELS)


def schema_for(kind: str) -> dict[str, Any]:
    """The schema of one kind of plan file ('strategy', 'company', ...)."""
    schema = FILE_MODELS[kind].model_json_schema()
    return {"$schema": DIALECT, **schema}


def plan_schema() -> dict[str, Any]:
    """One schema that accepts any plan file."""
    refs, defs = models_json_schema([(m, "validation") for m in FILE_MODELS.values()])
    return {
        "$schema": DIALECT,
        "title": "Northstar plan file",
        "anyOf": [refs[(m, "validation")] for m in FILE_MODELS.values()],
        **defs,
    }


def dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(out: Path) -> list[Path]:
    """Write `<kind>.schema.json` for every kind into `out`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = out / f"{kind}.schema.json"
        path.write_text(dump(schema_for(kind)), encoding="utf-8")
        written.append(path)
    return written
