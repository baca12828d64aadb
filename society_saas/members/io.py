"""Roster import (xlsx, CSV) with an all-or-nothing dry run; the ledger's export is in `export`."""
import codecs
import csv
import enum
import io
import itertools
import json
from datetime import date

from flask_babel import gettext as _
from python_calamine import CalamineWorkbook
from sqlalchemy import JSON, Enum, insert, select, update

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


def read_table(filename: str, content: bytes, limit: int | None = None) -> list[list]:
    """The cells of an uploaded roster's first sheet (xlsx) or of a CSV file, row by row (the first `limit`)."""
    return list(itertools.islice(_open(filename, content)[0](), limit))


def _open(filename: str, content: bytes):
    """A function that reads the file's rows (cells, header first) afresh on each call, and an estimate
    of their number. Only an xlsx sheet is held whole (calamine); a CSV file is parsed as it is read."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        try:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
            pad = [""] * (sheet.start[1] if sheet.start else 0)
            first = next(_sheet_rows(sheet, pad), None)
        except Exception:  # calamine raises several types for a damaged file
            raise ServiceError(_("The file is not a readable xlsx workbook."), field="file")
        source, total = (lambda: _sheet_rows(sheet, pad)), sheet.total_height
    elif name.endswith(".csv"):
        encoding = "utf-8-sig" if _is_utf8(content) else "gb18030"

        def source():
            return csv.reader(io.TextIOWrapper(io.BytesIO(content), encoding=encoding, errors="replace", newline=""))

        first, total = next(source(), None), content.count(b"\n")
    else:
        raise ServiceError(_("Upload an xlsx or CSV file."), field="file")
    if not first or not any(str(h).strip() for h in first):
        raise ServiceError(_("The file is empty."), field="file")
    return source, min(total, MAX_ROWS)


def _sheet_rows(sheet, pad: list):
    # iter_rows starts at the sheet's first used column; the leading empty columns keep positions as in Excel
    for values in sheet.iter_rows():
        yield pad + values if pad else values


def _is_utf8(content: bytes) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(content)
    try:
        for start in range(0, len(content), 1 << 20):
            decoder.decode(view[start:start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def headers_of(table: list[list]) -> list[str]:
    """The column names in the first row, as text."""
    return [_cell(h) for h in table[0]]


def guess_field(header: str) -> str | None:
    """The member field a column name stands for (会员编号, 姓名…, or the field's own name), or None."""
    return HEADER_TO_FIELD.get((header or "").strip())


class Rows:
    """The data rows of a roster as dicts keyed by field (None for a blank line, so row numbers stay true
    to the file), read from the file again on each pass instead of held: the import reads them twice."""

    def __init__(self, source, header: list, total: int):
        self._source, self.header, self.total = source, header, total

    def __iter__(self):
        header = self.header
        lines = self._source()
        next(lines, None)  # the column names
        for values in itertools.islice(lines, MAX_ROWS):
            if all(type(v) is str for v in values):  # CSV, and most xlsx rows: no conversion needed
                if not any(v.strip() for v in values):
                    yield None
                    continue
                yield {f: v.strip() for f, v in zip(header, values) if f}
            elif all(str(v).strip() == "" for v in values):
                yield None
            else:
                yield {f: _cell(v) for f, v in zip(header, values) if f}


def read_rows(filename: str, content: bytes, columns: list[str] | None = None, table: list[list] | None = None
              ) -> Rows:
    """Rows of an uploaded roster as dicts keyed by field. `columns` gives each column's field by position
    ("" ignores it); without it the column names are recognised, and unknown columns are ignored."""
    if table is not None:
        source, total = (lambda: iter(table)), len(table) - 1
    else:
        source, total = _open(filename, content)
    first = next(source(), None) or []
    if columns is None:
        header = [guess_field(h) for h in headers_of([first])]
    else:
        header = [c or None for c in columns] + [None] * max(0, len(first) - len(columns))
    if "name" not in header:
        raise ServiceError(_("The first row must hold the column names, including 姓名."), field="file")
    return Rows(source, header, total)


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


_NOT_FIELDS = ("class_code", "status", "member_number")


class _Checker:
    """The rules and the ledger rows are checked against, and the numbers and ID numbers (by their
    index) earlier rows of the file used, with their row numbers."""

    def __init__(self):
        self.classes = {c.code: c for c in db.session.scalars(select(MemberClass))}
        self.by_name = {c.name_zh: c for c in self.classes.values()}
        self.by_number, self.by_index = _ledger_keys()
        self.seen_numbers, self.seen_indexes, self.errors = {}, {}, []
        self.encrypt, self.blind_index = crypto.bulk()

    def clean(self, row: dict) -> tuple[dict, list]:
        """The row cleaned (class, status, number, fields, ID number, its index and the member it updates)
        and its own problems as (field, message)."""
        problems = []
        code = row.get("class_code", "")
        cls = self.classes.get(code) or self.by_name.get(code)
        if cls is None:
            problems.append(("class_code", _("Unknown membership class “%(v)s”.", v=code)))
        status = STATUS_WORDS.get(row.get("status", ""), row.get("status") or "active")
        if status not in MemberStatus.__members__:
            problems.append(("status", _("Unknown status “%(v)s”.", v=status)))
        fields = {k: v for k, v in row.items() if k not in _NOT_FIELDS}
        fields["gender"] = GENDER_WORDS.get(row.get("gender", ""), row.get("gender"))
        clean, errs = validate_member_data(fields, institutional=bool(cls and cls.is_institutional))
        if errs:
            problems += [(f, m) for f, messages in errs.items() for m in messages]
        number = (row.get("member_number") or "").upper() or None
        id_number = clean.pop("id_number", None)
        index = self.blind_index(id_number)
        target = self.by_number.get(number) if number else None
        item = {"class": cls, "status": status, "number": number, "clean": clean, "id_number": id_number,
                "index": index, "target": target}
        return item, problems

    def check(self, line: int, row: dict) -> dict | None:
        """Check one row against the rules, the ledger and the rows before it; the clean row, or None
        when it has problems (recorded in `errors`)."""
        item, problems = self.clean(row)
        number, index, target = item["number"], item["index"], item["target"]
        if number and number in self.seen_numbers:
            problems.append(("member_number", _("The number %(n)s also appears in row %(r)d.", n=number,
                                                r=self.seen_numbers[number])))
        if index and index in self.seen_indexes:
            problems.append(("id_number", _("The ID number also appears in row %(r)d.", r=self.seen_indexes[index])))
        if index and index in self.by_index and target is not None and self.by_index[index] != target:
            problems.append(("id_number", _("This ID number belongs to another member of the ledger.")))
        if number:
            self.seen_numbers.setdefault(number, line)
        if index:
            self.seen_indexes.setdefault(index, line)
        if problems:
            self.errors += [(line, f, m) for f, m in problems]
            return None
        return self.ready(line, item)

    def ready(self, line: int, item: dict) -> dict:
        """A clean row as the writers take it."""
        item.update(line=line, status=MemberStatus(item["status"]),
                    target=item["target"] or (self.by_index.get(item["index"]) if item["index"] else None))
        return item


def check_rows(rows, progress=None) -> tuple[list[dict], list[tuple[int, str, str]]]:
    """Validate every row against the rules and the ledger; return the clean rows and every problem
    as (row number, field, message). `progress(done, total)` is called every 2,000 rows."""
    checker, clean_rows = _Checker(), []
    total = rows.total if isinstance(rows, Rows) else len(rows)
    for offset, row in enumerate(rows):
        if progress is not None and offset and offset % 2000 == 0:
            progress(offset, total)
        if row is not None:
            item = checker.check(offset + 2, row)  # row 1 is the header
            if item is not None:
                clean_rows.append(item)
    return clean_rows, checker.errors


BATCH = 1000


def import_rows(society, actor, rows, dry_run: bool = True, progress=None) -> dict:
    """Check all rows and, unless it is a dry run or any row is bad, upsert them by member number or ID number.

    The rows are read twice and never held: the first pass checks every row (keeping only the numbers
    and ID indexes seen, for duplicates), the second, only when all are good, writes them by batches.
    New members are inserted in batches (numbers taken in one counter update per batch); existing ones
    are compared field by field and only changed ones are updated, so re-running a file changes nothing.
    """
    if iter(rows) is rows:
        rows = list(rows)  # a one-off iterator cannot be read twice
    checker = _Checker()
    total = rows.total if isinstance(rows, Rows) else len(rows)
    count = 0
    for offset, row in enumerate(rows):
        if progress is not None and offset and offset % 2000 == 0:
            progress(offset, total)
        if row is not None:
            count += 1
            checker.check(offset + 2, row)
    result = {"rows": count, "errors": checker.errors, "created": 0, "updated": 0, "unchanged": 0, "imported": False}
    if checker.errors or dry_run:
        return result
    writer = _NewMembers(society, actor, checker.encrypt, taken=set(checker.by_number) | set(checker.seen_numbers))
    del checker.seen_numbers, checker.seen_indexes
    chunk = []
    try:
        for offset, row in enumerate(rows):
            if row is not None:
                chunk.append(checker.ready(offset + 2, checker.clean(row)[0]))
            if len(chunk) == BATCH:
                _write(society, actor, chunk, writer, result)
                chunk = []
        if chunk:
            _write(society, actor, chunk, writer, result)
        writer.finish()
    except BaseException:
        writer.abort()
        raise
    db.session.add(AuditEvent(society_id=society.id, actor_id=getattr(actor, "id", None),
                              actor_label=getattr(actor, "email", None) or "system", action="import",
                              object_type="Member", after={k: result[k] for k in ("rows", "created", "updated", "unchanged")}))
    db.session.flush()
    result["imported"] = True
    return result


def _write(society, actor, chunk: list[dict], writer, result: dict) -> None:
    """Update the existing members of a batch of clean rows, insert the new ones."""
    old_rows = [r for r in chunk if r["target"] is not None]
    new_rows = [r for r in chunk if r["target"] is None]
    if old_rows:
        writer.wait()
        _update_existing(society, actor, old_rows, result)
    if new_rows:
        writer.add(new_rows)
        result["created"] += len(new_rows)


def _update_existing(society, actor, rows: list[dict], result: dict) -> None:
    members = {m.id: m for m in db.session.scalars(select(Member).where(Member.id.in_([r["target"] for r in rows])))}
    for row in rows:
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


class _NewMembers:
    """Inserts new members and their "admitted" history by batches: on PostgreSQL by COPY into a temporary
    staging table and INSERT ... SELECT into the ledger and the history (row-level security refuses COPY
    into the tables themselves, and checks every row on the way in); elsewhere by executemany.

    On PostgreSQL a batch's INSERT ... SELECT is sent in pipeline mode and runs on the server while the
    next batch is checked and encrypted here; `wait()` collects it before the connection is used again.
    The history is staged too and goes in after all the members: the foreign-key check of each history
    row is planned once for the whole table, against a full member table (an index lookup); planned
    batch by batch against a new society's nearly empty table it scanned the table for every row.
    """

    def __init__(self, society, actor, encrypt, taken: set):
        self.society, self.actor_id, self.encrypt, self.taken = society, getattr(actor, "id", None), encrypt, taken
        self.today = today_cn()
        self.pg = db.is_postgres
        self.staged = False
        self._pipeline = None

    def add(self, rows: list[dict]) -> None:
        """Insert one batch of clean new rows (numbers taken for those without one)."""
        today, now, sid = self.today, utcnow(), self.society.id
        active_until = date(today.year, 12, 31)
        members = []
        for row in rows:
            clean = row["clean"]
            values = {k: clean[k] for k in UPDATABLE if k in clean}
            values.update(society_id=sid, id=new_id(), created_at=now, class_id=row["class"].id,
                          status=row["status"], member_number=row["number"], join_date=clean.get("join_date") or today,
                          valid_until=active_until if row["status"] == MemberStatus.active else None,
                          nationality=clean.get("nationality") or "mainland", reverify_fields=[],
                          front_line=bool(clean.get("front_line")), senior_title=bool(clean.get("senior_title")),
                          id_number_encrypted=self.encrypt(row["id_number"]), id_number_index=row["index"],
                          id_number_masked=crypto.mask(row["id_number"]) if row["id_number"] else None,
                          event_id=new_id())
            members.append(values)
        self.wait()
        missing = [values for values in members if not values["member_number"]]
        if missing:
            for values, number in zip(missing, _take_numbers(self.society, len(missing), self.taken)):
                values["member_number"] = number
        self.taken.update(values["member_number"] for values in members)
        if self.pg:
            self._stage(members)
            return
        codes = {r["class"].id: r["class"].code for r in rows}
        events = [{"society_id": sid, "id": values.pop("event_id"), "created_at": now, "member_id": values["id"],
                   "at": now, "actor_id": self.actor_id, "kind": "admitted", "to_status": values["status"].value,
                   "to_class": codes[values["class_id"]], "note": "import"} for values in members]
        db.session.execute(insert(Member), members)
        db.session.execute(insert(MemberEvent), events)

    def _stage(self, members: list[dict]) -> None:
        conn = db.session.connection().connection.driver_connection
        cursor = conn.cursor()
        table, names = Member.__table__, _names(Member.__table__)
        if not self.staged:
            cursor.execute('DROP TABLE IF EXISTS "import_member", "import_member_event"')
            # the history row's id rides along: its "admitted" row is made from the staged member
            cursor.execute(f'CREATE TEMP TABLE "import_member" (LIKE "{table.name}", event_id uuid) ON COMMIT DROP')
            cursor.execute('CREATE TEMP TABLE "import_member_event" (LIKE "member_event") ON COMMIT DROP')
            self.staged = True
        columns = list(table.columns)
        fills = [(c.name, _filler(c)) for c in columns] + [("event_id", lambda: None)]
        converts = [(i, conv) for i, conv in enumerate(map(_converter, columns)) if conv is not None]
        with cursor.copy(f'COPY "import_member" ({names}, event_id) FROM STDIN') as copy:
            for row in members:
                values = [row[name] if name in row else fill() for name, fill in fills]
                for i, conv in converts:
                    if values[i] is not None:
                        values[i] = conv(values[i])
                copy.write_row(values)
        self._pipeline = conn.pipeline()
        self._pipeline.__enter__()
        cursor.execute(f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM "import_member"')
        cursor.execute("INSERT INTO import_member_event (society_id, id, created_at, member_id, at, actor_id, kind, "
                       "to_status, to_class, note) SELECT s.society_id, s.event_id, s.created_at, s.id, s.created_at, %s::uuid, "
                       "'admitted', s.status, c.code, 'import' FROM import_member s JOIN member_class c "
                       "ON c.society_id = s.society_id AND c.id = s.class_id", (self.actor_id,))
        cursor.execute('TRUNCATE "import_member"')

    def wait(self) -> None:
        """Collect the batch the server is still inserting (its errors are raised here)."""
        pipeline, self._pipeline = self._pipeline, None
        if pipeline is not None:
            pipeline.__exit__(None, None, None)

    def abort(self) -> None:
        """Leave pipeline mode after a failure elsewhere (the transaction is rolled back by the caller)."""
        try:
            self.wait()
        except Exception:
            pass  # the original error is the one to report

    def finish(self) -> None:
        """Collect the last batch, move the staged history in and drop the staging tables (PostgreSQL)."""
        self.wait()
        if self.staged:
            names = _names(MemberEvent.__table__)
            conn = db.session.connection()
            conn.exec_driver_sql(f'INSERT INTO member_event ({names}) SELECT {names} FROM "import_member_event"')
            conn.exec_driver_sql('DROP TABLE "import_member", "import_member_event"')


def _names(table) -> str:
    return ", ".join(f'"{c.name}"' for c in table.columns)


def _filler(column):
    """What the ORM would insert for a column a row leaves out: its Python default, else NULL."""
    default = column.default
    if default is None:
        return lambda: None
    if default.is_callable:
        return lambda: default.arg(None)
    return lambda: default.arg


def _converter(column):
    """How a Python value becomes COPY text where psycopg alone would not write it as the ORM does."""
    if isinstance(column.type, Enum):
        return lambda v: v.value if isinstance(v, enum.Enum) else v
    if isinstance(column.type, JSON):
        return lambda v: "[]" if v == [] else json.dumps(v)
    return None


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
