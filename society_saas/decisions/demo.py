"""Demo decisions: a few years of 三重一大 matters of every kind, with follow-ups and a correction."""
from datetime import date

from sqlalchemy import func, select

from society_saas.decisions import services
from society_saas.decisions.models import DecisionEntry

# (kind, title, body, meeting, date, members, present, recused, for, against, abstain, amount_fen, report)
_MATTERS = [
    ("appointment", "关于聘任{short}秘书长的决定", "council", "第八届理事会第五次会议", date(2024, 4, 20),
     45, 38, [], 35, 1, 2, None, False),
    ("large_fund_use", "关于{short}年度学术会议场地及服务采购（{amount}元）的决定", "standing_council",
     "第八届常务理事会第九次会议", date(2024, 9, 12), 15, 12, ["张卫东"], 10, 0, 1, 18_600_000, False),
    ("major_project", "关于承接省科协“科技服务基层”项目的决定", "standing_council", "第八届常务理事会第十次会议",
     date(2025, 3, 8), 15, 13, [], 11, 1, 1, None, False),
    ("major_decision", "关于修订《{short}章程》并提交会员代表大会审议的决定", "council", "第八届理事会第六次会议",
     date(2025, 6, 28), 45, 36, [], 33, 2, 1, None, True),
    ("appointment", "关于增补两名常务理事的决定", "council", "第八届理事会第七次会议", date(2025, 12, 6),
     45, 40, ["李明", "陈静"], 30, 4, 4, None, False),
    ("large_fund_use", "关于购置学会会员管理系统服务（{amount}元）的决定", "standing_council",
     "第八届常务理事会第十二次会议", date(2026, 5, 16), 15, 11, [], 9, 1, 1, 12_800_000, True),
    ("major_decision", "关于设立青年科技工作者委员会的决定", "standing_council", "第八届常务理事会第十三次会议",
     date(2026, 9, 19), 15, 10, [], 6, 3, 1, None, False),
]


def seed_decisions(society, actor) -> int:
    """Record the demo matters once per society (skipped when the log already has them)."""
    if _seeded():
        return 0
    short = society.short_name
    entries = []
    for (kind, title, body, meeting, held, members, present, recused, yes, no, abstain, amount,
         report) in _MATTERS:
        voters = present - len(recused)
        adopted = yes * 3 >= voters * 2
        data = dict(kind=kind, title=title.format(short=short, amount=f"{(amount or 0) // 100:,}"),
                    description="经集体讨论决定，会议纪要存档备查。", proposer="秘书处", body=body, meeting_ref=meeting,
                    meeting_date=held, members_total=members, present=present, recused=recused, votes_for=yes,
                    votes_against=no, votes_abstain=abstain, result="adopted" if adopted else "rejected",
                    supervisors="present" if present % 2 else "notified", party_organisation=True,
                    party_prestudy="yes", amount_fen=amount, report_to_association=report)
        entries.append(services.record_decision(society, actor, data))
    first, fund, project, charter_change = entries[0], entries[1], entries[2], entries[3]
    for entry in (first, fund, project):
        services.change_state(society, actor, {"decision_id": entry.decision_id, "state": "in_progress"})
    services.add_follow_up(society, actor, {"decision_id": first.decision_id, "note": "新任秘书长已到岗，已报业务主管单位备案。"})
    services.change_state(society, actor, {"decision_id": first.decision_id, "state": "completed"})
    services.add_follow_up(society, actor, {"decision_id": fund.decision_id,
                                            "note": "已按程序比选三家供应商，合同已签订，款项分两期支付。"})
    services.change_state(society, actor, {"decision_id": fund.decision_id, "state": "completed"})
    services.add_follow_up(society, actor, {"decision_id": project.decision_id, "note": "已完成四个区县的科技服务活动。"})
    services.add_correction(society, actor, {"decision_id": charter_change.decision_id,
                                             "corrects_seq": charter_change.seq, "note": "会议届次笔误，更正为第八届理事会第六次会议（扩大）。",
                                             "meeting_ref": "第八届理事会第六次会议（扩大）"})
    # The association acknowledged the charter change; the 2026 fund use still awaits it.
    from society_saas.accounts.services import find_user

    services.respond_to_report(society, find_user("admin@kx.demo"), {
        "decision_id": charter_change.decision_id, "response": "acknowledged", "note": "已收悉，同意按程序提交会员代表大会审议。"})
    services.sign_checkpoint(society, actor)
    return len(entries)


def _seeded() -> bool:
    """True when the first demo matter is in the log (other demo areas, such as governance, add entries too)."""
    from society_saas.extensions import db

    return db.session.scalar(select(func.count()).select_from(DecisionEntry).where(
        DecisionEntry.meeting_ref == _MATTERS[0][3], DecisionEntry.entry_type == "record")) > 0
