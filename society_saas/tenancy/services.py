"""Society verbs for the association: create, update, suspend, reactivate."""
import re

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import defer

from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.tenancy.models import Society, SocietyKind, SocietyStatus

SLUG_PATTERN = r"^[a-z][a-z0-9-]{0,39}$"

PROFILE_FIELDS = ("name", "short_name", "slug", "kind", "registration_no", "supporting_unit", "discipline",
                  "consortium", "contact_name", "contact_phone", "contact_email", "description")


def _check_profile(data: dict, exclude_id=None) -> None:
    if not re.fullmatch(SLUG_PATTERN, data.get("slug") or ""):
        raise ServiceError(_("Use up to 40 lower-case letters, digits or hyphens, starting with a letter."), field="slug")
    if data.get("kind") not in {k.value for k in SocietyKind}:
        raise ServiceError(_("Choose the kind of society."), field="kind")
    for field in ("name", "short_name"):
        if not (data.get(field) or "").strip():
            raise ServiceError(_("This field is required."), field=field)
    for field in ("slug", "name"):
        query = select(func.count()).select_from(Society).where(getattr(Society, field) == data[field])
        if exclude_id is not None:
            query = query.where(Society.id != exclude_id)
        if db.session.scalar(query):
            message = (_("The address name “%(v)s” is already used by another society.", v=data[field]) if field == "slug"
                       else _("A society named “%(v)s” already exists.", v=data[field]))
            raise ServiceError(message, field=field)


def create_society(actor, data: dict, settings: dict | None = None) -> Society:
    """Register a new society (tenant) from validated profile data."""
    _check_profile(data)
    society = Society(**{k: data.get(k) for k in PROFILE_FIELDS}, settings=settings or {})
    society.kind = SocietyKind(data["kind"])
    db.session.add(society)
    db.session.flush()
    return society


def update_society(actor, society: Society, data: dict) -> Society:
    """Change a society's profile; the slug and name stay unique."""
    _check_profile(data, exclude_id=society.id)
    for key in PROFILE_FIELDS:
        if key in data:
            setattr(society, key, data[key])
    society.kind = SocietyKind(data["kind"])
    db.session.flush()
    return society


def suspend_society(actor, society: Society, reason: str) -> None:
    """Suspend a society: its secretariat can no longer work; a reason is required."""
    if not (reason or "").strip():
        raise ServiceError(_("Give the reason for the suspension."), field="reason")
    society.status = SocietyStatus.suspended
    society.suspended_reason = reason.strip()
    db.session.flush()


def reactivate_society(actor, society: Society) -> None:
    """Lift a suspension."""
    society.status = SocietyStatus.active
    society.suspended_reason = None
    db.session.flush()


def list_societies(kind: str | None = None, status: str | None = None, q: str | None = None) -> list[Society]:
    """Societies for the console, filtered, by name; a kind or status that does not exist filters nothing."""
    # the settings (charter and more, JSON) are not shown in lists: decoding them for 300 societies cost
    # a tenth of the console's overview
    query = select(Society).options(defer(Society.settings)).order_by(Society.name)
    if kind in {k.value for k in SocietyKind}:
        query = query.where(Society.kind == SocietyKind(kind))
    if status in {s.value for s in SocietyStatus}:
        query = query.where(Society.status == SocietyStatus(status))
    if q:
        like = f"%{q.strip()}%"
        query = query.where(Society.name.ilike(like) | Society.short_name.ilike(like) | Society.slug.ilike(like))
    return list(db.session.scalars(query))
