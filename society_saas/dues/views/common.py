"""Helpers shared by the dues views: loading rows of this society or 404, refused forms, CSV."""
import io
import uuid

from flask import Response, abort, request, session
from sqlalchemy import select

from society_saas.extensions import db


def row_or_404(model, object_id: uuid.UUID):
    """A row of the URL's society by id; another society's id answers 404 (the scoping hides it)."""
    row = db.session.scalar(select(model).where(model.id == object_id))
    if row is None:
        abort(404)
    return row


REFUSED = "dues_refused"
# The session is a cookie: a refused form's values are kept short so that it stays well under 4 KB.
KEPT_VALUE_LENGTH = 200


def remember_refusal(exc, form: str, fields: dict | None = None) -> None:
    """Keep a refused form's field errors and typed values for the page its redirect shows (read once there);
    `fields` renames a service's field to the form's (storage's "attachment" is the voucher form's "voucher")."""
    values = {k: v[:KEPT_VALUE_LENGTH] for k, v in request.form.items() if k not in ("csrf_token", "once_token")}
    errors = {(fields or {}).get(k, k): v for k, v in exc.errors.items()}
    session[REFUSED] = {"form": form, "errors": errors, "values": values}


def refusal() -> dict | None:
    """The refused form remembered for this page, taken once (None when there is none)."""
    return session.pop(REFUSED, None)


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
