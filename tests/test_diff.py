"""The semantic plan diff: real plans on disk, edited as text, compared change by change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mkdocs_northstar import model
from mkdocs_northstar.history.changes import Change, classify
from mkdocs_northstar.history.diff import diff_plans
from mkdocs_northstar.load.plan import load_plan
from mkdocs_northstar.model import Plan

from tests.conftest import CASES

SALES = "Team `sales`, 2026-q4:"
LEAD = "Team `leadership`, 2026-q4:"


def strategy(text: str) -> Change:
    return Change("strategy", text)


def execution(text: str, check_in: bool = False) -> Change:
    return Change("execution", text, check_in)


def copy_base(dest: Path) -> Path:
    shutil.copytree(CASES / "_base", dest)
    return dest


def load(root: Path) -> Plan:
    loaded = load_plan(root)
    assert loaded.problems == []
    return loaded.plan


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def diff(old: Path, new: Path) -> list[Change]:
    return diff_plans(load(old), load(new))


@pytest.fixture
def old(tmp_path: Path) -> Path:
    return copy_base(tmp_path / "old")


@pytest.fixture
def new(tmp_path: Path) -> Path:
    return copy_base(tmp_path / "new")


# --- no change -----------------------------------------------------------------------------------


def test_identical_plans_have_no_changes(old: Path, new: Path) -> None:
    assert diff(old, new) == []
    assert classify(diff(old, new)) == "none"


def test_layout_comments_and_key_order_are_not_changes(old: Path, new: Path) -> None:
    write(
        new,
        "strategy.yml",
        """# The leader's direction.
purpose: >
  Keep small manufacturers
  in Manitoba   shipping on time.
not_doing:
  - why: "Margins are thin and it distracts the sales team."
    title: 'Consumer parcels'
    id: no-consumer  # a trade-off
how_to_win: [{id: same-day-quotes, title: "Quotes within one hour, not one week"}]
where_to_play:
  - {title: Manitoba manufacturers with 20 to 200 staff, id: manitoba-makers}
reviewed: 2026-06-01
owner: ceo
""",
    )
    write(
        new,
        "people.yml",
        "people: [{id: ceo, name: Cora Eng}, {name: Ana Silva, id: ana}, {id: ben, name: Ben Okafor}]\n",
    )
    write(
        new,
        "execution/2026-q4/sales.yml",
        """period: 2026-q4
team: sales

objectives:
  - title: Fill the pipeline
    id: fill-pipeline
    supports: [ win-makers ]
    key_results:
      - {id: meetings, title: First meetings held, owner: ana, baseline: 0.0, target: 40.0,
         check_ins: [{date: 2026-11-18, value: 22.0}, {date: 2026-10-15, value: 9, confidence: 0.60}]}
      - id: proposals
        owner: ana
        title: Proposals sent
        target: 15
        baseline: 0
        current: 6
""",
    )
    assert diff(old, new) == []


def test_a_renamed_or_moved_execution_file_is_not_a_change(old: Path, new: Path) -> None:
    (new / "execution" / "q4").mkdir()
    (new / "execution" / "2026-q4" / "sales.yml").rename(new / "execution" / "q4" / "sales-team.yaml")
    assert diff(old, new) == []


# --- strategy ------------------------------------------------------------------------------------


def test_owner_reviewed_and_purpose(old: Path, new: Path) -> None:
    edit(new, "strategy.yml", "owner: ceo", "owner: ana")
    edit(new, "strategy.yml", "reviewed: 2026-06-01", "reviewed: 2026-09-15")
    edit(new, "strategy.yml", "shipping on time.", "shipping on time, every time.")
    assert diff(old, new) == [
        strategy("Strategy: owner ceo → ana"),
        Change("strategy", "Strategy: reviewed 2026-06-01 → 2026-09-15", check_in=True),
        strategy("Strategy: purpose changed"),
    ]


def test_strategy_sections_added_removed_and_changed(old: Path, new: Path) -> None:
    write(
        new,
        "strategy.yml",
        """owner: ceo
reviewed: 2026-06-01
purpose: Keep small manufacturers in Manitoba shipping on time.
values:
  - id: candour
    title: Say it plainly
