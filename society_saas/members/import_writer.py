"""The roster import's writes of new members: by batches, on PostgreSQL through a staging table."""
import enum
import json
from datetime import date

from sqlalchemy import JSON, Enum, insert

from society_saas.core import crypto
from society_saas.core.db import new_id, utcnow
from society_saas.extensions import db
from society_saas.members.models import Member, MemberEvent, MemberStatus
from society_saas.members.services.common import today_cn
from society_saas.members.services.records import UPDATABLE


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
            for values, number in zip(missing, self.take_numbers(self.society, len(missing), self.taken)):
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
