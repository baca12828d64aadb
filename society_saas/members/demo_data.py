"""Sample members for the demo societies: realistic, fictional, deterministic, created once."""
import random
from datetime import date, timedelta

from sqlalchemy import select

from society_saas.extensions import db
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
# (class code, status, how many)
PLAN = (("student", MemberStatus.active, 6), ("member", MemberStatus.active, 10), ("member", MemberStatus.grace, 2),
        ("member", MemberStatus.lapsed, 2), ("member", MemberStatus.resigned, 1), ("senior", MemberStatus.active, 4),
        ("fellow", MemberStatus.active, 2), ("member", MemberStatus.deceased, 1))


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


def seed_demo_members(society, member_user=None) -> int:
    """Add about thirty members and a few pending applications, unless the society already has members."""
    if db.session.scalar(select(Member.id).limit(1)) is not None:
        return 0
    rng = random.Random(f"demo-members-{society.slug}")
    n = 0
    if member_user is not None:
        data = _person(rng, society.slug, "member", 0)
        data.update(name=member_user.name, email=member_user.email)
        services.create_member(society, None, data, services.class_by_code("member"), user=member_user)
        n += 1
    for code, status, count in PLAN:
        member_class = services.class_by_code(code)
        for _ in range(count):
            n += 1
            member = services.create_member(society, None, _person(rng, society.slug, code, n), member_class)
            if status == MemberStatus.lapsed:
                services.mark_grace(society, None, member)
            if status != MemberStatus.active:
                {MemberStatus.grace: services.mark_grace, MemberStatus.lapsed: services.mark_lapsed,
                 MemberStatus.resigned: services.resign, MemberStatus.deceased: services.mark_deceased}[status](
                    society, None, member, {})
    institution = {"name": UNITS.get(society.slug, UNITS["cs"])[3], "organisation": UNITS.get(society.slug, UNITS["cs"])[3],
                   "credit_code": "91500000MA5U000001", "contact_person": "陈明", "mobile": "13800009999"}
    services.create_member(society, None, institution, services.class_by_code("institutional"))
    for i, step in enumerate(("submitted", "under_review", "more_info")):
        n += 1
        data = {**_person(rng, society.slug, "member", n), "class_code": "member" if i else "student"}
        application = services.submit_application(society, None, data)
        if step != "submitted":
            services.start_review(society, None, application)
        if step == "more_info":
            services.request_more_info(society, None, application, {"reason": "请补充职称证书扫描件。"})
    db.session.flush()
    return n
