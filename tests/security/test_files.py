"""Files: stored names never leave the storage root, uploads are judged by their bytes, sizes are capped.

Also proven in the areas: tests/members/test_views.py (application attachments of the wrong type),
tests/decisions/test_views.py (a minutes attachment of the wrong type), tests/governance/test_views.py
(minutes upload checks the content).
"""
import io
import re

import pytest
from sqlalchemy import select

from society_saas.core import storage
from society_saas.core.errors import NotFoundError, ServiceError
from society_saas.dues.models import Payment
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.conftest import csrf_token, login
from tests.dues.helpers import YEAR, dues_society, invoice_of
from tests.factories import two_societies
from tests.governance.helpers import governance_fixture

PDF, PNG, JPEG = b"%PDF-1.4 test", b"\x89PNG\r\n\x1a\n" + b"\0" * 16, b"\xff\xd8\xff\xe0" + b"\0" * 16
EXE = b"MZ\x90\x00\x03" + b"\0" * 64  # a Windows executable
HTML = b"<html><script>alert(1)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


@pytest.mark.parametrize("key", ["../../etc/passwd", "/etc/passwd", "a/../../../etc/passwd", "..", "x/../../secret"])
def test_storage_keys_never_leave_the_root(app, key):
    with app.test_request_context("/"):
        with pytest.raises(NotFoundError):
            storage.path_of(key)


def test_uploads_are_judged_by_their_bytes_not_their_name(app, tmp_path):
    root = tmp_path / "uploads"
    app.config["UPLOAD_DIR"] = str(root)
    with app.test_request_context("/"):
        for data, name in ((EXE, "发票.pdf"), (HTML, "voucher.pdf"), (SVG, "photo.png"), (b"", "empty.pdf"),
                           (b"GIF89a", "x.jpg")):
            with pytest.raises(ServiceError):
                storage.save("s", io.BytesIO(data), name)
        # a PDF claimed to be an image is stored and served as what it is
        meta = storage.save("s", io.BytesIO(PDF), "photo.png")
        assert meta["type"] == "application/pdf" and meta["key"].endswith(".pdf")
        assert storage.save("s", io.BytesIO(PNG), "scan.pdf")["type"] == "image/png"
        assert storage.save("s", io.BytesIO(JPEG), "scan.pdf")["type"] == "image/jpeg"
        # the stored name is generated: the uploader's name never reaches the file system
        meta = storage.save("s", io.BytesIO(PDF), "../../../evil.pdf")
        assert "evil" not in meta["key"] and storage.path_of(meta["key"]).parent == root / "s"
        # only the four accepted files were written, each under a generated name
        files = [p for p in root.rglob("*") if p.is_file()]
        assert len(files) == 4
        assert all(p.parent == root / "s" and re.fullmatch(r"[0-9a-f]{32}\.(pdf|png|jpg)", p.name) for p in files)
        with pytest.raises(ServiceError, match="5"):
            storage.save("s", io.BytesIO(PDF + b"\0" * storage.MAX_BYTES), "big.pdf")


def test_download_of_a_key_outside_the_root_or_a_lost_file_is_404(app, client, session):
    from society_saas.governance.models import Meeting

    data = two_societies()
    a, people = data["a"]
    ids = governance_fixture(a)
    login(client, people["sec"].email)
    for key in ("../../../../../../etc/passwd", "missing/file.pdf"):
        with society_context(a.id):
            db.session.get(Meeting, (a.id, ids["meeting_id"])).minutes_file = key
            db.session.commit()
        response = client.get(f"/s/a/admin/governance/meetings/{ids['meeting_id']}/minutes")
        assert response.status_code == 404, key
        assert b"root:" not in response.data


@pytest.fixture
def voucher_setup(app, client, session):
    data = two_societies()
    a, people = data["a"]
    ids = dues_society(a, members=1, user=people["member"])["member_ids"]
    with society_context(a.id):
        from society_saas.dues import services as dues

        dues.run_invoices(a, None, YEAR)
        db.session.commit()
        invoice_id = invoice_of(ids[0]).id
    login(client, people["member"].email)
    return {"a_id": a.id, "url": f"/s/a/me/dues/{invoice_id}/voucher", "token": csrf_token(client, "/s/a/me/dues/"),
            "staff": people["staff"].email}


def _upload(client, setup, data: bytes, name: str, mimetype: str = "application/pdf"):
    return client.post(setup["url"], data={"csrf_token": setup["token"], "reference": "网银",
                                           "voucher": (io.BytesIO(data), name, mimetype)},
                       content_type="multipart/form-data")


def _payments(setup):
    db.session.expire_all()
    with society_context(setup["a_id"]):
        return db.session.scalars(select(Payment)).all()


def test_a_renamed_executable_or_page_is_refused_by_the_upload_form(app, client, voucher_setup):
    for data, name, mimetype in ((EXE, "回单.pdf", "application/pdf"), (HTML, "回单.pdf", "application/pdf"),
                                 (SVG, "回单.png", "image/png")):
        response = _upload(client, voucher_setup, data, name, mimetype)
        assert response.status_code in (200, 302)
        assert _payments(voucher_setup) == [], name


def test_a_pdf_claimed_as_an_image_is_served_as_a_pdf(app, client, voucher_setup):
    assert _upload(client, voucher_setup, PDF, "回单.png", "image/png").status_code == 302
    (payment,) = _payments(voucher_setup)
    assert payment.voucher["type"] == "application/pdf"
    staff = app.test_client()
    login(staff, voucher_setup["staff"])
    response = staff.get(f"/s/a/admin/dues/payments/{payment.id}/voucher")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_oversized_request_is_refused_before_it_is_read(app, client, voucher_setup):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    response = _upload(client, voucher_setup, PDF + b"\0" * (128 * 1024), "回单.pdf")
    assert response.status_code == 413 and "text/html" in response.content_type
    assert _payments(voucher_setup) == []
