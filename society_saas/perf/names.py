"""Realistic fictional Chinese data for the generator: names, IDs, units, titles, societies."""
import random
from datetime import date

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
            "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国红文斌宇浩凯俊峰琳晶雪梅林颖婷倩慧欣怡"
         "子涵宇轩浩然思远嘉豪晨曦佳琪雨萱一鸣志强海燕春晓立新卫东振华德明永红国庆晓东亚楠")
DISCIPLINES = ("计算机", "医学", "农学", "化学", "物理", "数学", "机械工程", "电子学", "土木建筑", "水利", "生态",
               "药学", "护理", "中医药", "林学", "地理", "气象", "环境科学", "材料", "自动化", "通信", "心理",
               "营养", "畜牧兽医", "园艺", "测绘", "地质", "航空", "汽车工程", "统计")
UNITS = ("示例市第一人民医院", "示例大学", "示例理工大学", "示例市农业科学院", "示例市疾病预防控制中心", "示例师范大学",
         "示例市中医院", "示例电子科技有限公司", "示例市建筑设计研究院", "示例市第二中学", "示例医科大学",
         "示例市环境监测站", "示例智能制造有限公司", "示例市气象局", "示例市儿童医院", "示例职业技术学院")
TITLES = (("研究员", True), ("教授", True), ("主任医师", True), ("正高级工程师", True), ("副教授", True),
          ("副主任医师", True), ("高级工程师", True), ("讲师", False), ("主治医师", False), ("工程师", False),
          ("助理研究员", False), ("技术员", False))
EDUCATION = ("doctorate", "master", "bachelor", "college")
DISTRICTS = ("示例市东城区", "示例市西城区", "示例市高新区", "示例市南山区", "示例市北湖区", "示例县")
AREA_CODES = ("110101", "310104", "440305", "320102", "330106", "420106", "510107", "610113", "370202", "350203")
ACTIVITY_TITLES = {
    "academic_conference": "学术年会", "brand_academic_event": "品牌学术论坛", "popular_science": "科普进社区活动",
    "training": "继续教育培训班", "think_tank_report": "决策咨询报告", "group_standard": "团体标准发布",
    "award": "科学技术奖评选", "journal_issue": "会刊出版",
}
DECISION_TITLES = (("major_decision", "关于修订学会章程的决定"), ("appointment", "关于聘任副秘书长的决定"),
                   ("major_project", "关于承办全国学术年会的决定"), ("large_fund_use", "关于购置办公设备的决定"),
                   ("major_decision", "关于设立专业委员会的决定"), ("large_fund_use", "关于年度预算调整的决定"))
_WEIGHTS = (7, 17, 9, 7, 1, 2, 0, 1, 0, 3, 1)
_CHECK = "10X98765432"


def person_name(rng: random.Random) -> str:
    """A two- or three-character Chinese name."""
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def resident_id(rng: random.Random, birth: date, serial: int, female: bool) -> str:
    """A well-formed 18-digit resident ID number (area, birth date, serial with the gender digit, check digit)."""
    serial = (serial % 500) * 2 + (0 if female else 1)
    body = f"{rng.choice(AREA_CODES)}{birth:%Y%m%d}{serial:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + _CHECK[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def mobile(rng: random.Random) -> str:
    """A mainland mobile number."""
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def society_sizes(societies: int, members: int, big: int = 20_000) -> list[int]:
    """Skewed society sizes summing to `members`: one of `big` when the total allows, the rest Zipf-like."""
    sizes = []
    if societies > 1 and members >= 2 * big:
        sizes.append(big)
        members -= big
        societies -= 1
    weights = [1 / (i + 1) ** 0.9 for i in range(societies)]
    total = sum(weights)
    rest = [max(5, int(members * w / total)) for w in weights]
    cap = big - 1 if sizes else members  # the big one stays the largest: spread the excess over the others
    excess = sum(max(0, r - cap) for r in rest)
    rest = [min(r, cap) for r in rest]
    while excess > 0:
        room = [i for i, r in enumerate(rest) if r < cap]
        if not room:
            break
        share = max(1, excess // len(room))
        for i in room:
            add = min(share, cap - rest[i], excess)
            rest[i] += add
            excess -= add
    rest[-1 if sizes else 0] += members - sum(rest)  # rounding
    return sizes + rest
