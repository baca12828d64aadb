"""Processes killed with SIGKILL in the middle of long work: rerunning gives exactly the right state.

Each test runs the real code in a subprocess against the test's own database (SQLite file or
PostgreSQL), waits until the work is visibly under way (a hook prints PAUSED at a chosen point and
stops there), kills the process with SIGKILL (nothing of Python's clean-up runs), then reruns the
work and checks the outcome: nothing lost, nothing twice, no half-written records.
"""
import hashlib
import hmac
import json
import sys
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from society_saas.api.webhooks.models import DeliveryState, WebhookDelivery, WebhookSubscription
from society_saas.core import crypto, jobs
from society_saas.dues.models import Invoice, InvoiceState, Payment, PaymentMethod, PaymentState, Receipt, ReminderSent, StripeEvent
from society_saas.extensions import db
from society_saas.members.models import Member, MemberEvent, MemberNumberSequence
from society_saas.tenancy.context import society_context
from tests.dues.helpers import YEAR, dues_society
from tests.factories import two_societies
from tests.members.helpers import with_classes
from tests.reliability.helpers import env_for, kill_hard, run_script, start_script, wait_for_line

# Runs a `society-saas` command after installing a hook; HOOK is Python that may wrap a function so
# that it prints PAUSED and sleeps (the test then kills the process there).
CLI = """
import os, sys, time
def pause():
    print("PAUSED", flush=True)
    time.sleep(600)
exec(os.environ.get("HOOK", ""))
from society_saas.cli import main
main(sys.argv[1:], prog_name="society-saas")
"""


def _cli(*args) -> list[str]:
    return [sys.executable, "-c", CLI, *args]


def _start_cli(env, *args):
    import subprocess

    from tests.reliability.helpers import ROOT

    return subprocess.Popen(_cli(*args), env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)


