"""The governance pages: the renewal workflow end to end across a society and the console; 404 across societies."""
from sqlalchemy import select
from datetime import date, timedelta

from society_saas.extensions import db
from society_saas.governance import services as gov
from society_saas.governance.models import Renewal, RenewalStatus, Term
from society_saas.tenancy.context import society_context
from tests.conftest import login, post_form
from tests.factories import make_admin, two_societies
from tests.governance.helpers import add, council_with_term


def _setup(app):
    data = two_societies()
    make_admin()
    ids = {}
    with app.test_request_context():
        for slug in ("a", "b"):
            society = data[slug][0]
            with society_context(society.id):
                organ, term = council_with_term(society, start=date(2021, 12, 1))
                add(society, term, f"{slug}-理事")
                db.session.commit()
                ids[slug] = (society, organ.id, term.id)
    return data, ids


def test_pages_render_and_roster_shows_compliance(app, client):
    data, ids = _setup(app)
    with app.test_request_context():
        gov.save_rule(None, {"body": "council", "attribute": "front_line", "comparison": ">=", "threshold": "70%"})
        db.session.commit()
    login(client, "sec@a.test")
    base = "/s/a/admin/governance"
    for url in (f"{base}/", f"{base}/organs/{ids['a'][1]}", f"{base}/meetings", f"{base}/renewal"):
        assert client.get(url).status_code == 200, url
    page = client.get(f"{base}/terms/{ids['a'][2]}").get_data(as_text=True)
    assert "a-理事" in page and "1/1" in page
    assert "人员构成" in page and "基层一线科技工作者" in page  # Chinese by default
    # adding a president over 70 is refused with the rule's message, nothing saved
    response = post_form(client, f"{base}/terms/{ids['a'][2]}", {
        "role": "president", "holder_name": "老人", "gender": "male", "birth_date": "1940-01-01", "region": "mainland"})
    assert response.status_code == 200
    assert "70" in response.get_data(as_text=True)
    # the htmx preview counts a proposed non-front-line member without saving it
    preview = post_form(client, f"{base}/terms/{ids['a'][2]}/preview", {
        "role": "council_member", "holder_name": "新人", "gender": "female", "birth_date": "1990-01-01",
        "region": "mainland"}, page=f"{base}/terms/{ids['a'][2]}").get_data(as_text=True)
    assert "1/2" in preview
    assert "新人" not in client.get(f"{base}/terms/{ids['a'][2]}").get_data(as_text=True)


def test_renewal_end_to_end_across_society_and_console(app, client):
    data, ids = _setup(app)
    society, _, term_id = ids["a"]
    login(client, "sec@a.test")
    base = "/s/a/admin/governance/renewal"
    assert post_form(client, f"{base}/start/{term_id}", {}, page=base).status_code == 302
    with app.app_context(), society_context(society.id):
        renewal_id = db.session.scalars(select(Renewal.id)).one()
    assert post_form(client, f"{base}/{renewal_id}/submit", {"plan": "方案", "candidates": "张三"},
                     page=base).status_code == 302
    login(client, "admin@kx.test")
    listing = client.get("/association/renewals/").get_data(as_text=True)
    assert society.name in listing
    detail = f"/association/renewals/{society.id}/{renewal_id}"
    refused = post_form(client, detail, {"decision": "return", "comment": ""})
    assert refused.status_code == 200
    assert post_form(client, detail, {"decision": "return", "comment": "补充青年候选人"}).status_code == 302
    with app.app_context(), society_context(society.id):
        renewal = db.session.get(Renewal, (society.id, renewal_id))
        assert renewal.status == RenewalStatus.returned and renewal.review_comment == "补充青年候选人"
    login(client, "sec@a.test")
    assert "补充青年候选人" in client.get(base).get_data(as_text=True)
    assert post_form(client, f"{base}/{renewal_id}/submit", {"plan": "方案二", "candidates": "张三\n李四"},
                     page=base).status_code == 302
    login(client, "admin@kx.test")
    assert post_form(client, detail, {"decision": "approve", "comment": ""}).status_code == 302
    with app.app_context(), society_context(society.id):
        renewal = db.session.get(Renewal, (society.id, renewal_id))
        assert renewal.status == RenewalStatus.approved and renewal.submissions == 2


def test_another_societys_ids_answer_404(app, client):
    data, ids = _setup(app)
    _, b_organ, b_term = ids["b"]
    login(client, "sec@a.test")
    base = "/s/a/admin/governance"
    assert client.get(f"{base}/organs/{b_organ}").status_code == 404
    assert client.get(f"{base}/terms/{b_term}").status_code == 404
    assert post_form(client, f"{base}/terms/{b_term}/preview", {}, page=f"{base}/").status_code == 404
    assert post_form(client, f"{base}/renewal/start/{b_term}", {}, page=f"{base}/").status_code == 404


