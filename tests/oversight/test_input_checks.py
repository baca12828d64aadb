"""The console's and the secretariat's oversight forms refuse what the database cannot hold or should never rank
(NaN, infinities, out-of-range numbers, over-long codes and texts, unknown societies): the refusal names the
field, the form comes back with what was typed, and nothing is written."""
import math
from datetime import date

import pytest
from sqlalchemy import func, select

from society_saas.accounts import services as accounts
from society_saas.accounts.models import AssociationRoleName
from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.governance.models import OrganType
from society_saas.oversight import activities, assessment, scoring, watch
from society_saas.oversight.models import (Activity, AssessmentResult, AssessmentScheme, AssessorScore, Indicator,
                                           ReformTask, SelfReport, WatchAction)
from society_saas.tenancy.context import cross_society, society_context
from tests.conftest import login, post_form
from tests.factories import give_role, make_admin, make_society, make_user, two_societies
from tests.oversight import helpers as h

BAD_NUMBERS = ("nan", "NaN", "inf", "-inf", "Infinity", "1e300", "-1", "abc", "1_0")


def _assessor(email="expert@kx.test"):
    user = make_user(email, "周评审")
    accounts.grant_association_role(user, AssociationRoleName.assessor)
    db.session.commit()
    return user


def _count(model) -> int:
    db.session.rollback()
    with cross_society():
        return db.session.scalar(select(func.count()).select_from(model))


def _draft(year=2025):
    scheme = assessment.create_scheme(None, {"year": str(year)})
    db.session.commit()
    return scheme


INDICATOR = {"code": "C1", "name": "品牌学术活动", "category": "学术", "weight": "30", "type": "computed",
             "metric": "brand_events", "rule": "linear", "floor": "0", "target": "2"}


# 1a: one number parser for weights, thresholds, floors, bands, scores and self-reports

@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_an_indicator_weight_must_be_a_finite_positive_number(app, session, bad):
    scheme = _draft()
    with pytest.raises(ServiceError) as refused:
        assessment.add_indicator(None, scheme, {**INDICATOR, "weight": bad})
    assert refused.value.field == "weight" and "权重" in refused.value.message
    db.session.rollback()
    with pytest.raises(ServiceError) as zero:
        assessment.add_indicator(None, scheme, {**INDICATOR, "weight": "0"})
    assert zero.value.field == "weight"
    assert _count(Indicator) == 0


@pytest.mark.parametrize("field", ("floor", "target"))
@pytest.mark.parametrize("bad", ("nan", "inf", "-1", "1e300"))
def test_floor_and_target_must_be_finite_and_in_range(app, session, field, bad):
    scheme = _draft()
    with pytest.raises(ServiceError) as refused:
        assessment.add_indicator(None, scheme, {**INDICATOR, field: bad})
    assert refused.value.field == field
    assert _count(Indicator) == 0


@pytest.mark.parametrize("bands", ("nan:1", "5:inf", "inf:1", "-1:0.5", "10:1.5", "10:-0.1", "1e300:1", "5:1:2"))
def test_bands_must_be_finite_with_shares_from_0_to_1(app, session, bands):
    scheme = _draft()
    data = {**INDICATOR, "rule": "bands", "bands": f"20:1\n{bands}"}
    with pytest.raises(ServiceError) as refused:
        assessment.add_indicator(None, scheme, data)
    assert refused.value.field == "bands"
    assert _count(Indicator) == 0
    made = assessment.add_indicator(None, scheme, {**data, "bands": "20:1\n１０：0.5"})  # full-width, as typed in Chinese
    assert made.bands == [[20.0, 1.0], [10.0, 0.5]]


@pytest.mark.parametrize("key", ("excellent", "good", "pass"))
@pytest.mark.parametrize("bad", ("nan", "inf", "-1", "1e300", "abc"))
def test_grade_thresholds_must_be_finite_numbers_in_range(app, session, key, bad):
    with pytest.raises(ServiceError) as refused:
        assessment.create_scheme(None, {"year": "2025", key: bad})
    assert refused.value.field == key
    assert _count(AssessmentScheme) == 0


