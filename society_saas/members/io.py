"""Roster import (xlsx, CSV) with an all-or-nothing dry run, and ledger export (xlsx, CSV)."""
import csv
import io

import defusedcsv.csv as safe_csv
from flask_babel import gettext as _
from openpyxl import Workbook
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from society_saas.core import crypto
from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.members.models import Member, MemberClass, MemberStatus
from society_saas.members.services import create_member, update_member, validate_member_data

# field -> the Chinese column header secretariats use
COLUMNS = (("member_number", "会员编号"), ("class_code", "会员类别"), ("name", "姓名"), ("gender", "性别"),
           ("birth_date", "出生日期"), ("id_type", "证件类型"), ("id_number", "证件号码"), ("mobile", "手机"),
           ("email", "邮箱"), ("work_unit", "工作单位"), ("professional_title", "职称"), ("education", "学历"),
           ("discipline", "学科"), ("region", "地区"), ("front_line", "一线科技工作者"), ("nationality", "国籍/地区"),
           ("join_date", "入会日期"), ("status", "状态"), ("organisation", "单位名称"), ("credit_code", "统一社会信用代码"),
           ("contact_person", "联系人"))
HEADER_TO_FIELD = {**{zh: f for f, zh in COLUMNS}, **{f: f for f, _zh in COLUMNS}}
GENDER_WORDS = {"男": "male", "女": "female"}
STATUS_WORDS = {"正常": "active", "有效": "active", "宽限期": "grace", "已失效": "lapsed", "退会": "resigned",
                "除名": "expelled", "已故": "deceased"}
MAX_ROWS = 100_000


def read_rows(filename: str, content: bytes) -> list[dict]:
    """Rows of an uploaded roster as dicts keyed by field; unknown columns are ignored."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        try:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
            table = sheet.to_python(skip_empty_area=False)
        except Exception:  # calamine raises several types for a damaged file
            raise ServiceError(_("The file is not a readable xlsx workbook."), field="file")
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("gb18030", errors="replace")
        table = list(csv.reader(io.StringIO(text)))
    else:
        raise ServiceError(_("Upload an xlsx or CSV file."), field="file")
    if not table:
        raise ServiceError(_("The file is empty."), field="file")
    header = [HEADER_TO_FIELD.get(str(h).strip()) for h in table[0]]
    if "name" not in header:
        raise ServiceError(_("The first row must hold the column names, including 姓名."), field="file")
    rows = []
    for values in table[1:MAX_ROWS + 1]:
        if all(str(v).strip() == "" for v in values):
            rows.append(None)  # keep row numbers true to the file
            continue
        rows.append({f: _cell(v) for f, v in zip(header, values) if f})
    return rows


def _cell(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""


def check_rows(rows: list[dict | None]) -> tuple[list[dict], list[tuple[int, str, str]]]:
    """Validate every row; return the cleaned rows and every problem as (row number, field, message)."""
    classes = {c.code: c for c in db.session.scalars(select(MemberClass))}
    by_name = {c.name_zh: c for c in classes.values()}
    errors, clean_rows, seen_numbers, seen_ids = [], [], {}, {}
    for offset, row in enumerate(rows):
        line = offset + 2  # row 1 is the header
        if row is None:
            continue
        problems = []
        cls = classes.get(row.get("class_code", "")) or by_name.get(row.get("class_code", ""))
        if cls is None:
            problems.append(("class_code", _("Unknown membership class “%(v)s”.", v=row.get("class_code", ""))))
        data = dict(row)
        data["gender"] = GENDER_WORDS.get(data.get("gender", ""), data.get("gender"))
        status = STATUS_WORDS.get(data.get("status", ""), data.get("status") or "active")
        if status not in MemberStatus.__members__:
            problems.append(("status", _("Unknown status “%(v)s”.", v=status)))
        fields = {k: v for k, v in data.items() if k not in ("class_code", "status", "member_number")}
        clean, errs = validate_member_data(fields, institutional=bool(cls and cls.is_institutional))
        problems += [(f, m) for f, messages in errs.items() for m in messages]
        number = (data.get("member_number") or "").upper() or None
        if number and number in seen_numbers:
            problems.append(("member_number", _("The number %(n)s also appears in row %(r)d.", n=number, r=seen_numbers[number])))
        if clean.get("id_number") and clean["id_number"] in seen_ids:
            problems.append(("id_number", _("The ID number also appears in row %(r)d.", r=seen_ids[clean["id_number"]])))
        if number:
            seen_numbers.setdefault(number, line)
        if clean.get("id_number"):
            seen_ids.setdefault(clean["id_number"], line)
        errors += [(line, f, m) for f, m in problems]
        if not problems:
            clean_rows.append({"line": line, "class": cls, "status": MemberStatus(status), "number": number,
                               "fields": fields})
    return clean_rows, errors


def import_rows(society, actor, rows: list[dict | None], dry_run: bool = True) -> dict:
    """Check all rows and, unless it is a dry run or any row is bad, upsert them by number or ID number."""
    clean_rows, errors = check_rows(rows)
    result = {"rows": len([r for r in rows if r is not None]), "errors": errors, "created": 0, "updated": 0,
              "unchanged": 0, "imported": False}
    if errors or dry_run:
        return result
    for row in clean_rows:
        member = _existing(row)
        try:
            if member is None:
                member = create_member(society, actor, row["fields"], row["class"], status=row["status"],
                                       number=row["number"])
                result["created"] += 1
            else:
                before = _fingerprint(member)
                update_member(society, actor, member, row["fields"])
                if member.class_id != row["class"].id:
                    member.class_id = row["class"].id
                member.status = row["status"]
                db.session.flush()
                result["updated" if _fingerprint(member) != before else "unchanged"] += 1
        except ServiceError as exc:
            # a conflict with the ledger found only now (e.g. a number held by another person)
            result.update(errors=[(row["line"], exc.field or "", exc.message)], created=0, updated=0, unchanged=0)
            return result
    result["imported"] = True
    return result


def _existing(row) -> Member | None:
    if row["number"]:
        found = db.session.scalar(select(Member).where(Member.member_number == row["number"]))
        if found is not None:
            return found
    number = (row["fields"].get("id_number") or "").strip().upper()
    if number:
        return db.session.scalar(select(Member).where(Member.id_number_index == crypto.blind_index(number)))
    return None


def _fingerprint(member: Member) -> tuple:
    return tuple(getattr(member, c.key) for c in Member.__table__.columns if c.key not in ("created_at",))


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


def export_csv(query) -> bytes:
    """The ledger as CSV (UTF-8 with BOM for Excel); cells that look like formulas are neutralised."""
    buf = io.StringIO()
    writer = safe_csv.writer(buf)
    writer.writerow(_headers())
    for member in db.session.scalars(query.execution_options(yield_per=1000)):
        writer.writerow(_export_values(member))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def export_xlsx(query) -> bytes:
    """The ledger as an xlsx workbook; text cells never become formulas."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("会员台账")
    ws.append(_headers())
    for member in db.session.scalars(query.execution_options(yield_per=1000)):
        ws.append([_defuse(v) for v in _export_values(member)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _defuse(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
