"""Roster import (xlsx, CSV) with an all-or-nothing dry run, and ledger export (xlsx, CSV)."""
import csv
import io

import defusedcsv.csv as safe_csv
from flask_babel import gettext as _
from openpyxl import Workbook
from python_calamine import CalamineWorkbook
from datetime import date

from sqlalchemy import insert, select, update

from society_saas.core import crypto
from society_saas.core.audit import AuditEvent
from society_saas.core.db import new_id, utcnow
from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.members.models import Member, MemberClass, MemberEvent, MemberNumberSequence, MemberStatus
from society_saas.members.services import allocate_number, update_member, validate_member_data
from society_saas.members.services.common import record_event, today_cn
from society_saas.members.services.records import UPDATABLE

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


def read_table(filename: str, content: bytes) -> list[list]:
    """The cells of an uploaded roster's first sheet (xlsx) or of a CSV file, row by row."""
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
    if not table or not any(str(h).strip() for h in table[0]):
        raise ServiceError(_("The file is empty."), field="file")
    return table


def headers_of(table: list[list]) -> list[str]:
    """The column names in the first row, as text."""
    return [_cell(h) for h in table[0]]


def guess_field(header: str) -> str | None:
    """The member field a column name stands for (会员编号, 姓名…, or the field's own name), or None."""
    return HEADER_TO_FIELD.get((header or "").strip())


def read_rows(filename: str, content: bytes, columns: list[str] | None = None, table: list[list] | None = None
              ) -> list[dict | None]:
    """Rows of an uploaded roster as dicts keyed by field. `columns` gives each column's field by position
    ("" ignores it); without it the column names are recognised, and unknown columns are ignored."""
    table = table if table is not None else read_table(filename, content)
    if columns is None:
        header = [guess_field(h) for h in headers_of(table)]
    else:
        header = [c or None for c in columns] + [None] * max(0, len(table[0]) - len(columns))
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


def _ledger_keys() -> tuple[dict, dict]:
    """Every existing member number and ID-number index of the society, in one query."""
    by_number, by_index = {}, {}
    for member_id, number, index in db.session.execute(select(Member.id, Member.member_number, Member.id_number_index)):
        if number:
            by_number[number] = member_id
        if index:
            by_index[index] = member_id
    return by_number, by_index


def check_rows(rows: list[dict | None], progress=None) -> tuple[list[dict], list[tuple[int, str, str]]]:
    """Validate every row against the rules and the ledger; return the clean rows and every problem
    as (row number, field, message). `progress(done, total)` is called every 2,000 rows."""
    classes = {c.code: c for c in db.session.scalars(select(MemberClass))}
    by_name = {c.name_zh: c for c in classes.values()}
    by_number, by_index = _ledger_keys()
    errors, clean_rows, seen_numbers, seen_ids = [], [], {}, {}
    for offset, row in enumerate(rows):
        line = offset + 2  # row 1 is the header
        if progress is not None and offset and offset % 2000 == 0:
            progress(offset, len(rows))
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
        id_number = clean.get("id_number")
        index = crypto.blind_index(id_number) if id_number else None
        if number and number in seen_numbers:
            problems.append(("member_number", _("The number %(n)s also appears in row %(r)d.", n=number, r=seen_numbers[number])))
        if id_number and id_number in seen_ids:
            problems.append(("id_number", _("The ID number also appears in row %(r)d.", r=seen_ids[id_number])))
        target = by_number.get(number) if number else None
        if index and index in by_index and target is not None and by_index[index] != target:
            problems.append(("id_number", _("This ID number belongs to another member of the ledger.")))
        if number:
            seen_numbers.setdefault(number, line)
        if id_number:
            seen_ids.setdefault(id_number, line)
        errors += [(line, f, m) for f, m in problems]
        if not problems:
            clean.pop("id_number", None)
            clean_rows.append({"line": line, "class": cls, "status": MemberStatus(status), "number": number,
                               "clean": clean, "id_number": id_number, "index": index,
                               "target": target or (by_index.get(index) if index else None)})
    return clean_rows, errors


BATCH = 1000


