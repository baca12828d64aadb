"""Demo governance data: organs, terms, full rosters, meetings over several years, renewals in progress."""
from datetime import date, timedelta

from sqlalchemy import select

from society_saas.extensions import db
from society_saas.governance import services as gov
from society_saas.governance.models import CompositionRule, Organ
from society_saas.governance.services.charter import add_months, add_years
from society_saas.governance.services.renewals import today

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "华",
         "平", "刚", "桂英", "建华", "晓东", "海燕", "志强", "丽", "鹏", "俊", "红梅", "文"]
# Days from today to the end of the current council term: one society on time, one near its deadline, one overdue.
TERM_END_OFFSET = {"cs": 420, "med": 120, "agri": -45}
RULES = [("council", "front_line", ">=", "7/10", "001 二(一)"), ("council", "under_45", ">=", "1/3", "001 二(一)"),
         ("standing_council", "front_line", ">=", "3/4", "001 二(一)"),
         ("general_assembly", "front_line", ">=", "13/20", "001 二(一)"),
         ("general_assembly", "under_45", ">=", "1/3", "001 二(一)")]


def seed_rules() -> None:
    """The association's composition rules, once."""
    if db.session.scalar(select(CompositionRule.id).limit(1)) is None:
        for body, attribute, comparison, threshold, note in RULES:
            gov.save_rule(None, {"body": body, "attribute": attribute, "comparison": comparison,
                                 "threshold": threshold, "note": note})


def _person(i: int, start: date, **kw) -> dict:
    age = 38 + (i * 7) % 28  # 38..65 when taking office
    data = {"holder_name": SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 3) % len(GIVEN)],
            "gender": "female" if i % 3 == 0 else "male", "birth_date": date(start.year - age, 1 + i % 12, 1 + i % 27),
            "front_line": i % 5 != 0, "region": "hk" if i == 17 else "mainland"}
    data.update(kw)
    return data


def _appointment(society, term, person: dict) -> str:
    """The council's first meeting of a term appoints the secretary-general: its entry in the decision log."""
    from society_saas.decisions import services as decisions

    entry = decisions.record_decision(society, None, dict(
        kind="appointment", title=f"关于聘任{person['holder_name']}为秘书长的决定",
        description="经理事长提名，理事会表决通过，聘任为本届理事会秘书长。", proposer="理事长", body="council",
        meeting_ref=f"第{term.number}届理事会第一次会议", meeting_date=term.starts_on, members_total=24, present=22,
        recused=[], votes_for=21, votes_against=0, votes_abstain=1, result="adopted", supervisors="present",
        party_organisation=True, party_prestudy="yes"))
    return str(entry.decision_id)


def seed_society(society, slug: str) -> None:
    """Organs, two council terms with rosters, a supervisory board, meetings and a renewal (idempotent)."""
    if db.session.scalar(select(Organ.id).where(Organ.type == "council")) is not None:
        return
    organs = {}
    for key, name, extra in (("general_assembly", "会员代表大会", {}), ("council", "理事会", {}),
                             ("standing_council", "常务理事会", {}), ("supervisory_board", "监事会", {}),
                             ("secretariat", "秘书处", {}),
                             ("youth", "青年工作委员会", {"type": "branch", "branch_subtype": "youth"}),
                             ("popsci", "科学普及专业委员会", {"type": "branch", "branch_subtype": "popular_science"}),
                             ("specialist", "学术工作委员会", {"type": "branch", "branch_subtype": "specialist"}),
                             ("party", "党支部", {"type": "party_organisation", "party_type": "A"})):
        organs[key] = gov.create_organ(society, None, {"type": key, "name": name, **extra})
    end = today() + timedelta(days=TERM_END_OFFSET.get(slug, 400))
    start = add_years(end, -5) + timedelta(days=1)
    previous_start = add_years(start, -5)
    terms = {}
    for key in ("council", "standing_council", "supervisory_board", "general_assembly"):
        terms[key] = [gov.create_term(society, None, {"organ_id": organs[key].id, "number": n, "starts_on": s,
                                                      "ends_on": e})
                      for n, s, e in ((4, previous_start, start - timedelta(days=1)), (5, start, end))]
    for t_index, term_start in enumerate((previous_start, start)):
        council, standing = terms["council"][t_index], terms["standing_council"][t_index]
        offset = t_index * 11  # half the council is renewed between terms
        roster = [("president", 0), ("vice_president", 1), ("vice_president", 2), ("vice_president", 3),
                  ("secretary_general", 4)] + [("standing_council_member", i) for i in range(5, 9)] \
            + [("council_member", i) for i in range(9, 24)]
        for role, i in roster:
            kw = {"appointment_decision_ref": _appointment(society, council, _person(i + offset, term_start))} \
                if role == "secretary_general" else {}
            gov.add_position(society, None, {"term_id": council.id, "role": role,
                                             **_person(i + offset, term_start, **kw)})
            if role in ("president", "vice_president", "secretary_general", "standing_council_member"):
                gov.add_position(society, None, {"term_id": standing.id, "role": role if role != "secretary_general"
                                                 else "secretary_general",
                                                 **_person(i + offset, term_start, **kw)})
        for j, role in enumerate(("chief_supervisor", "supervisor", "supervisor")):
            gov.add_position(society, None, {"term_id": terms["supervisory_board"][t_index].id, "role": role,
                                             **_person(40 + j + offset, term_start)})
        for k in range(60):
            gov.add_position(society, None, {"term_id": terms["general_assembly"][t_index].id, "role": "delegate",
                                             **_person(100 + k + offset, term_start)})
    # Meetings: the council once a year, the standing council every six months, over the current term.
    day = start + timedelta(days=20)
    year = 1
    while day <= min(end, today()):
        gov.create_meeting(society, None, {"organ_id": organs["council"].id, "term_id": terms["council"][1].id,
                                           "title": f"第五届理事会第{year}次会议", "held_on": day, "members_count": 24,
                                           "present_count": 19 + year % 4, "form": "in_person"})
        for half in (0, 6):
            held = add_months(day, half + 1)
            if held <= today():
                gov.create_meeting(society, None, {
                    "organ_id": organs["standing_council"].id, "term_id": terms["standing_council"][1].id,
                    "title": f"第五届常务理事会{held.year}年第{half // 6 + 1}次会议", "held_on": held,
                    "members_count": 9, "present_count": 7 if half else 5, "form": "online" if half else "in_person"})
        day, year = add_years(day, 1), year + 1
    renewal = gov.start_renewal(society, None, {"term_id": terms["council"][1].id})
    if slug in ("med", "agri"):
        gov.submit_plan(society, None, renewal, {"plan": "拟于任期届满前召开第六次会员代表大会，选举产生第六届理事会、监事会。",
                                                 "candidates": "理事长候选人：王伟\n秘书长候选人：李芳\n理事候选人 24 名（名单附后）"})
    if slug == "agri":
        gov.review_renewal(society, None, renewal, {"decision": "return",
                                                 "comment": "45岁以下理事候选人比例不足三分之一，请调整后重新报送。"})
