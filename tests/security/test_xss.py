"""Stored XSS: every free-text field one person types and another person sees is escaped on every page.

Free text is planted in society A's rows (members, applications, requests and replies, classes, organs,
positions, meetings, activities, decisions, people's names, the society's own profile); then every page
is opened as A's secretary-general, as A's member and as the association's administrator. No page may
carry a live <script> or <img onerror>, and each planted field must be shown (escaped) at least once,
so the walk cannot pass by showing nothing.
"""
from flask import url_for
from sqlalchemy import select

from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.conftest import login
from tests.decisions.helpers import record
from tests.factories import make_admin, two_societies
from tests.platform.test_route_walk import OBJECT_IDS, ROUTES


def _payload(n: int) -> str:
    return f'<script>alert("x{n}")</script>' if n % 2 else f'<img src=x onerror=alert("x{n}")>'


def _plant(a, people) -> dict[str, str]:
    """Payloads in A's free-text fields; returns field -> payload."""
    from society_saas.governance.models import Meeting, Organ, Position
    from society_saas.members.models import Member, MemberApplication, MemberClass, MemberRequest
    from society_saas.oversight.models import Activity

    fields = [(Member, "name"), (Member, "work_unit"), (Member, "professional_title"), (Member, "organisation"),
              (MemberApplication, "applicant_name"), (MemberApplication, "reason"), (MemberRequest, "subject"),
              (MemberRequest, "body"), (MemberRequest, "reply"), (MemberClass, "name_zh"), (Organ, "name"),
              (Position, "holder_name"), (Meeting, "title"), (Meeting, "agenda"), (Activity, "title"),
              (Activity, "review_comment")]
    planted = {}
    with society_context(a.id):
        for n, (model, field) in enumerate(fields):
            payload = _payload(n)
            for row in db.session.scalars(select(model)):
                setattr(row, field, payload)
            planted[f"{model.__name__}.{field}"] = payload
        db.session.commit()
    n = len(fields)
    decision = {"title": _payload(n), "description": _payload(n + 1), "proposer": _payload(n + 2),
                "meeting_ref": _payload(n + 3)}
    entry = record(a, **decision)
    planted |= {f"decision.{k}": v for k, v in decision.items()}
    n += 4
    for i, (key, person) in enumerate(sorted(people.items())):
        person.name = _payload(n + i)
        planted[f"user.{key}.name"] = person.name
    n += len(people)
    # the society's profile, typed by the association and shown on the society's pages
    a.name, a.short_name, a.supporting_unit = _payload(n), _payload(n + 1), _payload(n + 2)
    planted |= {"society.name": a.name, "society.short_name": a.short_name, "society.supporting_unit": a.supporting_unit}
    db.session.commit()
    return planted, entry.decision_id


def _pages(app, a) -> list[str]:
    """Every GET page's URL with A's slug and A's own objects."""
    cache, urls = {}, []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        kind = ROUTES[rule.endpoint]
        if "GET" not in (rule.methods or ()) or kind == "api" or rule.endpoint == "static" or "token" in rule.arguments:
            continue
        for arg in rule.arguments:
            if arg not in cache:
                cache[arg] = {"slug": a.slug, "code": "zh_CN"}.get(arg) or OBJECT_IDS[arg](a)
        with app.test_request_context():
            urls.append(url_for(rule.endpoint, **{arg: cache[arg] for arg in rule.arguments}))
    return urls


def test_free_text_is_escaped_on_every_page_for_every_viewer(app, session):
    data = two_societies()
    a, people = data["a"]
    admin = make_admin()
    OBJECT_IDS["activity_id"](a)  # an activity filed in the association's name (only POST routes name it)
    urls = _pages(app, a)  # builds A's objects in every area first
    planted, decision_id = _plant(a, {**people, "admin": admin})
    with app.test_request_context():
        urls.append(url_for("decisions.detail", slug=a.slug, decision_id=decision_id))
    emails = [people["sec"].email, people["member"].email, "admin@kx.test"]
    seen: set[str] = set()
    live, pages = [], 0
    for email in emails:
        client = app.test_client()
        login(client, email)
        for url in urls:
            response = client.get(url)
            assert response.status_code < 500, f"{email} GET {url} -> {response.status_code}"
            if response.mimetype != "text/html":
                continue
            pages += 1
            body = response.get_data(as_text=True)
            if "<script>alert(" in body or "<img src=x onerror" in body:
                live.append(f"{email} GET {url}")
            seen |= {field for field, payload in planted.items()
                     if payload.split('"')[1].join(("alert(&#34;", "&#34;)")) in body}
    assert not live, "unescaped free text on:\n" + "\n".join(live)
    assert pages > 60
    assert set(planted) - seen == set(), "planted but never shown, so not checked"
