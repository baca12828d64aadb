"""The route walk for every role: anonymous, member, staff and secretary-general of society A,
association staff and assessor, each aimed at society B's pages and objects.

tests/platform/test_route_walk.py keeps ROUTES complete against app.url_map (a new route without an
entry fails there); this walk reuses its ROUTES and OBJECT_IDS. Every answer is a refusal of the
expected kind, never a 5xx, never a page that shows B's rows, and nothing of B changes. The API is
walked with each role's own token as well as with its session cookie.
"""
import uuid

import pytest
from flask import url_for
from sqlalchemy import func, select

from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from society_saas.tenancy.rls import tenant_tables
from tests.api.helpers import bearer, make_token
from tests.conftest import csrf_token, login
from tests.factories import make_admin, two_societies
from tests.platform.test_route_walk import OBJECT_IDS, ROUTES

SOCIETY_ROLES = ("member", "staff", "sec")
ASSOCIATION_ROLES = ("association_staff", "assessor")
ROLES = ("anonymous", *SOCIETY_ROLES, *ASSOCIATION_ROLES)
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def _world():
    data = two_societies()
    make_admin("association-staff@kx.test", "staff")
    make_admin("assessor@kx.test", "assessor")
    return data


def _email(role, people_a):
    if role in SOCIETY_ROLES:
        return people_a[role].email
    return {"association_staff": "association-staff@kx.test", "assessor": "assessor@kx.test"}.get(role)


def _ids(b):
    """A function giving B's object id for a URL argument, each made once."""
    cache: dict = {}

    def value(arg):
        if arg not in cache:
            cache[arg] = OBJECT_IDS[arg](b)
        return cache[arg]
    return value


def _targets(app, a, b):
    """(rule, method, url) for every non-global route: B's slug for society pages, A's slug with B's ids otherwise."""
    out, object_id = [], _ids(b)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        kind = ROUTES[rule.endpoint]
        if kind in ("global", "public"):
            continue
        slug = b.slug if kind == "society" else a.slug
        values = {arg: (slug if arg == "slug" else object_id(arg)) for arg in rule.arguments}
        with app.test_request_context():
            url = url_for(rule.endpoint, **values)
        out.extend((rule, method, url) for method in sorted((rule.methods or set()) & METHODS))
    return out


def _snapshot(society_id) -> dict:
    """The number of the society's rows in every tenant table."""
    db.session.expire_all()
    with society_context(society_id):
        return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in tenant_tables()}


def _expected(role, kind, endpoint, url) -> set[int]:
    if kind == "api":
        return {401}  # a session cookie never authenticates the API, whoever holds it
    if role == "anonymous":
        return {302}  # to the login page (checked below)
    if kind == "society":
        return {403}  # B's page: A's people and the association hold no role there
    if kind == "console":
        return {403} if role in SOCIETY_ROLES else set()  # the association's own pages: not refused as such
    # an object of B through A's address: 404, unless the role may not use that face of A at all
    if role == "sec":
        return {404}
    if role == "staff":
        return {403} if endpoint.startswith("roles.") else {404}
    if role == "member":
        return {403} if "/admin/" in url else {404}
    return {403} if ("/admin/" in url or "/me/" in url) else {404}


def _markers(b, people_b) -> list[str]:
    """Strings only B's private rows hold (B's name is public: its own refusal pages show it)."""
    from society_saas.governance.models import Meeting, Organ, Position
    from society_saas.members.models import Member, MemberRequest

    marked = {(Member, "name"): "乙会私密会员", (MemberRequest, "subject"): "乙会私密诉求",
              (Organ, "name"): "乙会私密理事会", (Position, "holder_name"): "乙会私密理事",
              (Meeting, "title"): "乙会私密会议"}
    with society_context(b.id):
        for (model, field), value in marked.items():
            for row in db.session.scalars(select(model)):
                setattr(row, field, value)
        db.session.commit()
    return [*marked.values(), *(person.name for person in people_b.values()), people_b["sec"].email]


def _hit(client, method, url, token):
    if method == "POST":
        return client.post(url, data={"csrf_token": token})
    if method == "GET":
        return client.get(url)
    return client.open(url, method=method, json={})