def _run_cli(env, *args) -> str:
    import subprocess

    from tests.reliability.helpers import ROOT

    done = subprocess.run(_cli(*args), env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout + done.stderr


def _fresh():
    db.session.rollback()
    db.session.expire_all()


# --- the roster import ------------------------------------------------------------------------

IMPORT = """
import os, sys, time
from pathlib import Path
from sqlalchemy import select
from society_saas import create_app
from society_saas.extensions import db
from society_saas.members import io as roster
from society_saas.tenancy.context import society_context
from society_saas.tenancy.models import Society

pause_at = int(os.environ.get("PAUSE_AT_BATCH") or 0)
real, calls = roster._take_numbers, []
def take(*args, **kwargs):
    calls.append(1)
    if len(calls) == pause_at:  # the earlier batches are written (not committed) by now
        print("PAUSED", flush=True)
        time.sleep(600)
    return real(*args, **kwargs)
roster._take_numbers = take

app = create_app()
with app.test_request_context("/"):
    society = db.session.scalar(select(Society).where(Society.slug == "a"))
    with society_context(society.id):
        rows = roster.read_rows("roster.csv", Path(os.environ["ROSTER"]).read_bytes())
        result = roster.import_rows(society, None, rows, dry_run=False)
        db.session.commit()  # the boundary, as the import page and the import job do
print("RESULT", result["created"], result["updated"], result["unchanged"], flush=True)
"""


def test_import_killed_midway_leaves_nothing_and_the_rerun_imports_everything(app, session, tmp_path):
    society = two_societies()["a"][0]
    with_classes(society)
    rows = 2500  # three batches of 1,000; the rows have neither a number nor an ID number, so a
    # partly committed first run would be imported again on the rerun (duplicates)
    roster = tmp_path / "roster.csv"
    roster.write_text("姓名,会员类别,手机\n" + "".join(f"会员{i},member,139{i:08d}\n" for i in range(rows)),
                      encoding="utf-8")
    with society_context(society.id):
        counter_before = db.session.scalar(select(MemberNumberSequence.counter))
    db.session.commit()
    env = env_for(app, ROSTER=roster)
    proc = start_script(IMPORT, {**env, "PAUSE_AT_BATCH": "2"})
    wait_for_line(proc, "PAUSED")
    kill_hard(proc)

    _fresh()
    with society_context(society.id):
        assert db.session.scalar(select(func.count()).select_from(Member)) == 0
        assert db.session.scalar(select(func.count()).select_from(MemberEvent)) == 0
        assert db.session.scalar(select(MemberNumberSequence.counter)) == counter_before
    db.session.commit()

    out = run_script(IMPORT, env).stdout
    assert f"RESULT {rows} 0 0" in out
    _fresh()
    with society_context(society.id):
        members = db.session.scalars(select(Member)).all()
        assert len(members) == rows and len({m.member_number for m in members}) == rows
        assert sorted(m.mobile for m in members) == sorted(f"139{i:08d}" for i in range(rows))
        admitted = db.session.scalar(select(func.count(func.distinct(MemberEvent.member_id)))
                                     .where(MemberEvent.kind == "admitted"))
        assert admitted == rows  # every member has its history, none half-written
        assert db.session.scalar(select(MemberNumberSequence.counter)) == counter_before + rows


# --- the invoice run, as a job of the worker --------------------------------------------------

def test_invoice_run_killed_midway_is_run_again_by_the_next_worker(app, session):
    society = two_societies()["a"][0]
    members = 300
    dues_society(society, members=members)
    with society_context(society.id):
        job = jobs.enqueue(society, None, "dues.invoice_run", {"year": YEAR})
        job_id = job.id
        db.session.commit()
    env = env_for(app)
    # pause after the INSERT ... SELECT has run inside the job's transaction, before the commit
    hook = ("import society_saas.dues.services.invoicing as inv\n"
            "real = inv.run_invoices\n"
            "def run(*a, **k):\n    made = real(*a, **k)\n    print('MADE', made, flush=True)\n    pause()\n"
            "inv.run_invoices = run\n")
    proc = _start_cli({**env, "HOOK": hook}, "worker", "--once")
    lines = wait_for_line(proc, "PAUSED")
    assert any(f"MADE {members}" in line for line in lines)
    kill_hard(proc)

    _fresh()
    with society_context(society.id):
        assert db.session.scalar(select(func.count()).select_from(Invoice)) == 0
        row = db.session.get(jobs.Job, (society.id, job_id))
        assert row.state == jobs.JobState.running and row.attempts == 1  # left behind by the dead worker
    db.session.commit()

    assert "ran 1 job(s)" in _run_cli(env, "worker", "--once")
    _fresh()
    with society_context(society.id):
        row = db.session.get(jobs.Job, (society.id, job_id))
        assert row.state == jobs.JobState.done and row.result == {"created": members} and row.attempts == 2
        invoices = db.session.scalars(select(Invoice)).all()
        assert len(invoices) == members and len({i.member_id for i in invoices}) == members
        assert all(i.state == InvoiceState.open and i.amount_fen > 0 for i in invoices)
    db.session.commit()
    assert "ran" not in _run_cli(env, "worker", "--once")  # nothing left to do


def test_a_job_that_kills_its_worker_every_time_is_failed_after_three_attempts(app, session):
    society = two_societies()["a"][0]
    dues_society(society, members=2)
    with society_context(society.id):
        job_id = jobs.enqueue(society, None, "dues.invoice_run", {"year": YEAR}).id
        db.session.commit()
    env = env_for(app, HOOK="import society_saas.dues.services.invoicing as inv\n"
                            "inv.run_invoices = lambda *a, **k: pause()\n")
    for _attempt in range(jobs.MAX_ATTEMPTS):
        proc = _start_cli(env, "worker", "--once")
        wait_for_line(proc, "PAUSED")
        kill_hard(proc)
    out = _run_cli(env, "worker", "--once")
    assert "PAUSED" not in out
    _fresh()
    with society_context(society.id):
        row = db.session.get(jobs.Job, (society.id, job_id))
        assert row.state == jobs.JobState.failed and "died 3 times" in row.error


# --- the reminder run -------------------------------------------------------------------------

def _mails(output: str) -> list[str]:
    return [line.split("--- mail to ", 1)[1].split(" ---")[0] for line in output.splitlines() if "--- mail to " in line]


def test_reminder_run_killed_midway_never_mails_anyone_twice(app, session):
    society = two_societies()["a"][0]
    members = 8
    dues_society(society, members=members, due=date(YEAR, 3, 31))
    with society_context(society.id):
        from society_saas.dues import services as dues

        dues.run_invoices(society, None, YEAR)
        db.session.commit()
        addresses = sorted(db.session.scalars(select(Member.email)))
    env = env_for(app)
    # killed just after the 4th mail went out, before its claim was marked sent
    hook = ("import society_saas.dues.services.reminders as rem\n"
            "real, sent = rem.send_mail, []\n"
            "def send(*a, **k):\n    real(*a, **k)\n    sent.append(1)\n    sys.stderr.flush()\n"
            "    if len(sent) == 4: pause()\n"
            "rem.send_mail = send\n")
    proc = _start_cli({**env, "HOOK": hook}, "remind", "--society", "a", "--today", "2026-03-31")
    first = "".join(wait_for_line(proc, "PAUSED"))
    kill_hard(proc)
    second = _run_cli(env, "remind", "--society", "a", "--today", "2026-03-31")
    third = _run_cli(env, "remind", "--society", "a", "--today", "2026-03-31")

    assert len(_mails(first)) == 4 and _mails(third) == []
    everyone = _mails(first) + _mails(second)
    assert sorted(everyone) == addresses  # each member mailed exactly once across the runs
    _fresh()
    with society_context(society.id):
        claims = db.session.scalars(select(ReminderSent)).all()
        assert len(claims) == members and {c.kind for c in claims} == {"due"}
        # the one whose run died between the send and the bookkeeping stays visibly "claimed" (a later run takes
        # a claim over only after reminders.CLAIM_TIMEOUT: tests/dues/test_reminder_claims.py)
        assert sorted(c.status for c in claims) == ["claimed"] + ["sent"] * (members - 1)


# --- outgoing webhooks ------------------------------------------------------------------------

class _Receiver(BaseHTTPRequestHandler):
    """The society's own system: records every delivery id; can hang on the n-th request."""

    seen: list[str] = []
    hang_on = 0
    hanging = threading.Event()
    release = threading.Event()

    def do_POST(self):  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers["Content-Length"]))
        type(self).seen.append(self.headers["X-Society-Delivery"])
        if len(type(self).seen) == type(self).hang_on:
            type(self).hanging.set()
            type(self).release.wait(60)  # the sender is killed while it waits for this answer
            return
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_webhook_delivery_killed_midway_delivers_everything_at_least_once(app, session):
    society = two_societies()["a"][0]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Receiver.seen, _Receiver.hang_on = [], 3
    try:
        with society_context(society.id):
            sub = WebhookSubscription(society_id=society.id, url=f"http://127.0.0.1:{server.server_port}/hook",
                                      events=["dues.paid"], secret_encrypted=crypto.encrypt("whsec_test"))
            db.session.add(sub)
            db.session.flush()
            rows = [WebhookDelivery(society_id=society.id, subscription_id=sub.id, event="dues.paid",
                                    payload={"event": "dues.paid", "data": {"n": i}}) for i in range(5)]
            db.session.add_all(rows)
            db.session.commit()
            ids = {str(r.id) for r in rows}
        env = env_for(app, WEBHOOK_ALLOW_PRIVATE=1)  # the receiver listens on loopback
        proc = _start_cli(env, "webhooks", "deliver", "--once")
        assert _Receiver.hanging.wait(60)
        kill_hard(proc)
        _Receiver.release.set()
        killed_at = _Receiver.seen[-1]
        out = _run_cli(env, "webhooks", "deliver", "--once")
        assert "sent 3 delivery(ies)" in out  # the two done before the kill are not sent again
        _fresh()
        with society_context(society.id):
            done = db.session.scalars(select(WebhookDelivery)).all()
            assert {str(d.id) for d in done} == ids
            assert all(d.state == DeliveryState.delivered and d.last_status == 204 for d in done)
        # every delivery arrived; only the one in flight at the kill arrived twice, with the same
        # X-Society-Delivery id, so the receiver can tell it is a repeat
        assert set(_Receiver.seen) == ids and len(_Receiver.seen) == 6
        assert [d for d in _Receiver.seen if _Receiver.seen.count(d) > 1] == [killed_at, killed_at]
    finally:
        _Receiver.release.set()
        server.shutdown()
        server.server_close()


