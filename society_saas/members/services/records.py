"""The member record: validation, creation, changes, the ledger query and audited full reads."""
import functools
import operator
import re
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import bindparam, false, or_, select

from society_saas.core import crypto
from society_saas.core.audit import log_event
from society_saas.core.errors import NotFoundError, ServiceError
from society_saas.extensions import db
from society_saas.members.models import Member, MemberClass, MemberEvent, MemberStatus
from society_saas.members.services.common import record_event, today_cn

GENDERS = ("male", "female")
ID_TYPES = ("resident_id", "passport", "hk_macao_permit", "taiwan_permit", "foreign_permit", "other")
NATIONALITIES = ("mainland", "hk", "macao", "taiwan", "foreign")
EDUCATION = ("doctorate", "master", "bachelor", "college", "other")
MOBILE = re.compile(r"^(\+?\d{6,15}|1[3-9]\d{9})$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
TEXT_FIELDS = ("name", "work_unit", "professional_title", "discipline", "region", "organisation", "contact_person")
UPDATABLE = ("name", "gender", "birth_date", "id_type", "mobile", "email", "work_unit", "professional_title",
             "senior_title", "education", "discipline", "region", "front_line", "nationality", "party_member",
             "organisation", "credit_code", "contact_person", "join_date")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
EARLIEST_DATE = date(1900, 1, 1)  # a birth or a joining before it is a typing error (9999, 1800)
CURRENT = (MemberStatus.active, MemberStatus.grace)


_RESIDENT_ID = re.compile(r"\d{17}[\dX]")


def resident_id_ok(number: str) -> bool:
    """True for an 18-character mainland resident ID with a valid check digit and birth date."""
    if not _RESIDENT_ID.fullmatch(number):
        return False
    check = "10X98765432"[sum(map(operator.mul, map(int, number[:17]), _ID_WEIGHTS)) % 11]
    try:
        # eight digits, so the same dates as strptime("%Y%m%d") accepts, without its cost per row of an import
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return check == number[17]


def _as_date(value, field: str, errors: dict):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        errors.setdefault(field, []).append(_("Give a date as YYYY-MM-DD."))
        return None


def _as_bool(value):
    if isinstance(value, bool) or value is None:
        return value
    text = str(value).strip().lower()
    if text in ("", "none"):
        return None
    return text in ("1", "true", "yes", "y", "是", "on")


def validate_member_data(data: dict, institutional: bool = False) -> tuple[dict, dict]:
    """Clean a member's fields; return (clean, errors by field) without touching the database."""
    errors: dict[str, list[str]] = {}
    clean: dict = {}

    def err(field, message):
        errors.setdefault(field, []).append(message)

    for key in TEXT_FIELDS:
        if key in data:
            clean[key] = (str(data[key]).strip() or None) if data[key] is not None else None
    if institutional and not clean.get("name") and clean.get("organisation"):
        clean["name"] = clean["organisation"]
    if not clean.get("name"):
        err("name", _("The name is required."))
    elif len(clean["name"]) > 200:
        err("name", _("The name is too long."))
    for key, allowed in (("gender", GENDERS), ("id_type", ID_TYPES), ("nationality", NATIONALITIES),
                         ("education", EDUCATION)):
        value = str(data.get(key) or "").strip() or None
        if value is not None and value not in allowed:
            err(key, _("“%(v)s” is not a valid choice.", v=value))
        if key in data:
            clean[key] = value
    clean["nationality"] = clean.get("nationality") or "mainland"
    if "birth_date" in data:
        clean["birth_date"] = _as_date(data.get("birth_date"), "birth_date", errors)
    if "join_date" in data:
        clean["join_date"] = _as_date(data.get("join_date"), "join_date", errors)
    mobile = str(data.get("mobile") or "").strip().replace(" ", "") or None
    if mobile and not MOBILE.match(mobile):
        err("mobile", _("This is not a valid mobile number."))
    email = str(data.get("email") or "").strip().lower() or None
    if email and not EMAIL.match(email):
        err("email", _("This is not a valid email address."))
    if "mobile" in data:
        clean["mobile"] = mobile
    if "email" in data:
        clean["email"] = email
    if not institutional and not mobile and not email and ("mobile" in data or "email" in data):
        err("mobile", _("Give a mobile number or an email address."))
    for key in ("front_line", "senior_title", "party_member"):
        if key in data:
            clean[key] = _as_bool(data[key])
    for key in ("front_line", "senior_title"):
        if key in clean and clean[key] is None:
            clean[key] = False
    number = str(data.get("id_number") or "").strip().upper() or None
    if number:
        id_type = clean.get("id_type") or "resident_id"
        clean["id_type"] = id_type
        resident_ok = id_type == "resident_id" and resident_id_ok(number)
        if id_type == "resident_id" and not resident_ok:
            err("id_number", _("This is not a valid resident ID number."))
        elif len(number) > 30:
            err("id_number", _("The ID number is too long."))
        if resident_ok and not clean.get("birth_date"):
            clean["birth_date"] = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        clean["id_number"] = number
    elif "id_number" in data:
        clean["id_number"] = None
    _check_dates(clean, errors, from_id_number="birth_date" not in data or not data.get("birth_date"))
    if institutional:
        code = str(data.get("credit_code") or "").strip().upper() or None
        if not clean.get("organisation"):
            err("organisation", _("The organisation is required."))
        if code and not CREDIT_CODE.match(code):
            err("credit_code", _("This is not a valid unified social credit code."))
        clean["credit_code"] = code
    return clean, errors


def _check_dates(clean: dict, errors: dict, from_id_number: bool = False) -> None:
    """A birth or a joining lies between 1900-01-01 and today (Asia/Shanghai); nobody joins before being born."""
    born, joined = clean.get("birth_date"), clean.get("join_date")
    if born is None and joined is None:
        return
    today, earliest = today_cn(), EARLIEST_DATE.isoformat()
    # a birth date read from the ID number is the ID number's fault, so it is refused on that field
    birth_field = "id_number" if from_id_number and clean.get("id_number") else "birth_date"
    born_ok = born is not None and EARLIEST_DATE <= born <= today
    if born is not None and not born_ok and not errors.get("birth_date"):
        errors.setdefault(birth_field, []).append(
            _("The birth date cannot be after today (%(today)s).", today=today.isoformat()) if born > today
            else _("The birth date cannot be before %(date)s.", date=earliest))
    if joined is None or errors.get("join_date"):
        return
    if joined > today:
        message = _("The join date cannot be after today (%(today)s).", today=today.isoformat())
    elif joined < EARLIEST_DATE:
        message = _("The join date cannot be before %(date)s.", date=earliest)
    elif born_ok and joined < born:
        message = _("The join date cannot be before the birth date.")
    else:
        return
    errors.setdefault("join_date", []).append(message)


def _apply(member: Member, clean: dict) -> None:
    for key in UPDATABLE:
        if key in clean:
            setattr(member, key, clean[key])
    if "id_number" in clean and crypto.blind_index(clean["id_number"]) != member.id_number_index:
        number = clean["id_number"]
        member.id_number_encrypted = crypto.encrypt(number)
        member.id_number_index = crypto.blind_index(number)
        member.id_number_masked = crypto.mask(number)


def _check_id_unique(clean: dict, exclude=None) -> None:
    if not clean.get("id_number"):
        return
    query = select(Member.id).where(Member.id_number_index == crypto.blind_index(clean["id_number"]))
    if exclude is not None:
        query = query.where(Member.id != exclude)
    if db.session.scalar(query):
        raise ServiceError(_("A member with this ID number is already in the ledger."), field="id_number")


def create_member(society, actor, data: dict, member_class: MemberClass, *, status=MemberStatus.active,
                  number: str | None = None, user=None) -> Member:
    """Enter a member in the ledger with a number (given or the next one) and a first history entry."""
    from society_saas.members.services.numbering import assign_number

    clean, errors = validate_member_data(data, institutional=member_class.is_institutional)
    if errors:
        field, messages = next(iter(errors.items()))
        raise ServiceError(messages[0], field=field, errors=errors)
    _check_id_unique(clean)
    if user is not None:
        held = db.session.execute(select(Member.id, Member.member_number).where(Member.user_id == user.id)
                                  .limit(1)).first()
        if held is not None:
            raise ServiceError(_("This account already has a record in the ledger (member number %(number)s); "
                                 "it is not given a second one.", number=held.member_number or "—"), field="member_id")
    member = Member(society_id=society.id, class_id=member_class.id, status=status,
                    user_id=getattr(user, "id", None))
    _apply(member, clean)
    member.join_date = member.join_date or today_cn()
    if member.valid_until is None and status == MemberStatus.active:
        member.valid_until = date(today_cn().year, 12, 31)
    db.session.add(member)
    db.session.flush()
    assign_number(society, member, number)
    record_event(member, actor, "admitted", to_status=status, to_class=member_class.code)
    db.session.flush()
    return member


def update_member(society, actor, member: Member, data: dict) -> Member:
    """Change a member's record; the changed fields are noted in the history."""
    clean, errors = validate_member_data({**_current(member), **data}, institutional=member.member_class.is_institutional)
    for key in ("birth_date", "join_date"):
        # a date already on record (from before the rule) must not block an edit of something else, such as a
        # member's own mobile number; it is judged when it is given
        if key not in data and clean.get(key) == getattr(member, key):
            errors.pop(key, None)
    if errors:
        field, messages = next(iter(errors.items()))
        raise ServiceError(messages[0], field=field, errors=errors)
    if "id_number" not in data:
        clean.pop("id_number", None)
    _check_id_unique(clean, exclude=member.id)
    changed = sorted(k for k in clean if k in UPDATABLE and getattr(member, k) != clean[k])
    if "id_number" in clean and crypto.blind_index(clean["id_number"]) != member.id_number_index:
        changed.append("id_number")
    _apply(member, clean)
    if changed:
        record_event(member, actor, "updated", note=", ".join(changed))
    db.session.flush()
    return member


def _current(member: Member) -> dict:
    return {k: getattr(member, k) for k in UPDATABLE}


def get_member(member_id) -> Member:
    """A member of the current society by id; another society's id is not found."""
    member = db.session.scalar(select(Member).where(Member.id == member_id))
    if member is None:
        raise NotFoundError(_("No such member."))
    return member


def member_for_user(user) -> Member | None:
    """The signed-in person's own record in the current society, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return record_of_account(user.id)


def record_of_account(user_id) -> Member | None:
    """The record an account holds in the current society (at most one: a unique index keeps it), or None."""
    if user_id is None:
        return None
    return db.session.scalar(_record_of_account(), {"user_id": user_id})


@functools.cache
def _record_of_account():
    # built once: every portal page asks, and building a statement costs more than running it
    return select(Member).where(Member.user_id == bindparam("user_id"))


def history(member: Member) -> list[MemberEvent]:
    """A member's history, newest first."""
    return list(db.session.scalars(select(MemberEvent).where(MemberEvent.member_id == member.id)
                                   .order_by(MemberEvent.at.desc(), MemberEvent.id.desc())))


def read_full_record(society, actor, member: Member) -> dict:
    """The member's unmasked personal data for staff; every such read is written to the audit log."""
    log_event(society.id, actor, "read_full", "Member", member.id)
    db.session.flush()
    return {"id_number": crypto.decrypt(member.id_number_encrypted)}


def _matches(q: str):
    """Search by name, number or work unit (substring) or the exact mobile; '%' and '_' are literal."""
    searched = (Member.name, Member.member_number, Member.work_unit)
    # Chinese has no case: LIKE then finds the same rows as ILIKE at half the cost per row
    if q.lower() == q.upper():
        return or_(*(column.contains(q, autoescape=True) for column in searched), Member.mobile == q)
    if db.is_postgres:
        # ILIKE under a libc locale lower-cases every character of every row through the C library (a
        # 20,000-row search for "M0012" took 37 ms over the three columns); under "C" it folds ASCII
        # letters only, which are the letters people type here (member numbers, pinyin, English names),
        # in a third of the time
        searched = tuple(column.collate("C") for column in searched)
    return or_(*(column.icontains(q, autoescape=True) for column in searched), Member.mobile == q)


def ledger_query(filters: dict, classes: list[MemberClass] | None = None):
    """The ledger's select for the given filters (status, class, q, front_line, young, region, sort); `classes`
    are the society's classes when the caller has them already."""
    query = select(Member)
    status = filters.get("status")
    if status in MemberStatus.__members__:
        query = query.where(Member.status == MemberStatus(status))
    if filters.get("class_code"):
        # the class's id, not a join on its code: the join hides the class's share of the ledger from the
        # planner, which then fetches every row of the class to sort it (issue 9 bench)
        known = {c.code: c.id for c in classes} if classes is not None else None
        class_id = (known.get(filters["class_code"]) if known is not None else
                    db.session.scalar(select(MemberClass.id).where(MemberClass.code == filters["class_code"])))
        query = query.where(Member.class_id == class_id) if class_id else query.where(false())
    q = (filters.get("q") or "").strip()
    if q:
        query = query.where(_matches(q))
    if filters.get("front_line") in ("1", True):
        query = query.where(Member.front_line.is_(True))
    if filters.get("young") in ("1", True):
        today = today_cn()
        cutoff = date(today.year - 45, today.month, min(today.day, 28))
        query = query.where(Member.birth_date > cutoff)
    if filters.get("region"):
        query = query.where(Member.region == filters["region"])
    sort = filters.get("sort") or "number"
    order = {"number": Member.member_number, "name": Member.name, "join_date": Member.join_date.desc()}.get(sort, Member.member_number)
    return query.order_by(order, Member.id)
