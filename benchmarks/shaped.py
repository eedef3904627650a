"""A plan shaped unlike `generate.py`'s, deterministic from a seed: size X in `run.py`.

`generate.py` makes a tidy plan: ten teams under each, four objectives each, every key result
reported three times. Real plans are not like that, and a cost that hides in the tidy shape shows
here:

- five levels of teams with an uneven fan-out (1 to 6 under each), about 300 teams;
- 1 to 6 objectives a team, 1 to 5 key results an objective, of all three kinds (numbers, some
  going down; milestones; levels to hold), a third of them never reported, the rest with 0 to 12
  check-ins, some with notes;
- key results that support a parent team's key result (so progress rolls up), objectives that
  support an objective two levels up or an annual goal;
- long titles, titles in French, Japanese and Arabic, Markdown in descriptions;
- 0 to 4 rocks and 0 to 3 weekly KPIs a team, 700 people of whom many own nothing.

Usage: python benchmarks/shaped.py --out /tmp/plan-x [--seed 7] [--commits 2000] [--levels 5]
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import timedelta
from pathlib import Path

import generate

QUARTER = generate.QUARTER
LEVELS = 5
NOTE = "Blocked on the **carrier** contract; see the weekly notes."
TITLES = (
    "Réduire le délai de devis pour les expéditeurs du Manitoba à moins de quinze minutes",
    "出荷予約の自動化で倉庫の待ち時間を半分にする",
    "خفض زمن الاستجابة لطلبات الشحن في المستودعات الغربية",
    "Make every lane between Calgary, Regina and Winnipeg profitable before the winter peak, without "
    "adding a single truck to the fleet and while keeping on-time pickups above 97 percent",
    "Ship the **new** quote API to the first 20 shippers",
    "Cut claims",
)


def _dump(data: object) -> str:
    return generate._dump(data)  # the same YAML style; what differs is the plan's shape


def _teams(rng: random.Random, people: list[str], levels: int) -> list[dict[str, object]]:
    teams: list[dict[str, object]] = [{"id": "exec", "name": "Executive team", "lead": people[0]}]
    level = [teams[0]]
    for depth in range(1, levels):
        below = []
        for parent in level:
            for _ in range(rng.choice([2, 3, 4, 5, 6, 7] if depth < 4 else [1, 2, 3, 4, 5])):
                n = len(teams)
                team = {
                    "id": f"unit-{n:04d}",
                    "name": f"{rng.choice(['Ops', 'Sales', 'Platform', 'Équipe', '営業', 'Terminal'])} {n}",
                    "lead": people[n % len(people)],
                    "parent": parent["id"],
                    "members": [people[(n * 3 + m) % len(people)] for m in range(rng.randint(0, 4))],
                }
                teams.append(team)
                below.append(team)
        level = below
    return teams


def _key_result(rng: random.Random, ident: str, owner: str, parent_krs: list[str]) -> dict[str, object]:
    _, start, _ = QUARTER
    kind = rng.choice(["number", "number", "number", "milestone", "hold"])
    kr: dict[str, object] = {"id": ident, "title": rng.choice(TITLES), "owner": owner}
    reported = rng.random() > 0.33
    days = sorted(rng.sample(range(50), rng.randint(0, 12))) if reported else []
    if kind == "milestone":
        kr |= {"kind": "milestone", "due": start + timedelta(days=rng.randint(20, 85))}
        if reported and rng.random() < 0.4:
            kr["done"] = start + timedelta(days=rng.randint(10, 50))
    elif kind == "hold":
        target = rng.randint(90, 99)
        kr |= {"kind": "hold", "unit": "%", "target": target}
        kr["check_ins"] = [{"date": start + timedelta(days=d), "value": rng.randint(85, 100)} for d in days]
    else:
        baseline = rng.randint(200, 400)  # a quarter in three goes down: far enough that history's edits never meet
        target = baseline - rng.randint(60, 200) if rng.random() < 0.33 else baseline + rng.randint(10, 400)
        kr |= {"metric": "shipments", "baseline": baseline, "target": target}
        kr["check_ins"] = [
            {
                "date": start + timedelta(days=d),
                "value": baseline + (target - baseline) * rng.randint(0, 120) // 100,
                **(
                    {"note": "Blocked on the **carrier** contract; see the weekly notes."} if rng.random() < 0.2 else {}
                ),
            }
            for d in days
        ]
    if parent_krs and rng.random() < 0.3:
        kr["supports"] = [rng.choice(parent_krs)]
    return kr


def plan_files(seed: int, levels: int = LEVELS) -> dict[str, str]:
    """Plan-relative path -> YAML text, for a plan `levels` deep."""
    rng = random.Random(seed)
    files = generate.plan_files("S", seed)  # strategy, company, settings: the same direction
    people = [f"person-{i:04d}" for i in range(700)]
    files["people.yml"] = _dump({"people": [{"id": p, "name": f"Personne {i}"} for i, p in enumerate(people)]})
    teams = _teams(rng, people, levels)
    files["teams.yml"] = _dump({"teams": teams})
    files = {k: v for k, v in files.items() if not k.startswith("execution/")}
    period, start, _ = QUARTER
    krs_of: dict[str, list[str]] = {}
    objectives_of: dict[str, list[str]] = {}
    parent_of = {str(t["id"]): t.get("parent") for t in teams}
    for team in teams:
        tid, parent = str(team["id"]), parent_of[str(team["id"])]
        grand = parent_of.get(str(parent)) if parent else None
        objectives = []
        for o in range(rng.randint(1, 6)):
            oid = f"{tid}-o{o}"
            candidates = objectives_of.get(str(grand if grand and rng.random() < 0.2 else parent), [])
            supports = [rng.choice(candidates)] if candidates else [f"goal-{rng.choice(generate.CHOICES)}"]
            key_results = [
                _key_result(rng, f"{oid}-k{k}", people[rng.randrange(300)], krs_of.get(str(parent), []))
                for k in range(rng.randint(1, 5))
            ]
            objectives.append(
                {
                    "id": oid,
                    "title": rng.choice(TITLES),
                    "description": "Why: *customers* told us in the **Q3** survey.",
                    "type": rng.choice(["committed", "committed", "aspirational"]),
                    "supports": supports,
                    "key_results": key_results,
                }
            )
            krs_of.setdefault(tid, []).extend(str(kr["id"]) for kr in key_results)
            objectives_of.setdefault(tid, []).append(oid)
        rocks = [
            {
                "id": f"{tid}-r{r}",
                "title": rng.choice(TITLES),
                "owner": team["lead"],
                "due": start + timedelta(days=rng.randint(15, 91)),
                "status": rng.choice(["not-started", "on-track", "off-track", "done"]),
                "supports": [rng.choice(generate.CHOICES)],
            }
            for r in range(rng.randint(0, 4))
        ]
        kpis = [
            {
                "id": f"{tid}-kpi{k}",
                "title": "On-time pickups",
                "owner": team["lead"],
                "unit": "%",
                "target": 95,
                "check_ins": [{"date": start + timedelta(days=7 * w), "value": rng.randint(88, 100)} for w in range(7)],
            }
            for k in range(rng.randint(0, 3))
        ]
        work = {"team": tid, "period": period, "objectives": objectives, "rocks": rocks, "kpis": kpis}
        files[f"execution/{period}/{tid}.yml"] = _dump(work)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="a new folder; the plan goes in OUT/plan")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--commits", type=int, default=0, help="also make a git history of this many commits")
    parser.add_argument("--levels", type=int, default=LEVELS, help="how deep the tree of teams is")
    args = parser.parse_args(argv)
    files = plan_files(args.seed, args.levels)
    if args.commits:
        generate.commit_history(args.out, files, args.commits, args.seed)
    else:
        generate.write_plan(args.out / "plan", files)
    print(f"{sum(1 for k in files if k.startswith('execution/'))} teams in {args.out / 'plan'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
