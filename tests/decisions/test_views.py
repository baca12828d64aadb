"""The secretariat pages of the decision log, through the real forms."""
import json
import shutil
import subprocess

import pytest
from sqlalchemy import select

from society_saas.decisions.models import DecisionEntry
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.conftest import login, post_form
from tests.decisions.helpers import record
from tests.factories import two_societies

FORM = {"kind": "major_decision", "title": "关于设立青年工作委员会的决定", "proposer": "秘书长", "body": "council",
        "meeting_ref": "第九届理事会第三次会议", "meeting_date": "2026-03-15", "members_total": "30", "present": "21",
        "recused": "张三、李四", "votes_for": "13", "votes_against": "4", "votes_abstain": "2", "result": "adopted",
        "supervisors": "present", "party_organisation": "y", "party_prestudy": "yes", "meeting_id": ""}


@pytest.fixture
def setup(client, session):
    data = two_societies()
    login(client, data["a"][1]["sec"].email)
    return data


def test_record_through_the_form_then_follow_the_lifecycle(client, setup):
    base = "/s/a/admin/decisions"
    response = post_form(client, f"{base}/new", FORM)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    detail = response.headers["Location"]
    page = client.get(detail).get_data(as_text=True)
    assert "关于设立青年工作委员会的决定" in page and "张三、李四" in page
    with society_context(setup["a"][0].id):
        entry = db.session.scalars(select(DecisionEntry)).one()
        assert entry.hash in page and entry.recused == ["张三", "李四"]
    assert post_form(client, f"{detail}/state", {"s-state": "in_progress"}, page=detail).status_code == 302
    assert post_form(client, f"{detail}/follow-up", {"f-note": "已完成机构设置。"}, page=detail).status_code == 302
    assert post_form(client, f"{detail}/correction", {"c-corrects_seq": "1", "c-note": "标题笔误",
                                                      "c-title": "关于设立青年工作者委员会的决定"},
                     page=detail).status_code == 302
    assert post_form(client, f"{detail}/state", {"s-state": "completed"}, page=detail).status_code == 302
    page = client.get(detail).get_data(as_text=True)
    assert "关于设立青年工作者委员会的决定" in page
    register = client.get(f"{base}/?state=completed").get_data(as_text=True)
    assert "关于设立青年工作者委员会的决定" in register
    assert "关于设立青年工作者委员会的决定" not in client.get(f"{base}/?state=adopted").get_data(as_text=True)
    assert "关于设立青年工作者委员会的决定" not in client.get(f"{base}/?kind=appointment").get_data(as_text=True)


def test_a_broken_rule_is_shown_on_its_field(client, setup):
    url = "/s/a/admin/decisions/new?lang=en"
    response = post_form(client, url, {**FORM, "present": "19", "votes_for": "12", "votes_against": "3"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Quorum rule" in page and 'id="present-err"' in page
    response = post_form(client, url, {**FORM, "supervisors": "absent"})
    assert "Supervision rule" in response.get_data(as_text=True)
    with society_context(setup["a"][0].id):
        assert db.session.scalars(select(DecisionEntry)).all() == []


def test_lifecycle_rule_on_a_rejected_decision(client, setup):
    entry = record(setup["a"][0], result="rejected", votes_for=10, votes_against=11, votes_abstain=0)
    detail = f"/s/a/admin/decisions/{entry.decision_id}"
    response = post_form(client, f"{detail}/state?lang=en", {"s-state": "in_progress"}, page=detail)
    assert response.status_code == 400 and "Lifecycle rule" in response.get_data(as_text=True)


def test_another_societys_decision_answers_404(client, setup):
    other = record(setup["b"][0])
    for path in ("", "/state", "/follow-up", "/correction"):
        url = f"/s/a/admin/decisions/{other.decision_id}{path}"
        response = client.post(url, data={}) if path else client.get(url)
        assert response.status_code in (404, 400) if path else response.status_code == 404
    assert client.get(f"/s/a/admin/decisions/{other.decision_id}").status_code == 404
    assert client.get("/s/b/admin/decisions/").status_code == 403
    with society_context(setup["b"][0].id):
        assert len(db.session.scalars(select(DecisionEntry)).all()) == 1


def test_member_cannot_open_the_register(client, session):
    data = two_societies()
    login(client, data["a"][1]["member"].email)
    assert client.get("/s/a/admin/decisions/").status_code == 403


def test_checkpoint_sign_export_and_verify_page(client, setup):
    record(setup["a"][0])
    assert post_form(client, "/s/a/admin/decisions/checkpoints", {}, page="/s/a/admin/decisions/verify").status_code == 302
    exported = json.loads(client.get("/s/a/admin/decisions/checkpoints.json").get_data(as_text=True))
    assert exported[0]["seq"] == 1 and len(exported[0]["signature"]) == 64
    page = client.get("/s/a/admin/decisions/verify?lang=en").get_data(as_text=True)
    assert "intact" in page and exported[0]["head_hash"] in page


def test_register_pdf_embeds_a_cjk_font(client, setup, tmp_path):
    entry = record(setup["a"][0], title="关于购置学术会议设备的决定", kind="large_fund_use", amount_fen=12_000_000)
    response = client.get("/s/a/admin/decisions/register.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts is not installed")
    path = tmp_path / "register.pdf"
    path.write_bytes(response.data)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "关于购置学术会议设备的决定" in text.replace("\n", "") or not shutil.which("pdftotext")
    assert entry.hash[:20] in text.replace("\n", "").replace(" ", "") or not shutil.which("pdftotext")


def test_register_xlsx(client, setup):
    import io

    from openpyxl import load_workbook

    entry = record(setup["a"][0], title="关于购置学术会议设备的决定", kind="large_fund_use", amount_fen=12_000_000)
    response = client.get("/s/a/admin/decisions/register.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.data))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[1][2] == "关于购置学术会议设备的决定" and rows[1][4] == 120000 and rows[1][-1] == entry.hash
    assert list(wb.worksheets[1].iter_rows(values_only=True))[1][-1] == entry.hash


def test_minutes_attached_hashed_and_downloadable(client, setup):
    import hashlib
    import io

    minutes = b"%PDF-1.4\n% minutes of the council meeting\n"
    response = post_form(client, "/s/a/admin/decisions/new", {**FORM, "attachment": (io.BytesIO(minutes), "会议纪要.pdf")},
                         content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    with society_context(setup["a"][0].id):
        entry = db.session.scalars(select(DecisionEntry)).one()
        meta = entry.payload["attachments"][0]
    assert meta["sha256"] == hashlib.sha256(minutes).hexdigest() and meta["name"] == "会议纪要.pdf"
    download = client.get(f"/s/a/admin/decisions/{entry.decision_id}/attachments/0")
    assert download.status_code == 200 and download.data == minutes
    assert client.get(f"/s/a/admin/decisions/{entry.decision_id}/attachments/1").status_code == 404


def test_an_attachment_of_the_wrong_type_is_refused(client, setup):
    import io

    response = post_form(client, "/s/a/admin/decisions/new?lang=en",
                         {**FORM, "attachment": (io.BytesIO(b"MZ not a pdf"), "minutes.pdf")},
                         content_type="multipart/form-data")
    assert response.status_code == 200 and "Only PDF, JPEG and PNG" in response.get_data(as_text=True)
    with society_context(setup["a"][0].id):
        assert db.session.scalars(select(DecisionEntry)).all() == []
