"""Member services: numbering, lifecycle transitions (allowed and refused), applications, upgrades."""
from datetime import date

import pytest
from sqlalchemy import func, select

from society_saas.core.audit import AuditEvent
from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.members import services
from society_saas.members.models import ApplicationStatus, Member, MemberApplication, MemberEvent, MemberStatus
from society_saas.tenancy.context import society_context
from tests.factories import make_society, make_user
from tests.members.helpers import VALID_IDS, old_senior_application, person, with_classes



def _member(society, idx=0, code="member", **kw):
    data = person(id_number=VALID_IDS[idx], mobile=f"1380013800{idx}", email=f"m{idx}@example.cn", **kw)
    data.pop("class_code")
    return services.create_member(society, None, data, services.class_by_code(code))


def test_numbers_follow_the_prefix_and_are_never_reused(cs):
    first, second = _member(cs, 0), _member(cs, 1)
    assert (first.member_number, second.member_number) == ("CS000001", "CS000002")
    services.resign(cs, None, second)
    third = _member(cs, 2)
    assert third.member_number == "CS000003"
    with pytest.raises(ServiceError):
        services.assign_number(cs, third, "CS000009")  # already has one
    fourth = _member(cs, 3)
    db.session.commit()
    assert len({m.member_number for m in db.session.scalars(select(Member))}) == 4
    assert fourth.member_number == "CS000004"


def test_assigning_a_used_number_is_refused(cs):
    _member(cs, 0)
    data = person(id_number=VALID_IDS[1])
    data.pop("class_code")
    with pytest.raises(ServiceError) as exc:
        services.create_member(cs, None, data, services.class_by_code("member"), number="CS000001")
    assert exc.value.field == "member_number"


def test_allocation_skips_a_number_taken_by_an_import(cs):
    _member(cs, 0)
    data = person(id_number=VALID_IDS[1])
    data.pop("class_code")
    services.create_member(cs, None, data, services.class_by_code("member"), number="CS000002")
    assert _member(cs, 2).member_number == "CS000003"


def test_id_number_is_encrypted_masked_and_unique(cs):
    member = _member(cs, 0)
    assert member.id_number_encrypted and "11010519491231002X" not in member.id_number_encrypted
    assert member.id_number_masked == "110***********002X"
    assert member.birth_date == date(1949, 12, 31)
    with pytest.raises(ServiceError) as exc:
        _member(cs, 0)
    assert exc.value.field == "id_number"
    with pytest.raises(ServiceError) as exc:
        services.create_member(cs, None, {"name": "王五", "id_number": "110101199003074478", "mobile": "13900000000"},
                               services.class_by_code("member"))
    assert exc.value.field == "id_number"


def test_full_record_read_is_audited(cs):
    member = _member(cs, 0)
    staff = make_user("staff@cs1.test")
    full = services.read_full_record(cs, staff, member)
    assert full["id_number"] == "11010519491231002X"
    reads = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "read_full")).all()
    assert [r.object_id for r in reads] == [str(member.id)]


def test_lifecycle_transitions_and_history(cs):
    member = _member(cs, 0)
    services.mark_grace(cs, None, member)
    services.mark_lapsed(cs, None, member)
    services.reinstate(cs, None, member)
    assert member.status == MemberStatus.active
    with pytest.raises(ServiceError):
        services.mark_lapsed(cs, None, member)  # active -> lapsed skips the grace period
    with pytest.raises(ServiceError) as exc:
        services.expel(cs, None, member, {"reference": " "})
    assert exc.value.field == "reference"
    services.expel(cs, None, member, {"reference": "理事会决议〔2026〕3号"})
    with pytest.raises(ServiceError):
        services.reinstate(cs, None, member, {})
    services.reinstate(cs, None, member, {"reference": "理事会决议〔2026〕9号"})
    services.resign(cs, None, member)
    services.mark_deceased(cs, None, member)
    for verb in (services.reinstate, services.resign, services.mark_grace):
        with pytest.raises(ServiceError):
            verb(cs, None, member, {"reference": "x"})
    kinds = [e.kind for e in reversed(services.history(member))]
    assert kinds == ["admitted", "grace", "lapsed", "reinstated", "expelled", "reinstated", "resigned", "deceased"]
    expelled = db.session.scalar(select(MemberEvent).where(MemberEvent.kind == "expelled"))
    assert expelled.reference == "理事会决议〔2026〕3号"


