"""The roster import's writes, by batches: existing members updated field by field, new ones inserted (on
PostgreSQL through a staging table)."""
import enum
import json
from datetime import date

from sqlalchemy import JSON, Enum, insert, select

from society_saas.core import crypto
from society_saas.core.db import new_id, utcnow
from society_saas.extensions import db
from society_saas.members.models import Member, MemberEvent, MemberStatus
from society_saas.members.services.common import record_event, today_cn
from society_saas.members.services.records import UPDATABLE, update_member

BATCH = 1000


class ImportBatches:
    """Clean rows gathered into batches of BATCH and written: existing members updated, new ones inserted
    (`NewMembers`), the counts kept in `result` (created, updated, unchanged)."""

    def __init__(self, society, actor, encrypt, taken: set, take_numbers, result: dict):
        self.society, self.actor, self.result, self.chunk = society, actor, result, []
        self.writer = NewMembers(society, actor, encrypt, taken=taken, take_numbers=take_numbers)

    def add(self, item: dict) -> None:
        """Take one clean row; write the batch once it is full."""
        self.chunk.append(item)
        if len(self.chunk) == BATCH:
            self._write()

    def finish(self) -> None:
        """Write the last batch and let the writer finish (its staged history goes in)."""
        if self.chunk:
            self._write()
        self.writer.finish()

    def abort(self) -> None:
        """Stop writing after a bad row or a failure (the caller rolls back)."""
        self.chunk = []
        self.writer.abort()

    def _write(self) -> None:
        chunk, self.chunk = self.chunk, []
        old_rows = [r for r in chunk if r["target"] is not None]
        new_rows = [r for r in chunk if r["target"] is None]
        if old_rows:
            self.writer.wait()
            _update_existing(self.society, self.actor, old_rows, self.result)
        if new_rows:
            self.writer.add(new_rows)
            self.result["created"] += len(new_rows)


def _update_existing(society, actor, rows: list[dict], result: dict) -> None:
    """Compare existing members with their rows field by field and update only the changed ones."""
    members = {m.id: m for m in db.session.scalars(select(Member).where(Member.id.in_([r["target"] for r in rows])))}
    for row in rows:
        member = members[row["target"]]
        given = _given(row["row"])
        changes = {k: v for k, v in row["clean"].items() if k in UPDATABLE and k in given and getattr(member, k) != v}
        if row["id_number"] and row["index"] != member.id_number_index:
            changes["id_number"] = row["id_number"]
        new_status = row["status"] if row["status"] is not None else member.status
        moved = member.class_id != row["class"].id or member.status != new_status
        if not changes and not moved:
            result["unchanged"] += 1
            continue
        if changes:
            update_member(society, actor, member, changes)
        if member.class_id != row["class"].id:
            record_event(member, actor, "class_changed", from_class=member.member_class.code, to_class=row["class"].code,
                         note="import")
            member.class_id = row["class"].id
        if member.status != new_status:
            record_event(member, actor, "imported", from_status=member.status, to_status=new_status, note="import")
            member.status = new_status
        result["updated"] += 1
    db.session.flush()


def _given(row: dict) -> set:
    # An existing member changes only where the file gives a value: a column left out, or a cell left
    # blank, keeps what the ledger holds (an ID number also gives the birth date and the ID type).
    given = {k for k, v in row.items() if v not in ("", None)}
    return given | {"birth_date", "id_type"} if "id_number" in given else given


class NewMembers:
    """Inserts new members and their "admitted" history by batches: on PostgreSQL by COPY into a temporary
    staging table and INSERT ... SELECT into the ledger and the history (row-level security refuses COPY
    into the tables themselves, and checks every row on the way in); elsewhere by executemany.

    On PostgreSQL a batch's INSERT ... SELECT is sent in pipeline mode and runs on the server while the
    next batch is checked and encrypted here; `wait()` collects it before the connection is used again.
    The history is staged too and goes in after all the members: the foreign-key check of each history
    row is planned once for the whole table, against a full member table (an index lookup); planned
    batch by batch against a new society's nearly empty table it scanned the table for every row.
    """

    def __init__(self, society, actor, encrypt, taken: set, take_numbers):
        self.society, self.actor_id, self.encrypt, self.taken = society, getattr(actor, "id", None), encrypt, taken
        self.take_numbers = take_numbers  # (society, count, taken) -> fresh member numbers
        self.today = today_cn()
        self.active_until = date(self.today.year, 12, 31)
        self.pg = db.is_postgres
        self.staged = False
        self._pipeline = None

    def add(self, rows: list[dict]) -> None:
        """Insert one batch of clean new rows (numbers taken for those without one)."""
        self.wait()
        numbers = self._numbers(rows)
        if self.pg:
            self._stage(rows, numbers)
        else:
            self._insert(rows, numbers)

    def _numbers(self, rows: list[dict]) -> list[str]:
        """Each row's member number: the file's, or a fresh one for a row without."""
        numbers = [row["number"] for row in rows]
        missing = [i for i, number in enumerate(numbers) if not number]
        if missing:
            for i, number in zip(missing, self.take_numbers(self.society, len(missing), self.taken)):
                numbers[i] = number
        self.taken.update(numbers)
        return numbers

    def _fields(self, row: dict, number: str) -> dict:
        """A new member's columns from a clean row, as the ORM would fill them (ids and times aside)."""
        clean, id_number = row["clean"], row["id_number"]
        values = {k: clean[k] for k in UPDATABLE if k in clean}
        values.update(class_id=row["class"].id, status=row["status"], member_number=number,
                      join_date=clean.get("join_date") or self.today,
                      valid_until=self.active_until if row["status"] == MemberStatus.active else None,
                      nationality=clean.get("nationality") or "mainland", reverify_fields=[],
                      front_line=bool(clean.get("front_line")), senior_title=bool(clean.get("senior_title")),
                      id_number_encrypted=self.encrypt(id_number), id_number_index=row["index"],
                      id_number_masked=crypto.mask(id_number) if id_number else None)
        return values

    def _insert(self, rows: list[dict], numbers: list[str]) -> None:
        now, sid = utcnow(), self.society.id
        members, events = [], []
        for row, number in zip(rows, numbers):
            values = self._fields(row, number)
            values.update(society_id=sid, id=new_id(), created_at=now)
            members.append(values)
            events.append({"society_id": sid, "id": new_id(), "created_at": now, "member_id": values["id"], "at": now,
                           "actor_id": self.actor_id, "kind": "admitted", "to_status": row["status"].value,
                           "to_class": row["class"].code, "note": "import"})
        db.session.execute(insert(Member), members)
        db.session.execute(insert(MemberEvent), events)

    def _stage(self, rows: list[dict], numbers: list[str]) -> None:
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
        position = {c.name: i for i, c in enumerate(columns)}
        defaults = [_filler(c)() for c in columns] + [None]  # the last is the history row's id
        converts = [(i, conv) for i, conv in enumerate(map(_converter, columns)) if conv is not None]
        now = utcnow()
        fixed = ((position["society_id"], self.society.id), (position["created_at"], now))
        with cursor.copy(f'COPY "import_member" ({names}, event_id) FROM STDIN') as copy:
            for row, number in zip(rows, numbers):
                values = defaults.copy()
                for name, value in self._fields(row, number).items():
                    values[position[name]] = value
                for i, value in fixed:
                    values[i] = value
                values[position["id"]], values[-1] = new_id(), new_id()
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
