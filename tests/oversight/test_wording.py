"""Chinese words that another area's same English word had taken over: an activity that needs no filing, and the
society's assessment result."""
from datetime import date

from flask_babel import force_locale, gettext

from society_saas.oversight.models import ActivityKind, FilingState
from tests.conftest import login
from tests.factories import give_role, make_admin, make_society, make_user
from tests.oversight import helpers as h


def test_an_activity_without_filing_reads_as_recorded_not_as_a_time(app, client, session):
    make_admin()
    society = make_society("cs", "示例市计算机学会")
    h.activity(society, ActivityKind.popular_science, date(2026, 3, 15), title="青少年编程科普日")
    h.activity(society, ActivityKind.brand_academic_event, date(2026, 9, 1), state=FilingState.approved,
               title="科协名义论坛")
    login(client, "admin@kx.test")
    page = client.get(f"/association/societies/{society.id}/figures").get_data(as_text=True)
    assert "<td>已登记（无需报备）</td>" in page and "<td>已通过</td>" in page
    assert "记录时间" not in page
    english = client.get(f"/association/societies/{society.id}/figures?lang=en").get_data(as_text=True)
    assert "<td>Recorded, no filing needed</td>" in english
    with force_locale("zh_CN"):
        assert gettext("Recorded") == "记录时间"  # the decision log's column keeps its word


def test_the_societys_assessment_list_says_assessment_result(app, client, session):
    society = make_society("cs", "示例市计算机学会")
    give_role(society, make_user("sec@cs.test", "秘书长"), "secretary_general")
    login(client, "sec@cs.test")
    page = client.get("/s/cs/admin/assessment/").get_data(as_text=True)
    assert '<th scope="col">考核结果</th>' in page and "表决结果" not in page
    with force_locale("zh_CN"):
        assert gettext("Result") == "表决结果"  # the decision log's vote result keeps its word