def test_application_approved_once(cs, app):
    user = make_user("applicant@example.cn", "李华")
    application = services.submit_application(cs, user, person())
    services.start_review(cs, None, application)
    member = services.approve(cs, None, application)
    assert application.status == ApplicationStatus.approved
    assert member.member_number == "CS000001" and member.user_id == user.id
    assert member.member_class.code == "member"
    for verb, data in ((services.approve, {}), (services.reject, {"reason": "x"}),
                       (services.request_more_info, {"reason": "x"})):
        with pytest.raises(ServiceError):
            verb(cs, None, application, data)
    from society_saas.core.permissions import society_roles

    assert {r.value for r in society_roles(user, cs.id)} == {"member"}


def test_application_rejected_needs_reason_and_more_info_round_trip(cs):
    application = services.submit_application(cs, None, person())
    with pytest.raises(ServiceError) as exc:
        services.request_more_info(cs, None, application, {"reason": ""})
    assert exc.value.field == "reason"
    services.request_more_info(cs, None, application, {"reason": "请补充职称证书"})
    assert application.status == ApplicationStatus.more_info
    services.resubmit(cs, None, application, {"professional_title": "教授"})
    assert application.status == ApplicationStatus.submitted and application.data["professional_title"] == "教授"
    with pytest.raises(ServiceError):
        services.reject(cs, None, application, {"reason": ""})
    services.reject(cs, None, application, {"reason": "不符合入会条件"})
    assert application.status == ApplicationStatus.rejected
    with pytest.raises(ServiceError):
        services.approve(cs, None, application)
    assert db.session.scalar(select(Member.id)) is None


def test_applications_refused_for_bad_data_and_fellows(cs):
    with pytest.raises(ServiceError) as exc:
        services.submit_application(cs, None, person(class_code="fellow"))
    assert exc.value.field == "class_code"
    with pytest.raises(ServiceError) as exc:
        services.submit_application(cs, None, person(mobile="12", email=""))
    assert exc.value.field == "mobile"
    with pytest.raises(ServiceError) as exc:
        services.submit_application(cs, None, person(name=" "))
    assert "name" in exc.value.errors


def test_upgrade_needs_years_and_title_and_fellows_need_a_decision(cs):
    member = _member(cs, 0, join_date="2024-01-01")
    with pytest.raises(ServiceError):
        services.submit_upgrade(cs, None, member, {"class_code": "senior"})  # < 5 years
    services.update_member(cs, None, member, {"join_date": "2015-03-01"})
    with pytest.raises(ServiceError):
        services.submit_upgrade(cs, None, member, {"class_code": "senior"})  # no senior title
    services.update_member(cs, None, member, {"senior_title": True})
    with pytest.raises(ServiceError):
        services.submit_upgrade(cs, None, member, {"class_code": "student"})
    application = services.submit_upgrade(cs, None, member, {"class_code": "senior"})
    services.approve(cs, None, application)
    assert member.member_class.code == "senior"
    with pytest.raises(ServiceError):
        services.change_class(cs, None, member, services.class_by_code("fellow"))
    services.change_class(cs, None, member, services.class_by_code("fellow"), reference="理事会决议〔2026〕5号")
    assert member.member_class.code == "fellow"
    changes = [(e.from_class, e.to_class) for e in services.history(member) if e.kind == "class_changed"]
    assert changes == [("senior", "fellow"), ("member", "senior")]


