"""Pausing Python's cycle collector while a plan is read.

Reading a plan allocates hundreds of thousands of small objects that all stay alive, and each
automatic collection walks every one of them again: on a plan of a thousand teams that was most
of the load time. Nothing a build makes depends on a collection running mid-way (reference
counting still frees everything acyclic at once), so builds pause it and resume it after.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Run the block without automatic cycle collection; nested pauses resume only at the outermost."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