targets:
  - id: revenue-12m
    title: $12M revenue
    by: 2029
where_to_play:
  - id: winnipeg-food
    title: Winnipeg food processors
how_to_win:
  - id: same-day-quotes
    title: Quotes within one hour, not one day
    description: We answer before lunch.
not_doing:
  - id: no-consumer
    title: Consumer parcels
    why: Margins are thin.
  - id: no-freight
    title: Full truckload freight
    why: It needs trucks, drivers and depots we do not have, and it pulls the sales team away from makers.
talent:
  - id: estimators
    title: Fast estimators
strengths:
  - Local relationships with every plant manager in the province, built over twenty years
""",
    )
    assert diff(old, new) == [
        strategy("Strategy: added to values: `candour` — Say it plainly"),
        strategy("Strategy: added to targets: `revenue-12m` — $12M revenue"),
        strategy("Strategy: added to where_to_play: `winnipeg-food` — Winnipeg food processors"),
        strategy(
            "Strategy: removed from where_to_play: `manitoba-makers` — Manitoba manufacturers with 20 to 200 staff"
        ),
        strategy(
            "Strategy: how_to_win `same-day-quotes`: title 'Quotes within one hour, not one week' → "
            "'Quotes within one hour, not one day'"
        ),
        strategy("Strategy: how_to_win `same-day-quotes`: description changed"),
        strategy("Strategy: not_doing `no-consumer`: why changed"),
        strategy(
            "Strategy: added to not_doing: `no-freight` — Full truckload freight "
            "(why: It needs trucks, drivers and depots we do not have, and it pulls the sales team…)"
        ),
        strategy("Strategy: added to talent: `estimators` — Fast estimators"),
        strategy("Strategy: strengths: added 'Local relationships with every plant manager in the provinc…'"),
    ]


def test_targets_by_and_plain_text_lists(old: Path, new: Path) -> None:
    lists = "strengths: [Local relationships, Fast quoting]\ntrends: [Reshoring]\n"
    targets = "targets:\n  - id: revenue-12m\n    title: $12M revenue\n    by: 2029\n"
    for root in (old, new):
        edit(root, "strategy.yml", "where_to_play:", f"{targets}where_to_play:")
        write(root, "strategy.yml", (root / "strategy.yml").read_text(encoding="utf-8") + lists)
    edit(new, "strategy.yml", "by: 2029", "by: 2030")
    edit(new, "strategy.yml", "[Local relationships, Fast quoting]", "[Fast quoting, Family ownership]")
    edit(new, "strategy.yml", "trends: [Reshoring]", "weaknesses: [Thin bench]")
    assert diff(old, new) == [
        strategy("Strategy: targets `revenue-12m`: by 2029 → 2030"),
        strategy("Strategy: strengths: added 'Family ownership'"),
        strategy("Strategy: strengths: removed 'Local relationships'"),
        strategy("Strategy: weaknesses: added 'Thin bench'"),
        strategy("Strategy: trends: removed 'Reshoring'"),
    ]


def test_north_star_added_changed_and_removed(tmp_path: Path) -> None:
    plans = [copy_base(tmp_path / str(i)) for i in range(4)]
    star = "north_star:\n  statement: Every maker ships on time.\n  by: 2035\n"
    for root in plans[1:3]:
        edit(root, "strategy.yml", "where_to_play:", f"{star}where_to_play:")
    edit(plans[2], "strategy.yml", "Every maker ships on time.\n  by: 2035", "Every maker in Canada ships.\n  by: 2036")
    assert diff(plans[0], plans[1]) == [strategy("Strategy: north star added")]
    assert diff(plans[1], plans[2]) == [
        strategy("Strategy: north star changed"),
        strategy("Strategy: north star year 2035 → 2036"),
    ]
    assert diff(plans[2], plans[3]) == [strategy("Strategy: north star removed")]


# --- company, people, teams ----------------------------------------------------------------------


def test_company_years_goals_and_quarters(old: Path, new: Path) -> None:
    edit(
        old,
        "company.yml",
        "    quarters:",
        "      - id: open-west\n        title: Open a western office\n    quarters:",
    )
    write(
        new,
        "company.yml",
        """name: Example Company
