"""Paging: the page number asked for, and pages for lists that don't come from a SQL query (search
results), shaped like Flask-SQLAlchemy's."""
from dataclasses import dataclass
from math import ceil

from .inputs import parse_int

MAX_PAGE = 100_000  # past any list here, and far from overflowing OFFSET (page × page size)


def page_number(raw) -> int:
    """The page asked for in the query string (1…MAX_PAGE); the first page for anything else."""
    return parse_int(raw, 1, MAX_PAGE) or 1


@dataclass(frozen=True)
class Page:
    """Page numbers for `total` items; same attribute names the pager macro uses for SQL pages."""

    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        """Whether there is a page before this one."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """Whether there is a page after this one."""
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        """The previous page number."""
        return self.page - 1

    @property
    def next_num(self) -> int:
        """The next page number."""
        return self.page + 1

    def iter_pages(self, left_edge=2, left_current=2, right_current=4, right_edge=2):
        """Page numbers to show, with None where a run is elided."""
        last = 0
        for n in range(1, self.pages + 1):
            if (n <= left_edge or self.page - left_current <= n <= self.page + right_current
                    or n > self.pages - right_edge):
                if last + 1 != n:
                    yield None
                yield n
                last = n
