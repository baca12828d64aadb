"""Applications to join and to move up a class, and their review by the secretariat."""
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from society_saas.core.audit import actor_id
from society_saas.core.db import utcnow
from society_saas.core.errors import ServiceError
from society_saas.core.i18n import current_language
from society_saas.core.mail import send_mail
from society_saas.extensions import db
from society_saas.members.models import (ApplicationKind, ApplicationStatus as A, Member, MemberApplication,
                                         MemberClass, MemberStatus)
from society_saas.members.services.classes import class_by_code
from society_saas.members.services.common import CN, today_cn
from society_saas.members.services.records import (CURRENT, UPDATABLE, _as_bool, _check_id_unique, create_member,
                                                   record_of_account, update_member, validate_member_data)

OPEN = {A.submitted, A.under_review, A.more_info}
REJOINABLE = (MemberStatus.lapsed, MemberStatus.resigned)  # an ended membership a new application renews
EXCHANGE = "exchange"  # key in an application's data: the more-information questions and answers


def _check_open(app: MemberApplication, allowed=OPEN) -> None:
    if app.status not in allowed:
        raise ServiceError(_("This application has already been decided."), field="status")


def membership_years(member: Member, today=None) -> int:
    """Whole years since the member joined; 0 when the join date is unknown."""
    if member.join_date is None:
        return 0
    today = today or today_cn()
    joined = member.join_date
    return today.year - joined.year - ((today.month, today.day) < (joined.month, joined.day))


def check_eligibility(member_class: MemberClass, *, member: Member | None = None, senior_title: bool = False) -> None:
    """The one rule for getting a class by application: on filing, on upgrade and on approval (newcomer: 0 years)."""
    if member_class.elected:
        raise ServiceError(_("Fellows are elected by the council; nobody can apply for it."), field="class_code")
    name = member_class.label(current_language())
    needed = member_class.min_years or 0
    years = membership_years(member) if member is not None else 0
    if years < needed:
        if member is None:
            message = _("Membership class “%(cls)s” needs %(n)d years of membership, so newcomers cannot apply for "
                        "it. Choose another class; after %(n)d years you can apply for a higher class on your "
                        "My profile page.", cls=name, n=needed)
        else:
            message = _("Membership class “%(cls)s” needs %(n)d years of membership; so far %(years)d.",
                        cls=name, n=needed, years=years)
        raise ServiceError(message, field="class_code")
    if member_class.requires_senior_title and not senior_title:
        if member is None:
            message = _("“%(cls)s” needs a senior professional title (associate senior or above). If you hold one, "
                        "tick “I hold a senior professional title” and give it under Professional title.", cls=name)
        else:
            message = _("“%(cls)s” needs a senior professional title (associate senior or above), and none is "
                        "recorded for the member; the secretariat records it first.", cls=name)
        raise ServiceError(message, field="senior_title")


def open_to_newcomers(member_class: MemberClass) -> bool:
    """Whether someone not yet a member may apply for the class (holding any title it asks for)."""
    try:
        check_eligibility(member_class, senior_title=True)
    except ServiceError:
        return False
    return True


def _day(moment) -> str:
    return moment.astimezone(CN).date().isoformat()


def open_join_application(user_id) -> MemberApplication | None:
    """The account's application to join the current society that is still open, if any."""
    if user_id is None:
        return None
    return db.session.scalar(select(MemberApplication).where(
        MemberApplication.applicant_user_id == user_id, MemberApplication.kind == ApplicationKind.join,
        MemberApplication.status.in_(OPEN)).order_by(MemberApplication.submitted_at, MemberApplication.id).limit(1))


def open_upgrade(member: Member) -> MemberApplication | None:
    """The member's application for a higher class that is still open, if any."""
    return db.session.scalar(select(MemberApplication).where(
        MemberApplication.member_id == member.id, MemberApplication.kind == ApplicationKind.upgrade,
        MemberApplication.status.in_(OPEN)).order_by(MemberApplication.submitted_at, MemberApplication.id).limit(1))


