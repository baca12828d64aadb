"""A full assessment year scored end to end; grades and ranking checked against hand-computed values."""
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from society_saas.accounts import services as accounts
from society_saas.accounts.models import AssociationRoleName
from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.governance.models import OrganType
from society_saas.oversight import assessment, scoring
from society_saas.oversight.models import (ActivityKind, AssessmentResult, AssessmentScheme, Indicator,
                                           MetricSnapshot, SchemeState)
from society_saas.tenancy.context import society_context
from tests.conftest import login, post_form
from tests.factories import give_role, make_admin, make_society, make_user
from tests.oversight import helpers as h


def _assessor(email):
    user = make_user(email, email.split("@")[0])
    accounts.grant_association_role(user, AssociationRoleName.assessor)
    db.session.commit()
    return user


@pytest.fixture
def year(app, session):
    x, y, z = make_society("x", "甲学会"), make_society("y", "乙学会"), make_society("z", "丙学会")
    for society, events in ((x, 2), (y, 1), (z, 3)):
        for i in range(events):
            h.activity(society, ActivityKind.brand_academic_event, date(2025, 3 + i, 1))
    h.organ(x, OrganType.party_organisation, "党支部")
    h.organ(z, OrganType.party_organisation, "党支部")
    admin = make_admin()
    sec = make_user("sec@x.test", "秘书长")
    give_role(x, sec, "secretary_general")
    return {"x": x, "y": y, "z": z, "admin": admin, "sec": sec,
            "as1": _assessor("as1@kx.test"), "as2": _assessor("as2@kx.test")}


def _scheme():
    scheme = assessment.create_scheme(None, {"year": "2025"})
    for data in ({"code": "C1", "name": "品牌学术活动", "weight": "30", "type": "computed", "metric": "brand_events",
                  "rule": "linear", "floor": "0", "target": "2"},
                 {"code": "C2", "name": "党组织", "weight": "20", "type": "computed", "metric": "party_organisation",
                  "rule": "yes_no"},
                 {"code": "S1", "name": "期刊论文", "weight": "20", "type": "self_reported", "rule": "bands",
                  "bands": "10:1\n5:0.6\n0:0"},
                 {"code": "A1", "name": "专家评议", "weight": "30", "type": "assessor", "rule": "linear"}):
        assessment.add_indicator(None, scheme, data)
    db.session.commit()
    return scheme


