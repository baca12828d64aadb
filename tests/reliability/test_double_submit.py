"""The same form submitted twice (double click, back and resubmit): one effect, and a clear answer."""
import io
import threading

from sqlalchemy import func, select

from society_saas.core.jobs import Job
from society_saas.decisions.models import DecisionEntry
from society_saas.dues.models import Invoice, Payment
from society_saas.extensions import db
from society_saas.members.models import MemberApplication
from society_saas.tenancy.context import society_context
from tests.conftest import login
from tests.dues.helpers import YEAR, dues_society
from tests.factories import two_societies
from tests.members.helpers import with_classes
from tests.reliability.helpers import tokens

DECISION = {"kind": "major_decision", "title": "关于设立青年工作委员会的决定", "proposer": "秘书长", "body": "council",
            "meeting_ref": "第九届理事会第三次会议", "meeting_date": "2026-03-15", "members_total": "30", "present": "21",
            "recused": "张三、李四", "votes_for": "13", "votes_against": "4", "votes_abstain": "2", "result": "adopted",
            "supervisors": "present", "party_organisation": "y", "party_prestudy": "yes", "meeting_id": ""}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _count(society, model, *where) -> int:
    db.session.expire_all()
    with society_context(society.id):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_payment_recorded_twice_counts_once(app, client, session):
    data = two_societies()
    society, people = data["a"]
    dues_society(society, members=2)
    login(client, people["sec"].email)
    assert client.post("/s/a/admin/dues/run", data={**tokens(client, f"/s/a/admin/dues/run?year={YEAR}"),
                                                   "year": YEAR}).status_code == 302
    with society_context(society.id):
        invoice_id = db.session.scalars(select(Invoice.id).order_by(Invoice.id)).first()
    url = f"/s/a/admin/dues/invoices/{invoice_id}"
    form = {**tokens(client, url), "method": "cash", "amount": "50", "reference": "现金"}
    first = client.post(f"{url}/payments", data=form)
    second = client.post(f"{url}/payments?lang=en", data=form)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"].endswith(url)
    assert "already been submitted" in client.get(f"{url}?lang=en").get_data(as_text=True)
    assert _count(society, Payment, Payment.invoice_id == invoice_id) == 1
    # a fresh rendering of the form is a new payment, as it should be
    again = client.post(f"{url}/payments", data={**tokens(client, url), "method": "cash", "amount": "50"})
    assert again.status_code == 302 and _count(society, Payment, Payment.invoice_id == invoice_id) == 2


def test_a_double_click_sent_at_the_same_moment_records_one_payment(app, session):
    """Two requests with the same token in flight together: the unique key makes the second wait, then refuse."""
    data = two_societies()
    society, people = data["a"]
    dues_society(society, members=1)
    with society_context(society.id):
        from society_saas.dues import services as dues

        dues.run_invoices(society, None, YEAR)
        db.session.commit()
        invoice_id = db.session.scalar(select(Invoice.id))
    browser = app.test_client()  # one browser, two requests in flight
    login(browser, people["sec"].email)
    clients = [browser, browser]
    url = f"/s/a/admin/dues/invoices/{invoice_id}"
    form = {**tokens(browser, url), "method": "cash", "amount": "30"}
    statuses, barrier = [], threading.Barrier(2)

    def click(c):
        barrier.wait()
        statuses.append(c.post(f"{url}/payments", data=form).status_code)

    threads = [threading.Thread(target=click, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert statuses == [302, 302]
    assert _count(society, Payment, Payment.invoice_id == invoice_id) == 1


def test_decision_recorded_twice_is_one_entry_of_the_chain(app, client, session):
    data = two_societies()
    society, people = data["a"]
    login(client, people["sec"].email)
    url = "/s/a/admin/decisions/new"
    form = {**tokens(client, url), **DECISION}
    first = client.post(url, data=form)
    assert first.status_code == 302, first.get_data(as_text=True)[:1500]
    second = client.post(url, data=form)
    assert second.status_code == 302 and second.headers["Location"].endswith("/s/a/admin/decisions/")
    assert _count(society, DecisionEntry) == 1


def test_application_submitted_twice_is_one_application(app, client, session):
    data = two_societies()
    society = data["a"][0]
    with_classes(society)
    url = "/s/a/apply/"
    form = {**tokens(client, url), "class_code": "member", "name": "王芳", "gender": "female",
            "id_type": "resident_id", "id_number": "110101199003074477", "mobile": "13911112222",
            "email": "wangfang@example.cn", "work_unit": "示例研究所", "nationality": "mainland",
            "password": "applicant-pass-1"}
    first = client.post(url, data={**form, "attachment": (io.BytesIO(PNG), "a.png")},
                        content_type="multipart/form-data")
    assert first.status_code == 302, first.get_data(as_text=True)[:1500]
    second = client.post(url, data={**form, "attachment": (io.BytesIO(PNG), "a.png")},
                         content_type="multipart/form-data")
    assert second.status_code == 302 and second.headers["Location"].endswith("/s/a/apply/status")
    assert _count(society, MemberApplication) == 1


def test_invoice_run_submitted_twice_is_one_run(app, client, session):
    data = two_societies()
    society, people = data["a"]
    dues_society(society, members=3)
    login(client, people["sec"].email)
    form = {**tokens(client, f"/s/a/admin/dues/run?year={YEAR}"), "year": YEAR}
    assert client.post("/s/a/admin/dues/run", data=form).status_code == 302
    second = client.post("/s/a/admin/dues/run", data=form)
    assert second.status_code == 302 and f"/s/a/admin/dues/invoices?year={YEAR}" in second.headers["Location"]
    assert _count(society, Job) == 1
    assert _count(society, Invoice) == 3