years:
  - id: "2026"
    start: 2026-01-01
    end: 2026-12-31
    theme: Ship on time
    goals:
      - id: keep-makers
        title: Keep every manufacturer we have
      - id: grow-makers
        title: Win 30 new manufacturers
        owner: ana
        supports: [manitoba-makers, same-day-quotes]
    quarters:
      - id: 2026-q3
        start: 2026-07-01
        end: 2026-09-30
      - id: 2026-q4
        start: 2026-10-01
        end: 2027-01-03
  - id: "2027"
    start: 2027-01-04
    end: 2027-12-31
""",
    )
    assert diff(old, new) == [
        execution("Company: name 'Example Co' → 'Example Company'"),
        execution("Company, 2026: theme '' → 'Ship on time'"),
        execution("Company, 2026: goal `keep-makers` added — Keep every manufacturer we have"),
        execution("Company, 2026: goal `grow-makers` owner none → ana"),
        execution("Company, 2026: goal `grow-makers` supports manitoba-makers → manitoba-makers, same-day-quotes"),
        execution("Company, 2026: goal `open-west` dropped — Open a western office"),
        execution("Company, 2026: quarter `2026-q4` end 2026-12-31 → 2027-01-03"),
        execution("Company: year `2027` added"),
    ]
    assert diff(new, old)[-1] == execution("Company: year `2027` removed")


def test_people_and_teams(old: Path, new: Path) -> None:
    edit(old, "teams.yml", "lead: ceo", "lead: ceo\n    members: [ana, ben]")
    write(
        new,
        "people.yml",
        "people:\n  - id: ceo\n    name: Cora Eng\n    title: Chief executive\n"
        "  - id: cy\n    name: Cy Ng\n  - id: ana\n    name: Ana Silva\n",
    )
    write(
        new,
        "teams.yml",
        """teams:
  - id: leadership
    name: Leadership
    lead: ceo
    members: [cy, ben]
  - id: ops
    name: Operations
    lead: ben
    parent: leadership
  - id: sales
    name: Sales
    lead: ben
    parent: ops
    mission: Fill the pipeline.
""",
    )
    assert diff(old, new) == [
        execution("People: `ceo` title '' → 'Chief executive'"),
        execution("People: `cy` added — Cy Ng"),
        execution("People: `ben` removed — Ben Okafor"),
        execution("Teams: `leadership` members added cy; removed ana"),
        execution("Teams: `ops` added — Operations"),
        execution("Teams: `sales` lead ana → ben"),
        execution("Teams: `sales` parent leadership → ops"),
        execution("Teams: `sales` mission changed"),
    ]
    edit(old, "teams.yml", "    members: [ana, ben]\n", "")
    edit(old, "teams.yml", "  - id: sales\n", "  - id: sales\n    members: [ana]\n")
    edit(new, "teams.yml", "members: [cy, ben]", "members: [ben]")
    assert diff(old, new)[3:5] == [
        execution("Teams: `leadership` members added ben"),
        execution("Teams: `ops` added — Operations"),
    ]
    assert execution("Teams: `sales` members removed ana") in diff(old, new)


# --- execution -----------------------------------------------------------------------------------


def test_key_result_fields_and_check_ins(old: Path, new: Path) -> None:
    edit(new, "execution/2026-q4/sales.yml", "target: 40", "target: 50")
    edit(
        new,
        "execution/2026-q4/sales.yml",
        """          - date: 2026-10-15
            value: 9
            confidence: 0.6
          - date: 2026-11-18
            value: 22
""",
        """          - date: 2026-11-18
            value: 23
          - date: 2026-11-25
            value: 30
            confidence: 0.7