def import_rows(society, actor, rows: list[dict | None], dry_run: bool = True, progress=None) -> dict:
    """Check all rows and, unless it is a dry run or any row is bad, upsert them by member number or ID number.

    New members are inserted in batches (numbers taken in one counter update per batch); existing ones
    are compared field by field and only changed ones are updated, so re-running a file changes nothing.
    """
    clean_rows, errors = check_rows(rows, progress)
    result = {"rows": len([r for r in rows if r is not None]), "errors": errors, "created": 0, "updated": 0,
              "unchanged": 0, "imported": False}
    if errors or dry_run:
        return result
    new_rows = [r for r in clean_rows if r["target"] is None]
    old_rows = [r for r in clean_rows if r["target"] is not None]
    for start in range(0, len(old_rows), BATCH):
        chunk = old_rows[start:start + BATCH]
        members = {m.id: m for m in db.session.scalars(select(Member).where(Member.id.in_([r["target"] for r in chunk])))}
        for row in chunk:
            member = members[row["target"]]
            changes = {k: v for k, v in row["clean"].items() if k in UPDATABLE and getattr(member, k) != v}
            if row["id_number"] and row["index"] != member.id_number_index:
                changes["id_number"] = row["id_number"]
            moved = member.class_id != row["class"].id or member.status != row["status"]
            if not changes and not moved:
                result["unchanged"] += 1
                continue
            if changes:
                update_member(society, actor, member, changes)
            if member.class_id != row["class"].id:
                record_event(member, actor, "class_changed", from_class=member.member_class.code, to_class=row["class"].code,
                             note="import")
                member.class_id = row["class"].id
            if member.status != row["status"]:
                record_event(member, actor, "imported", from_status=member.status, to_status=row["status"], note="import")
                member.status = row["status"]
            result["updated"] += 1
        db.session.flush()
    _insert_new(society, actor, new_rows)
    result["created"] = len(new_rows)
    db.session.add(AuditEvent(society_id=society.id, actor_id=getattr(actor, "id", None),
                              actor_label=getattr(actor, "email", None) or "system", action="import",
                              object_type="Member", after={k: result[k] for k in ("rows", "created", "updated", "unchanged")}))
    db.session.flush()
    result["imported"] = True
    return result


def _insert_new(society, actor, new_rows: list[dict]) -> None:
    """Insert new members in batches, then their history: one INSERT per 1,000 rows.

    The history goes in after all the members, so PostgreSQL plans the foreign-key check of the
    history rows against a full member table (an index lookup) rather than the nearly empty one.
    """
    taken = set(_ledger_keys()[0])
    today = today_cn()
    admitted = []
    for start in range(0, len(new_rows), BATCH):
        chunk = new_rows[start:start + BATCH]
        numbers = iter(_take_numbers(society, sum(1 for r in chunk if not r["number"]), taken))
        members = []
        for row in chunk:
            clean = row["clean"]
            member_id = new_id()
            number = row["number"] or next(numbers)
            taken.add(number)
            values = {k: clean.get(k) for k in UPDATABLE if k in clean}
            values.update(society_id=society.id, id=member_id, created_at=utcnow(), class_id=row["class"].id,
                          status=row["status"], member_number=number, join_date=clean.get("join_date") or today,
                          valid_until=date(today.year, 12, 31) if row["status"] == MemberStatus.active else None,
                          nationality=clean.get("nationality") or "mainland", reverify_fields=[],
                          front_line=bool(clean.get("front_line")), senior_title=bool(clean.get("senior_title")),
                          id_number_encrypted=crypto.encrypt(row["id_number"]), id_number_index=row["index"],
                          id_number_masked=crypto.mask(row["id_number"]) if row["id_number"] else None)
            members.append(values)
            admitted.append((member_id, row["status"].value, row["class"].code))
        db.session.execute(insert(Member), members)
    actor_id = getattr(actor, "id", None)
    for start in range(0, len(admitted), BATCH):
        now = utcnow()
        db.session.execute(insert(MemberEvent), [
            {"society_id": society.id, "id": new_id(), "created_at": now, "member_id": member_id, "at": now,
             "actor_id": actor_id, "kind": "admitted", "to_status": status, "to_class": code, "note": "import"}
            for member_id, status, code in admitted[start:start + BATCH]])


def _take_numbers(society, count: int, taken: set) -> list[str]:
    """Reserve `count` fresh numbers with one counter update, skipping any already in the ledger."""
    out = []
    while len(out) < count:
        need = count - len(out)
        stmt = (update(MemberNumberSequence).values(counter=MemberNumberSequence.counter + need)
                .returning(MemberNumberSequence.prefix, MemberNumberSequence.counter, MemberNumberSequence.width)
                .execution_options(synchronize_session=False))
        row = db.session.execute(stmt).first()
        if row is None:
            allocate_number(society)  # creates the sequence
            continue
        prefix, last, width = row
        out += [n for n in (f"{prefix}{i:0{width}d}" for i in range(last - need + 1, last + 1)) if n not in taken]
    return out


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
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


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