def test_expiry_moves_active_to_grace_then_lapsed(cs):
    fresh, late, later = _member(cs, 0), _member(cs, 1), _member(cs, 2)
    fresh.valid_until, late.valid_until = date(2030, 12, 31), date(2025, 12, 31)
    services.mark_grace(cs, None, later)
    later.valid_until = date(2025, 6, 30)
    db.session.flush()
    moved = services.expire_memberships(cs, None, today=date(2026, 1, 10), grace_days=90)
    assert moved == {"lapsed": 1, "grace": 1}
    assert (fresh.status, late.status, later.status) == (MemberStatus.active, MemberStatus.grace, MemberStatus.lapsed)
    assert services.history(late)[0].kind == "grace"
    assert services.expire_memberships(cs, None, today=date(2026, 1, 10)) == {"lapsed": 0, "grace": 0}


def test_welcome_mail_on_approval(cs, monkeypatch):
    sent = []
    monkeypatch.setattr("society_saas.members.services.applications.send_mail", lambda *a: sent.append(a))
    application = services.submit_application(cs, None, person())
    services.approve(cs, None, application)
    [(to, subject, body)] = sent
    assert to == "lihua@example.cn" and "CS000001" in body and cs.name in subject


def test_association_indicators_cover_every_society_in_one_query(app, cs):
    from society_saas.tenancy.context import cross_society

    _member(cs, 0, code="student")
    _member(cs, 1, code="member", birth_date="1950-01-01")
    other = make_society("cs2")
    with_classes(other)
    with society_context(other.id):
        data = person(id_number=VALID_IDS[3])
        data.pop("class_code")
        services.create_member(other, None, data, services.class_by_code("member"))
    db.session.commit()
    with cross_society():
        indicators = services.society_indicators()
    assert indicators[cs.id]["current"] == 2 and indicators[cs.id]["share_students"] == 0.5
    assert indicators[other.id]["current"] == 1


def test_approving_with_a_used_number_is_refused_and_the_application_stays_open(cs):
    _member(cs, 0)  # CS000001
    application = services.submit_application(cs, None, person(id_number=VALID_IDS[1], mobile="13900000011"))
    services.start_review(cs, None, application)
    db.session.commit()
    with pytest.raises(ServiceError) as exc:
        services.approve(cs, None, application, {"member_number": "cs000001"})
    assert exc.value.field == "member_number"
    db.session.rollback()
    assert application.status == ApplicationStatus.under_review
    assert db.session.scalar(select(func.count()).select_from(Member)) == 1
    member = services.approve(cs, None, application, {"member_number": "CS000100"})
    assert member.member_number == "CS000100" and application.status == ApplicationStatus.approved


def test_every_status_change_is_in_the_history_with_its_actor(cs):
    staff = make_user("staff@cs1.test")
    member = _member(cs, 0)
    services.update_member(cs, staff, member, {"work_unit": "新单位", "mobile": "13911110000"})
    services.change_class(cs, staff, member, services.class_by_code("senior"))
    services.resign(cs, staff, member, {"note": "本人申请"})
    events = list(reversed(services.history(member)))
    assert [(e.kind, e.actor_id) for e in events] == [("admitted", None), ("updated", staff.id),
                                                       ("class_changed", staff.id), ("resigned", staff.id)]
    assert events[1].note == "mobile, work_unit" and events[3].note == "本人申请"
    assert (events[2].from_class, events[2].to_class) == ("member", "senior")


VERBS = {MemberStatus.grace: services.mark_grace, MemberStatus.lapsed: services.mark_lapsed,
         MemberStatus.resigned: services.resign, MemberStatus.expelled: services.expel,
         MemberStatus.deceased: services.mark_deceased, MemberStatus.active: services.reinstate}