def _frozen_with_an_assessor():
    x = make_society("x", "甲学会")
    expert = _assessor()
    scheme = assessment.create_scheme(None, {"year": "2025"})
    for data in ({"code": "S1", "name": "期刊论文", "weight": "40", "type": "self_reported", "rule": "linear",
                  "floor": "0", "target": "10"},
                 {"code": "A1", "name": "专家评议", "weight": "60", "type": "assessor", "rule": "linear"}):
        assessment.add_indicator(None, scheme, data)
    assessment.publish(None, scheme)
    db.session.commit()
    return x, expert, scheme


@pytest.mark.parametrize("bad", BAD_NUMBERS + ("60.01",))
def test_assessor_points_must_be_finite_and_within_the_weight(app, session, bad):
    x, expert, scheme = _frozen_with_an_assessor()
    assessment.freeze(None, scheme, date(2025, 12, 31))
    assessment.assign_assessor(None, scheme, x, expert)
    db.session.commit()
    a1 = {i.code: i for i in assessment.indicators(scheme)}["A1"]
    with pytest.raises(ServiceError) as refused:
        scoring.score(expert, scheme, x, {a1.id: bad})
    assert refused.value.field == f"points-{a1.id}" and "A1 专家评议" in refused.value.message
    assert _count(AssessorScore) == 0
    scheme = db.session.get(AssessmentScheme, scheme.id)
    assert [r.points for r in scoring.score(expert, scheme, x, {a1.id: "60"})] == [60.0]


@pytest.mark.parametrize("bad", ("nan", "inf", "-5", "1e300", "abc"))
def test_self_reported_values_must_be_finite_and_not_negative(app, session, bad):
    x, _expert, scheme = _frozen_with_an_assessor()
    s1 = {i.code: i for i in assessment.indicators(scheme)}["S1"]
    with society_context(x.id), pytest.raises(ServiceError) as refused:
        assessment.save_self_report(x, None, scheme, s1, {"value": bad})
    assert refused.value.field == "value" and "数值" in refused.value.message
    assert _count(SelfReport) == 0


def test_the_web_forms_refuse_non_finite_numbers_and_write_nothing(app, client, session):
    """The testers' requests: weight=nan answered 500; an assessor's and a society's numbers were not checked."""
    x, expert, scheme = _frozen_with_an_assessor()
    make_admin()
    sec = make_user("sec@x.test", "秘书长")
    give_role(x, sec, "secretary_general")
    draft = _draft(2024)
    login(client, "admin@kx.test")
    page = f"/association/assessment/{draft.id}"
    for bad in ("nan", "inf", "1e300", "-3"):
        response = post_form(client, f"{page}/indicators", {**INDICATOR, "weight": bad}, page=page)
        assert response.status_code == 422, (bad, response.status_code)
        assert "权重：" in response.get_data(as_text=True)
    assert _count(Indicator) == 2  # the 2025 scheme's S1 and A1: none added to the draft

    s1 = {i.code: i for i in assessment.indicators(scheme)}["S1"]
    secretariat = client.application.test_client()
    login(secretariat, "sec@x.test")
    report_page = f"/s/x/admin/assessment/{scheme.id}"
    for bad in ("nan", "inf", "-5", "1e300"):
        response = post_form(secretariat, report_page, {"indicator_id": str(s1.id), "value": bad, "note": "论文"})
        assert response.status_code == 422, (bad, response.status_code)
        shown = response.get_data(as_text=True)
        assert "数值：" in shown and f'value="{bad}"' in shown and 'value="论文"' in shown
    assert _count(SelfReport) == 0

    scheme = db.session.get(AssessmentScheme, scheme.id)
    assessment.freeze(None, scheme, date(2025, 12, 31))
    assessment.assign_assessor(None, scheme, x, expert)
    db.session.commit()
    a1 = {i.code: i for i in assessment.indicators(scheme)}["A1"]
    scorer = client.application.test_client()
    login(scorer, "expert@kx.test")
    score_page = f"/association/assessment/{scheme.id}/score/{x.id}"
    for bad, problem in (("nan", "请填写数字。"), ("inf", "请填写数字。"), ("-1", "请填写 0 到 60 之间的数字。"),
                         ("1e300", "请填写 0 到 60 之间的数字。")):
        response = post_form(scorer, score_page, {f"points-{a1.id}": bad})
        assert response.status_code == 422, (bad, response.status_code)
        shown = response.get_data(as_text=True)
        assert f"A1 专家评议：{problem}" in shown and f'value="{bad}"' in shown
        assert f'id="points-{a1.id}-err"' in shown
    assert _count(AssessorScore) == 0


