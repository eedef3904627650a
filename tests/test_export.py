"""The plan export: a stable, schema-documented JSON and CSV contract for dashboards."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from mkdocs_northstar import model
from mkdocs_northstar.check import Report, UsageError, check_plan
from mkdocs_northstar.export import CSV_COLUMNS, EXPORT_SCHEMA, FORMAT_VERSION, export_csv, export_json, export_plan
from mkdocs_northstar.model import Band
from mkdocs_northstar.schema import dump, export_schema

from tests.conftest import AS_OF, CASES, ROOT

HEADER = (
    "period,team,objective_id,objective_title,key_result_id,key_result_title,owner,metric,unit,"
    "baseline,target,current,progress,band,confidence,last_check_in,strategic_roots"
)
AB_ROOTS = ["mid-market-accounts-2400", "mid-market-shippers", "operating-ratio-89", "revenue-190m"]


@pytest.fixture(scope="module")
def example() -> Report:
    return check_plan(ROOT / "plan", as_of=AS_OF)


@pytest.fixture(scope="module")
def exported(example: Report) -> dict[str, Any]:
    return export_plan(example, version="abc1234")


@pytest.fixture(scope="module")
def base() -> Report:
    return check_plan(CASES / "_base", as_of=AS_OF)


def work_of(data: dict[str, Any], team: str, period: str) -> dict[str, Any]:
    return next(w for w in data["work"] if (w["team"], w["period"]) == (team, period))


def find(items: list[dict[str, Any]], ident: str) -> dict[str, Any]:
    return next(i for i in items if i["id"] == ident)


def walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(EXPORT_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


# --- the schema ----------------------------------------------------------------------------------


def test_schema_is_a_valid_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(EXPORT_SCHEMA)
    assert EXPORT_SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert EXPORT_SCHEMA["$id"] == "northstar-plan-v1"


def test_schema_documents_every_property_and_closes_every_object() -> None:
    objects = [n for n in walk(EXPORT_SCHEMA) if isinstance(n, dict) and n.get("type") == "object"]
    assert len(objects) > 15
    for node in objects:
        assert node["additionalProperties"] is False, node.get("description")
        assert sorted(node["required"]) == sorted(node["properties"]), node.get("description")
        for name, prop in node["properties"].items():
            assert prop.get("description"), name


def test_example_export_validates(exported: dict[str, Any]) -> None:
    validator().validate(exported)


def test_base_export_validates(base: Report) -> None:
    validator().validate(export_plan(base))


def test_schema_rejects_what_the_export_never_writes(exported: dict[str, Any]) -> None:
    data = json.loads(json.dumps(exported))
    kr = data["work"][0]["objectives"][0]["key_results"][0]
    kr["rating"] = 0.5
    assert not validator().is_valid(data)
    del kr["rating"]
    kr["progress"] = 1.5
    assert not validator().is_valid(data)
    kr["progress"] = 1
    data["format_version"] = 2
    assert not validator().is_valid(data)
    data["format_version"] = 1
    data["as_of"] = "24/11/2026"
    assert not validator().is_valid(data)
    data["as_of"] = "2026-11-24"
    assert validator().is_valid(data)


# --- content -------------------------------------------------------------------------------------


def test_top_level(exported: dict[str, Any]) -> None:
    assert list(exported) == [
        "format",
        "format_version",
        "company",
        "as_of",
        "period",
        "version",
        "strategy",
        "years",
        "people",
        "teams",
        "work",
        "issues",
        "decisions",
        "inputs",
    ]
    assert exported["format"] == "northstar-plan"
    assert exported["format_version"] == FORMAT_VERSION == 1
    assert exported["company"] == "Kestrel Freight"
    assert exported["as_of"] == "2026-11-24"
    assert exported["period"] == "2026-q4"
    assert exported["version"] == "abc1234"


def test_known_key_result(exported: dict[str, Any]) -> None:
    objective = find(work_of(exported, "sales-alberta", "2026-q4")["objectives"], "ab-new-logos")
    kr = find(objective["key_results"], "ab-new-accounts")
    assert {k: v for k, v in kr.items() if k != "check_ins"} == {
        "id": "ab-new-accounts",
        "title": "New Alberta mid-market accounts shipping",
        "short": "",
        "owner": "jordan-mackenzie",
        "metric": "Accounts with a first shipment this quarter",
        "unit": "accounts",
        "kind": "number",
        "baseline": 0,
        "target": 60,
        "direction": "up",
        "due": None,
        "done": None,
        "grade": None,
        "current": 41,
        "weight": 1,
        "progress": 0.6833,
        "achieved": 0.6833,
        "score": 0.8694,  # ahead of the 56% expected by 24 November, with confidence 0.7
        "band": "on-track",
        "rolled_up_from": [],
        "supports": [],
        "confidence": 0.7,
        "last_check_in": "2026-11-19",
    }
    assert kr["check_ins"] == [
        {"date": "2026-10-22", "value": 19, "confidence": 0.65, "note": ""},
        {
            "date": "2026-11-05",
            "value": 28,
            "confidence": 0.6,
            "note": "Edmonton distributors slower to sign than Calgary.",
        },
        {
            "date": "2026-11-19",
            "value": 41,
            "confidence": 0.7,
            "note": "Two Calgary distributors signed together; the second Edmonton rep starts in December.",
        },
    ]


def test_objective_lineage_and_roots(exported: dict[str, Any]) -> None:
    objective = find(work_of(exported, "sales-alberta", "2026-q4")["objectives"], "ab-new-logos")
    assert objective["lineage"] == [
        "mid-market-shippers",
        "fy26-revenue-128m",
        "lead-mid-market-growth",
        "sales-mid-market-pipeline",
    ]
    assert objective["strategic_roots"] == AB_ROOTS
    assert objective["owner"] == "jordan-mackenzie"  # no owner written: the team lead
    assert objective["type"] == "committed"
    assert objective["supports"] == ["sales-mid-market-pipeline"]
    assert objective["progress"] == round((41 / 60 + (74 - 69) / (80 - 69)) / 2, 4)
    assert objective["band"] == "on-track"


def test_rocks_kpis_goals_and_strategy(exported: dict[str, Any]) -> None:
    work = work_of(exported, "sales-alberta", "2026-q4")
    assert work["file"] == "execution/2026-q4/sales-alberta.yml"
    rock = find(work["rocks"], "rock-ab-top-50-reviews")
    assert (rock["due"], rock["status"], rock["supports"]) == ("2026-12-11", "on-track", ["sales-account-retention"])
    assert rock["lineage"][0] == "mid-market-shippers"
    kpi = find(work["kpis"], "kpi-ab-quote-conversion")
    assert (kpi["current"], kpi["target"], kpi["direction"], kpi["on_target"]) == (29, 32, "up", False)
    goal = find(exported["years"][0]["goals"], "fy26-revenue-128m")
    assert goal["supports"] == ["mid-market-shippers", "revenue-190m", "operating-ratio-89", "mid-market-accounts-2400"]
    assert goal["strategic_roots"] == sorted(goal["supports"])
    strategy = exported["strategy"]
    assert (strategy["owner"], strategy["reviewed"]) == ("maya-chen", "2026-09-15")
    assert strategy["north_star"]["id"] == "north-star"
    assert strategy["north_star"]["by"] == 2036
    assert [c["id"] for c in strategy["how_to_win"]] == ["quote-in-15-minutes", "next-day-pickup", "claims-in-5-days"]
    assert find(strategy["not_doing"], "enterprise-segment")["why"].startswith("Enterprise shippers")
    assert len(strategy["strengths"]) == 3


def test_base_case_values(base: Report) -> None:
    data = export_plan(base)
    assert data["version"] is None
    leadership = work_of(data, "leadership", "2026-q4")
    objective = find(leadership["objectives"], "win-makers")
    assert objective["owner"] == "ceo"  # the team lead
    assert objective["lineage"] == ["manitoba-makers", "grow-makers"]
    quote = find(objective["key_results"], "quote-hours")  # a decreasing target, `current` without check-ins
    assert (quote["baseline"], quote["target"], quote["current"]) == (30, 1, 4)
    assert quote["progress"] == round(26 / 29, 4)
    assert quote["band"] == "on-track"
    assert (quote["last_check_in"], quote["confidence"], quote["check_ins"]) == (None, None, [])
    meetings = find(find(work_of(data, "sales", "2026-q4")["objectives"], "fill-pipeline")["key_results"], "meetings")
    assert meetings["confidence"] is None  # the newest check-in gives none, and the key result has none
    assert meetings["check_ins"][0]["confidence"] == 0.6
    assert data["teams"] == [
        {"id": "leadership", "name": "Leadership", "lead": "ceo", "parent": None, "mission": "", "members": []},
        {"id": "sales", "name": "Sales", "lead": "ana", "parent": "leadership", "mission": "", "members": []},
    ]
    assert data["people"][0] == {"id": "ana", "name": "Ana Silva", "title": "", "email": "", "handle": ""}


def test_ints_stay_ints(exported: dict[str, Any], base: Report) -> None:
    for data in (exported, export_plan(base)):
        numbers = [n for n in walk(data) if isinstance(n, float)]
        assert numbers
        assert not [n for n in numbers if n.is_integer()]
    kr = find(
        find(work_of(exported, "sales-alberta", "2026-q4")["objectives"], "ab-new-logos")["key_results"],
        "ab-new-accounts",
    )
    assert type(kr["baseline"]) is int
    assert type(kr["target"]) is int
    assert type(kr["current"]) is int
    assert type(kr["progress"]) is float
    assert '"target": 60,' in export_json(check_plan(ROOT / "plan", as_of=AS_OF))


def test_bands_can_be_overridden(base: Report) -> None:
    data = export_plan(base, bands=[Band(id="all", label="All", min=0)])
    bands = {n["band"] for n in walk(data) if isinstance(n, dict) and "band" in n}
    assert bands == {"all"}


def test_period_can_be_chosen(example: Report) -> None:
    assert export_plan(example, period="2026-q3")["period"] == "2026-q3"
    with pytest.raises(UsageError, match="unknown period '2026-q5'"):
        export_plan(example, period="2026-q5")


# --- order and determinism -----------------------------------------------------------------------


def test_deterministic(example: Report) -> None:
    first = export_json(example, version="v1")
    second = export_json(check_plan(ROOT / "plan", as_of=AS_OF), version="v1")
    assert first == second
    assert first.endswith("}\n")
    data = export_plan(example, version="v1")
    assert first == json.dumps(data, sort_keys=False, indent=2, ensure_ascii=False) + "\n"
    assert json.loads(first) == data
    assert export_csv(example) == export_csv(check_plan(ROOT / "plan", as_of=AS_OF))


def test_sorted_ordering(exported: dict[str, Any]) -> None:
    years = exported["years"]
    assert years == sorted(years, key=lambda y: (y["start"], y["id"]))
    for year in years:
        assert year["quarters"] == sorted(year["quarters"], key=lambda q: (q["start"], q["id"]))
    assert [q["id"] for q in years[0]["quarters"]] == ["2026-q1", "2026-q2", "2026-q3", "2026-q4"]
    people = [p["id"] for p in exported["people"]]
    assert people == sorted(people)
    teams = [t["id"] for t in exported["teams"]]
    assert teams == sorted(teams)
    assert teams[0] == "customer-experience"
    keys = [(w["period"], w["team"]) for w in exported["work"]]
    assert keys == sorted(keys)
    assert len(keys) == len(set(keys)) == 18
    # inside a file, the author's order is kept
    work = work_of(exported, "sales-alberta", "2026-q4")
    assert [o["id"] for o in work["objectives"]] == ["ab-new-logos", "ab-building-products", "ab-winter-retention"]
    assert [k["id"] for k in work["objectives"][0]["key_results"]] == ["ab-new-accounts", "ab-first-shipment-14-days"]
    assert [k["id"] for k in work["kpis"]] == ["kpi-ab-quote-conversion", "kpi-ab-south-visits"]


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_header_and_known_row(example: Report) -> None:
    text = export_csv(example)
    lines = text.split("\n")
    assert lines[0] == HEADER == ",".join(CSV_COLUMNS)
    assert text.endswith("\n")
    assert "\r" not in text
    row = (
        "2026-q4,sales-alberta,ab-new-logos,Win mid-market manufacturers and distributors in Calgary and Edmonton,"
        "ab-new-accounts,New Alberta mid-market accounts shipping,jordan-mackenzie,"
        "Accounts with a first shipment this quarter,accounts,0,60,41,0.6833,on-track,0.7,2026-11-19,"
        + ";".join(AB_ROOTS)
    )
    assert row in lines


def test_csv_rows_quoting_and_order(example: Report, exported: dict[str, Any]) -> None:
    rows = list(csv.reader(io.StringIO(export_csv(example))))
    assert rows[0] == list(CSV_COLUMNS)
    body = rows[1:]
    expected = [
        (w["period"], w["team"], o["id"], k["id"])
        for w in exported["work"]
        for o in w["objectives"]
        for k in o["key_results"]
    ]
    assert [(r[0], r[1], r[2], r[4]) for r in body] == expected
    assert all(len(r) == len(CSV_COLUMNS) for r in body)
    assert [(r[0], r[1]) for r in body] == sorted((r[0], r[1]) for r in body)
    quoted = next(r for r in body if r[4] == "cx-quotes-under-15")
    assert quoted[7] == "Share of business-hours requests, online and desk combined"
    assert '"Share of business-hours requests, online and desk combined"' in export_csv(example)


def test_csv_writes_empty_cells_for_missing_values(base: Report) -> None:
    rows = {r["key_result_id"]: r for r in csv.DictReader(io.StringIO(export_csv(base)))}
    assert list(rows) == ["new-logos", "quote-hours", "meetings", "proposals"]
    quote = rows["quote-hours"]
    assert (quote["confidence"], quote["last_check_in"], quote["metric"]) == ("", "", "")
    assert quote["strategic_roots"] == "manitoba-makers"
    assert quote["progress"] == "0.8966"


# --- refusal -------------------------------------------------------------------------------------


def test_plan_with_errors_is_refused(case_plan: Callable[[str], Path]) -> None:
    report = check_plan(case_plan("NS202-unknown-reference"), as_of=AS_OF)
    assert report.errors
    for export in (export_plan, export_json, export_csv):
        with pytest.raises(ValueError, match="the plan has errors; run northstar check"):
            export(report)


TOP_LEVEL = ("Company", "People", "Teams", "Issues")
"""Files whose parts the export's top level holds: company (its name), years, people, teams, issues."""


def test_committed_export_schema_is_current() -> None:
    """The shipped schema is the one the view models generate: a field added to the plan is in it."""
    committed = (ROOT / "plugins" / "mkdocs_northstar" / "schema" / "export.schema.json").read_text(encoding="utf-8")
    assert committed == dump(export_schema()), (
        "run: northstar schema --kind export > plugins/mkdocs_northstar/schema/export.schema.json"
    )
    assert export_schema() == EXPORT_SCHEMA


def test_every_field_of_every_plan_model_is_in_the_export_schema() -> None:
    """A field added to a model and forgotten in plan.json fails here, not in a dashboard."""
    defs = EXPORT_SCHEMA["$defs"]
    plan_models = [
        m
        for m in vars(model).values()
        if isinstance(m, type)
        and issubclass(m, model.Model)
        and m not in (model.Model, model.Band, model.Settings)
        and m.__name__ not in TOP_LEVEL
    ]
    assert len(plan_models) == 23
    missing = [
        f"{m.__name__}.{name}"
        for m in plan_models
        for name in m.model_fields
        if name not in defs.get(m.__name__, defs.get(f"{m.__name__}Export", {"properties": {}}))["properties"]
    ]
    assert missing == []
