"""Demo oversight data, idempotent: activities, one finished assessment year and one in progress, reform tasks."""
from datetime import date, timedelta

from sqlalchemy import select

from society_saas.extensions import db
from society_saas.oversight import assessment, scoring
from society_saas.oversight.activities import today
from society_saas.oversight.models import Activity, ActivityKind, AssessmentScheme, FilingState, ReformTask
from society_saas.tenancy.context import society_context

ACTIVITIES = {
    "cs": [("brand_academic_event", "示例市计算机大会", 2), ("popular_science", "青少年编程科普日", 3),
           ("academic_conference", "人工智能学术年会", 1), ("think_tank_report", "数字经济发展智库报告", 1)],
    "med": [("brand_academic_event", "示例市医学高峰论坛", 1), ("popular_science", "健康科普进社区", 4),
            ("training", "基层医生继续教育培训", 2)],
    "agri": [("popular_science", "科技下乡", 1), ("group_standard", "绿色蔬菜种植团体标准", 1)],
}
INDICATORS = [
    {"code": "C1", "name": "按期换届", "category": "组织建设", "weight": "10", "type": "computed",
     "metric": "renewal_on_time", "rule": "yes_no"},
    {"code": "C2", "name": "理事会会议", "category": "组织建设", "weight": "10", "type": "computed",
     "metric": "council_meetings", "rule": "linear", "floor": "0", "target": "1"},
    {"code": "C3", "name": "党组织建设", "category": "党建", "weight": "10", "type": "computed",
     "metric": "party_organisation", "rule": "yes_no"},
    {"code": "C4", "name": "品牌学术活动", "category": "学术交流", "weight": "20", "type": "computed",
     "metric": "brand_events", "rule": "linear", "floor": "0", "target": "1"},
    {"code": "C5", "name": "科普活动", "category": "科学普及", "weight": "15", "type": "computed",
     "metric": "popular_science", "rule": "bands", "bands": "3:1\n1:0.5"},
    {"code": "S1", "name": "期刊与论文", "category": "学术交流", "weight": "15", "type": "self_reported",
     "rule": "linear", "floor": "0", "target": "10"},
    {"code": "A1", "name": "专家综合评议", "category": "综合", "weight": "20", "type": "assessor", "rule": "linear"},
]


def seed_activities(society, slug: str) -> None:
    """Recorded activities of this year and last year (skipped when the society has any)."""
    with society_context(society.id):
        if db.session.scalar(select(Activity.id).limit(1)) is not None:
            return
        this_year = date.today().year
        for kind, title, count in ACTIVITIES.get(slug, []):
            for year in (this_year - 1, this_year):
                for i in range(count):
                    db.session.add(Activity(society_id=society.id, kind=ActivityKind(kind), title=f"{title}（{i + 1}）",
                                            starts_on=date(year, 3 + 2 * i, 15), filing_state=FilingState.not_required))
        db.session.add(Activity(society_id=society.id, kind=ActivityKind.brand_academic_event,
                                title="以科协名义举办的学术论坛", starts_on=date.today() + timedelta(days=40),
                                in_association_name=True, filing_state=FilingState.submitted))
        db.session.flush()


def seed_assessment(societies) -> None:
    """Last year finalised (with grades and ranking) and this year published for self-reports."""
    this_year = today().year  # Shanghai's: last year is over there, so it may be frozen
    if db.session.scalar(select(AssessmentScheme).where(AssessmentScheme.year == this_year - 1)) is None:
        scheme = assessment.create_scheme(None, {"year": str(this_year - 1),
                                                 "title": f"{this_year - 1}年度学会工作考核"})
        for data in INDICATORS:
            assessment.add_indicator(None, scheme, data)
        assessment.publish(None, scheme)
        inds = {i.code: i for i in assessment.indicators(scheme)}
        for n, society in enumerate(societies):
            with society_context(society.id):
                assessment.save_self_report(society, None, scheme, inds["S1"], {"value": str(10 - 3 * n)})
                assessment.flush_all()
        assessment.freeze(None, scheme, date(this_year - 1, 12, 31))
        scoring.finalise(None, scheme)
    if db.session.scalar(select(AssessmentScheme).where(AssessmentScheme.year == this_year)) is None:
        scheme = assessment.create_scheme(None, {"year": str(this_year), "title": f"{this_year}年度学会工作考核",
                                                 "self_report_due": date(this_year, 12, 15).isoformat()})
        for data in INDICATORS:
            assessment.add_indicator(None, scheme, data)
        assessment.publish(None, scheme)
    db.session.flush()


def seed_reform_tasks(societies) -> None:
    """A few reform tasks, some completed."""
    if db.session.scalar(select(ReformTask.id).limit(1)) is not None:
        return
    year = date.today().year
    tasks = [("GG-01", "制定所属学会年度工作考核指标体系", "学会部", None, 100),
             ("GG-02", "建立学会创新影响力排行机制", "学会部", None, 100),
             ("GG-03", "推动秘书处实体化、秘书长职业化", None, societies[0].id if societies else None, 60),
             ("GG-04", "完善重大事项请示报告制度", "办公室", None, 100),
             ("GG-05", "青年工作委员会换届时全覆盖", None, societies[-1].id if societies else None, 30)]
    for code, title, department, owner, progress in tasks:
        db.session.add(ReformTask(code=code, title=title, owner_department=department, owner_society=owner,
                                  deadline=date(year, 12, 31), progress=progress,
                                  completed_on=date(year, 6, 30) if progress == 100 else None))
    db.session.flush()


def seed_oversight(societies: list, slugs: list[str]) -> None:
    """Everything above, idempotently."""
    for society, slug in zip(societies, slugs):
        seed_activities(society, slug)
    seed_assessment(societies)
    seed_reform_tasks(societies)
