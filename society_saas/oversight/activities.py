"""Activities and their review and filing (审核报备): verbs that add and flush, never commit."""
from datetime import date, timedelta

from flask import current_app, has_app_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from society_saas.core.clock import today_cn
from society_saas.core.db import utcnow
from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.oversight import inputs
from society_saas.oversight.models import Activity, ActivityKind, FilingState
from society_saas.tenancy.context import cross_society
from society_saas.tenancy.models import Society

DEFAULT_LEAD_DAYS = 15
MAX_PARTICIPANTS = 10_000_000
MAX_DESCRIPTION = 5000

KIND_LABELS = {
    ActivityKind.academic_conference: _l("Academic conference"),
    ActivityKind.brand_academic_event: _l("Brand academic event"),
    ActivityKind.popular_science: _l("Popular-science activity"),
    ActivityKind.training: _l("Training"),
    ActivityKind.think_tank_report: _l("Think-tank report"),
    ActivityKind.group_standard: _l("Group standard"),
    ActivityKind.award: _l("Award"),
    ActivityKind.journal_issue: _l("Journal issue"),
}
FILING_LABELS = {
    FilingState.not_required: _l("Recorded, no filing needed"),
    FilingState.draft: _l("Draft"),
    FilingState.submitted: _l("Submitted for review"),
    FilingState.approved: _l("Approved"),
    FilingState.returned: _l("Returned"),
}


def lead_days() -> int:
    """Days ahead an activity in the association's name must be submitted (FILING_LEAD_DAYS, default 15)."""
    if has_app_context():
        return int(current_app.config.get("FILING_LEAD_DAYS", DEFAULT_LEAD_DAYS))
    return DEFAULT_LEAD_DAYS


def today() -> date:
    """Today in Asia/Shanghai (the platform's calendar, core.clock), the oversight area's one "today"."""
    return today_cn()


def activities_query(society, year: int | None = None):
    """The society's activities, newest first in a stable order (a select, for pages; current society)."""
    stmt = select(Activity).order_by(Activity.starts_on.desc(), Activity.id.desc())
    if year:
        stmt = stmt.where(Activity.starts_on >= date(year, 1, 1), Activity.starts_on <= date(year, 12, 31))
    return stmt


def list_activities(society, year: int | None = None) -> list[Activity]:
    """The society's activities, newest first (scoped to the current society)."""
    return list(db.session.scalars(activities_query(society, year)))


def get_activity(society, activity_id) -> Activity:
    """One activity of this society, or a 404-style error."""
    activity = db.session.scalar(select(Activity).where(Activity.id == activity_id))
    if activity is None or activity.society_id != society.id:
        raise LookupError(activity_id)
    return activity


def record_activity(society, actor, data: dict) -> Activity:
    """Record an activity; one in the association's name starts as a draft to be filed (the web form and the API)."""
    try:
        kind = ActivityKind(data.get("kind"))
    except ValueError:
        raise ServiceError(_("Choose the kind of activity."), field="kind") from None
    title = inputs.text(data.get("title"), "title", _l("Title"), max_length=200)
    starts_on = inputs.day(data.get("starts_on"), "starts_on", _l("Starts on"))
    ends_on = inputs.day(data.get("ends_on"), "ends_on", _l("Ends on"), required=False)
    if ends_on and ends_on < starts_on:
        raise ServiceError(_("The end cannot be before the start."), field="ends_on")
    venue = inputs.text(data.get("venue"), "venue", _l("Venue"), required=False, max_length=200)
    participants = inputs.whole(data.get("participants"), "participants", _l("Participants"), required=False,
                                high=MAX_PARTICIPANTS)
    description = inputs.text(data.get("description"), "description", _l("Description"), required=False,
                              max_length=MAX_DESCRIPTION)
    in_name = data.get("in_association_name") in (True, "y", "on", "1", "true")
    activity = Activity(society_id=society.id, kind=kind, title=title, starts_on=starts_on, ends_on=ends_on,
                        venue=venue, participants=participants, description=description, in_association_name=in_name,
                        filing_state=FilingState.draft if in_name else FilingState.not_required)
    db.session.add(activity)
    db.session.flush()
    return activity


def submit_activity(society, actor, activity: Activity, on: date | None = None) -> Activity:
    """Submit a draft (or returned) activity for review, at least lead_days() before it starts."""
    if activity.filing_state not in (FilingState.draft, FilingState.returned):
        raise ServiceError(_("Only a draft or a returned activity can be submitted."))
    days = lead_days()
    if activity.starts_on < (on or today()) + timedelta(days=days):
        raise ServiceError(_("An activity in the association's name must be submitted at least %(n)d days ahead.",
                             n=days))
    activity.filing_state, activity.submitted_at = FilingState.submitted, utcnow()
    activity.review_comment = None
    db.session.flush()
    return activity


def review_activity(society, actor, activity: Activity, decision: str, comment: str | None) -> Activity:
    """The association approves or returns (with a comment) a submitted activity; run in the society's context."""
    if activity.filing_state != FilingState.submitted:
        raise ServiceError(_("Only a submitted activity can be reviewed."))
    comment = inputs.text(comment, "comment", _l("Comment"), required=False)
    if decision == "approve":
        activity.filing_state = FilingState.approved
    elif decision == "return":
        if not comment:
            raise ServiceError(_("Say why the activity is returned."), field="comment")
        activity.filing_state = FilingState.returned
    else:
        raise ServiceError(_("Approve or return the activity."))
    activity.reviewed_at, activity.review_comment = utcnow(), comment
    activity.reviewed_by = getattr(actor, "name", None)
    db.session.flush()
    return activity


def _filings_query(state: str | None):
    stmt = (select(Activity).where(Activity.in_association_name.is_(True))
            .order_by(Activity.starts_on, Activity.id))
    if state:
        return stmt.where(Activity.filing_state == FilingState(state))
    return stmt.where(Activity.filing_state != FilingState.draft)


def filings_page(state: str | None, number: int, per_page: int = 50):
    """Activities in the association's name across societies (read-only cross-society listing), one page of
    (activity, society), since every society's filings together run to thousands.

    The page is counted in its own query, which sorts every matching row anyway; the societies are read for
    the page's rows only (joined before the sort, each of thousands of rows carried a whole society)."""
    from society_saas.core.pagination import paginate

    with cross_society():
        page = paginate(_filings_query(state), number, per_page, count_in_page=True)
        ids = {activity.society_id for activity in page.items}
        societies = {s.id: s for s in db.session.scalars(select(Society).where(Society.id.in_(ids)))} if ids else {}
    page.items = [(activity, societies[activity.society_id]) for activity in page.items]
    return page
