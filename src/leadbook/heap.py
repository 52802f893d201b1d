"""The objects a worker makes while it starts (modules, routes, models, mappers: most of
its heap) put out of the cyclic garbage collector's reach (``gc.freeze``), so its full
collections walk what requests made only: without it one request in ten or so paid a full
collection over the whole heap (a board at 1M leads: 170–180 ms instead of 26–43, the
p90s of docs/performance.md). They are still freed when their last reference goes."""

from __future__ import annotations

import gc


def freeze() -> None:
    """Collects what is garbage now, then freezes every object left."""
    gc.collect()
    gc.freeze()
