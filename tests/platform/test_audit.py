"""The audit log records who changed what, before and after, and refuses UPDATE and DELETE."""
from uuid import uuid4

import pytest
from sqlalchemy import select, text

from society_saas.core.audit import AuditEvent, PlatformAuditEvent
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.conftest import login, post_form
from tests.factories import make_admin, make_user, two_societies


def test_role_assignment_is_audited_in_the_society(client, session):
    data = two_societies()
    a, people = data["a"]
    newcomer = make_user("new@a.test", "新人")
    login(client, people["sec"].email)
    response = post_form(client, "/s/a/admin/roles/", {"identifier": "new@a.test", "role": "secretariat_staff"})
    assert response.status_code == 302
    with society_context(a.id):
        events = session.scalars(select(AuditEvent).where(AuditEvent.object_type == "SocietyRole",
                                                          AuditEvent.actor_id == people["sec"].id)).all()
    assert len(events) == 1
    assert events[0].action == "create" and events[0].after["user_id"] == str(newcomer.id)
    page = client.get("/s/a/admin/audit/").get_data(as_text=True)
    assert "学会角色" in page and "新建" in page and people["sec"].email in page  # named in the reader's language
    english = client.get("/s/a/admin/audit/?lang=en").get_data(as_text=True)
    assert "Society role" in english and "Created" in english


def test_society_edit_is_audited_with_before_and_after(client, session):
    make_admin()
    data = two_societies()
    a = data["a"][0]
    login(client, "admin@kx.test")
    post_form(client, f"/association/societies/{a.id}/edit",
              {"name": "改名后的学会", "short_name": "改名", "slug": "a", "kind": "society"})
    event = session.scalars(select(PlatformAuditEvent).where(PlatformAuditEvent.object_type == "Society",
                                                             PlatformAuditEvent.action == "update")).one()
    assert event.before["name"] == "测试学会a" and event.after["name"] == "改名后的学会"
    page = client.get("/association/audit/").get_data(as_text=True)
    assert "改名后的学会" in page


def test_audit_rows_cannot_be_changed_or_deleted(app, session):
    make_admin()
    data = two_societies()
    a = data["a"][0]
    with society_context(a.id):
        db.session.add(AuditEvent(actor_label="x", action="create", object_type="Thing"))
        db.session.add(PlatformAuditEvent(actor_label="x", action="create", object_type="Thing"))
        db.session.commit()
    for statement in ("UPDATE audit_event SET action = 'forged'", "DELETE FROM audit_event",
                      "UPDATE platform_audit_event SET action = 'forged'", "DELETE FROM platform_audit_event"):
        with pytest.raises(Exception, match="append-only|permission denied"):
            with society_context(a.id):
                db.session.execute(text(statement))
                db.session.flush()
        db.session.rollback()


def test_explicit_events_name_the_actor_as_the_request_named_them(app, session):
    from types import SimpleNamespace

    from society_saas.core import audit

    a = two_societies()["a"][0]
    clerk = SimpleNamespace(id=uuid4(), email=None, mobile="13800000000", name="王秘书")
    with society_context(a.id):
        audit.log_event(a.id, None, "invoice_run", "Invoice", after={"created": 3})
        audit.log_event(a.id, clerk, "import", "Member")
        audit.set_actor(clerk.id, "13800000000 (API: 导入)")
        try:
            audit.log_event(a.id, clerk, "exemption_withdrawn", "DuesExemption", 42, after={"reason": "录错"})
            # someone else's name in the request does not label this actor's event
            audit.log_event(a.id, SimpleNamespace(id=uuid4(), email="other@a.test"), "charter", "Society")
        finally:
            audit.clear_actor()
        db.session.flush()
        rows = session.scalars(select(AuditEvent).where(AuditEvent.action.in_(
            ["invoice_run", "import", "exemption_withdrawn", "charter"])).order_by(AuditEvent.id)).all()
    assert [(r.action, r.actor_label, r.object_id) for r in rows] == [
        ("invoice_run", "system", None), ("import", "13800000000", None),
        ("exemption_withdrawn", "13800000000 (API: 导入)", "42"), ("charter", "other@a.test", None)]
    assert rows[0].actor_id is None and rows[1].actor_id == clerk.id and rows[2].after == {"reason": "录错"}
