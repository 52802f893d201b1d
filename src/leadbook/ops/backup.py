"""A consistent copy of an SQLite database, taken while it is being served."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def sqlite_backup(source: Path, target: Path) -> int:
    """Copies the SQLite database ``source`` to the new file ``target`` with SQLite's
    online backup API, in one step (one read transaction: a snapshot, however many
    writers go on); returns the copy's size in bytes."""
    if target.exists():
        raise FileExistsError(f"{target} exists; name a new file")
    # mode=ro: a missing source is an error, never a new empty database
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    return target.stat().st_size
