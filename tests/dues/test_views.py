"""The secretariat's dues pages and the member's portal, through the real forms."""
import io

from sqlalchemy import func, select

from society_saas.core.jobs import Job, JobState
from society_saas.dues.models import Invoice, InvoiceState, Payment, PaymentState, Receipt
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.conftest import csrf_token, login
from tests.dues.helpers import YEAR, dues_society, invoice_of
from tests.factories import two_societies


def _setup():
    data = two_societies()
    a, people = data["a"]
    b, people_b = data["b"]
    ids = dues_society(a, members=3, user=people["member"])["member_ids"]
    dues_society(b, members=1)
    return a.slug, a.id, b.id, {k: u.email for k, u in people.items()}, ids


def test_secretariat_preview_run_list_record_and_reports(app, client, session):
    slug, a_id, b_id, emails, ids = _setup()
    login(client, emails["staff"])
    base = f"/s/{slug}/admin/dues"
    page = client.get(f"{base}/run?year={YEAR}").get_data(as_text=True)
    assert "600.00" in page  # 3 x 200 yuan previewed
    token = csrf_token(client, f"{base}/run?year={YEAR}")
    response = client.post(f"{base}/run", data={"csrf_token": token, "year": YEAR})
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    job_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3" in job_page
    with society_context(a_id):
        assert db.session.scalar(select(func.count()).select_from(Invoice)) == 3
        assert db.session.scalar(select(Job.state)) == JobState.done
        inv = invoice_of(ids[0])
    with society_context(b_id):
        assert db.session.scalar(select(func.count()).select_from(Invoice)) == 0
    assert client.get(f"{base}/invoices?year={YEAR}&state=open").status_code == 200
    assert client.get(f"{base}/invoices?q=会员1").status_code == 200
    token = csrf_token(client, f"{base}/invoices/{inv.id}")
    response = client.post(f"{base}/invoices/{inv.id}/payments", data={"csrf_token": token, "method": "cash",
                                                                       "amount": "1.5.0"})
    assert response.status_code == 302
    response = client.post(f"{base}/invoices/{inv.id}/payments", data={"csrf_token": token, "method": "cash",
                                                                       "amount": "200", "paid_on": f"{YEAR}-04-01"})
    assert response.status_code == 302
    with society_context(a_id):
        db.session.expire_all()
        assert invoice_of(ids[0]).state == InvoiceState.paid
        receipt = db.session.scalar(select(Receipt))
    pdf = client.get(f"{base}/receipts/{receipt.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    reports = client.get(f"{base}/reports?year={YEAR}").get_data(as_text=True)
    assert "33.3%" in reports and "会员1" in reports and "会员2" in reports  # one of three paid; two in arrears
    csv = client.get(f"{base}/reports/arrears.csv").get_data(as_text=True)
    assert csv.startswith("\ufeff") and csv.count("\n") == 3
    assert client.get(f"{base}/reports/payments.csv").status_code == 200
    assert client.get(f"{base}/").status_code == 200 and client.get(f"{base}/schedules").status_code == 200


def test_member_uploads_voucher_staff_confirms_member_downloads_receipt(app, client, session):
    slug, a_id, b_id, emails, ids = _setup()
    with society_context(a_id):
        from society_saas.dues import services as dues
        from society_saas.tenancy.models import Society

        dues.run_invoices(db.session.get(Society, a_id), None, YEAR)
        db.session.commit()
        mine, other = invoice_of(ids[0]), invoice_of(ids[1])
    login(client, emails["member"])
    portal = f"/s/{slug}/me/dues/"
    assert "200.00" in client.get(portal).get_data(as_text=True)
    token = csrf_token(client, portal)
    # another member's invoice in my own society is not mine: 404
    assert client.post(f"{portal}{other.id}/voucher", data={"csrf_token": token}).status_code == 404
    # a page passed off as a PDF is refused (before the real one: a pending voucher refuses any other upload)
    bad = client.post(f"{portal}{mine.id}/voucher", data={
        "csrf_token": token, "voucher": (io.BytesIO(b"<html>not a voucher"), "x.pdf")}, content_type="multipart/form-data")
    assert bad.status_code == 302
    assert "仅接受 PDF、JPEG 和 PNG 文件。" in client.get(portal).get_data(as_text=True)
    response = client.post(f"{portal}{mine.id}/voucher", data={
        "csrf_token": token, "reference": "网银 8812", "voucher": (io.BytesIO(b"%PDF-1.4 bank slip"), "回单.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    with society_context(a_id):
        payments = db.session.scalars(select(Payment)).all()
        assert len(payments) == 1 and payments[0].state == PaymentState.pending
        payment_id = payments[0].id
    client.get("/logout")
    login(client, emails["staff"])
    admin = f"/s/{slug}/admin/dues"
    assert "网银 8812" in client.get(f"{admin}/vouchers").get_data(as_text=True)
    assert client.get(f"{admin}/payments/{payment_id}/voucher").data.startswith(b"%PDF")
    token = csrf_token(client, f"{admin}/vouchers")
    assert client.post(f"{admin}/payments/{payment_id}/review", data={"csrf_token": token, "action": "confirm"}).status_code == 302
    with society_context(a_id):
        receipt = db.session.scalar(select(Receipt))
    client.get("/logout")
    login(client, emails["member"])
    pdf = client.get(f"{portal}receipts/{receipt.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_stripe_settings_only_for_the_secretary_general_and_never_shown(app, client, session):
    slug, a_id, b_id, emails, ids = _setup()
    login(client, emails["staff"])
    assert client.get(f"/s/{slug}/admin/payments/stripe").status_code == 403
    client.get("/logout")
    login(client, emails["sec"])
    url = f"/s/{slug}/admin/payments/stripe"
    token = csrf_token(client, url)
    response = client.post(url, data={"csrf_token": token, "secret_key": "sk_test_abcdef123", "webhook_secret": "whsec_xyz",
                                      "methods": ["card", "alipay"]})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "sk_test_abcdef123" not in page and "whsec_xyz" not in page
    from society_saas.core import crypto
    from society_saas.core.audit import AuditEvent
    from society_saas.payments.models import PaymentAccount

    with society_context(a_id):
        acct = db.session.scalar(select(PaymentAccount))
        assert acct.secret_key_encrypted and "sk_test" not in acct.secret_key_encrypted
        assert crypto.decrypt(acct.secret_key_encrypted) == "sk_test_abcdef123"
        logged = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "PaymentAccount")).all()
        assert logged and all("sk_test" not in str(e.after) and acct.secret_key_encrypted not in str(e.after) for e in logged)


def test_invoice_page_shows_the_exemption_or_reduction_and_its_reason(app, client, session):
    slug, a_id, b_id, emails, ids = _setup()
    with society_context(a_id):
        from society_saas.dues import services as dues
        from society_saas.tenancy.models import Society

        dues.run_invoices(db.session.get(Society, a_id), None, YEAR)
        db.session.commit()
        invoice = invoice_of(ids[0])
    login(client, emails["staff"])
    url = f"/s/{slug}/admin/dues/invoices/{invoice.id}"
    token = csrf_token(client, url)
    response = client.post(f"{url}/exemption", data={"csrf_token": token, "kind": "reduced", "amount": "80",
                                                     "reason": "退休会员减缴"})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "减为 80.00 元（退休会员减缴）" in page and "80.00" in page
    with society_context(a_id):
        db.session.expire_all()
        assert invoice_of(ids[0]).amount_fen == 8000


def test_every_table_scrolls_inside_its_wrapper_on_a_phone(app, client, session):
    import re

    slug, a_id, b_id, emails, ids = _setup()
    with society_context(a_id):
        from society_saas.dues import services as dues
        from society_saas.tenancy.models import Society

        dues.run_invoices(db.session.get(Society, a_id), None, YEAR)
        dues.record_payment(db.session.get(Society, a_id), None, invoice_of(ids[0]), {"method": "cash", "amount": "200"})
        db.session.commit()
        invoice = invoice_of(ids[0])
    login(client, emails["staff"])
    base = f"/s/{slug}/admin/dues"
    for url in (f"{base}/", f"{base}/invoices", f"{base}/invoices/{invoice.id}", f"{base}/reports", f"{base}/schedules",
                f"/s/{slug}/admin/members/", f"/s/{slug}/admin/members/applications/", f"/s/{slug}/admin/members/requests/",
                f"/s/{slug}/admin/members/stats", f"/s/{slug}/admin/members/{ids[0]}"):
        page = client.get(url).get_data(as_text=True)
        tables = re.findall(r"(<div[^>]*>\s*)?<table", page)
        assert tables and all('class="table-wrap"' in wrapper for wrapper in tables), url


def test_my_dues_page_runs_as_many_queries_for_five_years_as_for_one(app, client, session):
    """The member's invoices come with their payments and receipts in two queries, however many years."""
    from sqlalchemy import event

    from society_saas.dues import services as dues
    from society_saas.tenancy.models import Society

    slug, a_id, _b_id, emails, ids = _setup()

    def statements() -> int:
        ran = []
        listener = lambda *_a: ran.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            page = client.get(f"/s/{slug}/me/dues/")
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert page.status_code == 200
        return len(ran)

    with society_context(a_id):
        society = db.session.get(Society, a_id)
        dues.run_invoices(society, None, YEAR)
        db.session.commit()
    login(client, emails["member"])
    one_year = statements()
    with society_context(a_id):
        for year in range(YEAR - 4, YEAR):
            dues.schedule_from_classes(society, None, year)
            dues.run_invoices(society, None, year)
            dues.record_payment(society, None, invoice_of(ids[0], year), {"method": "cash", "amount": "100"})
        db.session.commit()
    page = client.get(f"/s/{slug}/me/dues/").get_data(as_text=True)
    assert all(str(year) in page for year in range(YEAR - 4, YEAR + 1))
    assert statements() == one_year


def test_confirming_a_transfer_for_an_invoice_paid_meanwhile_says_it_is_to_refund(app, client, session):
    slug, a_id, b_id, emails, ids = _setup()
    with society_context(a_id):
        from society_saas.dues import services as dues
        from society_saas.tenancy.models import Society

        society = db.session.get(Society, a_id)
        dues.run_invoices(society, None, YEAR)
        voucher = dues.submit_voucher(society, None, invoice_of(ids[0]), io.BytesIO(b"%PDF-1.4 bank slip"), "回单.pdf")
        dues.record_payment(society, None, invoice_of(ids[0]), {"method": "cash", "amount": "200"})
        db.session.commit()
        voucher_id = voucher.id
    login(client, emails["staff"])
    admin = f"/s/{slug}/admin/dues"
    token = csrf_token(client, f"{admin}/vouchers")
    done = client.post(f"{admin}/payments/{voucher_id}/review", data={"csrf_token": token, "action": "confirm"},
                       follow_redirects=True)
    assert "该发票已无欠款（已付清、已作废或已退款）：这笔转账记为重复付款，待退款。" in done.get_data(as_text=True)
    with society_context(a_id):
        assert db.session.get(Payment, (a_id, voucher_id)).state == PaymentState.duplicate
