"""No module under src/leadbook is above 400 lines (a longer one is usually two ideas);
generated migrations are exempt."""

from pathlib import Path

import pytest

import leadbook

pytestmark = pytest.mark.once

LIMIT = 400
PACKAGE = Path(leadbook.__file__).parent
EXEMPT = PACKAGE / "migrations" / "versions"


def test_no_module_above_the_limit():
    lengths = {
        path.relative_to(PACKAGE): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
        if EXEMPT not in path.parents
    }
    assert len(lengths) > 50  # the package was found
    assert {path: n for path, n in lengths.items() if n > LIMIT} == {}
