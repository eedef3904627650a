"""Publishing with a generator that runs no MkDocs plugins: `northstar render` writes the plugin's
own pages (its options, its template overrides), keeps them current under `--watch`, refuses to
write where the plugin generates them, and Zensical, installed from the registry, builds them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from tests.site_helpers import CLOCK, copy_project, northstar, real_clock_environ, sigint_as_at_a_terminal

BIN = Path(sys.executable).parent
OPTIONS = {
    "path": "plan",
    "labels": {"strategy": "Direction", "teams": "Our teams"},
    "pages": ["strategy", "one_page", "teams", "people"],
}


def _site(tmp_path: Path, *, enabled: bool) -> Path:
    """The example project with plugin options and a template override, the plugin on or off."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    project = copy_project(tmp_path)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["search", {"northstar": {**OPTIONS, **({} if enabled else {"enabled": False})}}]
    config["theme"]["custom_dir"] = "overrides"
    config["extra_css"] = ["assets/northstar/northstar.css"]
    config.pop("nav", None)
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    overrides = project / "overrides" / "northstar"
    overrides.mkdir(parents=True)
    (overrides / "one-page-plan.md.jinja").write_text("# Our one page\n\nPinned to the wall.\n", encoding="utf-8")
    (project / "docs" / "index.md").write_text("# Kestrel's plan\n", encoding="utf-8")
    return project


def _plugin_pages(project: Path) -> dict[str, bytes]:
    """What the plugin generates when MkDocs builds the site, through MkDocs' own plugin events."""
    config = load_config(str(project / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    plugin = config.plugins["northstar"]
    plugin.on_startup(command="build", dirty=False)
    plugin.on_pre_build(config=config)
    files = plugin.on_files(Files([]), config=config)
    return {f.src_uri: f.content_bytes for f in files if f.src_uri.endswith((".md", ".json"))}


def test_render_writes_the_plugins_pages_byte_for_byte_and_zensical_builds_them(tmp_path: Path) -> None:
    generated = _plugin_pages(_site(tmp_path / "with-plugin", enabled=True))
    assert "plan/strategy.md" in generated and "plan/teams/sales.md" in generated

    project = _site(tmp_path / "zensical", enabled=False)
    done = northstar("render", "--out", "docs", cwd=project)
    assert done.returncode == 0, done.stderr
    docs = project / "docs"
    rendered = {rel: (docs / rel).read_bytes() for rel in generated}
    assert rendered == generated  # the same options, labels, pages and template override
    assert b"# Our one page" in rendered["plan/one-page-plan.md"]
    assert not (docs / "plan" / "alignment.md").exists()  # not in `pages`

    # Zensical's runtime hangs under the fake-clock library a faketime run of the suite preloads; nothing
    # here depends on the date, so it runs on the real clock
    build = subprocess.run(
        [str(BIN / "zensical"), "build"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env=real_clock_environ(),
    )
    assert build.returncode == 0, build.stdout + build.stderr
    strategy = (project / "site" / "plan" / "strategy" / "index.html").read_text(encoding="utf-8")
    assert ">Direction" in strategy and "assets/northstar/northstar.css" in strategy
    assert "ns-bar" in (project / "site" / "plan" / "teams" / "sales" / "index.html").read_text(encoding="utf-8")


def test_render_refuses_to_write_where_the_plugin_generates_the_same_pages(tmp_path: Path) -> None:
    project = copy_project(tmp_path)  # the example: the plugin is on, its pages go into docs/ at build
    before = sorted(p.relative_to(project).as_posix() for p in (project / "docs").rglob("*"))
    refused = northstar("render", "--out", "docs", cwd=project)
    assert refused.returncode == 2
    assert "has the northstar plugin, which generates these pages into docs/" in refused.stderr
    assert "enabled: false" in refused.stderr
    assert sorted(p.relative_to(project).as_posix() for p in (project / "docs").rglob("*")) == before
    elsewhere = northstar("render", "--out", "rendered", cwd=project)
    assert elsewhere.returncode == 0, elsewhere.stderr


def _wait(condition: object, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_render_watch_renders_again_when_the_plan_or_the_options_change(tmp_path: Path) -> None:
    project = _site(tmp_path, enabled=False)
    watch = subprocess.Popen(
        [str(BIN / "northstar"), "render", "--out", "docs", "--watch"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **CLOCK},
        preexec_fn=sigint_as_at_a_terminal,  # noqa: PLW1509 - only signal(); Ctrl+C stops it below, however the suite started
    )
    try:
        strategy = project / "docs" / "plan" / "strategy.md"
        _wait(strategy.is_file)
        sales = project / "plan" / "execution" / "2026-q4" / "sales.yml"
        text = sales.read_text(encoding="utf-8")
        sales.write_text(text.replace("Qualified mid-market pipeline", "Qualified pipeline, watched"), encoding="utf-8")
        page = project / "docs" / "plan" / "teams" / "sales.md"
        _wait(lambda: "Qualified pipeline, watched" in page.read_text(encoding="utf-8"))
        config = project / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("Direction", "Where we go"), encoding="utf-8")
        _wait(lambda: "# Where we go" in strategy.read_text(encoding="utf-8"))
    finally:
        watch.send_signal(signal.SIGINT)
        out, err = watch.communicate(timeout=60)
    assert watch.returncode == 0, err
    assert out.count("(") >= 3 and "Watching" in out  # three renders said, and what it watched
