"""What the oversight forms and the API may write: numbers, whole numbers, dates and texts, checked once.

Every parser names the field in its refusal: the ServiceError's `field` places the error beside the
input on a console page, and its message carries the field's label for a flash or an API client.
"""
import math
import re
import unicodedata
from datetime import date

from flask_babel import gettext as _

from society_saas.core.errors import ServiceError

POINTS_MAX = 1000  # a weight or a grade threshold, in points
VALUE_MAX = 1_000_000_000  # an indicator's value: the metrics are counts and percentages
SORT_MAX = 9999

# A plain decimal, optionally with an exponent: float() alone also takes "nan", "inf" and "1_0".
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_WHOLE = re.compile(r"[+-]?\d+")
# PostgreSQL refuses NUL in text; the API's Text field refuses the same characters.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _show(value) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _typed(value) -> str:
    # full-width digits and points typed with a Chinese input method are the same number
    return unicodedata.normalize("NFKC", str(value)).strip()


def missing(field: str, label) -> ServiceError:
    """The refusal of an empty required field."""
    return ServiceError(_("%(field)s: this field is required.", field=label), field=field)


def number(value, field: str, label, *, required: bool = True, low: float = 0, high: float = VALUE_MAX,
           above_low: bool = False) -> float | None:
    """A finite number from `low` to `high` (strictly above `low` when `above_low`), or None when blank."""
    if _blank(value):
        if required:
            raise missing(field, label)
        return None
    if isinstance(value, bool):
        parsed = None
    elif isinstance(value, (int, float)):
        try:
            parsed = float(value)
        except OverflowError:
            parsed = math.inf
    else:
        text = _typed(value)
        parsed = float(text) if _NUMBER.fullmatch(text) else None
    if parsed is None:
        raise ServiceError(_("%(field)s: enter a number.", field=label), field=field)
    if not math.isfinite(parsed) or parsed > high or parsed < low or (above_low and parsed == low):
        if above_low:
            message = _("%(field)s: enter a number above %(low)s and at most %(high)s.", field=label,
                        low=_show(low), high=_show(high))
        else:
            message = _("%(field)s: enter a number from %(low)s to %(high)s.", field=label, low=_show(low),
                        high=_show(high))
        raise ServiceError(message, field=field)
    return parsed


def whole(value, field: str, label, *, required: bool = True, low: int = 0, high: int) -> int | None:
    """A whole number from `low` to `high`, or None when blank."""
    if _blank(value):
        if required:
            raise missing(field, label)
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        parsed = value
    elif isinstance(value, str) and _WHOLE.fullmatch(_typed(value)) and len(_typed(value)) <= 30:
        parsed = int(_typed(value))
    else:
        parsed = None
    if parsed is None or not low <= parsed <= high:
        raise ServiceError(_("%(field)s: enter a whole number from %(low)d to %(high)d.", field=label, low=low,
                             high=high), field=field)
    return parsed


def text(value, field: str, label, *, required: bool = True, max_length: int | None = None) -> str | None:
    """A stripped text of at most `max_length` characters, without control characters; None when blank."""
    if _blank(value):
        if required:
            raise missing(field, label)
        return None
    if not isinstance(value, str):
        value = str(value)
    value = value.strip()
    if max_length is not None and len(value) > max_length:
        raise ServiceError(_("%(field)s: at most %(n)d characters.", field=label, n=max_length), field=field)
    if _CONTROL.search(value):
        raise ServiceError(_("%(field)s: control characters are not allowed.", field=label), field=field)
    return value


def day(value, field: str, label, *, required: bool = True) -> date | None:
    """A date given as a date or as YYYY-MM-DD, or None when blank."""
    if isinstance(value, date):
        return value
    if _blank(value):
        if required:
            raise missing(field, label)
        return None
    try:
        return date.fromisoformat(_typed(value))
    except ValueError:
        raise ServiceError(_("%(field)s: enter a date as YYYY-MM-DD.", field=label), field=field) from None
