"""Shared helpers of the dues services: money as fen, dates in China, lookups that 404."""
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from society_saas.core.errors import NotFoundError, ServiceError
from society_saas.extensions import db
from society_saas.members.models import MemberStatus

CN = ZoneInfo("Asia/Shanghai")
# Members still in the society; one who resigned, was expelled or died is neither chased for dues nor listed
# in the arrears (staff void or collect such an invoice by hand).
IN_SOCIETY = (MemberStatus.active, MemberStatus.grace, MemberStatus.lapsed)


def today_cn() -> date:
    """Today's date in Asia/Shanghai."""
    return datetime.now(CN).date()


def parse_fen(value, field: str = "amount") -> int:
    """Parse an amount in yuan ("1,000.50", "12") into fen exactly, without floats; ints pass through as fen."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value or "").strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
    whole, _sep, frac = text.partition(".")
    if not whole.isdigit() and not (whole == "" and frac) or (frac and (not frac.isdigit() or len(frac) > 2)):
        raise ServiceError(_("Give the amount in yuan with at most two decimals."), field=field)
    return int(whole or 0) * 100 + int((frac + "00")[:2] or 0)


def yuan(fen: int) -> str:
    """Fen as a yuan string with two decimals and thousands separators: 100000010 -> 1,000,000.10."""
    sign = "-" if fen < 0 else ""
    fen = abs(int(fen))
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"


def get_or_404(model, object_id: uuid.UUID):
    """A row of this society by id, or NotFoundError (the scoping hides other societies' rows)."""
    row = db.session.scalar(select(model).where(model.id == object_id))
    if row is None:
        raise NotFoundError(_("Not found."))
    return row


def actor_id(actor):
    """The id of an acting user, or None for the system."""
    return getattr(actor, "id", None)


def reason_required(data: dict, field: str = "reason") -> str:
    """The stripped reason from the data, or a ServiceError asking for one."""
    reason = (data.get(field) or "").strip()
    if not reason:
        raise ServiceError(_("Give a reason."), field=field)
    return reason
