"""The `northstar` command line: one plain function per subcommand, each returning an exit code."""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import sys
import textwrap
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml

from mkdocs_northstar import rendered
from mkdocs_northstar.build import Builder, terminal_progress
from mkdocs_northstar.check import Report, UsageError, check_plan, judged_as_of, plan_version
from mkdocs_northstar.checkin import CheckInError, Reported, Update, check_in
from mkdocs_northstar.dates import parse_day, parse_month, parse_week, pinned_day, today, week_of
from mkdocs_northstar.decide import DecideError, draft_decision
from mkdocs_northstar.export import export_checkins, export_csv, export_json
from mkdocs_northstar.git import GitError, changed_files
from mkdocs_northstar.history.changes import Change, changes_direction, classify
from mkdocs_northstar.history.decided import decided
from mkdocs_northstar.history.diff import diff_plans
from mkdocs_northstar.history.revisions import default_base, plan_at
from mkdocs_northstar.history.timeline import History, update
from mkdocs_northstar.load import load_plan
from mkdocs_northstar.model import ROCK_STATUSES
from mkdocs_northstar.new_quarter import NewQuarterError, new_quarter
from mkdocs_northstar.pages.labels import LABELS
from mkdocs_northstar.pages.render import Renderer
from mkdocs_northstar.pages.review_pages import review_markdown, unserved
from mkdocs_northstar.pages.site import nav_config
from mkdocs_northstar.pages.urls import ONE_PAGE_PDF, Urls, beside
from mkdocs_northstar.pages.views import build_views
from mkdocs_northstar.pdf import PdfError, print_one_page
from mkdocs_northstar.problems import CODES, Problem
from mkdocs_northstar.rendered import RenderError
from mkdocs_northstar.reviews import Review, month_review, quarter_review, week_review
from mkdocs_northstar.rules import current_period
from mkdocs_northstar.scaffold import CI_HOSTS, scaffold
from mkdocs_northstar.schema import KINDS, dump, export_schema, plan_schema, schema_for, write_schemas
from mkdocs_northstar.site_config import SiteConfig, SiteConfigError, read_site_config
from mkdocs_northstar.updates import UpdateError, read_csv, read_form, update_from
from mkdocs_northstar.writes import UnsafeOutputError, inner_path, write_all, write_atomic


