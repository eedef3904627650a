"""Watching the plan folder under `mkdocs serve`, through removals and restores.

MkDocs' watcher stops for good when the folder it watches disappears (a branch switch that removes
`plan/`, `mv plan away && mv away plan`, an undo), and ignores events on folders, so after that no
edit is ever seen again. `PlanWatch` looks at the folder itself, a listing of every entry's
identity, size, mode and modification time, and so sees a folder go, come back or be swapped as
well as an edit. It asks the server for a rebuild the one public way there is: by changing a file
in a folder of its own (in the system's temporary folder) that the server watches.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

Listing = tuple[tuple[str, int, int, int, int], ...] | None
"""(path, inode, size, mode, modified ns) of every entry under a folder, in order; None when it is missing."""


class Watcher(Protocol):
    """What `PlanWatch` needs of MkDocs' live-reload server."""

    def watch(self, path: str) -> None: ...


def listing(root: Path) -> Listing:
    """What `PlanWatch` compares: every entry under `root`, without following linked folders."""
    found: list[tuple[str, int, int, int, int]] = []
    try:
        top = root.stat()
    except OSError:
        return None
    found.append(("", top.st_ino, 0, top.st_mode, top.st_mtime_ns))
    for folder, names, files in os.walk(root):
        names.sort()
        for name in (*sorted(files), *names):
            path = os.path.join(folder, name)  # noqa: PTH118 - strings, as os.walk gives them, twice a second
            try:
                st = os.lstat(path)
            except OSError:  # removed while walking: the next look sees it gone
                continue
            found.append((path, st.st_ino, st.st_size, st.st_mode, st.st_mtime_ns))
    return tuple(found)


class PlanWatch:
    """Asks `server` for a rebuild whenever anything under `root` changes, `root` itself included."""

    def __init__(self, server: Watcher, root: Path, *, also: Iterable[Path] = (), interval: float = 0.5) -> None:
        """Watch `root`, and have the server watch `also` (files and folders that do not go away) itself."""
        self.root = root
        self.interval = interval
        self._folder = Path(tempfile.mkdtemp(prefix="northstar-serve-"))
        self._signal = self._folder / "rebuild"
        self._stop = threading.Event()
        self._last = listing(root)
        self._signal.touch()
        server.watch(str(self._folder))
        for path in also:
            server.watch(str(path))
        self._thread = threading.Thread(target=self._run, name="northstar-plan-watch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            now = listing(self.root)
            if now != self._last:
                self._last = now
                with self._signal.open("ab") as signal:  # one byte more: a new size even within one clock tick
                    signal.write(b".")

    def close(self) -> None:
        """Stop looking and remove the signal folder."""
        self._stop.set()
        self._thread.join()
        shutil.rmtree(self._folder, ignore_errors=True)
