"""Screenshots of the example site's plan pages in real headless Chromium.

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

from mkdocs_northstar.pdf import PdfError, find_browser, print_one_page, serve

PAGES = {"strategy": "strategy/", "team": "teams/sales-alberta/", "alignment": "alignment/", "changes": "changes/"}
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def shoot(browser: str, url: str, out: Path, width: int = 1280, height: int = 1600) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser,
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={out}",
                url,
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


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
    with serve(args.site) as base:
        for name, path in PAGES.items():
            target = args.out / f"{name}.png"
            shoot(browser, base + path, target)
            print(target.as_posix())
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
