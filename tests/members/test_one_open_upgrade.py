"""An application for a higher class is filed once until it is decided, and confirmed as what it is."""
import re

import pytest
from sqlalchemy import func, select

from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.members import services
from society_saas.members.models import ApplicationKind, ApplicationStatus, MemberApplication
from society_saas.tenancy.context import society_context
from tests.conftest import login, post_form
from tests.factories import two_societies
from tests.members.helpers import VALID_IDS, person, with_classes


def _upgrades() -> int:
    return db.session.scalar(select(func.count()).select_from(MemberApplication)
                             .where(MemberApplication.kind == ApplicationKind.upgrade))


def _student(society, user=None):
    data = person(id_number=VALID_IDS[0], class_code="student")
    code = data.pop("class_code")
    return services.create_member(society, None, data, services.class_by_code(code), user=user)



def test_a_second_open_upgrade_is_refused_until_the_first_is_decided(cs):
    member = _student(cs)
    first = services.submit_upgrade(cs, None, member, {"class_code": "member"})
    for step in (None, "review", "more_info"):
        if step == "review":
            services.start_review(cs, None, first)
        elif step == "more_info":
            services.request_more_info(cs, None, first, {"reason": "请补充在读证明。"})
        with pytest.raises(ServiceError) as exc:
            services.submit_upgrade(cs, None, member, {"class_code": "member"})
        assert exc.value.field == "class_code"
        assert "申请晋升为“会员”" in exc.value.message and "请勿重复提交" in exc.value.message
    assert _upgrades() == 1
    services.reject(cs, None, first, {"reason": "暂不符合条件。"})
    services.submit_upgrade(cs, None, member, {"class_code": "member"})
    assert _upgrades() == 2


def test_the_upgrade_page_files_once_and_says_it_is_an_upgrade(app, client, session):
    data = two_societies()
    a, people = data["a"]
    with_classes(a)
    with app.test_request_context("/"), society_context(a.id):
        _student(a, people["member"])
        db.session.commit()
    login(client, people["member"].email)
    form = {"up-class_code": "member", "up-note": "已毕业。"}
    first = post_form(client, "/s/a/me/profile/upgrade", form, page="/s/a/me/profile/", follow_redirects=True)
    body = first.get_data(as_text=True)
    assert "您的会员类别晋升申请已提交" in body and "入会申请" not in body
    # the form gives way to where the application stands
    assert 'id="upgrade-pending"' in body and 'name="up-class_code"' not in body
    assert re.search(r"您于 \d{4}-\d{2}-\d{2} 提交的晋升“会员”申请正在秘书处审核中", body)
    second = post_form(client, "/s/a/me/profile/upgrade", form, page="/s/a/me/profile/", follow_redirects=True)
    assert "请勿重复提交" in second.get_data(as_text=True)
    with society_context(a.id):
        assert _upgrades() == 1
        assert db.session.scalar(select(MemberApplication.status)) == ApplicationStatus.submitted
