"""Ledger export (xlsx, CSV) and the import's problem list as CSV; cells that look like formulas are
neutralised in both formats."""
import io

import defusedcsv.csv as safe_csv
from openpyxl import Workbook

from society_saas.core.spreadsheet import safe_row
from society_saas.extensions import db
from society_saas.members.io import COLUMNS
from society_saas.members.models import Member

EXPORT_FIELDS = ("member_number", "class_code", "name", "gender", "birth_date", "id_number", "mobile", "email",
                 "work_unit", "professional_title", "education", "discipline", "region", "front_line", "nationality",
                 "join_date", "status", "organisation", "credit_code", "contact_person")


def _export_values(member: Member) -> list:
    out = []
    for field in EXPORT_FIELDS:
        if field == "class_code":
            value = member.member_class.name_zh
        elif field == "id_number":
            value = member.id_number_masked
        elif field == "status":
            value = member.status.value
        else:
            value = getattr(member, field)
        if isinstance(value, bool):
            value = "是" if value else "否"
        out.append("" if value is None else (value.isoformat() if hasattr(value, "isoformat") else value))
    return out


def _headers() -> list[str]:
    names = dict(COLUMNS)
    return [names[f] for f in EXPORT_FIELDS]


def problems_csv(header: list[str], rows) -> bytes:
    """The import's problems as CSV (UTF-8 with BOM for Excel), formula-like cells neutralised."""
    buf = io.StringIO()
    writer = safe_csv.writer(buf)
    writer.writerow(header)
    writer.writerows(safe_row(row) for row in rows)  # also a leading tab or CR, which defusedcsv lets through
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def export_csv(query) -> bytes:
    """The ledger as CSV (UTF-8 with BOM for Excel); cells that look like formulas are neutralised."""
    buf = io.StringIO()
    writer = safe_csv.writer(buf)
    writer.writerow(_headers())
    for member in db.session.scalars(query.execution_options(yield_per=1000)):
        writer.writerow(safe_row(_export_values(member)))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def export_xlsx(query) -> bytes:
    """The ledger as an xlsx workbook; text cells never become formulas."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("会员台账")
    ws.append(_headers())
    for member in db.session.scalars(query.execution_options(yield_per=1000)):
        ws.append(safe_row(_export_values(member)))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

