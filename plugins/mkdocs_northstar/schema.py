"""JSON Schemas generated from the model: for editors (`# yaml-language-server: $schema=...`) and
for the export (`plan.json`), whose committed copy ships in the package and a test keeps current."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from mkdocs_northstar.exported import FORMAT, FORMAT_VERSION, PlanExport
from mkdocs_northstar.model import FILE_MODELS

DIALECT = "https://json-schema.org/draft/2020-12/schema"
KINDS = tuple(FILE_MODELS)


def schema_for(kind: str) -> dict[str, Any]:
    """The schema of one kind of plan file ('strategy', 'company', ...)."""
    schema = FILE_MODELS[kind].model_json_schema()
    _tidy(schema)
    return {"$schema": DIALECT, **schema}


def plan_schema() -> dict[str, Any]:
    """One schema that accepts any plan file."""
    refs, defs = models_json_schema([(m, "validation") for m in FILE_MODELS.values()])
    _tidy(defs)
    return {
        "$schema": DIALECT,
        "title": "Northstar plan file",
        "anyOf": [refs[(m, "validation")] for m in FILE_MODELS.values()],
        **defs,
    }


def export_schema() -> dict[str, Any]:
    """The schema of `export_plan`'s output: every object closed, every key always written."""
    schema = PlanExport.model_json_schema()  # validation mode: what a reader may rely on, with its bounds
    _tidy(schema, every_key=True)
    return {
        "$schema": DIALECT,
        "$id": f"{FORMAT}-v{FORMAT_VERSION}",
        **schema,
        "title": f"Northstar plan export, format version {FORMAT_VERSION}",
    }


def _tidy(node: Any, *, every_key: bool = False) -> None:
    """Descriptions on one line each, as a docstring's line breaks are not the reader's. With
    `every_key` (the export writes every key, defaults too), each object lists them all as
    required, and properties lose the names pydantic gives them ('Id', 'Title'), which say
    nothing the key does not."""
    if isinstance(node, dict):
        if isinstance(node.get("description"), str):
            node["description"] = " ".join(node["description"].split())
        properties = node.get("properties")
        if every_key and isinstance(properties, dict):
            node["required"] = list(properties)
            for prop in properties.values():
                prop.pop("title", None)
                prop.pop("default", None)
        for value in node.values():
            _tidy(value, every_key=every_key)
    elif isinstance(node, list):
        for value in node:
            _tidy(value, every_key=every_key)


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
