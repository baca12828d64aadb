"""Sample members for the demo societies: realistic, fictional, deterministic, created once."""
import random
from datetime import date, timedelta

from sqlalchemy import select

from society_saas.extensions import db
from society_saas.members import io as roster
from society_saas.members import services
from society_saas.members.models import Member, MemberStatus

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀兰", "霞", "平", "刚", "桂英", "建华", "晓东", "文博", "雨桐", "子涵", "浩然", "思远", "海燕", "国庆")
UNITS = {
    "cs": ("示例大学计算机学院", "示例市软件研究所", "示例科技有限公司", "示例市信息中心", "示例理工大学"),
    "med": ("示例市第一人民医院", "示例医科大学", "示例市疾病预防控制中心", "示例市中医院", "示例市妇幼保健院"),
    "agri": ("示例农业大学", "示例市农业科学院", "示例县农业技术推广站", "示例种业有限公司", "示例市畜牧兽医站"),
}
TITLES = (("教授", True), ("研究员", True), ("副教授", True), ("高级工程师", True), ("主任医师", True),
          ("讲师", False), ("工程师", False), ("助理研究员", False), ("主治医师", False), ("", False))
REGIONS = ("渝中区", "江北区", "南岸区", "沙坪坝区", "九龙坡区", "北碚区")
AREA_CODES = ("500103", "500105", "500108", "500106", "500107", "110101", "440305")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# (class code, status, how many): about three hundred members in every class and status
PLAN = (("student", MemberStatus.active, 45), ("student", MemberStatus.lapsed, 6), ("member", MemberStatus.active, 130),
        ("member", MemberStatus.grace, 14), ("member", MemberStatus.lapsed, 12), ("member", MemberStatus.resigned, 8),
        ("member", MemberStatus.deceased, 3), ("senior", MemberStatus.active, 45), ("senior", MemberStatus.grace, 4),
        ("senior", MemberStatus.resigned, 2), ("fellow", MemberStatus.active, 12), ("fellow", MemberStatus.deceased, 1))
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _resident_id(rng: random.Random, birth: date) -> str:
    body = rng.choice(AREA_CODES) + birth.strftime("%Y%m%d") + f"{rng.randint(0, 999):03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def _person(rng: random.Random, slug: str, code: str, n: int) -> dict:
    age = rng.randint(20, 26) if code == "student" else rng.randint(28, 72)
    birth = date(date.today().year - age, rng.randint(1, 12), rng.randint(1, 28))
    title, senior = rng.choice(TITLES[:5] if code in ("senior", "fellow") else TITLES[4:] if code == "student" else TITLES)
    if code == "student":
        title, senior = "", False
    return {"name": rng.choice(SURNAMES) + rng.choice(GIVEN), "gender": rng.choice(("male", "female")),
            "birth_date": birth.isoformat(), "id_type": "resident_id", "id_number": _resident_id(rng, birth),
            "mobile": f"1{rng.choice((3, 5, 8))}{rng.randint(0, 9)}{n:08d}", "email": f"m{n:03d}@{slug}.example.cn",
            "work_unit": rng.choice(UNITS.get(slug, UNITS["cs"])), "professional_title": title or None,
            "senior_title": senior, "education": rng.choice(("doctorate", "master", "bachelor")),
            "region": rng.choice(REGIONS), "front_line": rng.random() < 0.7, "nationality": "mainland",
            "join_date": (date.today() - timedelta(days=rng.randint(30, 365 * 12))).isoformat()}


