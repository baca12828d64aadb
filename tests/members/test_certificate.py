"""The certificate PDF embeds a CJK font; its verification page shows name, class, number and validity only."""
import shutil
import subprocess

import pytest

from society_saas.extensions import db
from society_saas.members import services
from society_saas.tenancy.context import society_context
from tests.conftest import login
from tests.factories import two_societies
from tests.members.helpers import VALID_IDS, person, with_classes


def _setup(app):
    data = two_societies()
    a, people = data["a"]
    with_classes(a)
    with app.test_request_context("/"), society_context(a.id):
        fields = person(id_number=VALID_IDS[0], email=people["member"].email, mobile="13712345678",
                        work_unit="保密研究所")
        code = fields.pop("class_code")
        services.create_member(a, None, fields, services.class_by_code(code), user=people["member"])
        db.session.commit()
    return a, people


def test_certificate_pdf_embeds_a_cjk_font_and_links_to_verification(app, client, session, tmp_path):
    a, people = _setup(app)
    login(client, people["member"].email)
    response = client.get("/s/a/me/certificate.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts is not installed")
    path = tmp_path / "certificate.pdf"
    path.write_bytes(response.data)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts


def test_verification_page_leaks_nothing_else(app, client, session):
    a, people = _setup(app)
    from society_saas.members.certificate import make_token
    from society_saas.members.models import Member
    from sqlalchemy import select

    with app.test_request_context("/"), society_context(a.id):
        token = make_token(db.session.scalar(select(Member)))
    client.get("/")  # a fresh anonymous visitor
    page = client.get(f"/verify/{token}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for shown in ("李华", "CS000001", "会员"):
        assert shown in text
    for secret in (VALID_IDS[0], "110***", "13712345678", people["member"].email, "保密研究所", "1949"):
        assert secret not in text
    assert client.get(f"/verify/{token[:-2]}xx").status_code == 404
    assert client.get("/verify/not-a-token").status_code == 404


def test_verification_shows_a_membership_that_is_not_current(app, client, session):
    a, people = _setup(app)
    from sqlalchemy import select

    from society_saas.members.certificate import make_token
    from society_saas.members.models import Member

    with app.test_request_context("/"), society_context(a.id):
        token = make_token(db.session.scalar(select(Member)))
    current = client.get(f"/verify/{token}").get_data(as_text=True)
    with app.test_request_context("/"), society_context(a.id):
        services.expel(a, None, db.session.scalar(select(Member)), {"reference": "理事会决议〔2026〕2号"})
        db.session.commit()
    expelled = client.get(f"/verify/{token}").get_data(as_text=True)
    assert "flash-success" in current and "flash-error" not in current
    assert "flash-error" in expelled and "flash-success" not in expelled
    assert "理事会决议" not in expelled  # the reason is not the verifier's business