# --- Stripe's webhook endpoint ----------------------------------------------------------------

STRIPE = """
import os, time
from society_saas import create_app
import society_saas.payments.services as online
if os.environ.get("PAUSE"):
    def pause(*a, **k):  # the event is recorded and the payment confirmed, not yet committed
        print("PAUSED", flush=True)
        time.sleep(600)
    online._apply_parked = pause
app = create_app()
response = app.test_client().post(os.environ["URL"], data=os.environ["PAYLOAD"].encode(),
                                  headers={"Stripe-Signature": os.environ["SIGNATURE"],
                                           "Content-Type": "application/json"})
print("STATUS", response.status_code, response.get_data(as_text=True), flush=True)
"""
SECRET = "whsec_kill_test"


def _signed(payload: str) -> str:
    t = int(time.time())
    mac = hmac.new(SECRET.encode(), f"{t}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def test_stripe_webhook_killed_midway_is_applied_once_when_stripe_retries(app, session):
    from society_saas.dues import services as dues
    from society_saas.payments import services as online

    society = two_societies()["a"][0]
    member_ids = dues_society(society, members=1)["member_ids"]
    with app.test_request_context("/"), society_context(society.id):
        online.save_account(society, None, {"secret_key": "sk_test_x", "webhook_secret": SECRET, "methods": ["card"]})
        dues.run_invoices(society, None, YEAR)
        invoice = db.session.scalar(select(Invoice).where(Invoice.member_id == member_ids[0]))
        payment = Payment(society_id=society.id, invoice_id=invoice.id, member_id=invoice.member_id,
                          method=PaymentMethod.stripe_card, amount_fen=invoice.amount_fen, provider_ref="cs_test_kill")
        db.session.add(payment)
        db.session.commit()
        invoice_id, payment_id, amount = invoice.id, payment.id, invoice.amount_fen
    event = {"id": "evt_kill_1", "object": "event", "type": "checkout.session.completed", "created": int(time.time()),
             "data": {"object": {"id": "cs_test_kill", "object": "checkout.session", "payment_status": "paid",
                                 "amount_total": amount, "payment_intent": "pi_kill", "payment_method_types": ["card"],
                                 "metadata": {"payment_id": str(payment_id)}}}}
    payload = json.dumps(event)
    env = env_for(app, URL="/s/a/stripe/webhook", PAYLOAD=payload)

    proc = start_script(STRIPE, {**env, "PAUSE": "1", "SIGNATURE": _signed(payload)})
    wait_for_line(proc, "PAUSED")
    kill_hard(proc)  # Stripe sees no answer and will send the same event again

    _fresh()
    with society_context(society.id):
        assert db.session.scalar(select(func.count()).select_from(StripeEvent)) == 0
        assert db.session.get(Payment, (society.id, payment_id)).state == PaymentState.pending
    db.session.commit()

    retry = run_script(STRIPE, {**env, "SIGNATURE": _signed(payload)}).stdout
    assert "STATUS 200" in retry and '"applied"' in retry
    again = run_script(STRIPE, {**env, "SIGNATURE": _signed(payload)}).stdout
    assert "STATUS 200" in again and '"duplicate"' in again
    _fresh()
    with society_context(society.id):
        assert db.session.scalar(select(func.count()).select_from(StripeEvent)) == 1
        assert db.session.get(Payment, (society.id, payment_id)).state == PaymentState.confirmed
        assert db.session.scalar(select(func.count()).select_from(Payment)) == 1
        assert db.session.scalar(select(func.count()).select_from(Receipt)) == 1
        invoice = db.session.get(Invoice, (society.id, invoice_id))
        assert invoice.state == InvoiceState.paid and invoice.paid_fen == amount


def test_an_inline_invoice_run_whose_web_process_died_is_resumed_from_its_page(app, client, session):
    """The embedded default has no worker: the job page itself runs again a job its dead process left."""
    import subprocess

    from tests.conftest import login

    data = two_societies()
    society, people = data["a"]
    dues_society(society, members=4)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a process id that no longer exists, as after the server was killed
    with society_context(society.id):
        job = jobs.enqueue(society, None, "dues.invoice_run", {"year": YEAR})
        job.state, job.attempts, job.started_at = jobs.JobState.running, 1, jobs.utcnow()
        job.claimed_by = f"{jobs.socket.gethostname()}:{dead.pid}"
        job_id = job.id
        db.session.commit()
    login(client, people["sec"].email)
    page = client.get(f"/s/a/admin/dues/jobs/{job_id}")
    assert page.status_code == 200
    _fresh()
    with society_context(society.id):
        row = db.session.get(jobs.Job, (society.id, job_id))
        assert row.state == jobs.JobState.done and row.attempts == 2 and row.result == {"created": 4}
        assert db.session.scalar(select(func.count()).select_from(Invoice)) == 4
