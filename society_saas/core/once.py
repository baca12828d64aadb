"""One effect per form: a one-time token rendered in the form and claimed with the effect.

A double click or a resubmitted page sends the same token twice. The first request inserts it
(unique per society) in the same transaction as its effect; the second collides on the unique key,
after the first commits, and is told the form was already submitted instead of doing it again.
"""
import secrets

from flask import flash, redirect, request
from flask_babel import gettext as _
from sqlalchemy import String, UniqueConstraint
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from society_saas.core.db import TenantScoped

FIELD = "once_token"


class FormSubmission(TenantScoped):
    """A form token already used in this society, and the page that used it."""

    __tablename__ = "form_submission"
    __table_args__ = (UniqueConstraint("society_id", "token"),)
    __audited__ = False  # bookkeeping; the effect itself is audited

    token: Mapped[str] = mapped_column(String(64))
    endpoint: Mapped[str] = mapped_column(String(120))


class AlreadySubmitted(Exception):
    """The same form (same token) was submitted before: do nothing again."""


def new_token() -> str:
    """A fresh random token for one rendering of a form."""
    return secrets.token_urlsafe(24)


def claim(society, token: str | None = None) -> None:
    """Record the form's token in the current transaction; raise AlreadySubmitted if it was used.

    A form posted without a token (a script, an old page) is not protected but still works.
    """
    from society_saas.extensions import db

    token = (token if token is not None else request.form.get(FIELD, "")).strip()[:64]
    if not token:
        return
    row = FormSubmission(society_id=society.id, token=token, endpoint=(request.endpoint or "")[:120])
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        raise AlreadySubmitted() from None


def already_used(society) -> bool:
    """True when the posted form's token was used by an earlier submission (nothing is recorded)."""
    from sqlalchemy import select

    from society_saas.extensions import db

    token = request.form.get(FIELD, "").strip()[:64]
    return bool(token) and db.session.scalar(select(FormSubmission.token).where(
        FormSubmission.society_id == society.id, FormSubmission.token == token)) is not None


def repeated(target: str):
    """Answer a repeated submission: nothing is done again; say so and go where the first one led."""
    from society_saas.extensions import db

    db.session.rollback()
    flash(_("This form had already been submitted; it was not processed a second time."), "info")
    return redirect(target)