# 2: only finite numbers reach the ranking

def test_finalising_ranks_finite_numbers_only(app, client, session):
    """excellent=inf, weight=inf and a score of 1e300 once published a total of 1e+300, ranked first."""
    x, y = make_society("x", "甲学会"), make_society("y", "乙学会")
    expert = _assessor()
    with pytest.raises(ServiceError):
        assessment.create_scheme(None, {"year": "2025", "excellent": "inf"})
    db.session.rollback()
    scheme = assessment.create_scheme(None, {"year": "2025", "excellent": "85"})
    db.session.commit()
    with pytest.raises(ServiceError):
        assessment.add_indicator(None, scheme, {"code": "A1", "name": "专家评议", "weight": "inf", "type": "assessor"})
    db.session.rollback()
    scheme = db.session.get(AssessmentScheme, scheme.id)
    assessment.add_indicator(None, scheme, {"code": "A1", "name": "专家评议", "weight": "100", "type": "assessor"})
    assessment.publish(None, scheme)
    assessment.freeze(None, scheme)
    for society in (x, y):
        assessment.assign_assessor(None, scheme, society, expert)
    db.session.commit()
    a1 = assessment.indicators(scheme)[0]
    with pytest.raises(ServiceError):
        scoring.score(expert, scheme, y, {a1.id: 1e300})
    db.session.rollback()
    scheme = db.session.get(AssessmentScheme, scheme.id)
    scoring.score(expert, scheme, x, {a1.id: "88.5"})
    scoring.score(expert, scheme, y, {a1.id: 70})
    scoring.finalise(None, scheme)
    db.session.commit()
    ranking = [(s.slug, r.total, r.grade, r.rank) for r, s in scoring.ranking(scheme)]
    assert ranking == [("x", 88.5, "excellent", 1), ("y", 70.0, "pass", 2)]
    with cross_society():
        numbers = [*db.session.scalars(select(AssessmentResult.total)), *db.session.scalars(select(AssessorScore.points)),
                   *db.session.scalars(select(Indicator.weight))]
        thresholds = [v for t in db.session.scalars(select(AssessmentScheme.thresholds)) for v in t.values()]
    assert all(math.isfinite(v) for v in numbers + thresholds)


# 1b: codes longer than the column are refused, never cut

def test_an_indicator_code_longer_than_20_characters_is_refused_not_cut(app, client, session):
    scheme = _draft()
    long_code = "INDICATOR-CODE-2025-" + "A"  # 21 characters
    with pytest.raises(ServiceError) as refused:
        assessment.add_indicator(None, scheme, {**INDICATOR, "code": long_code})
    assert refused.value.field == "code" and "编号" in refused.value.message and "20" in refused.value.message
    db.session.rollback()
    assessment.add_indicator(None, db.session.get(AssessmentScheme, scheme.id), {**INDICATOR, "code": long_code[:20]})
    db.session.commit()
    make_admin()
    login(client, "admin@kx.test")
    page = f"/association/assessment/{scheme.id}"
    response = post_form(client, f"{page}/indicators", {**INDICATOR, "code": long_code[:20] + "B"}, page=page)
    assert response.status_code == 422  # was a UNIQUE failure: the same first 20 characters
    assert "编号：最多 20 个字符。" in response.get_data(as_text=True)
    assert [i.code for i in assessment.indicators(scheme)] == [long_code[:20]]


