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
from typing import Any, Final, TypeVar

from pydantic import BaseModel

from mkdocs_northstar.cascade import Cascade
from mkdocs_northstar.check import Report, UsageError
from mkdocs_northstar.exported import (
    FORMAT,
    FORMAT_VERSION,
    GoalExport,
    KeyResultExport,
    KpiExport,
    ObjectiveExport,
    PlanExport,
    RockExport,
    TeamPeriodExport,
    YearExport,
)
from mkdocs_northstar.index import Index, Key
from mkdocs_northstar.model import FINISHED, Band, KeyResult, Kpi, Objective, Plan, Rock, TeamPeriod, Year
from mkdocs_northstar.problems import did_you_mean
from mkdocs_northstar.progress import (
    Pace,
    band,
    confidence,
    current_value,
    kpi_on_target,
    kpi_value,
    kr_achieved,
    last_check_in,
    latest,
    quarter_pace,
)
from mkdocs_northstar.rules.context import current_period

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

V = TypeVar("V", bound=BaseModel)


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
    """The whole resolved plan as plain JSON-able data, with derived progress (see `plan_export`)."""
    return plan_export(report, version=version, period=period, bands=bands).model_dump(mode="json")


def plan_export(
    report: Report,
    *,
    version: str | None = None,
    period: str | None = None,
    bands: Sequence[Band] | None = None,
) -> PlanExport:
    """The whole resolved plan as the export's view model, with derived progress.

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
    return PlanExport.model_construct(
        format=FORMAT,
        format_version=FORMAT_VERSION,
        company=company.name,
        as_of=report.as_of,
        period=quarter.id if quarter is not None else None,
        version=version,
        strategy=strategy,
        years=[exporter.year(y) for y in sorted(company.years, key=lambda y: (y.start, y.id))],
        people=sorted(people.people, key=lambda p: p.id),
        teams=sorted(teams.teams, key=lambda t: t.id),
        work=[
            exporter.work(path, work)
            for path, work in sorted(plan.execution, key=lambda pw: (pw[1].period, pw[1].team, pw[0].as_posix()))
        ],
        issues=sorted(plan.issues.issues, key=lambda i: (i.raised, i.id)) if plan.issues else [],
        decisions=sorted(plan.decisions, key=lambda d: (d.date, d.id)),
        inputs=sorted(plan.inputs, key=lambda i: (i.date, i.id)),
    )


def export_json(
    report: Report,
    *,
    version: str | None = None,
    period: str | None = None,
    bands: Sequence[Band] | None = None,
    compact: bool = False,
) -> str:
    """`export_plan` as JSON text, UTF-8 characters kept, ending with a newline.

    Indented by 2 for people and diffs; `compact` (on one line) for the site's plan.json, which programs read.
    """
    exported = plan_export(report, version=version, period=period, bands=bands)
    return exported.model_dump_json(indent=None if compact else 2) + "\n"


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


CHECKIN_COLUMNS: Final = (
    "team",
    "id",
    "what",
    "title",
    "owner",
    "unit",
    "target",
    "last_value",
    "last_check_in",
    "value",
    "confidence",
    "note",
    "date",
    "status",
)
"""The check-in template's header: what the item is (read only), then what the owner fills in
(`value`, `confidence`, `note`, `date`, `status`), the columns `northstar checkin --from-csv` reads.
A rock's `target` is its due date and its `last_value` its status."""


def export_checkins(report: Report, *, period: str | None = None) -> str:
    """The check-in template: a row per open key result, KPI and rock of the quarter (default:
    the one holding the report's as-of day), sorted by team, in the author's order, with the
    columns the owner fills in left empty. A graded key result, a milestone done and a rock
    done, missed or dropped are closed and left out."""
    data = plan_export(report, period=period)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CHECKIN_COLUMNS)
    for work in sorted((w for w in data.work if w.period == data.period), key=lambda w: w.team):
        rows: list[list[object]] = []
        for objective in work.objectives:
            for kr in objective.key_results:
                if kr.grade is None and not (kr.kind == "milestone" and kr.done is not None):
                    what = "key result" if kr.kind == "number" else f"key result ({kr.kind})"
                    last = kr.current if kr.kind != "milestone" else None
                    rows.append([kr.id, what, kr.title, kr.owner, kr.unit, kr.target, last, kr.last_check_in])
        for kpi in work.kpis:
            rows.append([kpi.id, "KPI", kpi.title, kpi.owner, kpi.unit, kpi.target, kpi.current, kpi.last_check_in])
        for rock in work.rocks:
            if rock.status not in FINISHED:
                rows.append([rock.id, "rock", rock.title, rock.owner, "", rock.due, rock.status, ""])
        for row in rows:
            writer.writerow([_cell(_whole(c)) for c in [work.team, *row, "", "", "", "", ""]])
    return out.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""How a spreadsheet knows a cell is a formula (or, after a tab or return, may take it for one)."""


def _whole(value: object) -> object:
    """A whole number without its `.0`, as the plan's author wrote it (40, not 40.0)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


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