def check_may_join(user, *, staff: bool = False) -> Member | None:
    """Refuse a join from a member here or (when filing) a pending applicant; return the ended record it renews."""
    from society_saas.members.services.lifecycle import status_label

    user_id = getattr(user, "id", None)
    record = record_of_account(user_id)
    if record is not None and record.status not in REJOINABLE:
        number, status = record.member_number or "—", status_label(record.status)
        if staff and record.status in CURRENT:
            message = _("The applicant is already a member (member number %(number)s, %(status)s); reject this "
                        "application rather than approve it.", number=number, status=status)
        elif staff:
            message = _("The applicant’s record (member number %(number)s) is %(status)s, which approving an "
                        "application cannot renew.", number=number, status=status)
        elif record.status == MemberStatus.active:
            message = _("You are already a member of this society (member number %(number)s), so you need not "
                        "apply again. Your membership is on My profile, where you can also apply for a higher "
                        "class.", number=number)
        elif record.status == MemberStatus.grace:
            message = _("Your membership (member number %(number)s) has run out and is in its grace period: pay "
                        "your dues under My dues to keep it; you need not apply again.", number=number)
        else:
            message = _("Your membership record (member number %(number)s) is %(status)s and cannot be renewed by "
                        "an online application; please contact the secretariat.", number=number, status=status)
        raise ServiceError(message, field="member_id")
    if not staff:
        pending = open_join_application(user_id)
        if pending is not None:
            raise ServiceError(_("You applied to join on %(date)s and that application is still open, so you need "
                                 "not apply again; follow it under My applications.", date=_day(pending.submitted_at)),
                               field="status")
    return record


def submit_application(society, actor, data: dict) -> MemberApplication:
    """File an application to join: not from a member nor twice, in a class open to newcomers, with valid data."""
    ended = check_may_join(actor)
    member_class = class_by_code(data.get("class_code") or "")
    fields = {k: v for k, v in data.items() if k not in ("class_code", "attachments")}
    clean, errors = validate_member_data(fields, institutional=member_class.is_institutional)
    if not clean.get("mobile") and not clean.get("email"):
        errors.setdefault("mobile", [_("Give a mobile number or an email address.")])
    try:
        check_eligibility(member_class, senior_title=bool(clean.get("senior_title")))
    except ServiceError as exc:
        # the class's refusal first, then the other fields' errors, so the form shows them all at once
        merged = {key: list(messages) for key, messages in exc.errors.items()}
        for key, messages in errors.items():
            merged.setdefault(key, []).extend(messages)
        errors = merged
    if errors:
        field, messages = next(iter(errors.items()))
        raise ServiceError(messages[0], field=field, errors=errors)
    _check_id_unique(clean, exclude=ended.id if ended is not None else None)
    app = MemberApplication(society_id=society.id, kind=ApplicationKind.join, status=A.submitted,
                            applicant_user_id=actor_id(actor), applicant_name=clean["name"], class_id=member_class.id,
                            data={k: v for k, v in fields.items() if v not in (None, "")},
                            attachments=list(data.get("attachments") or []))
    db.session.add(app)
    db.session.flush()
    return app


def submit_upgrade(society, actor, member: Member, data: dict) -> MemberApplication:
    """A member applies for a higher class, one application at a time; eligibility (years, title) is checked now."""
    target = class_by_code(data.get("class_code") or "")
    current = member.member_class
    if target.is_institutional or current.is_institutional or target.sort_order <= current.sort_order:
        raise ServiceError(_("Choose a higher class than the current one."), field="class_code")
    if member.status != MemberStatus.active:
        raise ServiceError(_("Only active members can apply for a higher class."), field="class_code")
    pending = open_upgrade(member)
    if pending is not None:
        name = pending.member_class.label(current_language())
        raise ServiceError(_("You applied to move up to “%(cls)s” on %(date)s and the secretariat has not decided "
                             "yet; you can apply again once it has.", cls=name, date=_day(pending.submitted_at)),
                           field="class_code")
    check_eligibility(target, member=member, senior_title=member.senior_title)
    app = MemberApplication(society_id=society.id, kind=ApplicationKind.upgrade, status=A.submitted,
                            applicant_user_id=member.user_id or actor_id(actor), applicant_name=member.name,
                            class_id=target.id, member_id=member.id, data={"note": data.get("note") or ""},
                            attachments=list(data.get("attachments") or []))
    db.session.add(app)
    db.session.flush()
    return app


def start_review(society, actor, app: MemberApplication, data: dict | None = None) -> MemberApplication:
    """The secretariat takes up an application."""
    _check_open(app, {A.submitted})
    app.status = A.under_review
    db.session.flush()
    return app


def request_more_info(society, actor, app: MemberApplication, data: dict) -> MemberApplication:
    """Ask the applicant for more information; the question is required and kept with the answers."""
    _check_open(app, {A.submitted, A.under_review})
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise ServiceError(_("Say what information is missing."), field="reason")
    app.status = A.more_info
    app.reason = reason
    _note(app, "secretariat", reason)
    db.session.flush()
    return app


def resubmit(society, actor, app: MemberApplication, data: dict) -> MemberApplication:
    """The applicant answers a request for more information; the answer is kept in the exchange."""
    _check_open(app, {A.more_info})
    answer = (data.get("answer") or "").strip()
    files = list(data.get("attachments") or [])
    fields = {k: v for k, v in data.items() if k not in ("attachments", "answer", EXCHANGE) and v not in (None, "")}
    if not answer and not files and not fields:
        raise ServiceError(_("Write an answer or attach a file."), field="reason")
    app.data = {**app.data, **fields}
    app.attachments = list(app.attachments or []) + files
    _note(app, "applicant", answer, files=[f.get("name") for f in files])
    app.status = A.submitted
    db.session.flush()
    return app


