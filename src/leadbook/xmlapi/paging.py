"""``?page=`` and ``?per_page=``: lenient, as clients of this API expect."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 250


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    def total_pages(self, total: int) -> int:
        """Returns how many pages ``total`` items fill; 1 when there are none."""
        return max(1, -(-total // self.size))


def page(number: str | None, size: str | None) -> Page:
    """Returns the page asked for; a missing, non-numeric or too small value means the default."""
    n = _positive(number) or 1
    per = min(_positive(size) or DEFAULT_PER_PAGE, MAX_PER_PAGE)
    return Page(n, per)


def _positive(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) < 10**9 else None