""",
    )
    edit(new, "execution/2026-q4/sales.yml", "current: 6", "current: 8.5")
    assert diff(old, new) == [
        execution(f"{SALES} key result `meetings` target 40 → 50"),
        execution(f"{SALES} key result `meetings` check-in 2026-11-18 changed: 22 → 23", check_in=True),
        execution(f"{SALES} key result `meetings` check-in added 2026-11-25: 30 (confidence 0.7)", check_in=True),
        execution(f"{SALES} key result `meetings` check-in 2026-10-15 removed", check_in=True),
        execution(f"{SALES} key result `proposals` current 6 → 8.5", check_in=True),
    ]


def test_a_check_in_alone_is_a_progress_update(old: Path, new: Path) -> None:
    edit(
        new,
        "execution/2026-q4/leadership.yml",
        "            value: 3\n",
        "            value: 3\n          - date: 2026-11-27\n            value: 5\n",
    )
    changes = diff(old, new)
    assert changes == [execution(f"{LEAD} key result `new-logos` check-in added 2026-11-27: 5", check_in=True)]
    assert classify(changes) == "execution"


def test_objective_added_key_result_moved_and_rock_status(old: Path, new: Path) -> None:
    write(
        new,
        "execution/2026-q4/leadership.yml",
        """team: leadership
period: 2026-q4
objectives:
  - id: speed-up
    title: Quote faster
    type: aspirational
    key_results:
      - id: quote-hours
        title: Median quote time
        owner: ben
        baseline: 30
        target: 1
        current: 4
      - id: quote-tool
        title: Quoting tool live in branches
        owner: ben
        baseline: 0
        target: 3
  - id: win-makers
    title: Win more manufacturers
    type: aspirational
    supports: [grow-makers, same-day-quotes]
    key_results:
      - id: new-logos
        title: New manufacturer logos
        owner: ceo
        baseline: 0
        target: 8
        check_ins:
          - date: 2026-11-20
            value: 3
rocks:
  - id: hire-rep
    title: Hire a sales rep
    owner: ceo
    due: 2026-12-15
    status: on-track
    supports: [same-day-quotes]
""",
    )
    assert diff(old, new) == [
        execution(f"{LEAD} objective `speed-up` added — Quote faster"),
        execution(f"{LEAD} key result `quote-hours` moved to objective `speed-up`"),
        execution(f"{LEAD} objective `win-makers` title 'Win manufacturers' → 'Win more manufacturers'"),
        execution(f"{LEAD} objective `win-makers` type committed → aspirational"),
        execution(f"{LEAD} objective `win-makers` supports grow-makers → grow-makers, same-day-quotes"),
        execution(f"{LEAD} rock `hire-rep` status not-started → on-track"),
    ]


def test_objective_dropped_and_key_results_added_and_dropped(old: Path, new: Path) -> None:
    edit(
        old,
        "execution/2026-q4/sales.yml",
        "objectives:\n",
        "objectives:\n  - id: cut-costs\n    title: Cut costs\n    key_results:\n"
        "      - {id: travel, title: Travel spend, owner: ana, baseline: 10, target: 5}\n",
    )
    edit(
        new,
        "execution/2026-q4/sales.yml",
        "      - id: proposals\n        title: Proposals sent",
        "      - id: demos\n        title: Demos given",
    )
    edit(new, "execution/2026-q4/sales.yml", "current: 6", "current: 6\n        weight: 2")
    assert diff(old, new) == [
        execution(f"{SALES} key result `demos` added — Demos given"),
        execution(f"{SALES} key result `proposals` dropped — Proposals sent"),
        execution(f"{SALES} objective `cut-costs` dropped — Cut costs"),
    ]


def test_a_key_result_moved_between_objectives_keeps_its_own_changes(old: Path, new: Path) -> None:
    kr = "      - {id: quote-hours, title: Median quote time, owner: ben, baseline: 30, target: %s}\n"
    plan = """team: leadership
period: 2026-q4
objectives:
  - id: win-makers
    title: Win manufacturers
    key_results:
      - {id: new-logos, title: New manufacturer logos, owner: ceo, baseline: 0, target: 8}
%s  - id: speed-up
    title: Quote faster
    key_results:
      - {id: quote-tool, title: Quoting tool live, owner: ben, baseline: 0, target: 3}
%s"""
    write(old, "execution/2026-q4/leadership.yml", plan % (kr % 1, ""))
    write(new, "execution/2026-q4/leadership.yml", plan % ("", kr % 2))
    assert diff(old, new) == [
        execution(f"{LEAD} key result `quote-hours` moved to objective `speed-up`"),
        execution(f"{LEAD} key result `quote-hours` target 1 → 2"),
    ]


def test_kpis(old: Path, new: Path) -> None:
    kpi = """kpis:
  - id: win-rate
    title: Win rate
    owner: ana
    unit: "%"
    target: 30
    check_ins:
      - {date: 2026-11-01, value: 25}
