"""Activities of one society (and their filing with the association)."""
import uuid

from flask import g
from flask_smorest import abort

from society_saas.api.schemas import ActivityCreateSchema, ActivityFilterArgs, ActivityPageSchema, ActivitySchema
from society_saas.api.web import page_of, rule, society_blueprint
from society_saas.extensions import db
from society_saas.oversight import activities

bp = society_blueprint("api_activities", __name__, "", "Activities and their filing.")


@bp.get("/activities")
@bp.arguments(ActivityFilterArgs, location="query")
@bp.response(200, ActivityPageSchema)
@rule("society.activities.manage")
def list_activities(args):
    """The society's activities, newest first, optionally of one year, a page at a time."""
    return page_of(activities.activities_query(g.society, args.get("year")), args)


@bp.get("/activities/<uuid:activity_id>")
@bp.response(200, ActivitySchema)
@rule("society.activities.manage")
def get_activity(activity_id: uuid.UUID):
    """One activity."""
    try:
        return activities.get_activity(g.society, activity_id)
    except LookupError:
        abort(404)


@bp.post("/activities")
@bp.arguments(ActivityCreateSchema)
@bp.response(201, ActivitySchema)
@rule("society.activities.manage", write=True)
def record_activity(data):
    """Record an activity; one held in the association's name starts as a draft to be filed."""
    activity = activities.record_activity(g.society, g.api_token.user, data)
    db.session.commit()
    return activity