def test_members_and_anonymous_are_kept_out(app, client):
    _setup(app)
    assert client.get("/s/a/admin/governance/").status_code == 302
    login(client, "member@a.test")
    assert client.get("/s/a/admin/governance/").status_code == 403
    assert client.get("/association/renewals/").status_code == 403


def test_minutes_upload_checks_the_content_and_downloads(app, client, tmp_path):
    import io

    app.config["UPLOAD_DIR"] = str(tmp_path)
    _, ids = _setup(app)
    society, organ_id, term_id = ids["a"]
    with app.test_request_context(), society_context(society.id):
        meeting = gov.create_meeting(society, None, {"organ_id": organ_id, "title": "理事会会议",
                                                     "held_on": date(2023, 5, 1), "members_count": 3,
                                                     "present_count": 3})
        db.session.commit()
        meeting_id = meeting.id
    login(client, "sec@a.test")
    page = "/s/a/admin/governance/meetings"
    url = f"{page}/{meeting_id}/minutes"
    bad = post_form(client, url, {"minutes": (io.BytesIO(b"MZ not a pdf"), "minutes.pdf")}, page=page,
                    content_type="multipart/form-data", follow_redirects=True)
    assert "PDF" in bad.get_data(as_text=True)
    assert client.get(url).status_code == 404
    good = post_form(client, url, {"minutes": (io.BytesIO(b"%PDF-1.4 minutes"), "纪要.pdf")}, page=page,
                     content_type="multipart/form-data")
    assert good.status_code == 302
    download = client.get(url)
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")


def test_console_composition_across_societies(app, client):
    _, ids = _setup(app)
    with app.test_request_context():
        gov.save_rule(None, {"body": "council", "attribute": "female", "comparison": ">=", "threshold": "1/2"})
        society, _, term_id = ids["b"]
        with society_context(society.id):
            add(society, gov.get_term(society, term_id), "b-女理事", gender="female")
        db.session.commit()
    login(client, "admin@kx.test")
    page = client.get("/association/renewals/composition?lang=en").get_data(as_text=True)
    rows = [r for r in page.split("<tr") if "测试学会" in r]
    assert len(rows) == 2
    row_a = next(r for r in rows if "测试学会a" in r)
    row_b = next(r for r in rows if "测试学会b" in r)
    assert "0.0%" in row_a and "Not met" in row_a
    assert "50.0%" in row_b and "Not met" not in row_b


def test_composition_shown_at_renewal_to_the_society_and_the_association(app, client):
    data, ids = _setup(app)  # council term 1 from 2021-12-01 with one front-line member born 1975
    society, organ_id, term_id = ids["a"]
    with app.test_request_context():
        gov.save_rule(None, {"body": "council", "attribute": "front_line", "comparison": ">=", "threshold": "2/3"})
        gov.save_rule(None, {"body": "council", "attribute": "under_45", "comparison": ">=", "threshold": "1/3"})
        db.session.commit()
    with app.test_request_context(), society_context(society.id):
        term = db.session.get(Term, (society.id, term_id))
        add(society, term, "非一线", front_line=False)
        renewal = gov.start_renewal(society, None, {"term_id": term_id})
        gov.submit_plan(society, None, renewal, {"plan": "方案", "candidates": "张三\n李四\n王五"})
        db.session.commit()
        renewal_id = renewal.id
    login(client, "sec@a.test")
    page = client.get("/s/a/admin/governance/renewal").get_data(as_text=True)
    current = page.split("本届理事会（第1届）人员构成")[1].split("</section>")[0]
    assert "部分构成要求未达标" in current and "1/2 (50.0%)" in current  # front line 1 of 2 < 2/3
    assert "新一届理事会" not in page
    # the elected candidates entered as the next term's roster: 2 of 3 front line (exactly 2/3), 1 of 3 under 45
    with app.test_request_context(), society_context(society.id):
        # the next term starts after today (a fixed date here turned "next" into "current" once it passed)
        incoming = gov.create_term(society, None, {"organ_id": organ_id, "number": 2,
                                                   "starts_on": date.today() + timedelta(days=30)})
        add(society, incoming, "张三")
        add(society, incoming, "李四", birth_date=date(1990, 1, 1), front_line=False)
        add(society, incoming, "王五")
        db.session.commit()
    page = client.get("/s/a/admin/governance/renewal").get_data(as_text=True)
    new = page.split("新一届理事会（第2届）人员构成")[1].split("</section>")[0]
    assert "各项构成要求均已达标" in new and "2/3 (66.7%)" in new and "1/3 (33.3%)" in new
    # the renewal being prepared is still term 1's, even though term 2 is the latest
    assert page.index("本届理事会（第1届）") > page.index("第2届理事会")
    login(client, "admin@kx.test")
    detail = client.get(f"/association/renewals/{society.id}/{renewal_id}").get_data(as_text=True)
    assert "本届理事会（第1届）人员构成" in detail and "新一届理事会（第2届）人员构成" in detail
    assert "部分构成要求未达标" in detail and "各项构成要求均已达标" in detail