def exchange(app: MemberApplication) -> list[dict]:
    """The questions the secretariat asked and the applicant's answers, oldest first."""
    return list((app.data or {}).get(EXCHANGE) or [])


def _note(app: MemberApplication, by: str, text: str, files: list | None = None) -> None:
    entry = {"at": utcnow().isoformat(timespec="minutes"), "by": by, "text": text}
    if files:
        entry["files"] = files
    app.data = {**(app.data or {}), EXCHANGE: exchange(app) + [entry]}  # a new dict, so the JSON change is saved


def reject(society, actor, app: MemberApplication, data: dict) -> MemberApplication:
    """Refuse an application; the reason is required and shown to the applicant."""
    _check_open(app)
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise ServiceError(_("Give the reason for the rejection."), field="reason")
    app.status, app.reason = A.rejected, reason
    app.decided_at, app.decided_by = utcnow(), actor_id(actor)
    db.session.flush()
    return app


def approve(society, actor, app: MemberApplication, data: dict | None = None) -> Member:
    """Admit the applicant (or renew their ended membership on the same record), or move the member up a class."""
    from society_saas.members.services.lifecycle import change_class

    data = data or {}
    _check_open(app)
    # checked again as things stand now: an application filed before the rule (or the class) changed, or a
    # member whose title was since struck from the record, must not slip through
    if app.kind == ApplicationKind.upgrade:
        member = db.session.get(Member, (society.id, app.member_id))
        check_eligibility(app.member_class, member=member, senior_title=member.senior_title)
        change_class(society, actor, member, app.member_class, reference=data.get("reference"))
    else:
        user = _lock_account(app.applicant_user_id)
        # as things stand now: the applicant may have been admitted on another application since filing this one
        ended = check_may_join(user, staff=True) if user is not None else None
        check_eligibility(app.member_class, senior_title=bool(_as_bool((app.data or {}).get("senior_title"))))
        person = {k: v for k, v in app.data.items() if k != EXCHANGE}
        if ended is not None:
            member = _rejoin(society, actor, ended, person, app.member_class, reference=data.get("reference"))
        else:
            member = create_member(society, actor, person, app.member_class, number=data.get("member_number"),
                                   user=user)
        app.member_id = member.id
        if user is not None:
            _give_member_role(society, actor, user)
        if member.email or (user and user.email):
            _welcome(society, member, member.email or user.email)
    app.status = A.approved
    app.decided_at, app.decided_by = utcnow(), actor_id(actor)
    db.session.flush()
    return member


def _user_model():
    from society_saas.accounts.models import User

    return User


def _lock_account(user_id):
    # locked until the decision is saved (PostgreSQL): two staff approving two applications of one person at once
    # are taken one after the other, so the second sees the member the first made
    if user_id is None:
        return None
    User = _user_model()
    return db.session.scalar(select(User).where(User.id == user_id).with_for_update())


def _rejoin(society, actor, member: Member, person: dict, member_class: MemberClass, reference=None) -> Member:
    """Renew a lapsed or resigned membership from an approved application: same record, number and history."""
    from society_saas.members.services.lifecycle import change_class, reinstate

    # the join date stays the first one; an ID type only comes with a new ID number (the form always sends one)
    kept = {"join_date"} | (set() if person.get("id_number") else {"id_type"})
    update_member(society, actor, member, {k: v for k, v in person.items()
                                           if k not in kept and (k in UPDATABLE or k == "id_number")})
    reinstate(society, actor, member, {"note": "application"})
    if member.class_id != member_class.id:
        change_class(society, actor, member, member_class, reference=reference)
    return member


def _give_member_role(society, actor, user) -> None:
    from sqlalchemy import select

    from society_saas.accounts import services as accounts
    from society_saas.accounts.models import SocietyRole, SocietyRoleName

    held = db.session.scalar(select(SocietyRole.id).where(SocietyRole.user_id == user.id,
                                                          SocietyRole.role == SocietyRoleName.member))
    if held is None:
        accounts.assign_society_role(society, actor, user, SocietyRoleName.member)


def _welcome(society, member: Member, to: str) -> None:
    subject = _("Welcome to %(society)s", society=society.name)
    body = _("Dear %(name)s,\n\nyour application has been approved. You are now a %(cls)s of %(society)s; "
             "your member number is %(number)s.\n", name=member.name, cls=member.member_class.name_zh,
             society=society.name, number=member.member_number)
    if current_app:
        send_mail(to, subject, body)
