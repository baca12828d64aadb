"""Reminders over real SMTP (aiosmtpd): the right kind on the right day, never the same one twice."""
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from society_saas.cli import main
from society_saas.dues import services as dues
from society_saas.dues.models import ReminderSent
from society_saas.dues.services import reminders
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.dues.helpers import YEAR, dues_society, invoice_of
from tests.factories import make_society
from tests.mail_support import settle

DUE = date(YEAR, 3, 31)


def _society(app):
    a = make_society("a")
    ids = dues_society(a, members=3, due=DUE)["member_ids"]
    with society_context(a.id):
        dues.run_invoices(a, None, YEAR)
        db.session.commit()
    return a, ids


def test_kind_for_each_stage(app, rq):
    a, ids = _society(app)
    with society_context(a.id):
        inv = invoice_of(ids[0])
        assert reminders.kind_for(inv, DUE - timedelta(days=30)) is None
        assert reminders.kind_for(inv, DUE - timedelta(days=3)) == "before_due"
        assert reminders.kind_for(inv, DUE) == "due"
        assert reminders.kind_for(inv, DUE + timedelta(days=1)) == "grace"
        assert reminders.kind_for(inv, inv.grace_until) == "lapse"


def test_two_runs_send_each_reminder_once(app, rq, smtp):
    port, inbox = smtp
    a, ids = _society(app)
    with society_context(a.id):
        dues.record_payment(a, None, invoice_of(ids[2]), {"method": "cash", "amount": "200"})  # paid: no reminder
        db.session.commit()
        day = DUE - timedelta(days=5)
        assert reminders.send_reminders(a, day)["sent"] == 2
        assert reminders.send_reminders(a, day)["sent"] == 0  # run again the same day
        assert settle(inbox, 2) == 2
        assert reminders.send_reminders(a, DUE)["sent"] == 2  # the due-date reminder is a new kind
        assert reminders.send_reminders(a, DUE)["sent"] == 0
        assert settle(inbox, 4) == 4
    rcpts = sorted(r[0] for r, _body in inbox.messages)
    assert rcpts == sorted(["m0-member-a@example.cn", "m1-member-a@example.cn"] * 2)
    assert "会费" in inbox.messages[0][1] or "=?utf-8?" in inbox.messages[0][1].lower()


def test_interrupted_run_never_sends_twice_and_refused_mail_is_retried(app, rq, smtp, monkeypatch):
    port, inbox = smtp
    a, ids = _society(app)
    calls = {"n": 0}
    real = reminders.send_mail

    def crash_once(*args, **kw):
        calls["n"] += 1
        if calls["n"] == 1:
            raise KeyboardInterrupt  # the process dies after claiming, before the mail left
        if calls["n"] == 2:
            raise ConnectionRefusedError("smtp down")  # refused for certain: may be retried
        return real(*args, **kw)

    monkeypatch.setattr(reminders, "send_mail", crash_once)
    with society_context(a.id):
        with pytest.raises(KeyboardInterrupt):
            reminders.send_reminders(a, DUE)
        db.session.rollback()
        counts = reminders.send_reminders(a, DUE)
        assert counts == {"sent": 1, "failed": 1, "skipped": 0}
        counts = reminders.send_reminders(a, DUE)  # the refused one goes now; the interrupted one never
        assert counts["sent"] == 1
        rows = db.session.scalars(select(ReminderSent)).all()
        assert sorted(r.status for r in rows) == ["claimed", "sent", "sent"]
    assert settle(inbox, 2) == 2


def test_remind_command_twice(app, smtp, monkeypatch, session):
    port, inbox = smtp
    a, ids = _society(app)
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("MAIL_BACKEND", "smtp")
    monkeypatch.setenv("MAIL_SERVER", "127.0.0.1")
    monkeypatch.setenv("MAIL_PORT", str(port))
    runner = CliRunner()
    first = runner.invoke(main, ["remind", "--today", str(DUE + timedelta(days=2))])
    assert first.exit_code == 0, first.output
    assert "a: sent 3" in first.output
    second = runner.invoke(main, ["remind", "--today", str(DUE + timedelta(days=2))])
    assert "a: sent 0" in second.output
    assert settle(inbox, 3) == 3


def test_members_who_left_are_never_reminded(app, rq, smtp):
    from society_saas.members.models import Member
    from society_saas.members import services as members

    port, inbox = smtp
    a, ids = _society(app)
    with society_context(a.id):
        gone = db.session.get(Member, (a.id, ids[0]))
        members.mark_deceased(a, None, gone)
        expelled = db.session.get(Member, (a.id, ids[1]))
        members.expel(a, None, expelled, {"reference": "理事会决议〔2026〕1号"})
        db.session.commit()
        assert reminders.send_reminders(a, DUE)["sent"] == 1  # only the member still in the society
    assert settle(inbox, 1) == 1
    assert inbox.messages[0][0] == ["m2-member-a@example.cn"]


def test_remind_command_also_moves_run_out_memberships_once(app, smtp, monkeypatch, session):
    from society_saas.members import services as members
    from society_saas.members.models import Member, MemberStatus

    port, inbox = smtp
    a, ids = _society(app)
    with app.test_request_context("/"), society_context(a.id):
        ran_out, long_gone, current = (db.session.get(Member, (a.id, i)) for i in ids)
        ran_out.valid_until = date(YEAR - 1, 12, 31)
        members.mark_grace(a, None, long_gone)
        long_gone.valid_until = date(YEAR - 2, 12, 31)
        current.valid_until = date(YEAR, 12, 31)
        db.session.commit()
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("MAIL_BACKEND", "smtp")
    monkeypatch.setenv("MAIL_SERVER", "127.0.0.1")
    monkeypatch.setenv("MAIL_PORT", str(port))
    day = str(date(YEAR, 1, 20))
    first = CliRunner().invoke(main, ["remind", "--today", day])
    assert first.exit_code == 0, first.output
    assert "a: sent 0, failed 0, skipped 0; memberships to grace 1, lapsed 1" in first.output
    assert "memberships to grace 0, lapsed 0" in CliRunner().invoke(main, ["remind", "--today", day]).output
    with society_context(a.id):
        db.session.expire_all()
        statuses = [db.session.get(Member, (a.id, i)).status for i in ids]
        assert statuses == [MemberStatus.grace, MemberStatus.lapsed, MemberStatus.active]
        history = [e.kind for e in members.history(db.session.get(Member, (a.id, ids[0])))]
        assert history[0] == "grace"