def _num(value: float) -> float:
    """`value`, refused when NaN or infinite (JSON has neither)."""
    if not math.isfinite(value):
        raise ValueError(f"cannot export the non-finite number {value!r}")
    return value


def _ratio(value: float | None) -> float | None:
    """A progress (0..1, or beyond for `achieved`), rounded to `PROGRESS_PLACES`."""
    return None if value is None else _num(round(value, PROGRESS_PLACES))


def _view(view: type[V], item: BaseModel, **derived: Any) -> V:
    """The view of a checked plan item: its own fields, with `derived` added or replaced."""
    return view.model_construct(**{**item.__dict__, **derived})


# --- execution -----------------------------------------------------------------------------------


class _Exporter:
    """What needs the index or the bands: lineage, strategic roots and measured progress."""

    def __init__(self, plan: Plan, index: Index, bands: list[Band], as_of: date) -> None:
        self.plan, self.index, self.bands = plan, index, bands
        self.leads = {t.id: t.lead for t in plan.teams.teams} if plan.teams is not None else {}
        settings = plan.settings
        self.paces: dict[str | None, Pace] = {q.id: quarter_pace(q, settings, as_of) for _, q in plan.quarters()}
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

    def year(self, year: Year) -> YearExport:
        return _view(
            YearExport,
            year,
            goals=[_view(GoalExport, g, strategic_roots=self.roots((None, g.id))) for g in year.goals],
            quarters=sorted(year.quarters, key=lambda q: (q.start, q.id)),
        )

    def work(self, path: Path, work: TeamPeriod) -> TeamPeriodExport:
        pace = self.paces.get(work.period, Pace())
        rollup = self.cascade.team(work.period, list(work.objectives))
        return _view(
            TeamPeriodExport,
            work,
            objectives=[self.objective(work, o, pace) for o in work.objectives],
            rocks=[self.rock(work, r) for r in work.rocks],
            kpis=[_kpi(k) for k in work.kpis],
            file=_relative(path, self.plan.root),
            progress=_ratio(rollup.progress),
            expected=_ratio(pace.expected),
            score=_ratio(rollup.score),
            band=self.band(rollup.progress, rollup.score),
            reported=rollup.reported,
            key_results_total=rollup.total,
        )

    def objective(self, work: TeamPeriod, objective: Objective, pace: Pace) -> ObjectiveExport:
        key = (work.period, objective.id)
        cascaded = self.cascade.objective(key, objective)
        rollup = cascaded.rollup
        aspirational = objective.type == "aspirational"
        return _view(
            ObjectiveExport,
            objective,
            owner=objective.owner or self.leads.get(work.team),
            key_results=[self.key_result(work, kr, pace, aspirational) for kr in objective.key_results],
            progress=_ratio(rollup.progress),
            score=_ratio(rollup.score),
            band=self.band(rollup.progress, rollup.score),
            reported=rollup.reported,
            key_results_total=rollup.total,
            rolled_up_from=[k[1] for k in cascaded.rolled_from],
            lineage=self.lineage(key),
            strategic_roots=self.roots(key),
        )

    def key_result(self, work: TeamPeriod, kr: KeyResult, pace: Pace, aspirational: bool) -> KeyResultExport:
        cascaded = self.cascade.key_result((work.period, kr.id), kr, aspirational=aspirational)
        progress, score, rolled_from = cascaded.rollup.progress, cascaded.rollup.score, cascaded.rolled_from
        achieved = kr_achieved(kr, pace.as_of)
        return _view(
            KeyResultExport,
            kr,
            current=current_value(kr),
            confidence=confidence(kr),
            progress=_ratio(progress),
            achieved=_ratio(achieved),
            score=_ratio(score),
            band=self.band(progress, score),
            rolled_up_from=[k[1] for k in rolled_from],
            last_check_in=last_check_in(kr),
        )

    def rock(self, work: TeamPeriod, rock: Rock) -> RockExport:
        key = (work.period, rock.id)
        return _view(RockExport, rock, lineage=self.lineage(key), strategic_roots=self.roots(key))


def _kpi(kpi: Kpi) -> KpiExport:
    newest = latest(kpi.check_ins)
    return _view(
        KpiExport,
        kpi,
        current=kpi_value(kpi),
        on_target=kpi_on_target(kpi),
        last_check_in=newest.date if newest is not None else None,
    )


def _relative(path: Path, root: Path) -> str:
    """`path` relative to the plan folder, with forward slashes (the same on every machine)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
