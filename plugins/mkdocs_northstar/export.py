"""The resolved plan as plain data (JSON or CSV), with derived progress, for dashboards and other tools.

The export is a stable contract, documented and validated by `EXPORT_SCHEMA`:

- only a valid plan is exported (a plan with errors raises `ValueError`);
- the same plan, date and version always give byte-identical text: collections the author did not
  order (years, quarters, people, teams, execution files) are sorted, and lists the author did
  order (objectives, key results, goals, strategic choices...) keep that order;
- dates are ISO strings, numbers that are whole are written as integers (40.0 -> 40), progress is
  rounded to 4 places, and nothing is ever NaN or infinite.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any, Final

from mkdocs_northstar.cascade import Cascade, Cascaded
from mkdocs_northstar.check import Report, UsageError
from mkdocs_northstar.index import Index, Key
from mkdocs_northstar.model import (
    Band,
    CheckIn,
    Choice,
    Goal,
    KeyResult,
    Kpi,
    Objective,
    Person,
    Plan,
    Quarter,
    Rock,
    Strategy,
    Team,
    TeamPeriod,
    Year,
)
from mkdocs_northstar.problems import did_you_mean
from mkdocs_northstar.progress import (
    Pace,
    band,
    confidence,
    current_value,
    expected_share,
    kpi_on_target,
    kpi_value,
    kr_achieved,
    kr_progress,
    kr_score,
    last_check_in,
    latest,
    objective_rollup,
)
from mkdocs_northstar.rules.context import current_period

FORMAT: Final = "northstar-plan"
FORMAT_VERSION: Final = 1
PROGRESS_PLACES: Final = 4

CSV_COLUMNS: Final = (
    "period",
    "team",
    "objective_id",
    "objective_title",
    "key_result_id",
    "key_result_title",
    "owner",
    "metric",
    "unit",
    "baseline",
    "target",
    "current",
    "progress",
    "band",
    "confidence",
    "last_check_in",
    "strategic_roots",
)
"""The CSV header: one row per key result."""

Number = int | float


def _load_schema() -> dict[str, Any]:
    text = files("mkdocs_northstar").joinpath("schema/export.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


EXPORT_SCHEMA: Final[dict[str, Any]] = _load_schema()
"""The JSON Schema (draft 2020-12) that documents and validates `export_plan`'s output."""


def export_plan(
    report: Report,
    *,
    version: str | None = None,
    period: str | None = None,
    bands: Sequence[Band] | None = None,
) -> dict[str, Any]:
    """The whole resolved plan as plain JSON-able data, with derived progress.

    Args:
        report: a checked plan (see `check_plan`); it must have no errors.
        version: a label for the plan's revision (e.g. a commit), written as is.
        period: the quarter to report as current; default: the quarter containing `report.as_of`.
        bands: score bands to use instead of the plan's own settings.

    Raises:
        ValueError: the plan has errors.
        UsageError: `period` names no quarter of the plan.
    """
    if report.errors:
        raise ValueError("the plan has errors; run northstar check")
    plan = report.plan
    strategy, company, people, teams = plan.strategy, plan.company, plan.people, plan.teams
    if strategy is None or company is None or people is None or teams is None:
        raise ValueError("the plan has errors; run northstar check")
    quarter_ids = [q.id for _, q in plan.quarters()]
    if period is not None and period not in quarter_ids:
        raise UsageError(f"unknown period {period!r}{did_you_mean(period, quarter_ids)}")
    _, quarter = current_period(plan, report.as_of, period)
    exporter = _Exporter(plan, report.index, list(bands or plan.settings.score_bands), report.as_of)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "company": company.name,
        "as_of": report.as_of.isoformat(),
        "period": quarter.id if quarter is not None else None,
        "version": version,
        "strategy": _strategy(strategy),
        "years": [exporter.year(y) for y in sorted(company.years, key=lambda y: (y.start, y.id))],
        "people": [_person(p) for p in sorted(people.people, key=lambda p: p.id)],
        "teams": [_team(t) for t in sorted(teams.teams, key=lambda t: t.id)],
        "work": [
            exporter.work(path, work)
            for path, work in sorted(plan.execution, key=lambda pw: (pw[1].period, pw[1].team, pw[0].as_posix()))
        ],
    }


def export_json(
    report: Report,
    *,
    version: str | None = None,
    period: str | None = None,
    bands: Sequence[Band] | None = None,
    compact: bool = False,
) -> str:
    """`export_plan` as JSON text, UTF-8 characters kept, ending with a newline.

    Indented by 2 for people and diffs; `compact` for the site's plan.json, which programs read:
    indenting makes Python's encoder fall back from C to Python, six times slower on a large plan.
    """
    data = export_plan(report, version=version, period=period, bands=bands)
    layout: dict[str, Any] = {"separators": (",", ":")} if compact else {"indent": 2}
    return json.dumps(data, sort_keys=False, ensure_ascii=False, allow_nan=False, **layout) + "\n"