def test_every_status_transition_is_allowed_or_refused_as_the_table_says(cs):
    """All 36 (from, to) pairs: an allowed move is made and kept in the history; a refused one changes nothing."""
    member = _member(cs, 0)
    for before in MemberStatus:
        for after in MemberStatus:
            member.status = before
            db.session.flush()
            events = len(services.history(member))
            allowed = after in services.TRANSITIONS[before]
            try:
                VERBS[after](cs, None, member, {"reference": "理事会决议〔2026〕1号"})
            except ServiceError:
                assert not allowed, (before, after)
                assert member.status == before and len(services.history(member)) == events
            else:
                assert allowed, (before, after)
                latest = services.history(member)[0]
                assert member.status == after and (latest.from_status, latest.to_status) == (before.value, after.value)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_newcomer_cannot_apply_for_senior_member(cs):
    # the reported case: an assistant engineer with no years of membership
    with pytest.raises(ServiceError) as exc:
        services.submit_application(cs, None, person(class_code="senior", professional_title="助理工程师"))
    assert exc.value.field == "class_code"
    assert "会员类别“高级会员”要求入会满 5 年" in exc.value.message and "新入会者不能直接申请" in exc.value.message
    # a senior title does not make up for the years a newcomer cannot have
    with pytest.raises(ServiceError) as exc:
        services.submit_application(cs, None, person(class_code="senior", professional_title="教授", senior_title=True))
    assert exc.value.field == "class_code"
    # the class's refusal comes with the other fields' errors, so a form can show them all
    with pytest.raises(ServiceError) as exc:
        services.submit_application(cs, None, person(class_code="senior", mobile="12", email=""))
    assert exc.value.field == "class_code" and set(exc.value.errors) == {"class_code", "mobile"}
    assert _count(MemberApplication) == 0


def test_a_society_without_a_years_rule_still_needs_the_title_for_senior(cs):
    senior = services.class_by_code("senior")
    services.update_class(cs, None, senior, {"min_years": 0})
    assert services.open_to_newcomers(senior)
    with pytest.raises(ServiceError) as exc:
        services.submit_application(cs, None, person(class_code="senior", professional_title="助理工程师"))
    assert exc.value.field == "senior_title" and "副高级及以上职称" in exc.value.message
    application = services.submit_application(cs, None, person(class_code="senior", senior_title=True))
    member = services.approve(cs, None, application)
    assert member.member_class.code == "senior" and member.senior_title is True


def test_which_classes_a_newcomer_may_apply_for(cs):
    offered = {c.code for c in services.list_classes() if services.open_to_newcomers(c)}
    assert offered == {"student", "member", "institutional"}  # not senior (5 years), not fellow (elected)


def test_approval_checks_eligibility_again(cs):
    old_id = old_senior_application(cs)
    old = db.session.get(MemberApplication, (cs.id, old_id))
    services.start_review(cs, None, old)
    db.session.commit()
    with pytest.raises(ServiceError) as exc:
        services.approve(cs, None, old)
    assert exc.value.field == "class_code" and "入会满 5 年" in exc.value.message
    db.session.rollback()
    assert old.status == ApplicationStatus.under_review and _count(Member) == 0
    # an upgrade filed while eligible, whose title was struck from the record before the decision
    member = _member(cs, 0, join_date="2015-03-01", senior_title=True)
    upgrade = services.submit_upgrade(cs, None, member, {"class_code": "senior"})
    services.update_member(cs, None, member, {"senior_title": False})
    db.session.commit()
    with pytest.raises(ServiceError) as exc:
        services.approve(cs, None, upgrade)
    assert exc.value.field == "senior_title" and "未登记" in exc.value.message
    db.session.rollback()
    assert upgrade.status == ApplicationStatus.submitted and member.member_class.code == "member"
    services.update_member(cs, None, member, {"senior_title": True})
    services.approve(cs, None, upgrade)
    assert member.member_class.code == "senior"


def test_an_unknown_join_date_counts_as_no_years(cs):
    member = _member(cs, 0, senior_title=True)
    services.update_member(cs, None, member, {"join_date": None})
    with pytest.raises(ServiceError) as exc:
        services.submit_upgrade(cs, None, member, {"class_code": "senior"})
    assert exc.value.field == "class_code" and "目前入会 0 年" in exc.value.message
