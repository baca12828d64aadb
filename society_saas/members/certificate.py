"""Membership certificates: a Chinese PDF with a QR code to a verification page that shows almost nothing."""
import functools
import io
import uuid

import segno
from PIL import Image
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


QR_SCALE, QR_BORDER = 4, 4  # pixels per module; the quiet zone in modules
# The template names each QR code as "qr:<verification link>", and WeasyPrint asks `image_fetcher` for it while
# laying out the page: the code is drawn where the PDF is made, in the processes of a print job (certificate_batch).
QR_SCHEME = "qr:"


def qr_png(url: str) -> bytes:
    """The QR code of a verification link as a PNG (8-bit grey)."""
    # Certificates go out by the thousand (issue 9 bench), so: a fixed mask skips segno's search for the best
    # of eight; Pillow draws and compresses the PNG in C where segno's writer goes pixel by pixel in Python;
    # and grey pixels are placed as they are, where WeasyPrint converts a one-bit PNG to RGB first.
    qr = segno.make(url, error="m", mask=4)
    rows = [bytes(0 if dark else 255 for dark in row) for row in qr.matrix_iter(scale=1, border=QR_BORDER)]
    image = Image.frombytes("L", (len(rows[0]), len(rows)), b"".join(rows))
    image = image.resize((image.width * QR_SCALE, image.height * QR_SCALE), Image.NEAREST)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@functools.cache
def image_fetcher():
    """WeasyPrint's fetcher for certificates: draws "qr:" images and fetches nothing else (no outside requests)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class QRFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(QR_SCHEME):
                raise ValueError(f"a certificate loads no outside resource: {url[:80]}")
            return URLFetcherResponse(url, qr_png(url[len(QR_SCHEME):]), {"Content-Type": "image/png"})

    return QRFetcher()


def certificate_pdf(society, member: Member) -> bytes:
    """The member's certificate as a PDF (Noto CJK embedded), with a QR code to /verify/<token>."""
    return certificates_pdf(society, [member])


def certificates_html(society, members: list[Member]) -> str:
    """The HTML of several members' certificates, a page each; their QR codes are drawn by `image_fetcher`."""
    certificates = [{"member": member, "qr": QR_SCHEME + url_for("member_verify.verify_page", token=make_token(member),
                                                                   _external=True)} for member in members]
    return render_template("members/certificate.html", society=society, certificates=certificates, today=today_cn())


def html_to_pdf(html: str) -> bytes:
    """A certificates page (certificates_html) as PDF."""
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=image_fetcher()).write_pdf()


def certificates_pdf(society, members: list[Member]) -> bytes:
    """Several members' certificates as one PDF to print, a page each (one layout, the font subset once)."""
    return html_to_pdf(certificates_html(society, members))


def not_current(members: list[Member]) -> list[Member]:
    """The members among these whose membership is not current: they get no certificate."""
    return [m for m in members if not is_valid(m)]
