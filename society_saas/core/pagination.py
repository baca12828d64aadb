"""Offset pagination for list pages: one COUNT and one page query."""
from dataclasses import dataclass

from sqlalchemy import func, select

from society_saas.extensions import db


@dataclass
class Page:
    """One page of results with what the pager needs."""

    items: list
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(query, number: int = 1, per_page: int = 50, tuples: bool = False, count_query=None,
             count_in_page: bool = False) -> Page:
    """Run a select for one page and count the whole result (`count_query`: a cheaper select of as many
    rows, e.g. without joins that neither filter nor multiply them; `count_in_page`: count with a window
    function in the page's own query, for selects that read every matching row anyway, such as a
    substring search)."""
    number = max(1, number or 1)
    offset = (number - 1) * per_page
    if count_in_page:
        rows = db.session.execute(query.add_columns(func.count().over()).limit(per_page).offset(offset)).all()
        if rows or number == 1:
            items = [tuple(r[:-1]) if tuples else r[0] for r in rows]
            return Page(items=items, number=number, per_page=per_page, total=rows[0][-1] if rows else 0)
    counted = (count_query if count_query is not None else query).order_by(None)
    total = db.session.scalar(select(func.count()).select_from(counted.subquery()))
    page_query = query.limit(per_page).offset(offset)
    items = list(db.session.execute(page_query).tuples()) if tuples else list(db.session.scalars(page_query))
    return Page(items=items, number=number, per_page=per_page, total=total or 0)