def test_a_reform_task_code_longer_than_20_characters_is_refused(app, client, session):
    make_admin()
    login(client, "admin@kx.test")
    data = {"code": "GG-2026-REFORM-TASK-01", "title": "任务", "owner_department": "学会部", "deadline": "2026-06-30"}
    response = post_form(client, "/association/reform/", data)
    assert response.status_code == 422
    shown = response.get_data(as_text=True)
    assert "编号：最多 20 个字符。" in shown and 'value="GG-2026-REFORM-TASK-01"' in shown
    assert _count(ReformTask) == 0


# 1c: sort order and the owner society

@pytest.mark.parametrize("bad", ("abc", "99999999999999999999", "1e3", "-1", "10000"))
def test_an_indicator_sort_order_must_be_a_small_whole_number(app, client, session, bad):
    scheme = _draft()
    make_admin()
    login(client, "admin@kx.test")
    page = f"/association/assessment/{scheme.id}"
    response = post_form(client, f"{page}/indicators", {**INDICATOR, "sort_order": bad}, page=page)
    assert response.status_code == 422, response.status_code
    assert "排序：请填写 0 到 9999 之间的整数。" in response.get_data(as_text=True)
    assert _count(Indicator) == 0
    assessment.add_indicator(None, db.session.get(AssessmentScheme, scheme.id), {**INDICATOR, "sort_order": "7"})
    assert assessment.indicators(scheme)[0].sort_order == 7


@pytest.mark.parametrize("owner", ("0b7c6f0e-3f5a-4a43-9d0e-2a8d3c1f9e21", "not-a-uuid"))
def test_a_reform_task_owner_must_be_a_known_society(app, client, session, owner):
    make_admin()
    login(client, "admin@kx.test")
    response = post_form(client, "/association/reform/", {"code": "R1", "title": "任务", "owner_society": owner,
                                                          "deadline": "2026-06-30"})
    assert response.status_code == 422, response.status_code
    assert "责任学会：请从列表中选择学会。" in response.get_data(as_text=True)
    assert _count(ReformTask) == 0


def test_reform_progress_must_be_a_percentage(app, client, session):
    make_admin()
    task = watch.save_task(None, {"code": "R1", "title": "任务", "owner_department": "学会部",
                                  "deadline": "2026-06-30"})
    db.session.commit()
    login(client, "admin@kx.test")
    response = post_form(client, f"/association/reform/{task.id}", {"progress": "1e2"}, page="/association/reform/")
    assert response.status_code == 422
    shown = response.get_data(as_text=True)
    assert "进度：请填写 0 到 100 之间的整数。" in shown and 'value="1e2"' in shown
    assert db.session.get(ReformTask, task.id).progress == 0


# 1d: activities, one check for the web form and the API

@pytest.mark.parametrize("participants", ("99999999999999999999", "-5", "10000001", "12.5", "many"))
def test_activity_participants_are_checked_on_the_web_as_in_the_api(app, client, session, participants):
    data = two_societies()
    a, people = data["a"]
    login(client, people["sec"].email)
    form = {"kind": "training", "title": "青年论坛", "starts_on": "2026-05-01", "participants": participants}
    response = post_form(client, "/s/a/admin/activities/", form)
    assert response.status_code == 422, response.status_code
    shown = response.get_data(as_text=True)
    assert "参加人数：请填写 0 到 10000000 之间的整数。" in shown
    assert f'value="{participants}"' in shown and 'value="青年论坛"' in shown and 'value="2026-05-01"' in shown
    with society_context(a.id):
        assert db.session.scalar(select(func.count()).select_from(Activity)) == 0


