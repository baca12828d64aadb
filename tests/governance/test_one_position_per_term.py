"""One person holds one current position in a term: the service, the roster page (with its one-time token), the
API and the demo data all keep a person from filling two seats and being counted twice in the composition."""
from datetime import date

import pytest
from sqlalchemy import func, select

from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.governance import services as gov
from society_saas.governance.models import Position, Term
from society_saas.tenancy.context import society_context
from tests.conftest import login, post_form
from tests.factories import make_society, two_societies
from tests.governance.helpers import add, council_with_term, person
from tests.reliability.helpers import tokens

MA_LEI = {"holder_name": "马磊", "birth_date": date(1985, 1, 13)}


def _roster_size(society, term_id) -> int:
    db.session.expire_all()
    with society_context(society.id):
        return db.session.scalar(select(func.count(Position.id)).where(Position.term_id == term_id,
                                                                       Position.resigned_at.is_(None)))


@pytest.fixture
def society(app, session):
    society = make_society("op")
    with app.test_request_context("/?lang=en"), society_context(society.id):
        yield society
    session.rollback()


def test_the_same_person_is_refused_a_second_seat_by_name_and_birth_date(society):
    _, term = council_with_term(society)
    add(society, term, "马磊", "president", birth_date=MA_LEI["birth_date"])
    for role in ("vice_president", "council_member"):
        with pytest.raises(ServiceError) as refused:
            add(society, term, "马磊", role, birth_date=MA_LEI["birth_date"])
        assert refused.value.field == "holder_name"
        assert "马磊" in refused.value.message and "1985-01-13" in refused.value.message
        assert "President" in refused.value.message  # the seat already held
    assert [p.holder_name for p in gov.list_positions(society, term)] == ["马磊"]
    # a namesake born on another day is another person
    add(society, term, "马磊", "council_member", birth_date=date(1990, 6, 1))
    assert gov.roster_counts(society, term)["total"] == 2


def test_the_rule_holds_per_term_and_for_current_positions_only(society):
    organ, term = council_with_term(society, start=date(2022, 1, 1))
    first = add(society, term, "张三", starts_on=date(2022, 1, 1))
    # the same person may sit in another term of the organ
    later = gov.create_term(society, None, {"organ_id": organ.id, "number": 2, "starts_on": date(2027, 1, 1)})
    add(society, later, "张三")
    # after resigning the first seat they may take another (e.g. a by-election to vice-president)
    gov.resign_position(society, None, first, {"resigned_at": date(2024, 5, 1)})
    add(society, term, "张三", "vice_president", starts_on=date(2024, 5, 2))
    # a seat that ended before the new one starts is not current either; one overlapping it is
    add(society, term, "李四", ends_on=date(2023, 12, 31))
    add(society, term, "李四", "vice_president", starts_on=date(2024, 1, 1))
    add(society, term, "王五", ends_on=date(2025, 12, 31))
    with pytest.raises(ServiceError) as refused:
        add(society, term, "王五", "vice_president", starts_on=date(2025, 6, 1))
    assert refused.value.field == "holder_name"


def test_changing_a_position_does_not_collide_with_itself(society):
    _, term = council_with_term(society)
    position = add(society, term, "张三")
    gov.update_position(society, None, position, person("张三", "vice_president"))
    assert position.role.value == "vice_president"
    other = add(society, term, "李四")
    with pytest.raises(ServiceError) as refused:
        gov.update_position(society, None, other, person("张三"))
    assert refused.value.field == "holder_name"


def test_a_member_is_one_person_whether_linked_or_typed(app, session):
    from tests.members.helpers import member_fixture

    society = make_society("om")
    member_id = member_fixture(society)["member_id"]
    with app.test_request_context("/?lang=en"), society_context(society.id):
        _, term = council_with_term(society)
        add(society, term, "李华", member_id=member_id)
        with pytest.raises(ServiceError) as refused:  # the same member under another spelling
            add(society, term, "李 华", "vice_president", member_id=member_id)
        assert refused.value.field == "member_id"
        with pytest.raises(ServiceError) as refused:  # the member typed again by hand
            add(society, term, "李华", "vice_president")
        assert refused.value.field == "holder_name"
        assert gov.roster_counts(society, term)["total"] == 1
        session.rollback()


def test_the_preview_reports_the_second_seat_and_counts_nobody_twice(society):
    _, term = council_with_term(society)
    add(society, term, "马磊", "president", birth_date=MA_LEI["birth_date"])
    counts, _results, error = gov.preview_compliance(society, term, add=[person("马磊", birth_date=MA_LEI["birth_date"])])
    assert counts["total"] == 1 and "马磊" in error


def _term_page(app):
    data = two_societies()
    society = data["a"][0]
    with app.test_request_context(), society_context(society.id):
        _, term = council_with_term(society, start=date(2022, 1, 1))
        add(society, term, "马磊", "president", birth_date=MA_LEI["birth_date"])
        db.session.commit()
        return society, term.id


