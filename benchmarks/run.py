"""Northstar against MkDocs' own floor, side by side in one run, at plan sizes S, M, L and X.

For each size, `generate.py` (X: `shaped.py`, a plan shaped unlike the others) makes a plan with
a git history, and a project that builds it with the plugin; the floor is the very same pages,
written out by `northstar render --nav`, built by plain MkDocs with the same theme and
navigation. Each figure is the median of --repeat runs; the two builds take turns.

1. build: CPU time of `mkdocs build` with Northstar vs the floor's (target at M, L and X: <= 1.15x);
2. fixed cost: this repository's example site, cloned with its history, with the plugin and
   without it (its plan pages rendered beforehand): the CPU time between them (target <= 0.15 s);
3. plugin: load + validate + generate pages in-process, without the history, and the exponent of
   its growth with the number of key results (target: <= 1, linear or better);
4. history: the change log vs raw `git log --raw` + `git cat-file --batch` over the same commits
   (target <= 2.0x), read as a build reads it, after loading the working tree (whose parses it
   reuses) but with no earlier history; vs one `git show` per commit (target: >= 10x faster);
   warm (HEAD unchanged, a serve rebuild) vs cold (target <= 5%); and, to show what parsing every
   blob whole would cost, libyaml composing them (no values, no checks);
5. serve: at M, from saving one team file to reload-ready under a real `mkdocs serve`, vs the
   floor's serve after the same edit of the rendered page (target <= 1.15x), over --rebuilds
   edits, and each server's memory after the last (target <= 1.3x);
6. memory: peak RSS of each build vs the floor's (target <= 1.3x), of its largest process.

Builds also report their CPU time (children included): what a busy CI runner pays, where wall
time is what a user waits.

Usage: python benchmarks/run.py [--sizes S,M,L,X] [--repeat 5] [--rebuilds 20] [--write benchmarks/results.md]
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "plugins"))

import generate  # noqa: E402
import shaped  # noqa: E402
import yaml  # noqa: E402
from mkdocs_northstar.build import Builder, Settings  # noqa: E402
from mkdocs_northstar.git import run_git  # noqa: E402
from mkdocs_northstar.history.gitlog import log_args, parse_log, read_blobs  # noqa: E402
from mkdocs_northstar.history.timeline import History, update  # noqa: E402
from mkdocs_northstar.load.plan import FileCache, load_plan  # noqa: E402
from mkdocs_northstar.pages import PAGES  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CI": "1"}
CONFIG = "site_name: Bench\ntheme:\n  name: material\nplugins:\n  - search\n"
TARGETS = {
    "build": 1.15,
    "fixed": 0.15,
    "exponent": 1.0,
    "history": 2.0,
    "per_commit": 10.0,
    "warm": 0.05,
    "serve": 1.15,
    "memory": 1.3,
}


@dataclass
class Result:
    size: str
    key_results: int = 0
    pages: int = 0
    build: float = 0.0
    floor: float = 0.0
    plugin: float = 0.0
    git: float = 0.0
    compose: float = 0.0
    """libyaml composing every blob of the history, nothing else: what any reader of the YAML pays."""
    cold: float = 0.0
    warm: float = 0.0
    rss: int = 0
    floor_rss: int = 0
    cpu: float = 0.0
    """CPU seconds of the build, its children included (git)."""
    floor_cpu: float = 0.0
    fixed: float = 0.0
    """The example only: the plugin's CPU time over the floor's, the median of the paired differences."""
    fixed_wall: float = 0.0
    per_commit: float = 0.0
    """One git call per commit (`git show --raw`), the naive way to read a history."""
    serve: float = 0.0
    serve_floor: float = 0.0
    serve_rss: int = 0
    """The serve's resident memory after its last rebuild."""
    serve_floor_rss: int = 0
    notes: list[str] = field(default_factory=list)
    spread: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Figure -> (min, max) over its runs, beside the median the tables show."""

    def keep(self, name: str, values: list[float]) -> float:
        """The median of `values`, remembering their min and max under `name`."""
        self.spread[name] = (min(values), max(values))
        return statistics.median(values)


def runs(action: Callable[[], float], repeat: int) -> list[float]:
    return [action() for _ in range(repeat)]


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def run_measured(args: list[str], cwd: Path) -> tuple[float, int, float]:
    """Wall time, peak RSS (bytes, of its largest process) and CPU time (its own and its children's)
    of one child process; fails loudly if it fails."""
    start = time.perf_counter()
    child = subprocess.Popen(args, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    errors = child.stderr.read() if child.stderr is not None else b""
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed in {cwd}:\n{errors.decode(errors='replace')}")
    return elapsed, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


def make_projects(base: Path, size: str, commits: int, seed: int) -> tuple[Path, Path, int]:
    """(project with the plugin, floor project, key results) for one size."""
    project, floor = base / size / "project", base / size / "floor"
    files = shaped.plan_files(seed) if size == "X" else generate.plan_files(size, seed)
    generate.commit_history(project, files, commits, seed)
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Bench\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(CONFIG + "  - northstar\n", encoding="utf-8")
    rendered = subprocess.run(
        [str(BIN / "northstar"), "render", "plan", "--out", str(floor / "docs"), "--nav", str(floor / "nav.yml")],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    if rendered.returncode != 0:
        raise SystemExit(f"northstar render failed:\n{rendered.stderr}")
    (floor / "docs" / "index.md").write_text("# Bench\n", encoding="utf-8")
    nav = yaml.safe_load((floor / "nav.yml").read_text(encoding="utf-8"))
    extra = {"extra_css": ["assets/northstar/northstar.css"], "nav": ["index.md", *nav]}
    (floor / "mkdocs.yml").write_text(CONFIG + yaml.safe_dump(extra, sort_keys=False), encoding="utf-8")
    key_results = files_key_results(files)
    return project, floor, key_results


def make_example(base: Path) -> tuple[Path, Path]:
    """(this repository's example site, as committed, with its history; the same site without the
    plugin, its plan pages rendered beforehand): the fixed cost of the plugin on a small plan."""
    project, floor = base / "example" / "project", base / "example" / "floor"
    subprocess.run(["git", "clone", "-q", str(HERE.parent), str(project)], check=True, env=ENV)
    shutil.copytree(project / "docs", floor / "docs")
    rendered = subprocess.run(
        [str(BIN / "northstar"), "render", "plan", "--out", str(floor / "docs"), "--nav", str(floor / "nav.yml")],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    if rendered.returncode != 0:
        raise SystemExit(f"northstar render failed on the example:\n{rendered.stderr}")
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [p for p in config["plugins"] if p != "northstar"]
    config["nav"] = [*config["nav"], *yaml.safe_load((floor / "nav.yml").read_text(encoding="utf-8"))]
    config["extra_css"] = [*config.get("extra_css", []), "assets/northstar/northstar.css"]
    (floor / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return project, floor


def measure_example(result: Result, project: Path, floor: Path, repeat: int) -> None:
    """The example site with the plugin and without it, taking turns; the difference is the fixed cost."""
    build = [str(BIN / "mkdocs"), "build", "-q", "-d"]
    pairs = [
        (
            run_measured([*build, str(project.parent / "site")], project),
            run_measured([*build, str(floor.parent / "floor-site")], floor),
        )
        for _ in range(repeat)
    ]
    result.build = result.keep("build s", [a[0] for a, _ in pairs])
    result.floor = result.keep("floor s", [b[0] for _, b in pairs])
    result.cpu = result.keep("cpu s", [a[2] for a, _ in pairs])
    result.floor_cpu = result.keep("floor cpu s", [b[2] for _, b in pairs])
    result.fixed = result.keep("cpu - floor cpu", [a[2] - b[2] for a, b in pairs])
    result.fixed_wall = result.keep("wall - floor wall", [a[0] - b[0] for a, b in pairs])
    result.rss = max(a[1] for a, _ in pairs)
    result.floor_rss = max(b[1] for _, b in pairs)
    result.pages = sum(1 for _ in (project.parent / "site").rglob("*.html"))


def files_key_results(files: dict[str, str]) -> int:
    return sum(
        len(objective.get("key_results", []))
        for rel, text in files.items()
        if rel.startswith("execution/")
        for objective in yaml.load(text, Loader=yaml.CSafeLoader).get("objectives", [])
    )


def measure_build(result: Result, project: Path, floor: Path, repeat: int) -> None:
    """The two builds take turns, so that a machine that slows down or speeds up during the run
    (other work, its clock) weighs on both alike, not on whichever happened to run then."""
    build = [str(BIN / "mkdocs"), "build", "-q", "-d"]
    runs: list[tuple[float, int, float]] = []
    floors: list[tuple[float, int, float]] = []
    for _ in range(repeat):
        runs.append(run_measured([*build, str(project.parent / "site")], project))
        floors.append(run_measured([*build, str(floor.parent / "floor-site")], floor))
    result.build = result.keep("build s", [t for t, _, _ in runs])
    result.floor = result.keep("floor s", [t for t, _, _ in floors])
    result.keep("build / floor", [a[0] / b[0] for a, b in zip(runs, floors, strict=True)])
    result.keep("peak MB", [m / 2**20 for _, m, _ in runs])
    result.keep("floor MB", [m / 2**20 for _, m, _ in floors])
    result.rss = max(m for _, m, _ in runs)
    result.floor_rss = max(m for _, m, _ in floors)
    result.cpu = result.keep("cpu s", [c for _, _, c in runs])
    result.floor_cpu = result.keep("floor cpu s", [c for _, _, c in floors])
    result.keep("cpu / floor cpu", [a[2] / b[2] for a, b in zip(runs, floors, strict=True)])
    result.pages = sum(1 for _ in (project.parent / "site").rglob("*.html"))


def measure_plugin(result: Result, project: Path, repeat: int) -> None:
    """The plugin's whole cost on one core: every page and the export rendered in this process."""
    settings = Settings(pages=tuple(p for p in PAGES if p not in ("changes", "archive")))

    def build() -> None:
        built = Builder(project / "plan").build(settings)
        if built.site is None or built.export is None:
            raise SystemExit(f"the generated plan has errors: {built.report.errors[:3]}")
        if not all(page.content for page in [*built.site.pages, built.export]):
            raise SystemExit("a generated page is empty")

    result.plugin = result.keep("plugin s", runs(lambda: timed(build), repeat))


def raw_git(plan: Path) -> dict[str, bytes]:
    entries = parse_log(run_git(*log_args(), cwd=plan))
    return read_blobs(plan, {c.blob for _, changes in entries for c in changes if c.blob})


def per_commit_git(plan: Path) -> None:
    """The naive reader: one `git show` per commit for what it changed (not even the contents)."""
    for commit in run_git("log", "--format=%H", "--", ".", cwd=plan).split():
        run_git("show", "--format=", "--raw", "--no-abbrev", commit, "--", ".", cwd=plan)


def compose_all(blobs: dict[str, bytes]) -> None:
    for content in blobs.values():
        yaml.compose(content, Loader=yaml.CSafeLoader)


def measure_history(result: Result, project: Path, repeat: int) -> None:
    plan = project / "plan"
    result.git = result.keep("raw git s", runs(lambda: timed(lambda: raw_git(plan)), repeat))
    result.per_commit = result.keep("git per commit s", runs(lambda: timed(lambda: per_commit_git(plan)), repeat))
    blobs = raw_git(plan)
    result.compose = result.keep("compose s", runs(lambda: timed(lambda: compose_all(blobs)), repeat))
    # As in a build: the working tree is loaded first (the plugin's time), and the history reuses
    # its parses; the history itself starts from nothing.
    cache = FileCache()
    load_plan(plan, cache)
    cold = runs(lambda: timed(lambda: update(plan, known=cache.parsed_blob, parts=cache.parts)), repeat)
    result.cold = result.keep("history s", cold)
    history = update(plan, known=cache.parsed_blob, parts=cache.parts)
    if not isinstance(history, History):
        raise SystemExit(f"no history: {history.reason}")
    result.warm = result.keep("warm history s", runs(lambda: timed(lambda: update(plan, history)), repeat))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _epoch(base: str, known: int, timeout: float) -> int:
    """The served build's epoch: at once when it is newer than `known`, else when a rebuild finishes,
    or `known` again when MkDocs ends its long poll (after 60 s) before that."""
    with urllib.request.urlopen(f"{base}livereload/{known}/0", timeout=timeout) as response:  # noqa: S310
        return int(response.read())


def _newer_epoch(base: str, known: int, timeout: float) -> int:
    """The epoch of the next finished build: polls again while MkDocs' long poll ends without one,
    so a rebuild longer than a minute is waited for rather than queued behind the next edit."""
    deadline = time.monotonic() + timeout
    while (epoch := _epoch(base, known, timeout)) <= known:
        if time.monotonic() > deadline:
            raise SystemExit(f"mkdocs serve did not rebuild within {timeout:.0f} s")
    return epoch


def _rss(pid: int) -> int:
    """A live process's resident memory, in bytes (0 where /proc does not say)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return 0
    line = next((x for x in status.splitlines() if x.startswith("VmRSS:")), "VmRSS: 0 kB")
    return int(line.split()[1]) * 1024


def serve_rebuilds(project: Path, edit: Path, old: str, repeat: int) -> tuple[list[float], int]:
    """Seconds from saving `edit` (replacing `old`) to `mkdocs serve` being ready to reload, per
    edit; and the server's resident memory after the last rebuild."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 600
        epoch = 0
        while not epoch:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"mkdocs serve did not start in {project}")
            try:
                epoch = _epoch(base, 0, 5)
            except OSError:
                time.sleep(0.2)
        text = edit.read_text(encoding="utf-8")
        times = []
        for n in range(repeat + 1):  # the first edit warms the caches up; it is not counted
            time.sleep(1.0)  # let the watcher settle, so each save is one change
            start = time.perf_counter()
            edit.write_text(text.replace(old, f"{old} (edit {n})", 1), encoding="utf-8")
            epoch = _newer_epoch(base, epoch, 600)
            if n:
                times.append(time.perf_counter() - start)
        return times, _rss(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=60)