def test_the_charter_settings_that_apply_are_shown(app, client):
    data, ids = _setup(app)
    society = data["a"][0]
    with app.app_context():
        s = db.session.merge(society)
        s.settings = {**(s.settings or {}), "charter": {"term_max_years": 4, "proxy_allowed": True,
                                                         "large_fund_threshold_fen": 5_000_000,
                                                         "majority_by_kind": {"large_fund_use": "3/4"}}}
        db.session.commit()
    login(client, "sec@a.test")
    page = client.get("/s/a/admin/governance/").get_data(as_text=True)
    charter = page.split('id="charter"')[1].split("</dl>")[0]
    assert "每届任期最长（年）</dt>\n  <dd>4</dd>" in charter  # the society's own value
    assert "任职年龄上限</dt>\n  <dd>70</dd>" in charter  # the model charter's default
    assert "允许委托出席</dt>\n  <dd>是</dd>" in charter and "50,000.00" in charter and "3/4" in charter
    organ = client.get(f"/s/a/admin/governance/organs/{ids['a'][1]}").get_data(as_text=True)
    assert "章程规定每届任期最长 4 年" in organ


def test_a_next_term_entered_early_leaves_the_ended_term_overdue_on_the_renewal_page(app, client):
    """Term 1 ended on 2026-11-30 without a renewal; term 2, entered ahead, starts next month. The page
    says term 1 is overdue and offers to start its renewal; term 2 has not started yet."""
    data, ids = _setup(app)
    society, organ_id, term_id = ids["a"]
    starts = date.today() + timedelta(days=30)
    with app.test_request_context(), society_context(society.id):
        upcoming = gov.create_term(society, None, {"organ_id": organ_id, "number": 2, "starts_on": starts,
                                                   "ends_on": starts + timedelta(days=4 * 365)})
        db.session.commit()
        upcoming_id = upcoming.id
    login(client, "sec@a.test")
    page = client.get("/s/a/admin/governance/renewal").get_data(as_text=True)
    first, second = page.index("第1届理事会"), page.index("第2届理事会")
    ended = page[first:] if first > second else page[first:second]
    assert "逾期" in ended and "任期已届满，尚未完成换届。" in ended
    assert f"/renewal/start/{term_id}" in page and f"/renewal/start/{upcoming_id}" not in page
    later = page[second:first] if second < first else page[second:]
    assert "尚未开始" in later and "已完成换届" not in later


def test_the_renewal_pages_say_whether_a_youth_committee_is_set_up(app, client):
    """003 §6: a society sets up a youth committee at its renewal; its page and the association's review say so."""
    data, ids = _setup(app)
    society, _, term_id = ids["a"]
    login(client, "sec@a.test")
    base = "/s/a/admin/governance/renewal"
    assert "青年工作委员会：<strong>尚未设立；科协要求学会在换届时设立青年工作委员会。</strong>" in client.get(base).get_data(as_text=True)
    post_form(client, f"{base}/start/{term_id}", {}, page=base)
    with app.test_request_context(), society_context(society.id):
        renewal_id = db.session.scalars(select(Renewal.id)).one()
        gov.create_organ(society, None, {"type": "branch", "branch_subtype": "youth", "name": "青年工作委员会（第一届）"})
        gov.create_organ(society, None, {"type": "branch", "branch_subtype": "specialist", "name": "学术工作委员会"})
        db.session.commit()
    assert "青年工作委员会：已设立（青年工作委员会（第一届））" in client.get(base).get_data(as_text=True)
    login(client, "admin@kx.test")
    detail = client.get(f"/association/renewals/{society.id}/{renewal_id}?lang=en").get_data(as_text=True)
    assert "Youth committee: set up: 青年工作委员会（第一届）" in detail and "学术工作委员会" not in detail
    other = ids["b"][0]  # another society's committee is not this one's
    with app.test_request_context(), society_context(other.id):
        assert gov.youth_committees(other) == []