def _rows(rng: random.Random, slug: str, seen: set) -> list[dict]:
    """The roster rows of the demo's members, as an import would read them (ID numbers not in `seen`)."""
    rows, n = [], 0
    for code, status, count in PLAN:
        for _ in range(count):
            n += 1
            data = _person(rng, slug, code, n)
            while data["id_number"] in seen:
                data = _person(rng, slug, code, n)
            seen.add(data["id_number"])
            rows.append({**{k: ("是" if v is True else "否" if v is False else v or "") for k, v in data.items()},
                         "class_code": code, "status": status.value})
    for i, unit in enumerate(UNITS.get(slug, UNITS["cs"])):
        code = "91500000" + "".join(rng.choice(CREDIT_CHARS) for _ in range(10))
        rows.append({"class_code": "institutional", "name": unit, "organisation": unit, "credit_code": code,
                     "contact_person": rng.choice(SURNAMES) + rng.choice(GIVEN), "mobile": f"1390000{i:04d}",
                     "status": "active", "join_date": (date.today() - timedelta(days=400 + 97 * i)).isoformat()})
    return rows


def seed_demo_members(society, member_user=None) -> int:
    """Give a demo society about three hundred members in every class and status (through the batched
    roster import), a few lifecycle stories (expulsion, reinstatement, a fellow elected by the council)
    and applications at every stage; does nothing if the society already has members."""
    if db.session.scalar(select(Member.id).limit(1)) is not None:
        return 0
    rng = random.Random(f"demo-members-{society.slug}")
    n, seen = 0, set()
    if member_user is not None:
        data = _person(rng, society.slug, "member", 0)
        data.update(name=member_user.name, email=member_user.email, join_date=date(date.today().year - 6, 3, 1).isoformat())
        services.create_member(society, None, data, services.class_by_code("member"), user=member_user)
        seen.add(data["id_number"])
        n += 1
    result = roster.import_rows(society, None, _rows(rng, society.slug, seen), dry_run=False)
    if result["errors"]:
        raise RuntimeError(f"demo roster rejected: {result['errors'][:3]}")
    n += result["created"]
    _stories(society, rng)
    _applications(society, rng)
    db.session.flush()
    return n


def _stories(society, rng: random.Random) -> None:
    """Histories a secretariat would recognise: expulsions by decision, a reinstatement, an elected fellow."""
    year = date.today().year
    active = list(db.session.scalars(select(Member).where(Member.status == MemberStatus.active,
                                                          Member.organisation.is_(None))
                                      .order_by(Member.member_number).limit(40)))
    for i, member in enumerate(active[-2:]):
        services.expel(society, None, member, {"reference": f"理事会决议〔{year - i}〕{3 + i}号",
                                               "note": "严重违反学会章程"})
    lapsed = db.session.scalar(select(Member).where(Member.status == MemberStatus.lapsed).order_by(Member.member_number))
    if lapsed is not None:
        services.reinstate(society, None, lapsed, {"note": "补缴会费后恢复会籍"})
    senior = db.session.scalar(select(Member).where(Member.status == MemberStatus.active,
                                                    Member.class_id == services.class_by_code("senior").id)
                               .order_by(Member.member_number))
    if senior is not None:
        services.change_class(society, None, senior, services.class_by_code("fellow"),
                              reference=f"理事会决议〔{year}〕7号（会士增选）")


def _applications(society, rng: random.Random) -> None:
    for i, step in enumerate(("submitted", "under_review", "more_info", "rejected")):
        data = {**_person(rng, society.slug, "member", 900 + i), "class_code": ("student", "member", "member",
                                                                               "member")[i]}
        application = services.submit_application(society, None, data)
        if step != "submitted":
            services.start_review(society, None, application)
        if step == "more_info":
            services.request_more_info(society, None, application, {"reason": "请补充职称证书扫描件。"})
        if step == "rejected":
            services.reject(society, None, application, {"reason": "申请人所在领域与本会业务范围不符。"})
    # senior membership is reached by moving up (years of membership and a senior title), not by joining
    senior = services.class_by_code("senior")
    candidates = db.session.scalars(select(Member).where(
        Member.status == MemberStatus.active, Member.class_id == services.class_by_code("member").id,
        Member.senior_title.is_(True), Member.user_id.is_(None)).order_by(Member.member_number))
    for member in candidates:
        if services.membership_years(member) >= senior.min_years:
            services.submit_upgrade(society, None, member, {"class_code": senior.code,
                                                            "note": "申请晋升高级会员，职称证书随后补交。"})
            break
