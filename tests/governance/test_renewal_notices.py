"""Renewal reminders: the right notice on the right day, mailed once to the secretariat, by the cron command."""
from datetime import date

from click.testing import CliRunner
from sqlalchemy import select

from society_saas.cli import main
from society_saas.extensions import db
from society_saas.governance import services as gov
from society_saas.governance.models import RenewalNotice, Term
from society_saas.governance.services import notices
from society_saas.tenancy.context import society_context
from tests.conftest import login
from tests.factories import two_societies
from tests.governance.helpers import council_with_term
from tests.mail_support import settle

END = date(2027, 6, 30)  # council term 2022-07-01 .. 2027-06-30; plan due 2026-12-30


def _term(end=END):
    return Term(number=1, starts_on=date(2022, 7, 1), ends_on=end)


def test_levels_at_their_edges(session):
    from society_saas.governance.models import Renewal, RenewalStatus as S

    term = _term()
    level = notices.notice_level
    assert level(term, None, date(2026, 11, 29)) is None  # 31 days before the plan is due
    assert level(term, None, date(2026, 11, 30)) == "plan"  # 30 days before
    submitted = Renewal(status=S.submitted, plan_due_on=date(2026, 12, 30))
    assert level(term, submitted, date(2026, 11, 30)) is None  # the plan is in: nothing to remind
    assert level(term, None, date(2026, 12, 31)) == "plan"  # late plan, term end still more than 180 days off
    assert level(term, submitted, date(2027, 1, 1)) == "180"  # exactly 180 days before the end
    assert level(term, submitted, date(2027, 3, 31)) == "180"
    assert level(term, submitted, date(2027, 4, 1)) == "90"
    assert level(term, submitted, date(2027, 5, 31)) == "30"
    assert level(term, submitted, date(2027, 6, 30)) == "30"  # the last day of the term
    assert level(term, submitted, date(2027, 7, 1)) == "overdue"
    assert level(term, Renewal(status=S.filed), date(2027, 7, 1)) is None
    postponed = Renewal(status=S.postponed, postponed_until=date(2028, 6, 30))
    assert level(term, postponed, date(2028, 6, 30)) is None
    assert level(term, postponed, date(2028, 7, 1)) == "postponement_overdue"


def _society(app, contact="office@a.test"):
    data = two_societies()
    a = data["a"][0]
    a.contact_email = contact
    with app.test_request_context("/"), society_context(a.id):
        council_with_term(a, start=date(2022, 7, 1), end=END)
        db.session.commit()
    return data


def test_each_notice_is_mailed_once_to_the_secretariat(app, session, smtp):
    port, inbox = smtp
    data = _society(app)
    a = data["a"][0]
    with app.test_request_context("/"), society_context(a.id):
        assert notices.send_renewal_notices(a, date(2026, 11, 1)) == {"sent": 0, "failed": 0, "skipped": 0}
        assert notices.send_renewal_notices(a, date(2026, 12, 1))["sent"] == 1  # plan due within a month
        assert notices.send_renewal_notices(a, date(2026, 12, 2)) == {"sent": 0, "failed": 0, "skipped": 1}
        assert notices.send_renewal_notices(a, date(2027, 1, 2))["sent"] == 1  # 180 days
        assert notices.send_renewal_notices(a, date(2027, 1, 3))["sent"] == 0
        # the cron missed April and May: only the latest level is sent, not a burst of stale ones
        assert notices.send_renewal_notices(a, date(2027, 6, 1))["sent"] == 1
        assert notices.send_renewal_notices(a, date(2027, 7, 1))["sent"] == 1  # overdue
        levels = [n.level for n in db.session.scalars(select(RenewalNotice).order_by(RenewalNotice.claimed_at))]
        assert levels == ["plan", "180", "30", "overdue"]
    assert settle(inbox, 4) == 4
    rcpts, first = inbox.messages[0]
    # the society's address, its secretary-general and its staff; never a member, never society b
    assert rcpts == ["office@a.test", "sec@a.test", "staff@a.test"]
    assert "2026-12-30" in first or "=?utf-8?" in first.lower()


def test_refused_mail_is_retried_and_renewed_societies_hear_nothing(app, session, smtp, monkeypatch):
    port, inbox = smtp
    data = _society(app)
    a = data["a"][0]
    real = notices.send_mail
    calls = {"n": 0}

    def refuse_once(*args, **kw):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionRefusedError("smtp down")
        return real(*args, **kw)

    monkeypatch.setattr(notices, "send_mail", refuse_once)
    with app.test_request_context("/"), society_context(a.id):
        assert notices.send_renewal_notices(a, date(2027, 4, 2))["failed"] == 1
        assert db.session.scalars(select(RenewalNotice)).all() == []  # the claim was released
        assert notices.send_renewal_notices(a, date(2027, 4, 3))["sent"] == 1
        term = db.session.scalars(select(Term)).one()
        renewal = gov.start_renewal(a, None, {"term_id": term.id})
        gov.submit_plan(a, None, renewal, {"plan": "方案", "candidates": "甲"})
        gov.review_renewal(a, None, renewal, {"decision": "approve"})
        gov.record_assembly(a, None, renewal, {"held_on": date(2027, 5, 20)})
        db.session.commit()
        assert notices.send_renewal_notices(a, date(2027, 6, 1))["sent"] == 0  # renewed: no "30 days" notice
    assert settle(inbox, 1) == 1


def test_remind_command_and_the_renewal_page(app, client, session, smtp, monkeypatch):
    port, inbox = smtp
    _society(app)
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("MAIL_BACKEND", "smtp")
    monkeypatch.setenv("MAIL_SERVER", "127.0.0.1")
    monkeypatch.setenv("MAIL_PORT", str(port))
    runner = CliRunner()
    first = runner.invoke(main, ["governance", "remind", "--today", "2027-07-02"])
    assert first.exit_code == 0, first.output
    assert "a: sent 1" in first.output and "b:" not in first.output  # b has no council term
    second = runner.invoke(main, ["governance", "remind", "--today", "2027-07-03"])
    assert second.exit_code == 0 and "a: sent 0, failed 0, skipped 1" in second.output
    assert settle(inbox, 1) == 1
    login(client, "sec@a.test")
    page = client.get("/s/a/admin/governance/renewal").get_data(as_text=True)
    assert "已发送给秘书处的提醒" in page and "任期届满未换届" in page
