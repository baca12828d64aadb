"""Shared helpers of the dues services: money as fen, dates in China, lookups that 404."""
import re
import uuid

from flask_babel import gettext as _
from sqlalchemy import select

from society_saas.core.clock import today_cn  # noqa: F401 (the dues area's "today", Asia/Shanghai)
from society_saas.core.errors import NotFoundError, ServiceError
from society_saas.extensions import db
from society_saas.members.models import MemberStatus

# Members still in the society; one who resigned, was expelled or died is neither chased for dues nor listed
# in the arrears (staff void or collect such an invoice by hand).
IN_SOCIETY = (MemberStatus.active, MemberStatus.grace, MemberStatus.lapsed)
# The largest amount (fen) a form or the API may give: 10,000,000.00 yuan, well inside the 32-bit columns.
MAX_FEN = 10**9
WHOLE = re.compile(r"[+-]?[0-9]{1,9}")


def parse_fen(value, field: str = "amount") -> int:
    """Parse an amount in yuan ("1,000.50", "12") into fen exactly, without floats; ints pass through as fen."""
    if isinstance(value, int) and not isinstance(value, bool):
        return _within_max(value, field)
    text = str(value or "").strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
    whole, _sep, frac = text.partition(".")
    # isdigit() also takes digits int() refuses ("²"): ASCII digits only
    if (not text.isascii() or not whole.isdigit() and not (whole == "" and frac)
            or (frac and (not frac.isdigit() or len(frac) > 2))):
        raise ServiceError(_("Give the amount in yuan with at most two decimals."), field=field)
    # int() of thousands of digits is refused by Python itself: a long number is too large before it is parsed
    if len(whole.lstrip("0")) > len(str(MAX_FEN // 100)):
        raise _too_large(field)
    return _within_max(int(whole or 0) * 100 + int((frac + "00")[:2] or 0), field)


def _within_max(fen: int, field: str) -> int:
    # amounts are 32-bit integers in the database: a larger one would fail there (a 500), not here
    if fen > MAX_FEN:
        raise _too_large(field)
    return fen


def _too_large(field: str) -> ServiceError:
    return ServiceError(_("The amount can be at most %(max)s yuan.", max=yuan(MAX_FEN)), field=field)


def whole_number(value, field: str, message: str, low: int, high: int) -> int:
    """An integer from an int or a text of digits, between low and high, else ServiceError(message) on the field."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and WHOLE.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        raise ServiceError(message, field=field)
    if not low <= number <= high:
        raise ServiceError(message, field=field)
    return number


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


def reason_required(data: dict, field: str = "reason") -> str:
    """The stripped reason from the data, or a ServiceError asking for one."""
    reason = (data.get(field) or "").strip()
    if not reason:
        raise ServiceError(_("Give a reason."), field=field)
    return reason