"""
    for root in (old, new):
        write(
            root,
            "execution/2026-q4/sales.yml",
            (root / "execution/2026-q4/sales.yml").read_text(encoding="utf-8") + kpi,
        )
    edit(new, "execution/2026-q4/sales.yml", "target: 30", "target: 35\n    current: 26")
    edit(
        new,
        "execution/2026-q4/sales.yml",
        "{date: 2026-11-01, value: 25}\n",
        "{date: 2026-11-01, value: 25}\n      - {date: 2026-11-15, value: 28}\n"
        "  - {id: reply-hours, title: Hours to reply, owner: ben, target: 2, direction: down}\n",
    )
    assert diff(old, new) == [
        execution(f"{SALES} KPI `win-rate` target 30 → 35"),
        execution(f"{SALES} KPI `win-rate` current none → 26", check_in=True),
        execution(f"{SALES} KPI `win-rate` check-in added 2026-11-15: 28", check_in=True),
        execution(f"{SALES} KPI `reply-hours` added — Hours to reply"),
    ]


def test_whole_execution_files_added_and_removed(old: Path, new: Path) -> None:
    write(
        new,
        "execution/2026-q3/sales.yml",
        """team: sales
period: 2026-q3
objectives:
  - id: first-leads
    title: First leads
    key_results:
      - {id: calls, title: Calls made, owner: ana, baseline: 0, target: 100}
      - {id: lists, title: Lists bought, owner: ana, baseline: 0, target: 2}
  - id: tools
    title: Tools in place
    key_results:
      - {id: crm, title: Contacts in the address book, owner: ben, baseline: 0, target: 500}
rocks:
  - {id: price-sheet, title: Price sheet, owner: ana, due: 2026-08-01}
kpis:
  - {id: calls-week, title: Calls a week, owner: ana, target: 25}
