"""The audit log records who changed what, before and after, and refuses UPDATE and DELETE."""
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
