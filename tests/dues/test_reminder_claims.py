"""A reminder claimed by a run that died before sending is taken over by a later run once the claim is stale;
a sent reminder never is."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from society_saas.core.db import utcnow
from society_saas.dues import services as dues
from society_saas.dues.models import ReminderSent
from society_saas.dues.services import reminders
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.dues.helpers import YEAR, dues_society
from tests.factories import make_society
from tests.mail_support import settle

DUE = date(YEAR, 3, 31)


def _society():
    a = make_society("a")
    ids = dues_society(a, members=3, due=DUE)["member_ids"]
    with society_context(a.id):
        dues.run_invoices(a, None, YEAR)
        db.session.commit()
    return a, ids


def _age_claims(minutes: int) -> None:
    """Every claim as if taken `minutes` ago."""
    db.session.execute(update(ReminderSent).values(claimed_at=utcnow() - timedelta(minutes=minutes)))
    db.session.commit()


def _die_on_first_send(monkeypatch):
    calls = {"n": 0}
    real = reminders.send_mail

    def send(*args, **kw):
        calls["n"] += 1
        if calls["n"] == 1:
            raise KeyboardInterrupt  # the process dies after claiming, before the mail left
        return real(*args, **kw)

    monkeypatch.setattr(reminders, "send_mail", send)


def _dead_run(society) -> None:
    """A run that claims the first reminder and dies before the mail leaves (in the society's context)."""
    with pytest.raises(KeyboardInterrupt):
        reminders.send_reminders(society, DUE)
    db.session.rollback()


def test_a_claim_left_by_a_dead_run_is_sent_once_it_is_stale(app, rq, smtp, monkeypatch):
    port, inbox = smtp
    a, _ids = _society()
    _die_on_first_send(monkeypatch)
    with society_context(a.id):
        _dead_run(a)
        assert reminders.send_reminders(a, DUE) == {"sent": 2, "failed": 0, "skipped": 0}  # the claim is fresh
        _age_claims(int(reminders.CLAIM_TIMEOUT.total_seconds() // 60) - 1)
        assert reminders.send_reminders(a, DUE)["sent"] == 0  # not stale yet: its run may still be sending
        _age_claims(int(reminders.CLAIM_TIMEOUT.total_seconds() // 60) + 1)
        assert reminders.send_reminders(a, DUE) == {"sent": 1, "failed": 0, "skipped": 0}
        db.session.expire_all()
        assert sorted(r.status for r in db.session.scalars(select(ReminderSent))) == ["sent"] * 3
        _age_claims(24 * 60)  # sent reminders are never taken over, however old
        assert reminders.send_reminders(a, DUE)["sent"] == 0
    assert settle(inbox, 3) == 3
    assert sorted(r[0] for r, _body in inbox.messages) == [f"m{i}-member-a@example.cn" for i in range(3)]  # once each


def test_only_one_run_takes_over_a_stale_claim(app, rq, smtp, monkeypatch):
    a, _ids = _society()
    _die_on_first_send(monkeypatch)
    with society_context(a.id):
        _dead_run(a)
        stale = db.session.scalar(select(ReminderSent))
        invoice_id, address = stale.invoice_id, stale.to_address
        _age_claims(int(reminders.CLAIM_TIMEOUT.total_seconds() // 60) + 5)
        # two runs that both listed the stale claim: the first takes it over, the second finds it fresh
        first = reminders.claim_reminder(a, invoice_id, "due", address)
        second = reminders.claim_reminder(a, invoice_id, "due", address)
        assert first is not None and first.status == "claimed" and second is None
        assert first.claimed_at > utcnow() - timedelta(minutes=1)
        assert db.session.scalar(select(ReminderSent).where(ReminderSent.invoice_id != invoice_id)) is None