@pytest.mark.parametrize("data, field", (
    ({"title": "论" * 201}, "title"),
    ({"title": "论坛\x00"}, "title"),
    ({"venue": "场" * 201}, "venue"),
    ({"participants": -5}, "participants"),
    ({"participants": 10_000_001}, "participants"),
    ({"description": "述" * 5001}, "description"),
    ({"starts_on": "2026-13-01"}, "starts_on"),
))
def test_record_activity_refuses_what_the_api_refuses(app, session, data, field):
    society = make_society("x")
    with society_context(society.id), pytest.raises(ServiceError) as refused:
        activities.record_activity(society, None, {"kind": "training", "title": "论坛", "starts_on": "2026-05-01",
                                                   **data})
    assert refused.value.field == field
    db.session.rollback()
    with society_context(society.id):
        made = activities.record_activity(society, None, {"kind": "training", "title": "论" * 200,
                                                          "starts_on": "2026-05-01", "participants": 10_000_000})
        assert made.title == "论" * 200 and made.participants == 10_000_000


# 5: the console forms keep what was typed and name the field

def test_a_refused_new_scheme_keeps_the_entries_and_names_the_field(app, client, session):
    make_admin()
    login(client, "admin@kx.test")
    response = post_form(client, "/association/assessment/", {"year": "2025", "title": "2025年度考核",
                                                               "excellent": "abc", "good": "75", "pass": "60"})
    assert response.status_code == 422
    shown = response.get_data(as_text=True)
    assert "优秀分数线：请填写数字。" in shown
    assert 'value="2025年度考核"' in shown and 'value="abc"' in shown
    assert 'aria-describedby="excellent-err"' in shown and '<p class="error" id="excellent-err">' in shown
    response = post_form(client, "/association/assessment/", {"year": "2025", "snapshot_on": "2025-02-30",
                                                               "excellent": "90", "good": "75", "pass": "60"})
    assert response.status_code == 422
    assert "数据快照日期：请按 YYYY-MM-DD 格式填写日期。" in response.get_data(as_text=True)
    assert _count(AssessmentScheme) == 0


def test_a_refused_indicator_keeps_the_entries(app, client, session):
    scheme = _draft()
    make_admin()
    login(client, "admin@kx.test")
    page = f"/association/assessment/{scheme.id}"
    response = post_form(client, f"{page}/indicators", {**INDICATOR, "rule": "bands", "bands": "3:1\n1:1.5"},
                         page=page)
    assert response.status_code == 422
    shown = response.get_data(as_text=True)
    assert "分档第 2 行的得分比例：请填写 0 到 1 之间的数字。" in shown
    assert "3:1\n1:1.5</textarea>" in shown and 'value="品牌学术活动"' in shown
    assert '<option value="bands" selected>' in shown and '<option value="brand_events" selected>' in shown


def test_the_watchlist_names_the_missing_note_and_keeps_the_entries(app, client, session):
    make_admin()
    weak = make_society("weak", "涣散学会")
    h.organ(weak, OrganType.council, term=(date(2015, 1, 1), date(2020, 1, 1)))
    login(client, "admin@kx.test")
    response = post_form(client, f"/association/watchlist/{weak.id}", {"action": "notice", "note": " ",
                                                                        "taken_on": "2026-01-05"},
                         page="/association/watchlist/")
    assert response.status_code == 422
    shown = response.get_data(as_text=True)
    assert "备注：此项为必填项。" in shown and f'id="note-{weak.id}-err"' in shown
    assert 'value="2026-01-05"' in shown and '<option value="notice" selected>' in shown
    response = post_form(client, f"/association/watchlist/{weak.id}", {"action": "talk", "note": "约谈",
                                                                        "taken_on": "2026-01-32"},
                         page="/association/watchlist/")
    assert "日期：请按 YYYY-MM-DD 格式填写日期。" in response.get_data(as_text=True)
    with society_context(weak.id):
        assert db.session.scalar(select(func.count()).select_from(WatchAction)) == 0
