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


def test_secretariat_prints_the_ticked_members_certificates_as_one_pdf(app, client, session, tmp_path):
    from sqlalchemy import select

    from society_saas.members.models import Member
    from tests.conftest import post_form

    data = two_societies()
    a, people = data["a"]
    b, _people_b = data["b"]
    with_classes(a)
    with_classes(b)
    with app.test_request_context("/"), society_context(a.id):
        cls = services.class_by_code("member")
        ids = [services.create_member(a, None, {"name": name, "mobile": f"1390000000{i}"}, cls).id
               for i, name in enumerate(("赵一", "钱二", "孙三"))]
        services.resign(a, None, db.session.scalar(select(Member).where(Member.name == "孙三")))
        db.session.commit()
    with app.test_request_context("/"), society_context(b.id):
        other = services.create_member(b, None, {"name": "外会", "mobile": "13900000009"},
                                       services.class_by_code("member")).id
        db.session.commit()
    login(client, people["staff"].email)
    ledger = "/s/a/admin/members/"
    two = post_form(client, "/s/a/admin/members/certificates.pdf", {"member_id": [str(i) for i in ids[:2]]},
                    page=ledger)
    assert two.status_code == 200 and two.data.startswith(b"%PDF") and two.mimetype == "application/pdf"
    path = tmp_path / "certificates.pdf"
    path.write_bytes(two.data)
    if shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils is not installed")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           2" in info, info  # a page each
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "赵一" in text and "钱二" in text and "孙三" not in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert [line for line in fonts.splitlines() if "CJK" in line and " yes " in line], fonts
    # a member who resigned is refused, with the name, and nothing is printed
    refused = post_form(client, "/s/a/admin/members/certificates.pdf", {"member_id": [str(i) for i in ids]},
                        page=ledger, follow_redirects=True)
    assert refused.mimetype == "text/html" and "孙三" in refused.get_data(as_text=True)
    assert "只有在籍会员" in refused.get_data(as_text=True)
    # another society's member is not found; nothing ticked is a message
    assert post_form(client, "/s/a/admin/members/certificates.pdf", {"member_id": [str(other)]},
                     page=ledger).status_code == 404
    nothing = post_form(client, "/s/a/admin/members/certificates.pdf", {}, page=ledger, follow_redirects=True)
    assert "请勾选要打印证书的会员" in nothing.get_data(as_text=True)
    # a member cannot print anyone's certificates
    client.post("/logout", data={"csrf_token": ""})
    login(client, people["member"].email)
    member_try = post_form(client, "/s/a/admin/members/certificates.pdf", {"member_id": [str(ids[0])]},
                           page="/s/a/me/")
    assert member_try.status_code in (302, 403) and not member_try.data.startswith(b"%PDF")


@pytest.mark.parametrize("dpi", [96, 150])
def test_the_certificates_qr_code_reads_back_as_its_verification_link_on_screen_and_paper(app, client, session,
                                                                                         tmp_path, dpi):
    """Rendered at a screen's resolution as well as finer: the code must scan wherever the member shows it."""
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    from society_saas.members.certificate import make_token
    from society_saas.members.models import Member
    from sqlalchemy import select

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    a, people = _setup(app)
    with app.test_request_context("/"), society_context(a.id):
        token = make_token(db.session.scalar(select(Member)))
    login(client, people["member"].email)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(client.get("/s/a/me/certificate.pdf").data)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(path), str(tmp_path / "page")], check=True)
    codes = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))
    assert [c.text for c in codes] == [f"http://localhost/verify/{token}"]
    # printed at its set size, inside its 32 mm corner of the frame (at its own size it ran over the border)
    listed = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    width_px, x_ppi = (lambda cols: (int(cols[3]), int(cols[12])))(listed.splitlines()[2].split())
    assert 25 <= width_px / x_ppi * 25.4 <= 30, listed
