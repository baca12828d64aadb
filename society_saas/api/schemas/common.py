"""Shared fields and page schemas of the API edge."""
import re
from datetime import date

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate

from society_saas.core.clock import today_cn

EARLIEST = date(1900, 1, 1)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _printable(value: str) -> None:
    if _CONTROL.search(value):
        raise ValidationError(_("Control characters are not allowed."))


def past_date(value) -> None:
    """A date that has happened (a birth, a joining): not after today in Asia/Shanghai, nor before 1900."""
    # a validator must raise: marshmallow 4 ignores a False it returns
    if value > today_cn():
        raise ValidationError(_("The date cannot be after today."))
    if value < EARLIEST:
        raise ValidationError(_("The date cannot be before 1900-01-01."))


class Text(fields.String):
    """A string without control characters (PostgreSQL refuses NUL), at most `max_length` long."""

    def __init__(self, max_length: int | None = None, **kwargs):
        given = kwargs.pop("validate", None) or []
        validators = list(given) if isinstance(given, (list, tuple)) else [given]
        if max_length:
            validators.append(validate.Length(max=max_length))
        validators.append(_printable)
        super().__init__(validate=validators, **kwargs)


def _count(**kw):
    return fields.Integer(validate=validate.Range(0, 1_000_000), **kw)


class PageArgs(Schema):
    """?page= and ?per_page= (pages of a stable order)."""

    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 200))


class PageSchema(Schema):
    """One page of a list, with the total of all pages."""

    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    pages = fields.Integer(required=True)
