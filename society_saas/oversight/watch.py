"""The watchlist of weak societies (软弱涣散) and the reform tasks (改革任务清单)."""
import uuid
from datetime import date

from flask import current_app, has_app_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.oversight import inputs, queries
from society_saas.oversight.assessment import flush_all
from society_saas.oversight.models import AssessmentResult, AssessmentScheme, ReformTask, SchemeState, WatchAction
from society_saas.tenancy.context import cross_society, society_context
from society_saas.tenancy.models import Society

ACTION_LABELS = {"talk": _l("Talk with the leaders"), "notice": _l("Rectification notice"),
                 "exit": _l("Exit proposed"), "other": _l("Other")}


def _setting(name: str, default):
    return current_app.config.get(name, default) if has_app_context() else default


def watchlist(on: date) -> list[dict]:
    """Societies failing the assessment in consecutive finalised years, or overdue for renewal beyond the limit.

    Three set-based queries (results of the last years, renewal standings, follow-up actions)."""
    years = int(_setting("WATCH_FAILED_YEARS", 2))
    limit = int(_setting("WATCH_OVERDUE_DAYS", 180))
    schemes = list(db.session.scalars(select(AssessmentScheme).where(AssessmentScheme.state == SchemeState.finalised)
                                      .order_by(AssessmentScheme.year.desc()).limit(years)))
    failed: dict = {}
    # "years running": the latest finalised years must follow one another, without a year missing between
    if len(schemes) == years and all(s.year == schemes[0].year - n for n, s in enumerate(schemes)):
        with cross_society():
            rows = db.session.execute(select(AssessmentResult.society_id, AssessmentResult.scheme_id)
                                      .where(AssessmentResult.scheme_id.in_([s.id for s in schemes]),
                                             AssessmentResult.grade == "fail")).all()
        for sid, _scheme in rows:
            failed[sid] = failed.get(sid, 0) + 1
    reasons: dict = {}
    for sid, n in failed.items():
        if n == years:
            reasons.setdefault(sid, []).append(_("Failed the assessment %(n)d years running", n=years))
    for sid, r in queries.renewal_status(on).items():
        if r["status"] == "overdue" and r["overdue_days"] > limit:
            reasons.setdefault(sid, []).append(_("Renewal overdue by %(n)d days", n=r["overdue_days"]))
    if not reasons:
        return []
    with cross_society():
        societies = {s.id: s for s in db.session.scalars(select(Society).where(Society.id.in_(list(reasons))))}
        actions: dict = {}
        for a in db.session.scalars(select(WatchAction).where(WatchAction.society_id.in_(list(reasons)))
                                    .order_by(WatchAction.taken_on.desc())):
            actions.setdefault(a.society_id, []).append(a)
    return sorted(({"society": societies[sid], "reasons": why, "actions": actions.get(sid, [])}
                   for sid, why in reasons.items() if sid in societies), key=lambda r: r["society"].name)


def record_action(society, actor, data: dict) -> WatchAction:
    """Record a follow-up action taken about a weak society (in the society's context)."""
    from society_saas.oversight.activities import today

    action = data.get("action")
    if action not in ACTION_LABELS:
        raise ServiceError(_("Choose the action."), field="action")
    taken_on = inputs.day(data.get("taken_on"), "taken_on", _l("Date"), required=False) or today()
    note = inputs.text(data.get("note"), "note", _l("Note"))
    with society_context(society.id):
        row = WatchAction(society_id=society.id, action=action, note=note, taken_on=taken_on,
                          actor_label=getattr(actor, "name", None))
        db.session.add(row)
        flush_all()
    return row


def reform_target() -> float:
    """The association's completion target in percent (REFORM_TARGET, default 90)."""
    return float(_setting("REFORM_TARGET", 90))


def list_tasks() -> list[ReformTask]:
    """Every reform task by deadline."""
    return list(db.session.scalars(select(ReformTask).order_by(ReformTask.deadline, ReformTask.code)))


def completion(tasks: list[ReformTask], on: date) -> dict:
    """Completed, total, rate in percent, overdue and whether the target is reached."""
    done = sum(1 for t in tasks if t.completed_on)
    overdue = sum(1 for t in tasks if not t.completed_on and t.deadline < on)
    rate = round(100.0 * done / len(tasks), 1) if tasks else 0.0
    return {"done": done, "total": len(tasks), "rate": rate, "overdue": overdue, "target": reform_target(),
            "met": bool(tasks) and rate >= reform_target()}


def save_task(actor, data: dict, task: ReformTask | None = None) -> ReformTask:
    """Create a reform task, or update its progress and evidence; 100% marks it completed."""
    from society_saas.oversight.activities import today

    new = task is None
    if new:
        code = inputs.text(data.get("code"), "code", _l("Code"), max_length=20)
        title = inputs.text(data.get("title"), "title", _l("Task"), max_length=300)
        deadline = inputs.day(data.get("deadline"), "deadline", _l("Deadline"))
        department = inputs.text(data.get("owner_department"), "owner_department", _l("Owner department"),
                                 required=False, max_length=100)
        owner_society = _society_id(data.get("owner_society"))
        if not owner_society and not department:
            raise ServiceError(_("Name the owner: a department or a society."), field="owner_department")
        if db.session.scalar(select(ReformTask).where(ReformTask.code == code)):
            raise ServiceError(_("This code is already used."), field="code")
        task = ReformTask(code=code, title=title, deadline=deadline, owner_department=department,
                          owner_society=owner_society, progress=0)
    progress = inputs.whole(data.get("progress"), "progress", _l("Progress"), required=False, high=100)
    evidence = inputs.text(data.get("evidence"), "evidence", _l("Evidence"), required=False)
    if new:
        db.session.add(task)
    if progress is not None:
        task.progress = progress
        task.completed_on = (task.completed_on or today()) if progress == 100 else None
    if evidence:
        task.evidence = evidence
    db.session.flush()
    return task


def _society_id(value) -> uuid.UUID | None:
    if not value:
        return None
    try:
        society_id = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        society_id = None
    if society_id is None or db.session.get(Society, society_id) is None:
        raise ServiceError(_("%(field)s: choose a society from the list.", field=_l("Owner society")),
                           field="owner_society")
    return society_id