""",
    )
    (new / "execution/2026-q4/leadership.yml").unlink()
    assert diff(old, new) == [
        execution("Team `sales`, 2026-q3: plan added (2 objectives, 3 key results, 1 rock, 1 KPI)"),
        execution(f"{LEAD} plan removed"),
    ]


# --- a new plan, ordering, classification --------------------------------------------------------


def test_a_created_plan_is_a_diff_from_nothing(new: Path) -> None:
    assert diff_plans(None, load(new)) == [
        strategy("Strategy: owner none → ceo"),
        Change("strategy", "Strategy: reviewed none → 2026-06-01", check_in=True),
        strategy("Strategy: purpose changed"),
        strategy("Strategy: added to where_to_play: `manitoba-makers` — Manitoba manufacturers with 20 to 200 staff"),
        strategy("Strategy: added to how_to_win: `same-day-quotes` — Quotes within one hour, not one week"),
        strategy(
            "Strategy: added to not_doing: `no-consumer` — Consumer parcels "
            "(why: Margins are thin and it distracts the sales team.)"
        ),
        execution("Company: name none → 'Example Co'"),
        execution("Company: year `2026` added"),
        execution("People: `ceo` added — Cora Eng"),
        execution("People: `ana` added — Ana Silva"),
        execution("People: `ben` added — Ben Okafor"),
        execution("Teams: `leadership` added — Leadership"),
        execution("Teams: `sales` added — Sales"),
        execution(f"{LEAD} plan added (1 objective, 2 key results, 1 rock)"),
        execution(f"{SALES} plan added (1 objective, 2 key results, 0 rocks)"),
    ]


def test_order_is_fixed_and_independent_of_file_order(old: Path, new: Path) -> None:
    edit(new, "execution/2026-q4/sales.yml", "target: 40", "target: 45")
    edit(new, "execution/2026-q4/leadership.yml", "target: 8", "target: 9")
    edit(new, "teams.yml", "name: Sales", "name: Sales team")
    edit(new, "people.yml", "name: Ben Okafor", "name: Ben O.")
    edit(new, "company.yml", "name: Example Co", "name: Example Inc")
    edit(new, "strategy.yml", "owner: ceo", "owner: ana")
    expected = [
        strategy("Strategy: owner ceo → ana"),
        execution("Company: name 'Example Co' → 'Example Inc'"),
        execution("People: `ben` name 'Ben Okafor' → 'Ben O.'"),
        execution("Teams: `sales` name 'Sales' → 'Sales team'"),
        execution(f"{LEAD} key result `new-logos` target 8 → 9"),
        execution(f"{SALES} key result `meetings` target 40 → 45"),
    ]
    before, after = load(old), load(new)
    assert diff_plans(before, after) == expected
    assert diff_plans(before, after) == diff_plans(before, after)
    shuffled = after.model_copy(update={"execution": after.execution[::-1]})
    assert diff_plans(before.model_copy(update={"execution": before.execution[::-1]}), shuffled) == expected
    assert classify(expected) == "both"


def test_classify_the_layers(old: Path, new: Path) -> None:
    edit(new, "strategy.yml", "reviewed: 2026-06-01", "reviewed: 2026-12-01")
    assert classify(diff(old, new)) == "reaffirmed"  # the owner kept the direction
    edit(new, "company.yml", "end: 2026-09-30", "end: 2026-09-29")
    changes = diff(old, new)
    assert changes == [
        Change("strategy", "Strategy: reviewed 2026-06-01 → 2026-12-01", check_in=True),
        execution("Company, 2026: quarter `2026-q3` end 2026-09-30 → 2026-09-29"),
    ]
    assert classify(changes) == "execution"
    edit(new, "strategy.yml", "shipping on time.", "shipping on time, every time.")
    assert classify(diff(old, new)) == "both"
    assert classify(diff(new, new)) == "none"


def test_order_of_ids_and_check_ins_is_not_a_change(old: Path, new: Path) -> None:
    edit(old, "teams.yml", "lead: ceo", "lead: ceo\n    members: [ana, ben]")
    edit(new, "teams.yml", "lead: ceo", "lead: ceo\n    members: [ben, ana, ben]")
    for root, supports in ((old, "[grow-makers, same-day-quotes]"), (new, "[same-day-quotes, grow-makers]")):
        edit(root, "execution/2026-q4/leadership.yml", "supports: [grow-makers]", f"supports: {supports}")
    assert diff(old, new) == []


NOT_IN_THE_CHANGE_LOG = {model.Band, model.Settings}
"""`northstar.yml` (lint thresholds, rule severities, score bands) tunes the checks and the pages; it
is not part of the plan, and the change log does not word its edits."""


def test_every_field_of_every_model_says_how_the_change_log_shows_it() -> None:
    """A field added to a model without a `Diff` would change without a word in the change log."""
    models = [
        m for m in vars(model).values() if isinstance(m, type) and issubclass(m, model.Model) and m is not model.Model
    ]
    assert len(models) > 20
    unsaid = [
        f"{m.__name__}.{name}"
        for m in models
        if m not in NOT_IN_THE_CHANGE_LOG
        for name, info in m.model_fields.items()
        if sum(isinstance(x, model.Diff) for x in info.metadata) != 1
    ]
    assert unsaid == []


def test_a_field_s_diff_decides_its_words(tmp_path: Path) -> None:
    """The wording comes from the model: a key result's `current` is a progress update, its target a change."""
    old = load_plan(CASES / "_base").plan
    info = model.KeyResult.model_fields
    assert next(x for x in info["current"].metadata if isinstance(x, model.Diff)).check_in
    assert not next(x for x in info["target"].metadata if isinstance(x, model.Diff)).check_in
    root = tmp_path / "plan"
    shutil.copytree(CASES / "_base", root)
    sales = root / "execution" / "2026-q4" / "sales.yml"
    sales.write_text(
        sales.read_text(encoding="utf-8").replace("current: 6", "current: 7").replace("target: 15", "target: 16"),
        encoding="utf-8",
    )
    changes = diff_plans(old, load_plan(root).plan)
    assert [(c.text, c.check_in) for c in changes] == [
        ("Team `sales`, 2026-q4: key result `proposals` target 15 → 16", False),
        ("Team `sales`, 2026-q4: key result `proposals` current 6 → 7", True),
    ]
