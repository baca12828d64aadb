"""The OpenAPI document is valid, the docs page needs no CDN, and schemathesis finds no 5xx and no response
that breaks the schema, run in-process against the app with real tokens on demo-like data."""
import contextvars
import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings

from tests.api.helpers import make_token, world
from tests.decisions.helpers import record

pytestmark = pytest.mark.filterwarnings("ignore")


def test_openapi_document_is_valid(app, client):
    from openapi_spec_validator import validate

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert all(path.startswith("/api/v1/") for path in spec["paths"])
    patch = spec["paths"]["/api/v1/societies/{slug}/members/{member_id}"]["patch"]
    assert {"412", "428"} <= set(patch["responses"])


def test_docs_page_is_served_from_vendored_files(app, client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "https://" not in html and "http://" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)  # no inline script
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert client.get(src).status_code == 200, src
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def _demo_like():
    data, ids, admin = world()
    society, people = data["a"]
    from society_saas.extensions import db
    from society_saas.governance import services as gov
    from society_saas.tenancy.context import society_context
    from tests.governance.helpers import add, council_with_term

    with society_context(society.id):
        organ, term = council_with_term(society)
        add(society, term, "王一", "council_member")
        db.session.commit()
        entry = record(society)
        db.session.commit()
        extra = {"organ_id": organ.id, "term_id": term.id, "decision_id": entry.decision_id}
    from society_saas.oversight.activities import record_activity
    from tests.dues.helpers import dues_fixture

    extra["invoice_id"] = dues_fixture(society)["invoice_id"]
    with society_context(society.id):
        extra["activity_id"] = record_activity(society, None, {"kind": "training", "title": "论坛",
                                                               "starts_on": "2030-01-01"}).id
        db.session.commit()
        from society_saas.api.webhooks.services import subscribe

        extra["webhook_id"] = subscribe(society, None, {"url": "https://a.example/hook", "events": ["dues.paid"]})[0].id
        db.session.commit()
    return data, ids, admin, extra


def run_schemathesis(app, society_token, association_token, real, max_examples=8):
    """Every operation of the live document, `max_examples` cases each, half of them aimed at real rows:
    no 5xx and every response as the document says."""
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    app.config["API_RATE_LIMIT"] = "100000 per minute"
    flip = itertools.count()
    statuses: list[int] = []
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    for operation in operations:
        token = association_token if operation.path.startswith("/api/v1/association") else society_token

        @given(case=operation.as_strategy())
        @settings(max_examples=max_examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def run(case):
            use_real = next(flip) % 2 == 0
            for name in list(case.path_parameters or {}):
                if name == "slug" or (use_real and real.get(name)):
                    case.path_parameters[name] = str(real[name][0])
            headers = {"Authorization": f"Bearer {token}"}
            response = contextvars.Context().run(case.call, headers=headers)
            statuses.append(response.status_code)
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance],
                                   headers=headers)

        run()
    return statuses


def test_schemathesis_finds_no_server_error(app, session):
    data, ids, admin, extra = _demo_like()
    society_token = make_token(data["a"][1]["sec"], data["a"][0], "write")
    association_token = make_token(admin, None, "read")
    real = {"slug": ["a"], "member_id": [ids["a"]["member_id"]], "application_id": [ids["a"]["application_id"]],
            "request_id": [ids["a"]["request_id"]], "organ_id": [extra["organ_id"]], "term_id": [extra["term_id"]],
            "decision_id": [extra["decision_id"]], "society_slug": ["a", "b"], "meeting_id": [],
            "invoice_id": [extra["invoice_id"]], "activity_id": [extra["activity_id"]], "webhook_id": [extra["webhook_id"]]}
    statuses = run_schemathesis(app, society_token, association_token, real)
    # the run reached real rows, not only refusals
    assert len(statuses) > 50 and sum(1 for s in statuses if s < 300) > 15, sorted(set(statuses))


def test_schemathesis_on_the_demo_with_cli_tokens(app, session, monkeypatch):
    """The demo's own data and logins; tokens printed by `society-saas tokens create`, as a script would."""
    from click.testing import CliRunner
    from sqlalchemy import select

    from society_saas.cli import main
    from society_saas.decisions.models import DecisionEntry
    from society_saas.governance.models import Meeting, Organ, Term
    from society_saas.members.models import Member, MemberApplication, MemberRequest
    from society_saas.tenancy.context import society_context
    from society_saas.tenancy.web import society_by_slug

    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    if app.config.get("DATABASE_OWNER_URL"):
        monkeypatch.setenv("DATABASE_OWNER_URL", app.config["DATABASE_OWNER_URL"])
    assert CliRunner().invoke(main, ["demo", "--no-serve"]).exit_code == 0

    def token(*args):
        result = CliRunner().invoke(main, ["tokens", "create", *args])
        assert result.exit_code == 0, result.output
        return result.output.strip().splitlines()[-1]

    society_token = token("--user", "secretary@cs.demo", "--society", "cs", "--scope", "write")
    association_token = token("--user", "admin@kx.demo")
    cs = society_by_slug("cs")
    with society_context(cs.id):
        def first(column):
            value = session.scalar(select(column).limit(1))
            return [value] if value is not None else []

        real = {"slug": ["cs"], "member_id": first(Member.id), "application_id": first(MemberApplication.id),
                "request_id": first(MemberRequest.id), "organ_id": first(Organ.id), "term_id": first(Term.id),
                "meeting_id": first(Meeting.id), "decision_id": first(DecisionEntry.decision_id),
                "society_slug": ["cs"]}
    session.commit()
    statuses = run_schemathesis(app, society_token, association_token, real, max_examples=4)
    assert sum(1 for s in statuses if s < 300) > 15, sorted(set(statuses))


def test_invalid_inputs_never_make_a_server_error(app, session):
    """Schemathesis' negative mode (wrong types, missing fields, bad formats) answers 4xx, never 5xx."""
    import schemathesis
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error

    data, ids, admin, extra = _demo_like()
    society_token = make_token(data["a"][1]["sec"], data["a"][0], "write")
    app.config["API_RATE_LIMIT"] = "100000 per minute"
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    statuses = []
    for operation in (result.ok() for result in schema.get_all_operations()):

        @given(case=operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
        @settings(max_examples=5, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def run(case):
            if "slug" in (case.path_parameters or {}):
                case.path_parameters["slug"] = "a"
            response = contextvars.Context().run(case.call, headers={"Authorization": f"Bearer {society_token}"})
            statuses.append(response.status_code)
            case.validate_response(response, checks=[not_a_server_error])

        run()
    assert statuses and max(statuses) < 500
