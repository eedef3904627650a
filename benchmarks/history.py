"""Change-log cost against raw git over the same history, measured side by side in one run.

Generates a repository whose plan (the example plan) has N commits of realistic edits -- check-ins,
target changes, a strategy edit now and then, file renames -- deterministic from a seed, through
one `git fast-import` stream. Then measures, as the median of several repetitions:

- raw git: `git log --raw` over the history plus `git cat-file --batch` of every blob it names
  (the floor: reading the same data without understanding it);
- northstar cold: the whole change log (read, parse every revision, semantic diff);
- northstar warm: a rebuild with HEAD unchanged (what `mkdocs serve` pays on a docs edit);
- northstar +1 commit: a rebuild after one new commit (extended incrementally).

Usage: python benchmarks/history.py [--commits 2000] [--repeat 3] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from mkdocs_northstar.history.gitlog import log_args, parse_log, read_blobs  # noqa: E402
from mkdocs_northstar.history.timeline import History, update  # noqa: E402


def _files(plan: Path) -> dict[str, str]:
    return {p.relative_to(plan).as_posix(): p.read_text(encoding="utf-8") for p in sorted(plan.rglob("*.yml"))}


def _edit(files: dict[str, str], rng: random.Random, day: int) -> str:
    """Change one file the way people do; returns the commit message."""
    execution = sorted(k for k in files if k.startswith("execution/2026-q4/"))
    roll = rng.random()
    if roll < 0.03:
        text = files["strategy.yml"]
        files["strategy.yml"] = re.sub(r"reviewed: \S+", f"reviewed: 2026-{1 + day % 12:02d}-{1 + day % 28:02d}", text)
        return "Strategy review"
    if roll < 0.05:
        old = rng.choice(execution)
        new = old.removesuffix(".yml") + f"-r{day}.yml"
        files[new] = files.pop(old)
        return f"Rename {old}"
    name = rng.choice(execution)
    text = files[name]
    targets = list(re.finditer(r"target: (\d+)", text))
    if roll < 0.25 and targets:
        m = rng.choice(targets)
        files[name] = text[: m.start(1)] + str(int(m.group(1)) + 1) + text[m.end(1) :]
        return f"Raise a target in {name}"
    values = list(re.finditer(r"value: (\d+(?:\.\d+)?)", text))
    if values:
        m = rng.choice(values)
        files[name] = text[: m.start(1)] + f"{float(m.group(1)) + 1:g}" + text[m.end(1) :]
    return f"Check-in in {name}"


def make_history(repo: Path, commits: int, seed: int) -> None:
    """A repository with the example plan under plan/ and `commits` commits, via one fast-import."""
    rng = random.Random(seed)
    files = _files(ROOT / "plan")
    stream: list[bytes] = []
    previous: set[str] = set()
    for n in range(commits):
        message = "Create the plan" if n == 0 else _edit(files, rng, n)
        stamp = 1_767_225_600 + n * 3_600  # from 2026-01-01, one commit an hour
        data = message.encode()
        stream.append(b"commit refs/heads/main\n")
        stream.append(f"committer Bench <bench@example.com> {stamp} +0000\n".encode())
        stream.append(f"data {len(data)}\n".encode() + data + b"\n")
        for gone in previous - set(files):
            stream.append(f"D plan/{gone}\n".encode())
        for name, text in files.items():
            body = text.encode()
            stream.append(f"M 100644 inline plan/{name}\ndata {len(body)}\n".encode() + body + b"\n")
        previous = set(files)
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=b"".join(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=repo, check=True)


def raw_git(plan: Path) -> None:
    """The floor: the same git log and the same blob reads, without understanding them."""
    out = subprocess.run(["git", *log_args()], cwd=plan, capture_output=True, text=True, check=True).stdout
    read_blobs(plan, {c.blob for _, changes in parse_log(out) for c in changes if c.blob})


def median_time(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        start = time.perf_counter()
        make_history(repo, args.commits, args.seed)
        print(f"generated {args.commits} commits in {time.perf_counter() - start:.1f} s")
        plan = repo / "plan"
        floor = median_time(lambda: raw_git(plan), args.repeat)
        cold = median_time(lambda: update(plan), args.repeat)
        history = update(plan)
        if not isinstance(history, History):
            print(f"no history: {history.reason}", file=sys.stderr)
            return 1
        warm = median_time(lambda: update(plan, history), args.repeat)

        def one_more() -> object:
            subprocess.run(
                ["git", "commit", "-q", "--allow-empty", "-m", "noop"],
                cwd=repo,
                check=True,
                env={
                    "GIT_AUTHOR_NAME": "B",
                    "GIT_AUTHOR_EMAIL": "b@e",
                    "GIT_COMMITTER_NAME": "B",
                    "GIT_COMMITTER_EMAIL": "b@e",
                    "PATH": "/usr/bin:/bin",
                },
            )
            begin = time.perf_counter()
            update(plan, history)
            return time.perf_counter() - begin

        incremental = statistics.median(float(one_more()) for _ in range(args.repeat))  # type: ignore[arg-type]
        revisions = len(history.revisions)
    rows = [
        ("raw git log --raw + cat-file --batch", floor, 1.0),
        ("northstar change log, cold", cold, cold / floor),
        ("northstar, warm (HEAD unchanged)", warm, warm / floor),
        ("northstar, +1 commit (incremental)", incremental, incremental / floor),
    ]
    print(f"{revisions} revisions of the plan, median of {args.repeat}")
    print(f"{'measure':40} {'seconds':>9} {'x raw git':>10}")
    for name, seconds, ratio in rows:
        print(f"{name:40} {seconds:9.3f} {ratio:10.2f}")
    print(f"warm / cold: {warm / cold:.1%}; +1 commit / cold: {incremental / cold:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
