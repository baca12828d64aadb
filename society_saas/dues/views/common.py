"""Helpers shared by the dues views: loading rows of this society or 404, form values, CSV."""
import io
import uuid

from flask import Response, abort
from sqlalchemy import select

from society_saas.extensions import db


def row_or_404(model, object_id: uuid.UUID):
    """A row of the URL's society by id; another society's id answers 404 (the scoping hides it)."""
    row = db.session.scalar(select(model).where(model.id == object_id))
    if row is None:
        abort(404)
    return row


def csv_response(filename: str, header: list[str], rows) -> Response:
    """A UTF-8 CSV (with BOM, so Excel reads Chinese) with formula-like cells neutralised."""
    import defusedcsv.csv as safe_csv

    from society_saas.core.spreadsheet import safe_row

    out = io.StringIO()
    out.write("\ufeff")
    writer = safe_csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(safe_row(row))  # also a leading tab or CR, which defusedcsv lets through
    return Response(out.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})
