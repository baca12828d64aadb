"""The secretariat's start page shows the society's own figures, never another society's, and a broken chain as broken."""
import re

from society_saas.decisions import services
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.conftest import login
from tests.decisions.helpers import record
from tests.decisions.test_chain import _attacker
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


def test_dashboard_shows_a_chain_altered_behind_the_triggers_as_broken(client, session, db_backend):
    data = two_societies()
    a, people = data["a"]
    a.settings = {"charter": {"quorum": "2/3", "majority": "2/3", "large_fund_threshold_fen": 10_000_000}}
    for i in range(3):
        record(a, title=f"决定{i}")
    with society_context(a.id):  # a signed checkpoint at the head: the alteration lies before it
        services.sign_checkpoint(a, None)
        db.session.commit()
    login(client, people["sec"].email)
    page = client.get("/s/a/admin/").get_data(as_text=True)
    assert "完整" in page and "已被破坏" not in page
    _attacker(db_backend)("UPDATE decision_entry SET title = '改过' WHERE seq = 1")  # an old entry, its hash kept
    page = client.get("/s/a/admin/").get_data(as_text=True)
    assert "已被破坏" in page and "第 1 条记录校验未通过" in page
