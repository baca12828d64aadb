"""The secretariat's start page shows the society's own figures, never another society's."""
import re

from tests.conftest import login
from tests.members.helpers import member_fixture
from tests.factories import two_societies

FIGURE = re.compile(r'<span class="stat-value">([^<]+)</span><span class="stat-label">([^<]+)</span>')


def test_dashboard_counts_only_this_society(client, session):
    data = two_societies()
    a, people = data["a"]
    b = data["b"][0]
    member_fixture(b)  # one member, one pending application and one open request, all in B
    login(client, people["sec"].email)
    page = client.get("/s/a/admin/").get_data(as_text=True)
    figures = dict((label, value) for value, label in FIGURE.findall(page))
    assert figures["现有会员"] == "0" and figures["待审核的入会申请"] == "0" and figures["待处理的会员诉求"] == "0"
    assert 'data-chart="' in page and "echarts" in page and "完整" in page

    login(client, data["b"][1]["sec"].email)
    page_b = client.get("/s/b/admin/").get_data(as_text=True)
    figures_b = dict((label, value) for value, label in FIGURE.findall(page_b))
    assert figures_b["现有会员"] == "1" and figures_b["待审核的入会申请"] == "1" and figures_b["待处理的会员诉求"] == "1"
