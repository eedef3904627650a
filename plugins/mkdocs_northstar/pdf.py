"""Print the built one-page plan to PDF with headless Chromium (through Playwright, if installed).

Kept apart from the CLI so the dependency is optional: `pip install 'mkdocs-northstar[pdf]'`.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
PAPERS = {"a4": "A4", "letter": "Letter"}


class PdfError(Exception):
    """What is missing to print, and how to get it."""


def find_browser() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve `site` on 127.0.0.1 for the browser; yields the base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            if not isinstance(sys.exc_info()[1], ConnectionError):  # the browser closed a tab mid-download
                super().handle_error(request, client_address)  # type: ignore[arg-type]

    server = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def print_one_page(site: Path, out: Path, *, paper: str = "a4", page: str = "one-page-plan/") -> Path:
    """Write the one-page plan of the built `site` to `out` as a landscape PDF on `paper`; `page`
    is its URL in the site (`one-page-plan/`, `plan/one-page-plan.html`).

    Raises:
        PdfError: the site is not built, or Playwright or Chromium is missing.
    """
    built = site / page / "index.html" if page.endswith("/") else site / page
    if not built.is_file():
        raise PdfError(f"{built.as_posix()} not found: build the site first (mkdocs build)")
    browser = find_browser()
    if browser is None:
        raise PdfError("Chromium is not installed; install it (e.g. apt-get install chromium) to print PDFs")
    try:
        from playwright.sync_api import Error, sync_playwright  # noqa: PLC0415 - optional dependency
    except ImportError:
        raise PdfError("printing needs Playwright: pip install 'mkdocs-northstar[pdf]'") from None
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with serve(site) as base, sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=browser, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
            )
            tab = chromium.new_page()
            tab.goto(base + page, wait_until="load")
            tab.pdf(path=str(out), format=PAPERS[paper], landscape=True, print_background=True)
            chromium.close()
    except Error as exc:
        raise PdfError(f"Chromium could not print: {exc.message}") from None
    return out