def export_csv(
    report: Report,
    *,
    version: str | None = None,
    period: str | None = None,
    bands: Sequence[Band] | None = None,
) -> str:
    """One row per key result, with a header (`CSV_COLUMNS`), sorted by (period, team), then the author's order."""
    data = export_plan(report, version=version, period=period, bands=bands)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for work in data["work"]:
        for objective in work["objectives"]:
            for kr in objective["key_results"]:
                row = [
                    work["period"],
                    work["team"],
                    objective["id"],
                    objective["title"],
                    kr["id"],
                    kr["title"],
                    kr["owner"],
                    kr["metric"],
                    kr["unit"],
                    kr["baseline"],
                    kr["target"],
                    kr["current"],
                    kr["progress"],
                    kr["band"],
                    kr["confidence"],
                    kr["last_check_in"],
                    ";".join(objective["strategic_roots"]),
                ]
                writer.writerow([_cell(cell) for cell in row])
    return out.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""How a spreadsheet knows a cell is a formula (or, after a tab or return, may take it for one)."""


def _cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as written: text that would start a formula gets a
    leading apostrophe (`'=HYPERLINK(...)`), which spreadsheets read as "this is text"; numbers
    stay numbers, and no value is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


# --- values --------------------------------------------------------------------------------------


def _num(value: float) -> Number:
    """`value` as JSON-safe data: a whole number becomes an int; NaN and infinity are refused."""
    if not math.isfinite(value):
        raise ValueError(f"cannot export the non-finite number {value!r}")
    return int(value) if float(value).is_integer() else value


def _opt_num(value: float | None) -> Number | None:
    return None if value is None else _num(value)


def _ratio(value: float | None) -> Number | None:
    """A progress (0..1, or beyond for `achieved`), rounded to `PROGRESS_PLACES`."""
    return None if value is None else _num(round(value, PROGRESS_PLACES))


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


# --- strategy, calendar, people and teams --------------------------------------------------------


def _strategy(strategy: Strategy) -> dict[str, Any]:
    north_star = strategy.north_star
    return {
        "owner": strategy.owner,
        "reviewed": strategy.reviewed.isoformat(),
        "purpose": strategy.purpose,
        "values": [{"id": v.id, "title": v.title, "description": v.description} for v in strategy.values],
        "north_star": (
            None
            if north_star is None
            else {"id": north_star.id, "statement": north_star.statement, "by": north_star.by}
        ),
        "targets": [{"id": t.id, "title": t.title, "by": t.by, "description": t.description} for t in strategy.targets],
        "where_to_play": [_choice(c) for c in strategy.where_to_play],
        "how_to_win": [_choice(c) for c in strategy.how_to_win],
        "not_doing": [{"id": t.id, "title": t.title, "why": t.why} for t in strategy.not_doing],
        "talent": [{"id": t.id, "title": t.title, "why": t.why} for t in strategy.talent],
        "strengths": list(strategy.strengths),
        "weaknesses": list(strategy.weaknesses),
        "trends": list(strategy.trends),
    }


def _choice(choice: Choice) -> dict[str, Any]:
    return {"id": choice.id, "title": choice.title, "description": choice.description}


def _quarter(quarter: Quarter) -> dict[str, Any]:
    return {"id": quarter.id, "name": quarter.name, "start": quarter.start.isoformat(), "end": quarter.end.isoformat()}


def _person(person: Person) -> dict[str, Any]:
    return {"id": person.id, "name": person.name, "title": person.title, "email": person.email}


def _team(team: Team) -> dict[str, Any]:
    return {
        "id": team.id,
        "name": team.name,
        "lead": team.lead,
        "parent": team.parent,
        "mission": team.mission,
        "members": list(team.members),
    }


def _check_in(check_in: CheckIn) -> dict[str, Any]:
    return {
        "date": check_in.date.isoformat(),
        "value": _opt_num(check_in.value),
        "confidence": _opt_num(check_in.confidence),
        "note": check_in.note,
    }


# --- execution -----------------------------------------------------------------------------------


class _Exporter:
    """What needs the index or the bands: lineage, strategic roots and measured progress."""

    def __init__(self, plan: Plan, index: Index, bands: list[Band], as_of: date) -> None:
        self.plan, self.index, self.bands = plan, index, bands
        self.leads = {t.id: t.lead for t in plan.teams.teams} if plan.teams is not None else {}
        settings = plan.settings
        self.paces: dict[str | None, Pace] = {
            q.id: Pace(
                expected_share(q.start, q.end, as_of, pace=settings.pace, grace_days=settings.grace_days),
                settings.aspirational_bar,
                as_of,
            )
            for _, q in plan.quarters()
        }
        self.cascade = Cascade(index, self.paces)

    def band(self, progress: float | None, score: float | None) -> str | None:
        """The status band: None without progress, `not-started` before the period begins."""
        if progress is None:
            return None
        return "not-started" if score is None else band(score, self.bands).id

    def roots(self, key: Key) -> list[str]:
        return sorted(self.index.strategic_roots(key))

    def lineage(self, key: Key) -> list[str]:
        return [entry.id for entry in self.index.chain(key)]

    def year(self, year: Year) -> dict[str, Any]:
        return {
            "id": year.id,
            "name": year.name,
            "start": year.start.isoformat(),
            "end": year.end.isoformat(),
            "theme": year.theme,
            "goals": [self.goal(g) for g in year.goals],
            "quarters": [_quarter(q) for q in sorted(year.quarters, key=lambda q: (q.start, q.id))],
        }

    def goal(self, goal: Goal) -> dict[str, Any]:
        return {
            "id": goal.id,
            "title": goal.title,
            "description": goal.description,
            "owner": goal.owner,
            "measure": goal.measure,
            "supports": list(goal.supports),
            "strategic_roots": self.roots((None, goal.id)),
        }

    def work(self, path: Path, work: TeamPeriod) -> dict[str, Any]:
        objectives = [self.objective(work, o) for o in work.objectives]
        pace = self.paces.get(work.period, Pace())
        rollup = self.cascade.team(work.period, list(work.objectives))
        return {
            "team": work.team,
            "period": work.period,
            "file": _relative(path, self.plan.root),
            "progress": _ratio(rollup.progress),
            "expected": _ratio(pace.expected),
            "score": _ratio(rollup.score),
            "band": self.band(rollup.progress, rollup.score),
            "reported": rollup.reported,
            "key_results_total": rollup.total,
            "objectives": objectives,
            "rocks": [self.rock(work, r) for r in work.rocks],
            "kpis": [_kpi(k) for k in work.kpis],
        }

    def objective(self, work: TeamPeriod, objective: Objective) -> dict[str, Any]:
        key = (work.period, objective.id)
        pace = self.paces.get(work.period, Pace())
        cascaded = self.cascade.of(key) if key in self.index.entries else Cascaded(objective_rollup(objective, pace))
        rollup = cascaded.rollup
        aspirational = objective.type == "aspirational"
        return {
            "id": objective.id,
            "title": objective.title,
            "description": objective.description,
            "type": objective.type,
            "owner": objective.owner or self.leads.get(work.team),
            "supports": list(objective.supports),
            "weight": _num(objective.weight),
            "progress": _ratio(rollup.progress),
            "score": _ratio(rollup.score),
            "band": self.band(rollup.progress, rollup.score),
            "reported": rollup.reported,
            "key_results_total": rollup.total,
            "rolled_up_from": [k[1] for k in cascaded.rolled_from],
            "lineage": self.lineage(key),
            "strategic_roots": self.roots(key),
            "key_results": [self.key_result(work, kr, pace, aspirational) for kr in objective.key_results],
        }

    def key_result(self, work: TeamPeriod, kr: KeyResult, pace: Pace, aspirational: bool) -> dict[str, Any]:
        progress, achieved = kr_progress(kr, pace.as_of), kr_achieved(kr, pace.as_of)
        score = kr_score(kr, pace, aspirational=aspirational)
        rolled_from: tuple[Key, ...] = ()
        key = (work.period, kr.id)
        if progress is None and key in self.index.parent_of:
            cascaded = self.cascade.of(key)
            progress, score, rolled_from = cascaded.rollup.progress, cascaded.rollup.score, cascaded.rolled_from
        return {
            "id": kr.id,
            "title": kr.title,
            "owner": kr.owner,
            "metric": kr.metric,
            "unit": kr.unit,
            "kind": kr.kind,
            "baseline": _opt_num(kr.baseline),
            "target": _opt_num(kr.target),
            "direction": kr.direction,
            "due": _day(kr.due),
            "done": _day(kr.done),
            "grade": _opt_num(kr.grade),
            "current": _opt_num(current_value(kr)),
            "weight": _num(kr.weight),
            "progress": _ratio(progress),
            "achieved": _ratio(achieved),
            "score": _ratio(score),
            "band": self.band(progress, score),
            "rolled_up_from": [k[1] for k in rolled_from],
            "supports": list(kr.supports),
            "confidence": _opt_num(confidence(kr)),
            "last_check_in": _day(last_check_in(kr)),
            "check_ins": [_check_in(c) for c in kr.check_ins],
        }

    def rock(self, work: TeamPeriod, rock: Rock) -> dict[str, Any]:
        key = (work.period, rock.id)
        return {
            "id": rock.id,
            "title": rock.title,
            "description": rock.description,
            "owner": rock.owner,
            "due": rock.due.isoformat(),
            "status": rock.status,
            "done": _day(rock.done),
            "supports": list(rock.supports),
            "lineage": self.lineage(key),
            "strategic_roots": self.roots(key),
        }


def _kpi(kpi: Kpi) -> dict[str, Any]:
    newest = latest(kpi.check_ins)
    value, on_target = kpi_value(kpi), kpi_on_target(kpi)
    return {
        "id": kpi.id,
        "title": kpi.title,
        "owner": kpi.owner,
        "unit": kpi.unit,
        "target": _num(kpi.target),
        "direction": kpi.direction,
        "current": _opt_num(value),
        "on_target": on_target,
        "last_check_in": _day(newest.date if newest is not None else None),
        "check_ins": [_check_in(c) for c in kpi.check_ins],
    }


def _relative(path: Path, root: Path) -> str:
    """`path` relative to the plan folder, with forward slashes (the same on every machine)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
