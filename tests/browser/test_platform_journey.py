"""The association registers a society and hands it to its secretary-general, in a real browser."""
import pytest

from tests.browser_support import shoot
from tests.factories import make_admin, make_user

pytestmark = pytest.mark.browser


def _login(page, base, email, password="demo1234"):
    page.goto(f"{base}/login")
    page.get_by_label("邮箱或手机号").fill(email)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def _no_horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_association_creates_a_society_and_assigns_its_secretary(page, live_server, session):
    make_admin()
    make_user("sec@phys.example.cn", "钱秘书")
    base = live_server

    _login(page, base, "admin@kx.test")
    page.goto(f"{base}/association/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    shoot(page, "console-societies")
    page.goto(f"{base}/association/societies/new")
    page.get_by_label("全称").fill("示例市物理学会")
    page.get_by_label("简称").fill("物理学会")
    page.get_by_label("网址名称", exact=False).fill("phys")
    page.get_by_label("挂靠单位").fill("示例大学物理学院")
    shoot(page, "console-new-society")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/association/societies/*")
    assert page.get_by_role("heading", name="示例市物理学会").is_visible()
    assert _no_horizontal_overflow(page)
    shoot(page, "console-society-detail")

    # the administrator is not staff of the society; seed the secretary-general through the service
    from society_saas.accounts import services as accounts
    from society_saas.accounts.models import SocietyRoleName
    from society_saas.extensions import db
    from society_saas.tenancy.context import society_context
    from society_saas.tenancy.models import Society
    from sqlalchemy import select

    society = db.session.scalar(select(Society).where(Society.slug == "phys"))
    sec = accounts.find_user("sec@phys.example.cn")
    with society_context(society.id):
        accounts.assign_society_role(society, None, sec, SocietyRoleName.secretary_general)
        db.session.commit()

    page.context.clear_cookies()
    _login(page, base, "sec@phys.example.cn")
    page.goto(f"{base}/s/phys/admin/roles/")
    shoot(page, "secretariat-roles")
    make_user("staff@phys.example.cn", "孙干事")
    page.get_by_label("该账号的邮箱或手机号").fill("staff@phys.example.cn")
    page.get_by_label("角色").select_option("secretariat_staff")
    page.get_by_role("button", name="分配").click()
    assert page.get_by_role("cell", name="孙干事").is_visible()
    assert _no_horizontal_overflow(page)

    page.goto(f"{base}/lang/en?next=/s/phys/admin/roles/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Roles and staff").is_visible()
    shoot(page, "secretariat-roles-en")


def test_keyboard_only_login(page, live_server, session):
    make_user("li@example.cn", "李雷")
    page.goto(f"{live_server}/login")
    page.keyboard.press("Tab")  # skip link
    for _ in range(12):
        if page.evaluate("document.activeElement && document.activeElement.name") == "identifier":
            break
        page.keyboard.press("Tab")
    page.keyboard.type("li@example.cn")
    page.keyboard.press("Tab")
    page.keyboard.type("demo1234")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/")
    assert page.get_by_text("李雷").first.is_visible()
