"""A society's finalised assessment shows its breakdown as a table and a bar chart (points against weight)."""
import json
import re
from datetime import date

from society_saas.extensions import db
from society_saas.oversight import assessment
from society_saas.oversight import scoring
from society_saas.tenancy.context import society_context
from tests.conftest import login
from tests.factories import give_role, make_society, make_user


def _finalised_year(society):
    scheme = assessment.create_scheme(None, {"year": "2025"})
    assessment.add_indicator(None, scheme, {"code": "S1", "name": "期刊论文", "weight": "40", "type": "self_reported",
                                            "rule": "linear", "floor": "0", "target": "10"})
    assessment.add_indicator(None, scheme, {"code": "C1", "name": "党组织", "weight": "60", "type": "computed",
                                            "metric": "party_organisation", "rule": "yes_no"})
    assessment.publish(None, scheme)
    inds = {i.code: i for i in assessment.indicators(scheme)}
    with society_context(society.id):
        assessment.save_self_report(society, None, scheme, inds["S1"], {"value": "5"})
        assessment.flush_all()
    assessment.freeze(None, scheme, date(2025, 12, 31))
    scoring.finalise(None, scheme)
    db.session.commit()
    return scheme


def test_the_breakdown_chart_carries_points_and_weights(app, client, session):
    society = make_society("x", "甲学会")
    give_role(society, make_user("sec@x.test", "秘书长"), "secretary_general")
    scheme = _finalised_year(society)
    login(client, "sec@x.test")
    page = client.get(f"/s/x/admin/assessment/{scheme.id}").get_data(as_text=True)
    data = json.loads(re.search(r'<script type="application/json" id="breakdown-data">(.*?)</script>', page, re.S).group(1))
    assert data == {"names": ["S1 期刊论文", "C1 党组织"], "points": [20.0, 0.0], "weights": [40.0, 60.0]}
    assert 'data-chart="breakdown"' in page and 'data-label-points="得分"' in page
    assert "js/oversight-charts.js" in page and "echarts-6.1.0.min.js" in page


def test_no_chart_before_the_year_is_finalised(app, client, session):
    society = make_society("x", "甲学会")
    give_role(society, make_user("sec@x.test", "秘书长"), "secretary_general")
    scheme = assessment.create_scheme(None, {"year": "2025"})
    assessment.add_indicator(None, scheme, {"code": "S1", "name": "期刊论文", "weight": "40", "type": "self_reported",
                                            "rule": "linear", "floor": "0", "target": "10"})
    assessment.publish(None, scheme)
    db.session.commit()
    login(client, "sec@x.test")
    page = client.get(f"/s/x/admin/assessment/{scheme.id}").get_data(as_text=True)
    assert "breakdown-data" not in page and "oversight-charts.js" not in page


def test_scheme_page_names_the_scoring_rules(app, client, session):
    from tests.factories import make_admin

    make_admin()
    scheme = assessment.create_scheme(None, {"year": "2025"})
    assessment.add_indicator(None, scheme, {"code": "C5", "name": "科普活动", "weight": "15", "type": "computed",
                                            "metric": "popular_science", "rule": "bands", "bands": "3:1\n1:0.5"})
    assessment.add_indicator(None, scheme, {"code": "A1", "name": "专家综合评议", "weight": "20", "type": "assessor",
                                            "rule": "linear"})
    db.session.commit()
    login(client, "admin@kx.test")
    page = client.get(f"/association/assessment/{scheme.id}").get_data(as_text=True)
    assert '<option value="bands">分档</option>' in page and '<option value="yes_no">是否达标</option>' in page
    assert "<td>分档" in page and ">linear<" not in page and ">yes_no<" not in page
    assert "由评审专家直接打分" in page and "None" not in page
