"""Keeping Python's cycle collector out of the way of a build.

Reading a plan allocates hundreds of thousands of small objects that all stay alive, and each
automatic collection walks every one of them again: on a plan of a thousand teams that was most
of the load time. Nothing a read makes depends on a collection running mid-way (reference
counting still frees everything acyclic at once), so reads pause it and resume it after.

Rendering is the other way round: each page leaves short-lived cycles behind (a template's context
and its macros, a hundred or so objects a page). Paused, they piled up until the end of the build,
tens of megabytes on a large plan. So pages render with the collector running, and the plan they
read is frozen first, so those collections walk only what the rendering made.
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


@contextmanager
def frozen() -> Iterator[None]:
    """Run the block with every object alive now out of the collector's sight, and back in after."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