def test_a_year_end_to_end(year, client):
    x, y, z, as1, as2 = year["x"], year["y"], year["z"], year["as1"], year["as2"]
    scheme = _scheme()
    login(client, "admin@kx.test")
    post_form(client, f"/association/assessment/{scheme.id}/step/publish", {}, page=f"/association/assessment/{scheme.id}")
    scheme = db.session.get(AssessmentScheme, scheme.id)
    assert scheme.state == SchemeState.self_report
    inds = {i.code: i for i in assessment.indicators(scheme)}

    # the society self-reports through its page, with an evidence file
    sec = client.application.test_client()
    login(sec, "sec@x.test")
    page = f"/s/x/admin/assessment/{scheme.id}"
    response = post_form(sec, page, {"indicator_id": str(inds["S1"].id), "value": "12", "note": "12篇",
                                     "evidence": (io.BytesIO(b"%PDF-1.4 evidence"), "evidence.pdf")},
                         content_type="multipart/form-data")
    assert response.status_code == 302
    scheme = db.session.get(AssessmentScheme, scheme.id)
    with society_context(y.id):
        assessment.save_self_report(y, None, scheme, inds["S1"], {"value": "6"})
        db.session.commit()
    with pytest.raises(ServiceError):  # an assessor indicator is not self-reported
        assessment.save_self_report(y, None, scheme, inds["A1"], {"value": "6"})

    assessment.freeze(None, scheme, date(2025, 12, 31))
    db.session.commit()
    with society_context(x.id):
        assert {s.metric: s.value for s in db.session.scalars(select(MetricSnapshot))} == {
            "brand_events": 2.0, "party_organisation": 1.0}
    # a late event does not change the frozen values
    h.activity(y, ActivityKind.brand_academic_event, date(2025, 12, 1))

    for society in (x, y, z):
        assessment.assign_assessor(None, scheme, society, as1)
    assessment.assign_assessor(None, scheme, x, as2, recused=True, reason="曾任该学会理事")
    assessment.assign_assessor(None, scheme, y, as2)
    db.session.commit()
    scoring.score(as1, scheme, x, {inds["A1"].id: 25})
    scoring.score(as1, scheme, y, {inds["A1"].id: 20})
    scoring.score(as1, scheme, z, {inds["A1"].id: 27})
    scoring.score(as2, scheme, y, {inds["A1"].id: 30})
    with pytest.raises(ServiceError):
        scoring.score(as2, scheme, x, {inds["A1"].id: 5})  # recused
    with pytest.raises(ServiceError):
        scoring.score(as2, scheme, z, {inds["A1"].id: 5})  # not assigned
    with pytest.raises(ServiceError):
        scoring.score(as1, scheme, z, {inds["A1"].id: 31})  # above the weight
    db.session.commit()
    # the recused assessor cannot open the scoring page
    expert = client.application.test_client()
    login(expert, "as2@kx.test")
    assert expert.get(f"/association/assessment/{scheme.id}/score/{x.id}").status_code == 403
    assert expert.get(f"/association/assessment/{scheme.id}/score/{y.id}").status_code == 200
    listing = expert.get(f"/association/assessment/{scheme.id}").get_data(as_text=True)
    assert f"/score/{y.id}" in listing and f"/score/{x.id}" not in listing
    # the assigned assessor sees X's evidence; the society downloads its own
    expert1 = client.application.test_client()
    login(expert1, "as1@kx.test")
    assert "evidence.pdf" in expert1.get(f"/association/assessment/{scheme.id}/score/{x.id}").get_data(as_text=True)
    assert expert1.get(f"/association/assessment/{scheme.id}/evidence/{x.id}/{inds['S1'].id}").data.startswith(b"%PDF")
    assert expert1.get(f"/association/assessment/{scheme.id}/evidence/{y.id}/{inds['S1'].id}").status_code == 404
    assert sec.get(f"/s/x/admin/assessment/{scheme.id}/evidence/{inds['S1'].id}").data.startswith(b"%PDF")

    post_form(client, f"/association/assessment/{scheme.id}/step/finalise", {}, page=f"/association/assessment/{scheme.id}")
    db.session.expire_all()
    assert db.session.get(AssessmentScheme, scheme.id).state == SchemeState.finalised
    # by hand: X 30 + 20 + 20 (12 >= 10) + 25 (as2 recused) = 95 excellent
    #          Y 15 (1/2 of 30) + 0 + 12 (6 >= 5: 0.6 of 20) + 25 (mean of 20 and 30) = 52 fail
    #          Z 30 (3 events, capped) + 20 + 0 (no self-report) + 27 = 77 good
    ranking = {s.slug: (r.total, r.grade, r.rank) for r, s in scoring.ranking(scheme)}
    assert ranking == {"x": (95.0, "excellent", 1), "z": (77.0, "good", 2), "y": (52.0, "fail", 3)}

    # each society sees only its own breakdown
    with society_context(x.id):
        mine = db.session.scalars(select(AssessmentResult)).all()
        assert len(mine) == 1 and [l["points"] for l in mine[0].breakdown] == [30.0, 20.0, 20.0, 25.0]
    page = sec.get(f"/s/x/admin/assessment/{scheme.id}").get_data(as_text=True)
    assert "95.0" in page and "52.0" not in page

    listing = client.get(f"/association/assessment/{scheme.id}/ranking").get_data(as_text=True)
    assert listing.index("甲学会") < listing.index("丙学会") < listing.index("乙学会")
    book = load_workbook(io.BytesIO(client.get(f"/association/assessment/{scheme.id}/ranking.xlsx").data))
    rows = list(book.active.iter_rows(values_only=True))
    assert [r[:3] for r in rows[1:]] == [(1, "甲学会", 95), (2, "丙学会", 77), (3, "乙学会", 52)]
    pdf = sec.get(f"/s/x/admin/assessment/{scheme.id}/report.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "Noto-Sans-CJK-SC" in _fonts(pdf.data)
    summary = client.get(f"/association/assessment/{scheme.id}/ranking.pdf")
    assert summary.status_code == 200 and "Noto-Sans-CJK-SC" in _fonts(summary.data)


def _fonts(data: bytes) -> str:
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdffonts", f.name], capture_output=True, text=True).stdout


def test_self_reports_close_at_the_deadline(app, session):
    society = make_society("late")
    scheme = assessment.create_scheme(None, {"year": "2025", "self_report_due": "2020-01-01"})
    ind = assessment.add_indicator(None, scheme, {"code": "S1", "name": "自评", "weight": "10",
                                                  "type": "self_reported", "rule": "yes_no"})
    assessment.publish(None, scheme)
    with society_context(society.id), pytest.raises(ServiceError):
        assessment.save_self_report(society, None, scheme, ind, {"value": "1"})


def test_points_rules():
    ind = Indicator(weight=20, rule="linear", floor=10, target=30)
    from society_saas.oversight.models import ScoringRule

    ind.rule = ScoringRule.linear
    assert [scoring.points_for(ind, v) for v in (5, 10, 20, 30, 40)] == [0, 0, 10, 20, 20]
    ind.rule, ind.bands = ScoringRule.bands, [[90, 1], [60, 0.5]]
    assert [scoring.points_for(ind, v) for v in (95, 60, 59)] == [20, 10, 0]
    ind.rule = ScoringRule.yes_no
    assert [scoring.points_for(ind, v) for v in (1, 0, None)] == [20, 0, 0]
    assert scoring.grade_of(89.99, {"excellent": 90, "good": 75, "pass": 60}) == "good"
    assert scoring.grade_of(60, {"excellent": 90, "good": 75, "pass": 60}) == "pass"


def test_thresholds_are_configurable_and_checked(app, session):
    with pytest.raises(ServiceError):
        assessment.create_scheme(None, {"year": "2025", "excellent": "70", "good": "80", "pass": "60"})
    scheme = assessment.create_scheme(None, {"year": "2025", "excellent": "85", "good": "70", "pass": "50"})
    assert scheme.thresholds == {"excellent": 85.0, "good": 70.0, "pass": 50.0}
    with pytest.raises(ServiceError):
        assessment.publish(None, scheme)  # no indicators yet


def test_indicators_are_removed_only_from_a_draft(app, client, session):
    make_admin()
    scheme = _scheme()
    login(client, "admin@kx.test")
    first = assessment.indicators(scheme)[0]
    page = f"/association/assessment/{scheme.id}"
    post_form(client, f"{page}/indicators/{first.id}/delete", {}, page=page)
    scheme = db.session.get(AssessmentScheme, scheme.id)
    assert [i.code for i in assessment.indicators(scheme)] == ["C2", "S1", "A1"]
    post_form(client, f"{page}/step/publish", {}, page=page)
    second = assessment.indicators(scheme)[0]
    post_form(client, f"{page}/indicators/{second.id}/delete", {}, page=page)
    assert len(assessment.indicators(scheme)) == 3


def test_scoring_closes_at_the_deadline(app, session):
    society = make_society("slow")
    expert = _assessor("slow@kx.test")
    scheme = assessment.create_scheme(None, {"year": "2025", "scoring_due": "2020-01-01"})
    ind = assessment.add_indicator(None, scheme, {"code": "A1", "name": "评议", "weight": "10", "type": "assessor"})
    assessment.publish(None, scheme)
    assessment.freeze(None, scheme)
    assessment.assign_assessor(None, scheme, society, expert)
    with pytest.raises(ServiceError):
        scoring.score(expert, scheme, society, {ind.id: 5})