@pytest.mark.parametrize("role", ROLES)
def test_every_role_is_kept_out_of_society_b(app, session, role):
    data = _world()
    (a, people_a), (b, people_b) = data["a"], data["b"]
    targets = _targets(app, a, b)
    markers, email = _markers(b, people_b), _email(role, people_a)
    b_id = b.id
    before = _snapshot(b_id)
    client = app.test_client()
    if email:
        login(client, email)
    token = csrf_token(client, "/account/password" if email else "/login")
    problems = []
    for rule, method, url in targets:
        kind = ROUTES[rule.endpoint]
        response = _hit(client, method, url, token)
        code = response.status_code
        expected = _expected(role, kind, rule.endpoint, url)
        if code >= 500 or (expected and code not in expected):
            problems.append(f"{method} {url} ({rule.endpoint}) -> {code}, expected {sorted(expected) or '< 500'}")
            continue
        if code == 302 and role == "anonymous" and not response.headers["Location"].startswith("/login"):
            problems.append(f"{method} {url} -> redirect to {response.headers['Location']}, not to the login page")
        if kind == "api" and (not response.is_json or set(response.get_json()) != {"code", "message", "errors"}):
            problems.append(f"{method} {url}: the API's refusal is not its JSON error body")
        # the association reads every society in its console; nobody else ever sees B's rows
        if not (kind == "console" and role in ASSOCIATION_ROLES):
            body = response.get_data(as_text=True)
            leaked = [m for m in markers if m in body]
            if leaked:
                problems.append(f"{method} {url} ({rule.endpoint}) shows B's data: {leaked}")
    assert not problems, "\n".join(problems)
    assert len(targets) > 150
    assert _snapshot(b_id) == before, "a request of A's people or the association changed society B"


# valid bodies, so that a refusal comes from the token and the society, not from validation
API_BODIES = {
    "api_members.change_status": {"status": "resigned"}, "api_members.decide_application": {"action": "review"},
    "api_members.update_member": {"name": "改名"}, "api_members.reply_request": {"reply": "已处理"},
    "api_dues.record_payment": {"amount_fen": 1},
    "api_webhooks.create_webhook": {"url": "https://a.example/h", "events": ["dues.paid"]},
    "api_governance.add_position": {"role": "council_member", "holder_name": "甲", "gender": "male",
                                    "birth_date": "1975-01-01"},
    "api_decisions.change_state": {"state": "in_progress"}, "api_decisions.add_follow_up": {"note": "已落实"},
    "api_decisions.add_correction": {"corrects_seq": 1, "note": "更正"},
    "api_governance.create_term": {"number": 9, "starts_on": "2040-01-01"},
    "api_governance.resign_position": {"resigned_at": "2030-01-01"},
    "api_governance.record_attendance": {"attendance": [{"name": "甲", "status": "present"}]},
}


def _api_targets(app, b):
    """(endpoint, method, url with B's slug, url with A's slug and B's ids) for every society API route."""
    from society_saas.api.webhooks.services import subscribe

    with society_context(b.id):
        hook, _secret = subscribe(b, None, {"url": "https://b.example/hook", "events": ["dues.paid"]})
        db.session.commit()
    ids, object_id = {"webhook_id": hook.id, "delivery_id": uuid.uuid4()}, _ids(b)
    out = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if ROUTES[rule.endpoint] != "api" or "slug" not in rule.arguments:
            continue
        values = {arg: ids.get(arg) or object_id(arg) for arg in rule.arguments if arg != "slug"}
        with app.test_request_context():
            # A's own lists are A's business; A's address only matters with B's object ids in it
            urls = [url_for(rule.endpoint, slug=slug, **values) for slug in ("b", "a")[:1 + bool(values)]]
        out.extend((rule.endpoint, method, urls) for method in sorted((rule.methods or set()) & METHODS))
    return out


@pytest.mark.parametrize("role", ("member", "staff", *ASSOCIATION_ROLES))
def test_every_roles_token_is_kept_out_of_society_b(app, client, session, role):
    """A's member and staff tokens (read-write where the role allows), and the association's tokens."""
    data = _world()
    (a, people_a), (b, _people_b) = data["a"], data["b"]
    from society_saas.accounts.models import User

    user = db.session.scalar(select(User).where(User.email == _email(role, people_a)))
    society = a if role in SOCIETY_ROLES else None
    secret = make_token(user, society, "write")
    targets = _api_targets(app, b)
    b_id = b.id
    before = _snapshot(b_id)
    problems = []
    for endpoint, method, urls in targets:
        for url in urls:
            response = client.open(url, method=method, json=API_BODIES.get(endpoint, {}),
                                   headers=bearer(secret, **{"If-Match": '"*"'}))
            # B's slug: 404 whatever the role; A's address with B's ids: 404, or 403 when A's role may not do it
            allowed = {404} if (url is urls[0] or society is None) else {403, 404}
            if response.status_code not in allowed:
                problems.append(f"{method} {url} -> {response.status_code}, expected {sorted(allowed)}")
    # and a society token never opens the association's API
    if society is not None:
        for path in ("/api/v1/association/societies", f"/api/v1/association/societies/{b.slug}"):
            if client.get(path, headers=bearer(secret)).status_code != 404:
                problems.append(f"GET {path} answered a society token")
    assert not problems, "\n".join(problems)
    assert len(targets) >= 40
    assert _snapshot(b_id) == before