def _date(text: str) -> date:
    try:
        return parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def get_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="northstar", description="Check and publish a company plan.")
    parser.add_argument("--version", action="version", version=f"northstar {version('mkdocs-northstar')}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="check the plan files and report every problem")
    check.add_argument("plan_dir", nargs="?", default="plan", type=Path, help="the plan folder (default: plan)")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument(
        "--format",
        choices=["text", "json", "github", "gitlab"],
        default="text",
        help="text, json, github (annotations on a pull request) or gitlab (a Code Quality report)",
    )
    check.add_argument(
        "--as-of",
        type=_date,
        help="judge dates (staleness, review age) as of this day; default: the plan's last commit, else today",
    )
    check.add_argument("--period", help="the current quarter id; default: the quarter containing --as-of")
    check.add_argument(
        "--changed-since",
        metavar="REV",
        help="report dated notices (stale check-ins, overdue rocks...) only for files changed since REV, "
        "as in a pull request: other teams' late check-ins are not its business",
    )

    diff = sub.add_parser("diff", help="the semantic difference between two revisions of the plan")
    diff.add_argument("rev_a", nargs="?", help="base revision (default: where this branch left the default branch)")
    diff.add_argument("rev_b", nargs="?", help="compared revision (default: the working tree)")
    diff.add_argument("--plan-dir", type=Path, default=Path("plan"), help="the plan folder (default: plan)")
    diff.add_argument("--format", choices=["text", "markdown", "json", "github"], default="text")
    diff.add_argument(
        "--fail-on-strategy-change", action="store_true", help="exit 1 when the strategy changed (for review gates)"
    )
    diff.add_argument(
        "--unless-decided",
        action="store_true",
        help="with --fail-on-strategy-change: pass when every changed strategy item is named by a decision "
        "record of the strategy's owner that the same change adds",
    )

    export = sub.add_parser("export", help="the resolved plan with derived progress, as JSON or CSV")
    export.add_argument("plan_dir", nargs="?", default="plan", type=Path, help="the plan folder (default: plan)")
    export.add_argument(
        "--format",
        choices=["json", "csv", "checkins"],
        default="json",
        help="json (plan.json), csv (a row per key result) or checkins (the template for checkin --from-csv)",
    )
    export.add_argument("--out", type=Path, help="write to this file (default: standard output)")
    export.add_argument("--as-of", type=_date, help="judge dates as of this day (default: the last commit)")
    export.add_argument("--period", help="the current quarter (default: the one containing --as-of)")

    init = sub.add_parser("init", help="start a new plan site in a folder")
    init.add_argument("dir", type=Path, help="the folder to create (empty or new)")
    init.add_argument("--company", default="Example Company", help="the company's name")
    init.add_argument("--force", action="store_true", help="write into a folder that is not empty")
    init.add_argument("--as-of", type=_date, help="date the new plan from this day (default: today)")
    init.add_argument(
        "--ci",
        choices=CI_HOSTS,
        default="github",
        help="the code host whose pipeline, check-in form and code owners to write (default: github)",
    )

    render = sub.add_parser("render", help="write the generated pages as plain Markdown, for other generators")
    render.add_argument(
        "plan_dir", nargs="?", type=Path, help="the plan folder (default: the plugin's plan_dir, else plan)"
    )
    render.add_argument("--out", type=Path, required=True, help="the folder to write the pages into")
    render.add_argument(
        "-f",
        "--config-file",
        type=Path,
        help="the site's mkdocs.yml, whose northstar plugin options (and theme custom_dir) the pages follow "
        "(default: ./mkdocs.yml, if there)",
    )
    render.add_argument("--path", help="a folder for the pages inside --out (default: the plugin's path, else none)")
    render.add_argument("--no-directory-urls", action="store_true", help="link to page.html, not page/")
    render.add_argument("--as-of", type=_date, help="judge dates as of this day (default: the last commit)")
    render.add_argument("--period", help="the quarter to show (default: the one containing --as-of)")
    render.add_argument("--nav", type=Path, help="also write the pages' navigation section to this YAML file")
    render.add_argument(
        "--watch", action="store_true", help="render again whenever the plan or the site's options change"
    )

    pdf = sub.add_parser("pdf", help="print the built one-page plan to a landscape PDF (needs Chromium)")
    pdf.add_argument("--site", type=Path, help="the built site (default: site_dir of mkdocs.yml, else site)")
    pdf.add_argument(
        "-f",
        "--config-file",
        type=Path,
        help="the site's mkdocs.yml, which says where the one-page plan is (default: ./mkdocs.yml, if there)",
    )
    where = pdf.add_mutually_exclusive_group()
    where.add_argument("--out", type=Path, help="the PDF to write (default: one-page-plan.pdf)")
    where.add_argument(
        "--in-site",
        action="store_true",
        help="write it into the built site, beside the one-page plan, which links it in a TechDocs build",
    )
    pdf.add_argument("--paper", choices=["a4", "letter"], default="a4", help="sheet size (landscape)")

    _rhythm_parsers(sub)

    schema = sub.add_parser("schema", help="print the JSON Schema of plan files")
    schema.add_argument(
        "--kind", choices=(*KINDS, "export"), help="one kind of file, or export (plan.json); default: any plan file"
    )
    schema.add_argument("--out", type=Path, help="write <kind>.schema.json for every kind into this folder")
    return parser


def _rhythm_parsers(sub: Any) -> None:
    """The commands of the rhythm: a review for a meeting, and starting a quarter."""
    review = sub.add_parser("review", help="the weekly, monthly or quarterly review, for a meeting or a chat post")
    review.add_argument("plan_dir", nargs="?", default="plan", type=Path, help="the plan folder (default: plan)")
    span = review.add_mutually_exclusive_group()
    span.add_argument("--week", help="an ISO week, e.g. 2026-W47 (default: the week holding --as-of)")
    span.add_argument("--month", help="a month, e.g. 2026-11")
    span.add_argument("--quarter", help="a quarter id from company.yml, e.g. 2026-q4")
    review.add_argument("--format", choices=["markdown", "json"], default="markdown")
    review.add_argument("--as-of", type=_date, help="judge work as of this day (default: the last commit)")
    review.add_argument(
        "--mention", action="store_true", help="name people by their handle from people.yml, to notify them"
    )

    start = sub.add_parser("new-quarter", help="start the next quarter: its files, from the last quarter's close")
    start.add_argument("quarter", help="the quarter's id, e.g. 2027-q1 (added to company.yml when missing)")
    start.add_argument("plan_dir", nargs="?", default="plan", type=Path, help="the plan folder (default: plan)")

    _checkin_parser(sub)

    decide = sub.add_parser("decide", help="a decision record for the strategy items this branch changes, to fill in")
    decide.add_argument("rev_a", nargs="?", help="base revision (default: where this branch left the default branch)")
    decide.add_argument("--plan-dir", type=Path, default=Path("plan"), help="the plan folder (default: plan)")
    decide.add_argument("--as-of", type=_date, help="the decision's date (default: today)")


def _checkin_parser(sub: Any) -> None:
    checkin = sub.add_parser(
        "checkin",
        help="report a key result's or KPI's value, or a rock's status, without editing YAML",
        description="Add a check-in to the plan: the lines it adds are the only change to the file, and an "
        "update the checks would reject is refused before anything is written.",
    )
    checkin.add_argument("id", nargs="?", help="the id of the key result, KPI or rock")
    checkin.add_argument("value", nargs="?", help="the value now: 42, 3.5, 1,200, 27.5%%")
    checkin.add_argument("--confidence", help="how likely the target is to be hit: 0 to 1, or a percentage (70%%)")
    checkin.add_argument("--note", help="a comment on the update (Markdown)")
    checkin.add_argument("--date", help="the day of the reading, YYYY-MM-DD (default: today)")
    checkin.add_argument(
        "--status", help=f"a rock's status ({', '.join(ROCK_STATUSES)}), or done for a milestone key result"
    )
    checkin.add_argument("--period", help="the quarter (default: the one holding the day)")
    source = checkin.add_mutually_exclusive_group()
    source.add_argument(
        "--from-csv", type=Path, metavar="FILE", help="every row of a spreadsheet saved as CSV, all or none"
    )
    source.add_argument(
        "--from-issue", type=Path, metavar="FILE", help="a submitted check-in issue form's body (- for standard input)"
    )
    checkin.add_argument("--plan-dir", type=Path, default=Path("plan"), help="the plan folder (default: plan)")
    checkin.add_argument("--dry-run", action="store_true", help="show the change; write nothing")
    checkin.add_argument(
        "--message", type=Path, metavar="FILE", help="also write a commit message for the change to FILE"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; its exit code. A reader that stops early (`northstar check | head`) ends
    the output quietly, with exit code 1, as other command-line tools do."""
    args = get_parser().parse_args(argv)
    try:
        code = _run(args)
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush at exit
        return 1
    except OSError as exc:  # a path that cannot be written or read: one line, whichever command met it
        where = _where(exc, Path("a file"))
        print(f"northstar {args.command}: could not use {where}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return code


def _run(args: argparse.Namespace) -> int:
    if args.command == "check":
        return cmd_check(
            args.plan_dir,
            strict=args.strict,
            fmt=args.format,
            as_of=args.as_of,
            period=args.period,
            changed_since=args.changed_since,
        )
    if args.command == "diff":
        fail = "undecided" if args.fail_on_strategy_change and args.unless_decided else args.fail_on_strategy_change
        return cmd_diff(args.plan_dir, args.rev_a, args.rev_b, fmt=args.format, fail=fail)
    if args.command == "pdf":
        return cmd_pdf(args.site, args.out, args.paper, args.config_file, in_site=args.in_site)
    if args.command == "export":
        return cmd_export(args.plan_dir, fmt=args.format, out=args.out, as_of=args.as_of, period=args.period)
    if args.command == "init":
        return cmd_init(args.dir, args.company, force=args.force, as_of=args.as_of, ci=args.ci)
    if args.command == "render":
        return cmd_render(args)
    if args.command == "new-quarter":
        return cmd_new_quarter(args.plan_dir, args.quarter)
    if args.command == "checkin":
        return cmd_checkin(args)
    if args.command == "decide":
        return cmd_decide(args.plan_dir, args.rev_a, args.as_of)
    if args.command == "review":
        return cmd_review(
            args.plan_dir, args.week, args.month, args.quarter, fmt=args.format, as_of=args.as_of, mention=args.mention
        )
    return cmd_schema(args.kind, args.out)


def cmd_check(
    plan_dir: Path,
    *,
    strict: bool,
    fmt: str,
    as_of: date | None,
    period: str | None,
    changed_since: str | None = None,
) -> int:
    try:
        report = check_plan(plan_dir, as_of=as_of, period=period)
    except UsageError as exc:
        print(f"northstar check: {exc}", file=sys.stderr)
        return 2
    left_out = 0
    if changed_since is not None:
        try:
            touched = changed_files(plan_dir, changed_since)
        except GitError as exc:
            print(f"northstar check: --changed-since {changed_since}: {exc}", file=sys.stderr)
            return 2
        kept = [p for p in report.problems if not CODES[p.code].dated or p.path.resolve() in touched]
        left_out = len(report.problems) - len(kept)
        report = replace(report, problems=kept)
    failed = bool(report.errors) or (strict and bool(report.warnings))
    if left_out:
        print(
            f"northstar check: {_count(left_out, 'dated notice')} about files not changed since {changed_since} "
            "left out (run without --changed-since to see them)",
            file=sys.stderr,
        )
    if fmt == "json":
        print(json.dumps(_as_json(report, failed), indent=2))
    elif fmt == "gitlab":
        print(json.dumps(_code_quality(report.problems), indent=2))
    elif fmt == "github":
        for found in report.problems:
            print(_annotation(found))
        print(_summary(report, plan_dir))
    else:
        for found in report.problems:
            print(found)
        print(_summary(report, plan_dir))
    return 1 if failed else 0


def _summary(report: Report, plan_dir: Path) -> str:
    errors, warnings, notices = len(report.errors), len(report.warnings), len(report.notices)
    also = f", {_count(notices, 'notice')} (dated: they never fail a check)" if notices else ""
    if not errors and not warnings:
        plan = report.plan
        teams = len(plan.teams.teams) if plan.teams else 0
        plans = len(plan.execution)
        clean = "no errors or warnings" if notices else "no problems"
        return f"{plan_dir.as_posix()}: {clean} ({_count(teams, 'team')}, {_count(plans, 'team plan')}){also}"
    return f"{plan_dir.as_posix()}: {_count(errors, 'error')}, {_count(warnings, 'warning')}{also}"


def _as_json(report: Report, failed: bool) -> dict[str, object]:
    return {
        "ok": not failed,
        "as_of": report.as_of.isoformat(),
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "notices": len(report.notices),
        "problems": [
            {
                "path": p.path.as_posix(),
                "line": p.line,
                "col": p.col,
                "severity": p.severity,
                "code": p.code,
                "name": CODES[p.code].name,
                "message": p.message,
            }
            for p in report.problems
        ],
    }


_QUALITY = {"error": "major", "warning": "minor", "notice": "info"}
"""Each severity as a GitLab Code Quality report grades it."""


def _code_quality(problems: list[Problem]) -> list[dict[str, object]]:
    """A GitLab Code Quality report: each problem on its file and line, paths relative to the
    current folder (the repository's root in a pipeline). A fingerprint names the problem, not its
    line, so one that only moved is the same problem to the merge request."""
    cwd = Path.cwd()
    seen: dict[str, int] = {}
    entries: list[dict[str, object]] = []
    for found in problems:
        shown = found.relative_to(cwd) if found.path.is_absolute() else found
        name = "\0".join(shown.identity)
        seen[name] = seen.get(name, 0) + 1
        fingerprint = hashlib.sha256(f"{name}\0{seen[name]}".encode()).hexdigest()
        entries.append(
            {
                "description": f"{found.code} {found.message}",
                "check_name": f"{found.code} {CODES[found.code].name}",
                "fingerprint": fingerprint,
                "severity": _QUALITY[found.severity],
                "location": {"path": shown.path.as_posix(), "lines": {"begin": max(found.line, 1)}},
            }
        )
    return entries


def _escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def _annotation(found: Problem) -> str:
    """A workflow command that shows the problem on the changed line of a pull request."""
    level = found.severity
    props = [f"file={_escape(found.path.as_posix(), prop=True)}"]
    if found.line:
        props += [f"line={found.line}", f"col={found.col}"]
    props.append(f"title={_escape(f'{found.code} {CODES[found.code].name}', prop=True)}")
    return f"::{level} {','.join(props)}::{_escape(found.message)}"


def cmd_schema(kind: str | None, out: Path | None) -> int:
    if out is not None:
        for path in write_schemas(out):
            print(path.as_posix())
        return 0
    if kind == "export":
        sys.stdout.write(dump(export_schema()))
        return 0
    sys.stdout.write(dump(schema_for(kind) if kind else plan_schema()))
    return 0


def cmd_diff(plan_dir: Path, rev_a: str | None, rev_b: str | None, *, fmt: str, fail: bool | str) -> int:
    """Print the semantic changes from `rev_a` to `rev_b`; exit 1 on an invalid side or, with `fail`, a
    strategy change (with `fail="undecided"`, one that no decision record of the owner names); 2 when
    a revision cannot be read."""
    try:
        base = rev_a or default_base(plan_dir)
        old = plan_at(plan_dir, base)
        new = plan_at(plan_dir, rev_b) if rev_b else load_plan(plan_dir)
    except GitError as exc:
        print(f"northstar diff: {exc}", file=sys.stderr)
        return 2
    label_a, label_b = base[:12], rev_b or "working tree"
    sides = [(label_b, new)] if not old.docs else [(label_a, old), (label_b, new)]  # no plan yet: diff from nothing
    for label, loaded in sides:
        errors = [p for p in loaded.problems if p.severity == "error"]
        if errors or not loaded.plan.complete:
            print(f"northstar diff: the plan at {label} is invalid ({len(errors)} errors); run northstar check")
            return 1
    changes = diff_plans(old.plan if old.docs else None, new.plan)
    made, unmade = decided(old.plan if old.docs else None, new.plan)
    strategy = [c for c in changes if c.layer == "strategy" and not c.check_in]
    reaffirmed = not strategy and any(c.layer == "strategy" for c in changes)
    headline = "STRATEGY CHANGED" if strategy else _REAFFIRMED if reaffirmed else ""
    records = _records_line(made, unmade if strategy else ())
    if fmt == "json":
        report = {**_diff_json(changes, label_a, label_b), "decided": list(made), "undecided": list(unmade)}
        print(json.dumps(report, indent=2))
    elif fmt == "markdown":
        print(_diff_markdown(changes, label_a, label_b, made, unmade if strategy else ()), end="")
    elif fmt == "github":
        for change in changes:
            level = "warning" if change in strategy else "notice"
            title = _diff_title(change, direction=change in strategy)
            print(f"::{level} title={_escape(title, prop=True)}::{_escape(change.text)}")
        if strategy and unmade:
            print(f"::warning title={_escape(_UNDECIDED, prop=True)}::{_escape(', '.join(unmade))}")
        print(headline or f"Execution changes only ({len(changes)})")
    else:
        print(f"{headline}\n" if headline else "", end="")
        print("".join(f"{line}\n" for line in records), end="")
        for layer in ("strategy", "execution"):
            items = [c for c in changes if c.layer == layer]
            if items:
                print(f"{layer.capitalize()}:")
                print("".join(f"  - {c.text}\n" for c in items), end="")
        if not changes:
            print("No semantic change to the plan.")
    if fail == "undecided":
        return 1 if strategy and unmade else 0
    return 1 if fail and strategy else 0


_REAFFIRMED = "Strategy reaffirmed: the owner reviewed it and kept the direction"
_UNDECIDED = "Strategy changed without a recorded decision"


def _records_line(made: tuple[str, ...], unmade: tuple[str, ...]) -> list[str]:
    """What the text output says of decision records: those added, and what changed without one."""
    lines = [f"Decision recorded: {', '.join(made)}"] if made else []
    return [*lines, f"{_UNDECIDED}: {', '.join(unmade)}"] if unmade else lines


def _diff_title(change: Change, *, direction: bool) -> str:
    if change.layer == "execution":
        return "Execution change"
    return "Strategy change" if direction else "Strategy reaffirmed"


def _diff_json(changes: list[Change], base: str, head: str) -> dict[str, object]:
    return {
        "from": base,
        "to": head,
        "strategy_changed": changes_direction(changes),
        "kind": classify(changes),
        "changes": [{"layer": c.layer, "text": c.text, "check_in": c.check_in} for c in changes],
    }


def _diff_markdown(changes: list[Change], base: str, head: str, made: tuple[str, ...], unmade: tuple[str, ...]) -> str:
    return Renderer().render(
        "diff.md.jinja",
        decided=made,
        undecided=unmade,
        strategy=[c for c in changes if c.layer == "strategy" and not c.check_in],
        reaffirmed=[c for c in changes if c.layer == "strategy" and c.check_in],
        execution=[c for c in changes if c.layer == "execution"],
        decisions=[c for c in changes if c.layer == "execution" and not c.check_in],
        check_ins=[c for c in changes if c.check_in],
        base=base,
        head=head,
    )


def cmd_pdf(
    site: Path | None, out: Path | None, paper: str, config_file: Path | None = None, *, in_site: bool = False
) -> int:
    """Write the one-page plan as a PDF to `out`, or with `in_site` beside the page in the site;
    exit 1 with a clear message when it cannot.

    The one-page plan is where the site put it: mkdocs.yml gives `site_dir`, directory URLs (the
    offline plugin turns them off) and the plugin's `path` and `pages`."""
    page, site_dir = "one-page-plan/", Path("site")
    try:
        if (found := _site(config_file)) is not None:
            if "one_page" not in found.settings.pages:
                raise PdfError(f"{found.config_file.as_posix()} leaves the one-page plan out of the plugin's pages")
            urls = Urls(found.settings.path.strip("/"), found.settings.directory_urls)
            page, site_dir = urls.url(urls.path("one-page-plan")), found.site_dir
        root = site or site_dir
        target = root / beside(page, ONE_PAGE_PDF) if in_site else out or Path(ONE_PAGE_PDF)
        written = print_one_page(root, target, paper=paper, page=page)
    except (PdfError, SiteConfigError) as exc:
        print(f"northstar pdf: {exc}", file=sys.stderr)
        return 1
    print(written.as_posix())
    return 0


def _stopped_by_errors(command: str, report: Report, outcome: str) -> bool:
    """Whether the plan has errors; if so, they are printed, then one line saying `outcome`."""
    if not report.errors:
        return False
    for found in report.errors:
        print(found, file=sys.stderr)
    print(f"northstar {command}: the plan has {_count(len(report.errors), 'error')}; {outcome}", file=sys.stderr)
    return True


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def cmd_init(dest: Path, company: str, *, force: bool, as_of: date | None = None, ci: str = "github") -> int:
    """Scaffold a plan site in `dest`, dated from `as_of` (default: today), with the pipeline of the
    code host `ci`; refuses a non-empty folder unless `force`. Says where the site will be visible."""
    if dest.exists() and any(dest.iterdir()) and not force:
        print(f"northstar init: {dest.as_posix()} is not empty; choose a new folder or pass --force", file=sys.stderr)
        return 1
    try:
        day = as_of or today()
    except ValueError as exc:
        print(f"northstar init: {exc}", file=sys.stderr)
        return 2
    written = scaffold(dest, company=company, today=day, ci=ci)
    for path, replaced in written:
        print(path.relative_to(dest).as_posix() + (" (replaced)" if replaced else ""))
    replaced_count = sum(replaced for _, replaced in written)
    if replaced_count:
        print(
            f"northstar init: --force replaced {_count(replaced_count, 'file')} marked (replaced) above; "
            "every other file was left alone",
            file=sys.stderr,
        )
    print("\n" + textwrap.fill(f"Who will see the site: {_VISIBLE[ci]}", width=100))
    print(f"\nNext: cd {dest.as_posix()} && northstar check plan && mkdocs serve")
    return 0


_VISIBLE = {
    "github": "the workflow publishes it to GitHub Pages, and on GitHub Free and Team a Pages site is "
    "public on the internet even when the repository is private; only GitHub Enterprise Cloud can limit "
    "it to your organization. The plan holds targets, names and e-mail addresses: choose a private route "
    "before the first push (see Publishing, 'Keeping the plan private').",
    "gitlab": "the pipeline publishes it to GitLab Pages, which is public unless the project's Pages "
    "access is set to 'Only project members' (Settings > General > Visibility). Set it before the first "
    "push (see Publishing, 'Keeping the plan private').",
    "none": "nobody until you publish it: `mkdocs build` writes the site to site/; serve that folder "
    "behind your company's sign-in (see Publishing, 'Keeping the plan private').",
}
"""What `init` says of where the site will be visible, for each `--ci`."""


def cmd_render(args: argparse.Namespace) -> int:
    """Write every generated page (and the stylesheet, plan.json) as files under `--out`, as the
    site's plugin options say; with `--watch`, again whenever the plan or the options change."""
    try:
        job = _render_job(args)
    except (SiteConfigError, UnsafeOutputError, RenderError) as exc:
        print(f"northstar render: {exc}", file=sys.stderr)
        return 2
    builder = Builder(job.plan_dir, terminal_progress())
    seen = rendered.watched(job) if args.watch else ()  # before the render: an edit made during it counts
    code = _render_once(builder, job, args.nav)
    if not args.watch:
        return code
    print(f"Watching {job.plan_dir.as_posix()} for changes (press Ctrl+C to stop)", flush=True)
    try:
        while True:
            time.sleep(0.3)
            now = rendered.watched(job)
            if now == seen:
                continue
            seen = now
            try:  # the options may have changed too
                job = _render_job(args)
            except (SiteConfigError, UnsafeOutputError, RenderError) as exc:
                print(f"northstar render: {exc}", file=sys.stderr, flush=True)
                continue
            if builder.root != job.plan_dir:
                builder = Builder(job.plan_dir, terminal_progress())
            _render_once(builder, job, args.nav)
    except KeyboardInterrupt:
        return 0


def _render_job(args: argparse.Namespace) -> rendered.Job:
    """What to render: the site's options, what the command line says over them.

    Raises:
        SiteConfigError: the site's configuration cannot be read.
        UnsafeOutputError: `--path` leaves the output folder.
        RenderError: the site's plugin generates the same pages into the output folder.
    """
    job = rendered.job(
        _site(args.config_file),
        args.out,
        plan_dir=args.plan_dir,
        path=args.path,
        directory_urls=False if args.no_directory_urls else None,
        as_of=args.as_of,
        period=args.period,
    )
    inner_path(job.settings.path, "--path")
    return job


def _site(config_file: Path | None) -> SiteConfig | None:
    """The site `config_file` (default: ./mkdocs.yml, when there) describes; None without one.

    Raises:
        SiteConfigError: the file is named but missing, or cannot be read.
    """
    config = config_file or Path("mkdocs.yml")
    return read_site_config(config) if config_file is not None or config.is_file() else None


def _render_once(builder: Builder, job: rendered.Job, nav: Path | None) -> int:
    """One render; its exit code. Problems go to standard error, one line says what was written."""
    out = job.out
    try:
        built = builder.build(job.settings)
    except UsageError as exc:
        print(f"northstar render: {exc}", file=sys.stderr, flush=True)
        return 2
    for found in built.report.problems:
        print(found, file=sys.stderr)
    if built.site is None:
        errors = _count(len(built.report.errors), "error")
        print(f"northstar render: the plan has {errors}; nothing written", file=sys.stderr, flush=True)
        return 1
    try:
        changed = rendered.write(out, rendered.files_of(built))
        if nav is not None:
            section = yaml.safe_dump([nav_config(built.site.nav)], sort_keys=False, allow_unicode=True)
            write_atomic(nav, section.encode("utf-8"))
    except RenderError as exc:
        print(f"northstar render: {exc}", file=sys.stderr, flush=True)
        return 1
    except OSError as exc:
        print(f"northstar render: could not write {_where(exc, out)}: {exc.strerror}", file=sys.stderr, flush=True)
        return 1
    pages = _count(len(built.site.pages), "page")
    print(f"{out.as_posix()}: {pages}, the stylesheet and plan.json ({_count(changed, 'file')} changed)", flush=True)
    return 0


def _where(exc: OSError, fallback: Path) -> str:
    where = exc.filename if isinstance(exc.filename, str) else None
    return where or fallback.as_posix()


def cmd_export(plan_dir: Path, *, fmt: str, out: Path | None, as_of: date | None, period: str | None) -> int:
    """The resolved plan as JSON (the format of the site's plan.json) or CSV (a row per key result)."""
    state = plan_version(plan_dir)  # once: it gives both the as-of date and the version
    try:
        report = check_plan(plan_dir, as_of=as_of or judged_as_of(state), period=period)
    except UsageError as exc:
        print(f"northstar export: {exc}", file=sys.stderr)
        return 2
    if _stopped_by_errors("export", report, "nothing exported"):
        return 1
    version = (state.commit + (f" ({state.date})" if state.date else "")) if state.commit else None
    if fmt == "checkins":
        text = export_checkins(report, period=period)
    else:
        text = (export_csv if fmt == "csv" else export_json)(report, version=version, period=period)
    if out is None:
        sys.stdout.write(text)
        return 0
    try:
        write_atomic(out, text.encode("utf-8"))  # whole or not at all: a full disk leaves the old file
    except OSError as exc:
        print(f"northstar export: could not write {_where(exc, out)}: {exc.strerror}", file=sys.stderr)
        return 1
    print(out.as_posix())
    return 0


def cmd_review(
    plan_dir: Path,
    week: str | None,
    month: str | None,
    quarter_id: str | None,
    *,
    fmt: str,
    as_of: date | None,
    mention: bool = False,
) -> int:
    """One review, as the site's review page shows it: Markdown without links, or JSON."""
    state = plan_version(plan_dir)
    try:
        day = as_of or judged_as_of(state)
        span = parse_week(week) if week else parse_month(month) if month else week_of(day)
    except (ValueError, UsageError) as exc:
        print(f"northstar review: {exc}", file=sys.stderr)
        return 2
    if quarter_id is None and span.start > day:
        print(f"northstar review: {span.id} has not begun by {day}; pass --as-of to look ahead", file=sys.stderr)
        return 2
    try:
        report = check_plan(plan_dir, as_of=day, period=quarter_id)
    except UsageError as exc:
        print(f"northstar review: {exc}", file=sys.stderr)
        return 2
    if _stopped_by_errors("review", report, "no review"):
        return 1
    plan = report.plan
    year, quarter = current_period(plan, min(span.end, day), quarter_id)
    if quarter is None:
        print("northstar review: the plan has no quarter to review; add one to company.yml", file=sys.stderr)
        return 2
    views = build_views(plan, report.index, Urls(), year, quarter, pages=(), as_of=min(day, quarter.end))
    chosen: Review
    if quarter_id is not None:
        chosen = quarter_review(plan, report.index, quarter, day, year=year)
    elif month:
        history = update(plan_dir)
        read = history if isinstance(history, History) else None
        chosen = month_review(plan, report.index, quarter, span, day, year=year, history=read, unserved=unserved(views))
    else:
        chosen = week_review(plan, report.index, quarter, span, day, year=year, bands=tuple(views.bands))
    if fmt == "json":
        sys.stdout.write(chosen.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(review_markdown(chosen, views, LABELS, Renderer(), mention=mention))
    return 0


def cmd_checkin(args: argparse.Namespace) -> int:
    """Add the updates the arguments, a CSV file or an issue form give; write them only if all pass."""
    try:
        as_of = pinned_day() or today()
        updates, blank = _updates(args)
    except (UpdateError, ValueError) as exc:
        print(f"northstar checkin: {exc}", file=sys.stderr)
        return 2
    if not updates:
        print(f"northstar checkin: nothing to check in: {_count(blank, 'row')}, all blank", file=sys.stderr)
        return 1
    try:
        done = check_in(args.plan_dir, updates, as_of=as_of, period=args.period)
    except CheckInError as exc:
        print("northstar checkin: refused; nothing was written:", file=sys.stderr)
        print("".join(f"  {line}\n" for line in exc.lines), end="", file=sys.stderr)
        return 1
    for changed in done.files:
        shown = _shown(changed.path)
        before, after = (b.decode("utf-8").splitlines(keepends=True) for b in (changed.before, changed.after))
        sys.stdout.writelines(difflib.unified_diff(before, after, f"a/{shown}", f"b/{shown}"))
    print("".join(f"{r.standing}\n" for r in done.reported), end="")
    print("".join(f"{n}\n" for n in done.notices), end="")
    if blank:
        print(f"{_count(blank, 'blank row')} left out")
    if not done.files:
        print("No change: the plan already says so.")
        return 0
    if args.dry_run:
        print("Nothing written (--dry-run).")
        return 0
    write_all({c.path: c.after for c in done.files})
    print(f"Written: {', '.join(_shown(c.path) for c in done.files)}")
    if args.message is not None:
        write_atomic(args.message, _commit_message(done.reported).encode("utf-8"))
    return 0


def _commit_message(reported: list[Reported]) -> str:
    """A subject naming the updates, then where each item stands and who owns it."""
    subject = f"Check-in: {'; '.join(r.said for r in reported)}"
    if len(subject) > 72:
        teams = sorted({r.entry.team or "" for r in reported})
        subject = f"Check-in: {_count(len(reported), 'update')} ({', '.join(teams)})"
    body = "".join(f"- {r.standing}; owner {r.owner}\n" for r in reported)
    return f"{subject}\n\n{body}"


def _updates(args: argparse.Namespace) -> tuple[list[Update], int]:
    """The updates to make, and how many rows of a spreadsheet were blank.

    Raises:
        UpdateError: something given cannot be read as an update.
        ValueError: the clock's day cannot be read.
    """
    given = [args.id, args.value, args.confidence, args.note, args.date, args.status]
    if (args.from_csv is not None or args.from_issue is not None) and any(p is not None for p in given):
        raise UpdateError("give either an id and its update, or --from-csv or --from-issue, not both")
    if args.from_csv is not None:
        rows = read_csv(args.from_csv, _shown(args.from_csv))
        if rows.errors:
            raise UpdateError("nothing was written:\n  " + "\n  ".join(rows.errors))
        return rows.updates, rows.blank
    if args.from_issue is not None:
        source = "the issue form" if str(args.from_issue) == "-" else _shown(args.from_issue)
        body = sys.stdin.read() if str(args.from_issue) == "-" else args.from_issue.read_text(encoding="utf-8")
        return [read_form(body, source)], 0
    if args.id is None:
        raise UpdateError("name the key result, KPI or rock: northstar checkin ID VALUE (or --from-csv FILE)")
    parts = {"id": args.id, "value": args.value, "confidence": args.confidence, "note": args.note}
    parts |= {"date": args.date, "status": args.status}
    return [update_from({k: v for k, v in parts.items() if v is not None})], 0


def _shown(path: Path) -> str:
    """`path` as the user would type it: relative to the current folder when inside it."""
    absolute = path.absolute()
    return absolute.relative_to(Path.cwd()).as_posix() if absolute.is_relative_to(Path.cwd()) else path.as_posix()


def cmd_decide(plan_dir: Path, rev_a: str | None, as_of: date | None) -> int:
    """Add a decision record for the strategy items changed since `rev_a` that no record names."""
    report = check_plan(plan_dir, as_of=as_of or judged_as_of(plan_version(plan_dir)))
    if _stopped_by_errors("decide", report, "fix them first"):
        return 1
    try:
        base = rev_a or default_base(plan_dir)
        old = plan_at(plan_dir, base)
        drafted = draft_decision(old.plan, report.plan, as_of or pinned_day() or today())
    except (GitError, DecideError) as exc:
        print(f"northstar decide: {exc}", file=sys.stderr)
        return 2
    if drafted is None:
        print(f"Nothing to decide: every change of direction since {base[:12]} has its decision record.")
        return 0
    shown = drafted.path.relative_to(Path.cwd()) if drafted.path.is_relative_to(Path.cwd()) else drafted.path
    print(f"{shown.as_posix()}: a new decision record\n\n{drafted.text}")
    print("Next: fill in its title, context, options, inputs and decision; the strategy's owner approves it.")
    return 0


def cmd_new_quarter(plan_dir: Path, quarter_id: str) -> int:
    """Start a quarter: add it to company.yml when missing, write each team's file from the close."""
    report = check_plan(plan_dir, as_of=judged_as_of(plan_version(plan_dir)))
    if _stopped_by_errors("new-quarter", report, "fix them first"):
        return 1
    try:
        started = new_quarter(report.plan, quarter_id)
    except NewQuarterError as exc:
        print(f"northstar new-quarter: {exc}", file=sys.stderr)
        return 2
    for line in started.lines:
        print(line)
    print(f"\nNext: fill in the new objectives and run northstar check {plan_dir.as_posix()}")
    return 0