def test_the_roster_page_refuses_a_second_seat_on_the_name_field(app, client):
    society, term_id = _term_page(app)
    login(client, "sec@a.test")
    url = f"/s/a/admin/governance/terms/{term_id}"
    response = post_form(client, url, {"role": "council_member", "holder_name": "马磊", "gender": "male",
                                       "birth_date": "1985-01-13", "region": "mainland", "front_line": "y"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="holder_name-err"' in page and "一人一职" in page and "理事长" in page
    assert 'value="马磊"' in page  # what was typed stays in the form
    assert "名单共 1 人" in page
    assert _roster_size(society, term_id) == 1


def test_a_double_click_on_add_adds_one_position(app, client):
    society, term_id = _term_page(app)
    login(client, "sec@a.test")
    url = f"/s/a/admin/governance/terms/{term_id}"
    form = {**tokens(client, url), "role": "council_member", "holder_name": "新人", "gender": "female",
            "birth_date": "1990-03-04", "region": "mainland"}
    first = client.post(url, data=form)
    second = client.post(f"{url}?lang=en", data=form)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"].endswith(url)
    assert "already been submitted" in client.get(f"{url}?lang=en").get_data(as_text=True)
    assert _roster_size(society, term_id) == 2


def test_the_api_refuses_a_second_seat_with_the_field(app, client, session):
    from tests.api.helpers import bearer, make_token

    data = two_societies()
    society = data["a"][0]
    with society_context(society.id):
        _, term = council_with_term(society)
        db.session.commit()
    h = bearer(make_token(data["a"][1]["sec"], society, "write"))
    url = f"/api/v1/societies/a/terms/{term.id}/positions"
    body = {"role": "council_member", "holder_name": "马磊", "gender": "male", "birth_date": "1985-01-13"}
    assert client.post(url, json=body, headers=h).status_code == 201
    again = client.post(url, json={**body, "role": "vice_president"}, headers=h)
    assert again.status_code == 422 and "holder_name" in again.get_json()["errors"]
    assert len(client.get(url, headers=h).get_json()) == 1


def test_the_demo_rosters_give_each_person_one_seat_per_term(app, session):
    from society_saas.governance.demo import seed_society

    society = make_society("cs-demo")
    with app.test_request_context("/"), society_context(society.id):
        seed_society(society, "cs")
        db.session.commit()
        for term in db.session.scalars(select(Term)):
            keys = [p.holder_key() for p in gov.list_positions(society, term)]
            assert len(keys) == len(set(keys)), term.number
        session.rollback()


def _at_once(app, society, first_seat, second_seat) -> dict:
    """Two staff seat 张三 at the same moment: the first's transaction is still open when the second tries.
    `*_seat` is (term id, role); what the second got ("added" or the refusal) and how long it waited."""
    import threading
    import time

    first_added, second_started = threading.Event(), threading.Event()
    outcome = {}

    def seat(term_id, role):
        add(society, db.session.get(Term, (society.id, term_id)), "张三", role)

    def first():
        with app.test_request_context("/"), society_context(society.id):
            seat(*first_seat)
            first_added.set()
            second_started.wait(10)
            time.sleep(0.5)  # the second is now waiting on the lock
            db.session.commit()
        db.session.remove()

    def second():
        first_added.wait(10)
        with app.test_request_context("/?lang=en"), society_context(society.id):
            second_started.set()
            began = time.monotonic()
            try:
                seat(*second_seat)
                db.session.commit()
                outcome["second"] = "added"
            except ServiceError as exc:
                db.session.rollback()
                outcome["second"] = exc.message
            outcome["waited"] = time.monotonic() - began
        db.session.remove()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcome


@pytest.mark.postgres
def test_two_staff_adding_the_same_person_at_once_make_one_seat(app, session):
    """The second addition waits for the first's transaction (a lock on the person), then is refused."""
    society = make_society("race")
    with app.test_request_context("/"), society_context(society.id):
        _, term = council_with_term(society)
        db.session.commit()
        term_id = term.id
    db.session.remove()
    outcome = _at_once(app, society, (term_id, "president"), (term_id, "vice_president"))
    assert outcome["second"].startswith("One position per term: 张三") and outcome["waited"] >= 0.3
    with app.test_request_context("/"):
        assert _roster_size(society, term_id) == 1


@pytest.mark.postgres
def test_the_same_person_put_on_the_council_and_the_supervisory_board_at_once_is_refused_once(app, session):
    society = make_society("race2")
    with app.test_request_context("/"), society_context(society.id):
        _, council = council_with_term(society)
        board = gov.create_organ(society, None, {"type": "supervisory_board", "name": "监事会"})
        supervisory = gov.create_term(society, None, {"organ_id": board.id, "number": 1, "starts_on": council.starts_on,
                                                      "ends_on": council.ends_on})
        db.session.commit()
        council_id, board_term_id = council.id, supervisory.id
    db.session.remove()
    outcome = _at_once(app, society, (council_id, "council_member"), (board_term_id, "supervisor"))
    assert outcome["second"].startswith("Separation rule") and outcome["waited"] >= 0.3
    with app.test_request_context("/"):
        assert _roster_size(society, council_id) + _roster_size(society, board_term_id) == 1
