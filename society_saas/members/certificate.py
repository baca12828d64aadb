"""Membership certificates: a Chinese PDF with a QR code to a verification page that shows almost nothing."""
import uuid

import segno
from flask import current_app, render_template, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from society_saas.extensions import db
from society_saas.members.models import Member, MemberStatus
from society_saas.members.services.common import today_cn
from society_saas.tenancy.context import society_context
from society_saas.tenancy.models import Society

SALT = "member-certificate"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(member: Member) -> str:
    """A signed, unguessable token naming the society and the member."""
    return _serializer().dumps([member.society_id.hex, member.id.hex])


def is_valid(member: Member) -> bool:
    """True while the membership is current (active or in grace, not past its end date)."""
    in_date = member.valid_until is None or member.valid_until >= today_cn()
    return member.status in (MemberStatus.active, MemberStatus.grace) and in_date


def verify(token: str) -> dict | None:
    """What a verification page may show: name, class, number and validity; None for a bad token."""
    try:
        society_hex, member_hex = _serializer().loads(token)
        society_id, member_id = uuid.UUID(society_hex), uuid.UUID(member_hex)
    except (BadSignature, ValueError, TypeError):
        return None
    society = db.session.get(Society, society_id)
    if society is None:
        return None
    with society_context(society.id):
        member = db.session.scalar(select(Member).where(Member.id == member_id))
        if member is None:
            return None
        return {"society": society.name, "name": member.name, "class": member.member_class.name_zh,
                "number": member.member_number, "valid_until": member.valid_until, "valid": is_valid(member)}


def qr_data_uri(url: str) -> str:
    """The QR code of a verification link as a PNG data URI."""
    # a fixed mask skips segno's search for the best of eight (a third of the code's cost), and a PNG is
    # placed as it is where WeasyPrint would parse an SVG path of every module: certificates go out by the
    # thousand (issue 9 bench)
    return segno.make(url, error="m", mask=4).png_data_uri(scale=4)


def certificate_pdf(society, member: Member) -> bytes:
    """The member's certificate as a PDF (Noto CJK embedded), with a QR code to /verify/<token>."""
    return certificates_pdf(society, [member])


def certificates_pdf(society, members: list[Member]) -> bytes:
    """Several members' certificates as one PDF to print, a page each (one layout, the font subset once)."""
    from weasyprint import HTML

    certificates = []
    for member in members:
        url = url_for("member_verify.verify_page", token=make_token(member), _external=True)
        certificates.append({"member": member, "qr": qr_data_uri(url)})
    html = render_template("members/certificate.html", society=society, certificates=certificates, today=today_cn())
    return HTML(string=html).write_pdf()


def not_current(members: list[Member]) -> list[Member]:
    """The members among these whose membership is not current: they get no certificate."""
    return [m for m in members if not is_valid(m)]
