"""Synthetic but valid plans at sizes S, M and L, deterministic from a seed.

| size | teams | objectives | key results | people |
| ---- | ----- | ---------- | ----------- | ------ |
| S    | 10    | ~40        | ~150        | 20     |
| M    | 100   | ~400       | ~1,500      | 100    |
| L    | 1,000 | ~4,000     | ~15,000     | 500    |

Teams form a tree ten wide under one leadership team; every objective supports its parent team's
objective (the root's support the annual goals), so the whole plan traces up to the strategy.
With --commits N the plan is committed as a git history of N commits (check-ins, target changes,
the odd strategy review) through one `git fast-import` stream.

Usage: python benchmarks/generate.py --size M --out /tmp/plan-m [--seed 7] [--commits 2000]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import yaml

SIZES = {"S": (10, 20), "M": (100, 100), "L": (1000, 500)}
"""size -> (teams, people)"""
QUARTER = ("2026-q4", date(2026, 10, 1), date(2026, 12, 31))
LAST_COMMIT = 1_795_176_000
"""2026-11-20 12:00 UTC: the history ends inside the generated quarter, so it is the current one."""
CHOICES = ["mid-market", "prairie-lanes", "fast-quotes", "next-day-pickup"]


def _dump(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def plan_files(size: str, seed: int) -> dict[str, str]:
    """Plan-relative path -> YAML text, for a plan of `size`."""
    rng = random.Random(seed)
    n_teams, n_people = SIZES[size]
    people = [f"person-{i:04d}" for i in range(n_people)]
    files = {
        "strategy.yml": _dump(
            {
                "owner": people[0],
                "reviewed": date(2026, 9, 15),
                "purpose": "Keep 2,000 mid-sized shippers in Western Canada moving on time.",
                "north_star": {
                    "statement": "By 2036, 1 in 4 mid-market shippers in Western Canada ships with us.",
                    "by": 2036,
                },
                "where_to_play": [
                    {"id": "mid-market", "title": "Shippers with 20 to 500 shipments a month"},
                    {"id": "prairie-lanes", "title": "Regular lanes across Alberta, Saskatchewan and Manitoba"},
                ],
                "how_to_win": [
                    {"id": "fast-quotes", "title": "A firm quote in 15 minutes, not 2 days"},
                    {"id": "next-day-pickup", "title": "Pickup the next business day at all 11 terminals"},
                ],
                "not_doing": [
                    {
                        "id": "no-enterprise",
                        "title": "Enterprise shippers above 500 shipments a month",
                        "why": "They need custom work that slows everyone else down.",
                    }
                ],
            }
        ),
        "company.yml": _dump(
            {
                "name": f"Synthetic {size}",
                "years": [
                    {
                        "id": "2026",
                        "start": date(2026, 1, 1),
                        "end": date(2026, 12, 31),
                        "goals": [
                            {
                                "id": f"goal-{c}",
                                "title": f"Move {c} forward by 20%",
                                "owner": people[0],
                                "supports": [c],
                            }
                            for c in CHOICES
                        ],
                        "quarters": [
                            {
                                "id": f"2026-q{q}",
                                "start": date(2026, 3 * q - 2, 1),
                                "end": date(2026, 3 * q, 31 if q in (1, 4) else 30),
                            }
                            for q in range(1, 5)
                        ],
                    }
                ],
            }
        ),
        "people.yml": _dump(
            {"people": [{"id": p, "name": f"Person {i}", "title": "Manager"} for i, p in enumerate(people)]}
        ),
        # synthetic people own far more key results than real ones would: not what is measured
        "northstar.yml": _dump({"max_owned_key_results": 1000}),
    }
    teams = []
    for i in range(n_teams):
        team = {"id": f"team-{i:04d}", "name": f"Team {i}", "lead": people[i % n_people]}
        if i:
            team["parent"] = f"team-{(i - 1) // 10:04d}"
        teams.append(team)
    files["teams.yml"] = _dump({"teams": teams})
    period, start, end = QUARTER
    for i, team in enumerate(teams):
        objectives = []
        for o in range(4):
            supports = [f"goal-{CHOICES[o]}"] if i == 0 else [f"t{(i - 1) // 10:04d}-o{o}"]
            key_results = []
            for k in range(rng.choice([3, 4, 4, 4])):
                baseline, target = rng.randint(0, 50), rng.randint(60, 200)
                days = [*sorted(rng.sample(range(35), 2)), rng.randint(36, 50)]  # the last within 3 weeks
                key_results.append(
                    {
                        "id": f"t{i:04d}-o{o}-k{k}",
                        "title": f"Key result {k} of objective {o} for team {i}",
                        "owner": people[(i * 7 + o * 3 + k) % n_people],
                        "unit": "count",
                        "baseline": baseline,
                        "target": target,
                        "check_ins": [
                            {"date": start + timedelta(days=d), "value": baseline + (target - baseline) * n // 4}
                            for n, d in enumerate(days, 1)
                        ],
                    }
                )
            objectives.append(
                {
                    "id": f"t{i:04d}-o{o}",
                    "title": f"Objective {o} of team {i}",
                    "supports": supports,
                    "key_results": key_results,
                }
            )
        rocks = [
            {
                "id": f"t{i:04d}-r0",
                "title": f"Rock of team {i}",
                "owner": team["lead"],
                "due": end,
                "supports": [CHOICES[2 + i % 2]],
            }
        ]
        files[f"execution/{period}/{team['id']}.yml"] = _dump(
            {"team": team["id"], "period": period, "objectives": objectives, "rocks": rocks}
        )
    return files


def write_plan(dest: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def commit_history(repo: Path, files: dict[str, str], commits: int, seed: int) -> None:
    """`commits` commits of plan/ edits (check-in values, targets, strategy reviews), one fast-import."""
    rng = random.Random(seed)
    execution = sorted(k for k in files if k.startswith("execution/") and "target: " in files[k])
    current = dict(files)
    stream: list[bytes] = []
    for n in range(commits):
        changed = list(current) if n == 0 else []
        if n:
            roll = rng.random()
            if roll < 0.02:  # a strategy review that rewords the purpose
                name = "strategy.yml"
                head, _, rest = current[name].partition("purpose: ")
                current[name] = head + f"purpose: Keep 2,000 mid-sized shippers moving on time (review {n})."
                current[name] += rest[rest.index("\n") :]
            else:
                name = rng.choice(execution)
                old = "target: "
                index = current[name].find(old, rng.randrange(max(1, len(current[name]) - 200)))
                if index < 0:
                    index = current[name].find(old)
                end = current[name].index("\n", index)
                value = int(current[name][index + len(old) : end]) + 1
                current[name] = current[name][:index] + f"{old}{value}" + current[name][end:]
            changed = [name]
        message = b"Create the plan" if n == 0 else f"Edit {changed[0]}".encode()
        stream.append(b"commit refs/heads/main\n")
        stamp = LAST_COMMIT - (commits - 1 - n) * 3_600  # one an hour, the last on 2026-11-20
        stream.append(f"committer Bench <bench@example.com> {stamp} +0000\n".encode())
        stream.append(f"data {len(message)}\n".encode() + message + b"\n")
        for name in changed:
            body = current[name].encode()
            stream.append(f"M 100644 inline plan/{name}\ndata {len(body)}\n".encode() + body + b"\n")
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=b"".join(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=repo, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--out", type=Path, required=True, help="a new folder; the plan goes in OUT/plan")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--commits", type=int, default=0, help="also make a git history of this many commits")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        print(f"generate: {args.out} is not empty", file=sys.stderr)
        return 1
    files = plan_files(args.size, args.seed)
    if args.commits:
        commit_history(args.out, files, args.commits, args.seed)
    else:
        write_plan(args.out / "plan", files)
    work = [yaml.safe_load(text) for rel, text in files.items() if rel.startswith("execution/")]
    objectives = sum(len(w["objectives"]) for w in work)
    key_results = sum(len(o["key_results"]) for w in work for o in w["objectives"])
    print(
        f"{(args.out / 'plan').as_posix()}: {len(files)} files, {SIZES[args.size][0]} teams, "
        f"{objectives} objectives, {key_results} key results, {SIZES[args.size][1]} people"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