def measure_serve(result: Result, project: Path, floor: Path, rebuilds: int) -> None:
    """Both serves take the same `rebuilds` edits; the median rebuild, and the memory after the last."""
    team = "team-0005"
    old = "Objective 1 of team 5"
    edited = project / "plan" / "execution" / "2026-q4" / f"{team}.yml"
    times, result.serve_rss = serve_rebuilds(project, edited, old, rebuilds)
    result.serve = result.keep("serve rebuild s", times)
    floor_page = floor / "docs" / "teams" / f"{team}.md"
    floor_times, result.serve_floor_rss = serve_rebuilds(floor, floor_page, old, rebuilds)
    result.serve_floor = result.keep("floor serve rebuild s", floor_times)


def exponent(results: list[Result]) -> float | None:
    """The slope of log(plugin time) against log(key results): 1 is linear."""
    points = [(math.log(r.key_results), math.log(r.plugin)) for r in results if r.plugin > 0]
    if len(points) < 2:
        return None
    mx = statistics.fmean(x for x, _ in points)
    my = statistics.fmean(y for _, y in points)
    return sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text(encoding="utf-8").split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    git = subprocess.run(["git", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores{memory}; "
        f"Python {platform.python_version()}, MkDocs {version('mkdocs')}, Material {version('mkdocs-material')}, "
        f"{git}"
    )


def verdict(value: float | None, target: float, *, at_least: bool = False) -> str:
    if value is None:
        return "-"
    return "met" if (value >= target if at_least else value <= target) else "MISSED"


def _span(r: Result, name: str, fmt: str = ".2f") -> str:
    low, high = r.spread.get(name, (math.nan, math.nan))
    return f"{low:{fmt}} to {high:{fmt}}"


def table(results: list[Result], example: Result | None, commits: int, repeat: int) -> str:
    rows = [
        f"Median of {repeat} (builds of a size and its floor take turns); every generated plan has a "
        f"history of {commits} commits. X is `shaped.py`'s plan, shaped unlike the others.",
        "",
        "| size | key results | pages | build s | floor s | cpu s | floor cpu s | cpu / floor | plugin s "
        "| history s | raw git s | history / git | git per commit s | warm / cold | peak MB | floor MB "
        "| peak / floor |",
        "| --- |" + " ---: |" * 16,
    ]
    for r in results:
        rows.append(
            f"| {r.size} | {r.key_results:,} | {r.pages:,} | {r.build:.2f} | {r.floor:.2f} | {r.cpu:.2f} "
            f"| {r.floor_cpu:.2f} | {r.cpu / r.floor_cpu:.2f}x | {r.plugin:.2f} | {r.cold:.2f} | {r.git:.3f} "
            f"| {r.cold / r.git:.1f}x | {r.per_commit:.2f} | {r.warm / r.cold:.2%} | {r.rss / 2**20:.0f} "
            f"| {r.floor_rss / 2**20:.0f} | {r.rss / r.floor_rss:.2f}x |"
        )
    rows += ["", "| target | measured: median (min to max) | verdict |", "| --- | --- | --- |"]
    for r in results:
        if r.size in ("M", "L", "X"):
            ratio = r.cpu / r.floor_cpu
            rows.append(
                f"| build CPU time / floor's at {r.size} <= {TARGETS['build']}x | {ratio:.2f}x "
                f"({_span(r, 'cpu / floor cpu')}; wall {r.build / r.floor:.2f}x) | {verdict(ratio, TARGETS['build'])} |"
            )
    if example is not None:
        rows.append(
            f"| fixed cost on the example site (CPU time, plugin minus floor) <= {TARGETS['fixed']} s "
            f"| {example.fixed:.2f} s ({_span(example, 'cpu - floor cpu')}; wall {example.fixed_wall:.2f} s, "
            f"{_span(example, 'wall - floor wall')}) | {verdict(example.fixed, TARGETS['fixed'])} |"
        )
    for r in results:
        ratio = r.cold / r.git
        rows.append(
            f"| change log / raw git at {r.size} <= {TARGETS['history']}x | {ratio:.1f}x (history "
            f"{_span(r, 'history s')} s, git {_span(r, 'raw git s', '.3f')} s) | {verdict(ratio, TARGETS['history'])} |"
        )
    for r in results:
        ratio = r.per_commit / r.cold
        rows.append(
            f"| change log >= {TARGETS['per_commit']:.0f}x faster than one git call per commit, at {r.size} "
            f"| {ratio:.1f}x ({_span(r, 'git per commit s')} s) "
            f"| {verdict(ratio, TARGETS['per_commit'], at_least=True)} |"
        )
    for r in results:
        ratio = r.rss / r.floor_rss
        rows.append(
            f"| peak memory / floor's at {r.size} <= {TARGETS['memory']}x | {ratio:.2f}x "
            f"({_span(r, 'peak MB', '.0f')} MB against {_span(r, 'floor MB', '.0f')}) "
            f"| {verdict(ratio, TARGETS['memory'])} |"
        )
    for r in (r for r in results if r.serve):
        ratio = r.serve / r.serve_floor
        rows.append(
            f"| serve rebuild after a team-file edit / floor's after a page edit, at {r.size} <= {TARGETS['serve']}x "
            f"| {r.serve:.2f} s / {r.serve_floor:.2f} s = {ratio:.2f}x ({_span(r, 'serve rebuild s')} against "
            f"{_span(r, 'floor serve rebuild s')}) | {verdict(ratio, TARGETS['serve'])} |"
        )
        memory = r.serve_rss / r.serve_floor_rss if r.serve_floor_rss else None
        rows.append(
            f"| serve memory after its last rebuild / floor serve's, at {r.size} <= {TARGETS['memory']}x "
            f"| {r.serve_rss / 2**20:.0f} MB / {r.serve_floor_rss / 2**20:.0f} MB = "
            f"{'-' if memory is None else f'{memory:.2f}x'} | {verdict(memory, TARGETS['memory'])} |"
        )
    slope = exponent([r for r in results if r.size in generate.SIZES])
    rows.append(
        f"| plugin cost grows linearly or better (exponent <= {TARGETS['exponent']}) "
        f"| {'-' if slope is None else f'{slope:.2f}'} | {verdict(slope, TARGETS['exponent'])} |"
    )
    for r in results:
        rows.append(
            f"| warm change log <= {TARGETS['warm']:.0%} of cold, at {r.size} | {r.warm / r.cold:.2%} "
            f"| {verdict(r.warm / r.cold, TARGETS['warm'])} |"
        )
    rows += ["", "Spread over the runs of each figure, min to max:", ""]
    every = [*results, *([example] if example is not None else [])]
    names = list(dict.fromkeys(name for r in every for name in r.spread))
    rows += ["| size | " + " | ".join(names) + " |", "| --- |" + " ---: |" * len(names)]
    for r in every:
        cells = [f"{r.spread[n][0]:.3g} to {r.spread[n][1]:.3g}" if n in r.spread else "-" for n in names]
        rows.append(f"| {r.size} | " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="S,M,L,X", help="comma-separated, from S, M, L and X (shaped.py)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--serve", default="M", help="the size whose serve rebuild is measured ('' for none)")
    parser.add_argument("--rebuilds", type=int, default=20, help="edits each serve takes (and memory is read after)")
    parser.add_argument("--no-example", action="store_true", help="skip the fixed cost on this repository's example")
    parser.add_argument("--write", type=Path, help="also write the results as Markdown to this file")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    if not sizes or any(s not in (*generate.SIZES, "X") for s in sizes):
        parser.error(f"--sizes takes S, M, L and X, got {args.sizes!r}")
    results = []
    example = None
    with tempfile.TemporaryDirectory(prefix="northstar-bench-") as tmp:
        if not args.no_example:
            started = time.perf_counter()
            example = Result("example")
            measure_example(example, *make_example(Path(tmp)), args.repeat)
            print(f"example: measured in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        for size in sizes:
            started = time.perf_counter()
            project, floor, key_results = make_projects(Path(tmp), size, args.commits, args.seed)
            result = Result(size, key_results)
            measure_build(result, project, floor, args.repeat)
            measure_plugin(result, project, args.repeat)
            measure_history(result, project, args.repeat)
            if size == args.serve:
                measure_serve(result, project, floor, args.rebuilds)
            results.append(result)
            print(f"{size}: measured in {time.perf_counter() - started:.0f} s", file=sys.stderr)
            if args.write:  # what is measured so far, should a later size fail
                args.write.write_text(table(results, example, args.commits, args.repeat), encoding="utf-8")
            shutil.rmtree(Path(tmp) / size)
    report = table(results, example, args.commits, args.repeat)
    print(report, end="")
    if args.write:
        args.write.write_text(
            "# Benchmark results\n\nWritten by `python benchmarks/run.py --write benchmarks/results.md`.\n\n"
            f"Machine: {machine()}.\n\n{report}",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
