"""Roster import (xlsx, CSV) with an all-or-nothing dry run: read, check, then write (`import_writer`);
the ledger's export is in `export`."""
import codecs
import csv
import io
import itertools

from flask_babel import gettext as _
from python_calamine import CalamineWorkbook
from sqlalchemy import select, update

from society_saas.core import crypto
from society_saas.core.audit import log_event
from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.members.import_writer import ImportBatches
from society_saas.members.models import Member, MemberClass, MemberNumberSequence, MemberStatus
from society_saas.members.services import allocate_number, validate_member_data
from society_saas.members.services.lifecycle import TRANSITIONS, status_label

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

    def column(self, field: str):
        """The cells of one field, row by row (blank for a row without it): a cheap read of one column."""
        if field not in self.header:
            return
        position = self.header.index(field)
        lines = self._source()
        next(lines, None)
        for values in itertools.islice(lines, MAX_ROWS):
            yield _cell(values[position]) if position < len(values) else ""


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


def _ledger_keys() -> tuple[dict, dict, dict]:
    """Every existing member number and ID-number index of the society, and each member's status, in one query."""
    by_number, by_index, statuses = {}, {}, {}
    for member_id, number, index, status in db.session.execute(
            select(Member.id, Member.member_number, Member.id_number_index, Member.status)):
        if number:
            by_number[number] = member_id
        if index:
            by_index[index] = member_id
        statuses[member_id] = status
    return by_number, by_index, statuses


_NOT_FIELDS = ("class_code", "status", "member_number")


class _Checker:
    """The rules and the ledger rows are checked against, and the numbers and ID numbers (by their
    index) earlier rows of the file used, with their row numbers."""

    def __init__(self):
        self.classes = {c.code: c for c in db.session.scalars(select(MemberClass))}
        self.by_name = {c.name_zh: c for c in self.classes.values()}
        self.by_number, self.by_index, self.statuses = _ledger_keys()
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
        status = STATUS_WORDS.get(row.get("status") or "", row.get("status")) or None  # None: not in the file
        if status is not None and status not in MemberStatus.__members__:
            problems.append(("status", _("Unknown status “%(v)s”.", v=status)))
        fields = {k: v for k, v in row.items() if k not in _NOT_FIELDS}
        if "gender" in row:
            fields["gender"] = GENDER_WORDS.get(row["gender"], row["gender"])
        clean, errs = validate_member_data(fields, institutional=bool(cls and cls.is_institutional))
        if errs:
            problems += [(f, m) for f, messages in errs.items() for m in messages]
        number = _number_of(row.get("member_number"))
        id_number = clean.pop("id_number", None)
        index = self.blind_index(id_number)
        target = self.by_number.get(number) if number else None
        item = {"class": cls, "status": status, "number": number, "clean": clean, "id_number": id_number,
                "index": index, "target": target, "row": row}
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
        existing = target or (self.by_index.get(index) if index else None)
        if existing is not None and item["status"] in MemberStatus.__members__:
            before, after = self.statuses[existing], MemberStatus(item["status"])
            if after != before and after not in TRANSITIONS[before]:
                problems.append(("status", _("A member who is %(a)s cannot become %(b)s.", a=status_label(before),
                                             b=status_label(after))))
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
        target = item["target"] or (self.by_index.get(item["index"]) if item["index"] else None)
        status = MemberStatus(item["status"]) if item["status"] else None
        item.update(line=line, target=target, status=status if status or target else MemberStatus.active)
        return item


def check_rows(rows, progress=None) -> tuple[list[dict], list[tuple[int, str, str]]]:
    """Validate every row against the rules and the ledger; return the clean rows and every problem
    as (row number, field, message). `progress(done, total)` is called every 2,000 rows."""
    checker, clean_rows = _Checker(), []
    _check_all(rows, checker, progress, clean_rows.append)
    return clean_rows, checker.errors


def _check_all(rows, checker: _Checker, progress=None, keep=None, writing: bool = False) -> int:
    """Check every row, hand each clean one to `keep` while no row has failed yet, and return the number
    of rows (blank lines left out). `progress(done, total, writing)` is called every 2,000 rows."""
    total = rows.total if isinstance(rows, Rows) else len(rows)
    count = 0
    for offset, row in enumerate(rows):
        if progress is not None and offset and offset % 2000 == 0:
            progress(offset, total, writing)
        if row is None:
            continue
        count += 1
        item = checker.check(offset + 2, row)  # row 1 is the header
        if item is not None and keep is not None and not checker.errors:
            keep(item)
    return count


def import_rows(society, actor, rows, dry_run: bool = True, progress=None) -> dict:
    """Check all rows and, unless it is a dry run or any row is bad, upsert them by member number or ID number.

    The rows are never held: the file is read again where a second pass is needed. New members are
    inserted in batches (numbers taken in one counter update per batch, skipping every number the ledger
    or the file holds); existing ones are compared field by field and only changed ones are updated, so
    re-running a file changes nothing. Everything is written inside a savepoint: all rows or none.

    On PostgreSQL the rows are written while they are checked: each row is cleaned once, and the server
    inserts one batch while the next is checked here. The first bad row stops the writing (the rest are
    still checked, so every problem is reported) and the savepoint takes back what was written. On SQLite,
    which has one writer whose lock would hold the job's progress back, the check comes first and the
    write is a second pass. `progress(done, total, writing)` is called every 2,000 rows; `writing` says
    the transaction holds the import's writes, so the caller must not commit it.
    """
    if iter(rows) is rows:
        rows = list(rows)  # a one-off iterator cannot be read twice
    checker = _Checker()
    result = {"rows": 0, "errors": checker.errors, "created": 0, "updated": 0, "unchanged": 0, "imported": False}
    if dry_run:
        result["rows"] = _check_all(rows, checker, progress)
        return result
    eager = db.is_postgres
    if not eager:
        result["rows"] = _check_all(rows, checker, progress)  # the progress is committed: nothing is written yet
        if checker.errors:
            return result
    savepoint = db.session.begin_nested()
    batches = ImportBatches(society, actor, checker.encrypt, taken=set(checker.by_number) | _numbers_in(rows),
                            take_numbers=_take_numbers, result=result)
    try:
        if eager:
            result["rows"] = _check_all(rows, checker, progress, batches.add, writing=True)
        else:
            for offset, row in enumerate(rows):
                if row is not None:
                    batches.add(checker.ready(offset + 2, checker.clean(row)[0]))
        if checker.errors:
            batches.abort()
            savepoint.rollback()
            result.update(created=0, updated=0, unchanged=0)
            return result
        batches.finish()
    except BaseException:
        batches.abort()
        raise
    log_event(society.id, actor, "import", "Member",
              after={k: result[k] for k in ("rows", "created", "updated", "unchanged")})
    db.session.flush()
    savepoint.commit()
    result["imported"] = True
    return result


def _number_of(cell) -> str | None:
    """A member number as the ledger keeps it (upper case), or None for a blank cell."""
    return (cell or "").upper() or None


def _numbers_in(rows) -> set[str]:
    """Every member number the file gives: a fresh number must skip those of later rows too."""
    cells = rows.column("member_number") if isinstance(rows, Rows) else (r.get("member_number") for r in rows if r)
    return {number for number in map(_number_of, cells) if number}


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
