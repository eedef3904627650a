"""Screenshots of the example site's plan pages in real headless Chromium: desktop, phone and dark.

Usage: python scripts/screenshots.py [--out docs/images] [--site site]
Builds nothing itself: run `mkdocs build` first. Serves the site on 127.0.0.1 for the browser.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from mkdocs_northstar.pdf import PdfError, find_browser, print_one_page, serve

SHOTS = {
    "strategy": ("strategy/", 1280, 1600, "light"),
    "team": ("teams/sales-alberta/", 1280, 1600, "light"),
    "alignment": ("alignment/", 1280, 1600, "light"),
    "changes": ("changes/", 1280, 1600, "light"),
    "one-page-plan": ("one-page-plan/", 1400, 1000, "light"),
    "team-phone": ("teams/sales-alberta/", 390, 1400, "light"),
    "alignment-dark": ("alignment/", 1280, 1200, "dark"),
    "review-week": ("reviews/week/", 1280, 1400, "light"),
    "review-week-phone": ("reviews/week/", 390, 1400, "light"),
    "review-quarter-dark": ("reviews/quarter/", 1280, 1200, "dark"),
}
"""name -> (page, width, height, colour scheme): desktop, a 390 px phone and the dark scheme."""


def shoot(page: Any, url: str, out: Path) -> None:
    page.goto(url, wait_until="load")
    page.screenshot(path=str(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", type=Path, default=Path("site"))
    parser.add_argument("--out", type=Path, default=Path("docs/images"))
    args = parser.parse_args(argv)
    browser = find_browser()
    if browser is None:
        print("screenshots: Chromium not found; install it (e.g. apt-get install chromium)", file=sys.stderr)
        return 1
    if not (args.site / "index.html").is_file():
        print(f"screenshots: no built site in {args.site}; run `mkdocs build` first", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - the test extras have it

    with serve(args.site) as base, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=browser, args=["--no-sandbox", "--disable-gpu"])
        for name, (path, width, height, scheme) in SHOTS.items():
            target = args.out / f"{name}.png"
            tab = chromium.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
            shoot(tab, base + path, target)
            tab.close()
            print(target.as_posix())
        chromium.close()
    printed = args.out / "one-page-plan-print.png"
    if shoot_printed(args.site, printed):
        print(printed.as_posix())
    return 0


def shoot_printed(site: Path, out: Path) -> bool:
    """The one-page plan exactly as it prints: `northstar pdf` on A4, rasterised at 120 dpi.

    Needs Playwright (test extras) and pdftoppm (Debian's poppler-utils); returns False without them.
    """
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        try:
            pdf = print_one_page(site, Path(tmp) / "plan.pdf", paper="a4")
        except PdfError:
            return False
        subprocess.run([pdftoppm, "-r", "120", "-png", "-singlefile", str(pdf), str(out.with_suffix(""))], check=True)
    return True


if __name__ == "__main__":
    sys.exit(main())
