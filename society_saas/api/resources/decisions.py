"""The 三重一大 decision register of one society: read, and record through the same rules as the pages."""
import uuid

from flask import g

from society_saas.api.schemas import (
    DecisionCorrectionSchema, DecisionFilterArgs, DecisionFollowUpSchema, DecisionPageSchema, DecisionRecordSchema,
    DecisionSchema, DecisionStateSchema,
)
from society_saas.api.web import rule, society_blueprint
from society_saas.decisions import services
from society_saas.extensions import db

bp = society_blueprint("api_decisions", __name__, "", "The decision register (三重一大) and its hash chain.")


@bp.get("/decisions")
@bp.arguments(DecisionFilterArgs, location="query")
@bp.response(200, DecisionPageSchema)
@rule("decisions.view")
def list_decisions(args):
    """The register, newest meeting first, filtered, one page at a time."""
    rows = services.list_decisions(g.society, kind=args.get("kind"), state=args.get("state"), year=args.get("year"),
                                   body=args.get("body"))
    page, per_page = args["page"], args["per_page"]
    return {"items": rows[(page - 1) * per_page:page * per_page], "total": len(rows), "page": page,
            "per_page": per_page, "pages": max(1, -(-len(rows) // per_page))}


@bp.get("/decisions/<uuid:decision_id>")
@bp.response(200, DecisionSchema)
@rule("decisions.view")
def get_decision(decision_id: uuid.UUID):
    """One decision with every entry of its chain."""
    return services.get_decision(g.society, decision_id)


@bp.post("/decisions")
@bp.arguments(DecisionRecordSchema)
@bp.response(201, DecisionSchema)
@rule("decisions.record", write=True)
def record_decision(data):
    """Record a decision; a breach of a collective decision rule answers 422 naming the rule."""
    entry = services.record_decision(g.society, g.api_token.user, data)
    db.session.commit()
    return services.get_decision(g.society, entry.decision_id)


def _append(verb, decision_id: uuid.UUID, data: dict):
    services.get_decision(g.society, decision_id)  # 404 for an unknown (or another society's) decision
    verb(g.society, g.api_token.user, {**data, "decision_id": decision_id})
    db.session.commit()
    return services.get_decision(g.society, decision_id)


@bp.post("/decisions/<uuid:decision_id>/state")
@bp.arguments(DecisionStateSchema)
@bp.response(201, DecisionSchema)
@rule("decisions.record", write=True)
def change_state(data, decision_id: uuid.UUID):
    """Record that an adopted decision is being carried out, or completed (a new entry of the chain)."""
    return _append(services.change_state, decision_id, data)


@bp.post("/decisions/<uuid:decision_id>/follow-ups")
@bp.arguments(DecisionFollowUpSchema)
@bp.response(201, DecisionSchema)
@rule("decisions.record", write=True)
def add_follow_up(data, decision_id: uuid.UUID):
    """Add a note on how the decision is carried out (a new entry of the chain)."""
    return _append(services.add_follow_up, decision_id, data)


@bp.post("/decisions/<uuid:decision_id>/corrections")
@bp.arguments(DecisionCorrectionSchema)
@bp.response(201, DecisionSchema)
@rule("decisions.record", write=True)
def add_correction(data, decision_id: uuid.UUID):
    """Correct an earlier entry with a new one pointing at it; a corrected record must meet the rules again."""
    return _append(services.add_correction, decision_id, data)
