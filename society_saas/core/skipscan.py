"""Distinct values of an indexed column by a skip scan: one index probe per value, not a scan of the rows.

PostgreSQL 15 answers `SELECT DISTINCT col ... WHERE society_id = ?` by reading every row of the society;
a recursive query that asks the (society_id, col) index for the next value up costs one probe per
distinct value instead (a handful of years or regions against tens of thousands of rows). SQLite runs
the same SQL.
"""
from sqlalchemy import func, select

from society_saas.extensions import db


def distinct_values(column, *where, above=None, descending: bool = False) -> list:
    """The distinct non-null values of `column` among the rows matching `where`, in order (`above`: only
    values greater than it, e.g. "" to leave out empty text)."""
    name = column.key
    first_where = list(where) + ([column > above] if above is not None else [])
    step = func.max if descending else func.min
    found = select(step(column).label(name)).where(*first_where).cte(f"{name}_values", recursive=True)
    beyond = column < found.c[name] if descending else column > found.c[name]
    following = select(step(column)).where(*where, beyond).scalar_subquery()
    found = found.union_all(select(following).where(found.c[name].is_not(None)))
    return list(db.session.scalars(select(found.c[name]).where(found.c[name].is_not(None))))
