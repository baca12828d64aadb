"""Tamper evidence: the database refuses UPDATE and DELETE, verify finds what got past it,
checkpoints catch a rewritten chain, and concurrent appends do not fork the chain."""
import json
import threading

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from society_saas.decisions import chain, services
from society_saas.decisions.chain import checkpoint_dict, compute_hash, entry_values, verify_chain
from society_saas.decisions.cli import decisions_group
from society_saas.decisions.models import DecisionCheckpoint, DecisionEntry
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.decisions.helpers import actor, record, society_with_charter, valid


def _three(society):
    who = actor()
    first = record(society, who, title="决定一")
    record(society, who, title="决定二")
    with society_context(society.id):
        services.add_follow_up(society, who, {"decision_id": first.decision_id, "note": "已落实。"})
        db.session.commit()
    return first


def _attacker(db_backend):
    """Run SQL behind the triggers' back: SQLite drops them; PostgreSQL uses a superuser in replica mode."""
    if db_backend["kind"] == "sqlite":
        def run(sql, params=None):
            with db.engine.begin() as conn:
                for table in ("decision_entry", "decision_checkpoint"):
                    for op in ("update", "delete"):
                        conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{table}_no_{op}"')
                conn.execute(text(sql), params or {})
        return run

    def run(sql, params=None):
        with db_backend["superuser"].begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text(sql), params or {})
    return run


def _verify(society, exported=None):
    db.session.rollback()  # read what the database holds now
    with society_context(society.id):
        return verify_chain(society, exported)


@pytest.mark.parametrize("sql", ["UPDATE decision_entry SET title = 'x'", "DELETE FROM decision_entry"])
def test_update_and_delete_refused_by_the_database(session, db_backend, sql):
    s = society_with_charter()
    record(s)
    with pytest.raises(Exception) as exc:
        with db.engine.begin() as conn:
            if db_backend["kind"] == "postgres":
                conn.execute(text("SELECT set_config('app.society_id', :s, true)"), {"s": str(s.id)})
            conn.execute(text(sql))
    assert "append-only" in str(exc.value) or "permission denied" in str(exc.value)
    with society_context(s.id):
        assert db.session.scalars(select(DecisionEntry.title)).all() == ["关于调整学会内设机构的决定"]


def test_postgres_triggers_refuse_even_the_owner(session, db_backend):
    if db_backend["kind"] != "postgres":
        pytest.skip("PostgreSQL only")
    s = society_with_charter()
    record(s)
    with pytest.raises(Exception, match="append-only"):
        with db_backend["superuser"].begin() as conn:
            conn.execute(text("UPDATE decision_entry SET title = 'x'"))


def test_intact_chain_verifies(session, en):
    s = society_with_charter()
    _three(s)
    report = _verify(s)
    assert report.ok and report.entries == 3 and report.head_seq == 3


def test_entry_altered_behind_the_triggers_is_found(session, db_backend):
    s = society_with_charter()
    _three(s)
    _attacker(db_backend)("UPDATE decision_entry SET votes_for = 21 WHERE seq = 2")
    report = _verify(s)
    assert not report.ok and report.bad_seq == 2 and "hash" in report.reason


def test_walking_an_unchanged_chain_again_rehashes_nothing_but_an_altered_entry_is_still_found(
        session, db_backend, monkeypatch):
    s = society_with_charter()
    _three(s)
    assert _verify(s).ok
    calls = []
    real = chain.compute_hash
    monkeypatch.setattr(chain, "compute_hash", lambda prev, values: calls.append(values["seq"]) or real(prev, values))
    assert _verify(s).ok and calls == []
    _attacker(db_backend)("UPDATE decision_entry SET votes_for = 21 WHERE seq = 2")
    report = _verify(s)
    assert not report.ok and report.bad_seq == 2 and "hash" in report.reason and calls == [2]
    _attacker(db_backend)("UPDATE decision_entry SET votes_for = 14 WHERE seq = 2")  # put back: intact again
    assert _verify(s).ok


def test_deleted_entry_is_found(session, db_backend, en):
    s = society_with_charter()
    _three(s)
    _attacker(db_backend)("DELETE FROM decision_entry WHERE seq = 2")
    report = _verify(s)
    assert not report.ok and report.bad_seq == 3


def _rewrite_from(society, seq, attack):
    """Rewrite every entry from seq onward with consistent hashes, as an attacker with the code would."""
    db.session.rollback()
    with society_context(society.id):
        entries = list(db.session.scalars(select(DecisionEntry).order_by(DecisionEntry.seq)))
        values = [entry_values(e) for e in entries]
        prev = entries[seq - 2].hash if seq > 1 else "0" * 64
        db.session.rollback()
    for v in values[seq - 1:]:
        v = dict(v, title=(v["title"] + "（改）") if v["title"] else None)
        new_hash = compute_hash(prev, v)
        attack("UPDATE decision_entry SET title = :t, prev_hash = :p, hash = :h WHERE seq = :s",
               {"t": v["title"], "p": prev, "h": new_hash, "s": v["seq"]})
        prev = new_hash


def test_rewritten_chain_is_caught_by_checkpoints(session, db_backend, en):
    s = society_with_charter()
    _three(s)
    with society_context(s.id):
        cp = services.sign_checkpoint(s, None)
        db.session.commit()
        exported = [checkpoint_dict(s, cp)]
    attack = _attacker(db_backend)
    _rewrite_from(s, 1, attack)
    report = _verify(s)
    assert not report.ok and "checkpoint" in report.reason and "rewritten" in report.reason
    # the attacker also removes the stored checkpoints: the exported copy still catches it
    attack("DELETE FROM decision_checkpoint")
    assert _verify(s).ok
    report = _verify(s, exported)
    assert not report.ok and "exported checkpoint" in report.reason


def test_forged_checkpoint_signature_is_caught(session, db_backend, en):
    s = society_with_charter()
    _three(s)
    with society_context(s.id):
        services.sign_checkpoint(s, None)
        db.session.commit()
    _attacker(db_backend)("UPDATE decision_checkpoint SET signature = :x", {"x": "0" * 64})
    report = _verify(s)
    assert not report.ok and "signature" in report.reason


def test_duplicate_seq_refused_by_unique_key(session):
    s = society_with_charter()
    first = record(s)
    with society_context(s.id):
        clone = DecisionEntry(**{k: getattr(first, k) for k in ("seq", "prev_hash", "hash", "entry_type")},
                              decision_id=first.decision_id)
        db.session.add(clone)
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_stale_head_collides_and_is_retried(session, monkeypatch, en):
    s = society_with_charter()
    record(s)
    stale = iter([(0, "0" * 64)])
    real = services.log._head
    monkeypatch.setattr(services.log, "_head", lambda: next(stale, None) or real())
    entry = record(s, title="第二项")
    assert entry.seq == 2
    assert _verify(s).ok


def test_concurrent_appends_do_not_fork(app, session, en):
    s = society_with_charter()
    record(s)
    db.session.remove()
    barrier = threading.Barrier(2, timeout=10)
    real = services.log._head
    first_read = threading.local()

    calls = []

    def head():
        value = real()
        calls.append(value[0])
        if not getattr(first_read, "done", False):
            first_read.done = True
            barrier.wait()  # both threads read the same head before either inserts
        return value

    errors, results = [], []

    def worker(title):
        try:
            with app.test_request_context("/?lang=en"), society_context(s.id):
                entry = services.record_decision(s, None, valid(title=title))
                db.session.commit()
                results.append(entry.seq)
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            db.session.remove()

    services_head, services.log._head = services.log._head, head
    try:
        threads = [threading.Thread(target=worker, args=(f"并发{i}",)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        services.log._head = services_head
    # either both landed at distinct seqs (one retried) or the loser was refused; never a fork
    assert len(results) + len(errors) == 2
    assert len(set(results)) == len(results)
    report = _verify(s)
    assert report.ok and report.head_seq == 1 + len(results)
    assert results, errors
    if len(results) == 2:  # both read head 1, both tried seq 2: one collided on the key and retried
        assert sorted(results) == [2, 3] and calls.count(1) == 2 and len(calls) == 3


def test_cli_verify_exit_codes(app, session, db_backend, monkeypatch):
    s = society_with_charter()
    _three(s)
    monkeypatch.setattr("society_saas.create_app", lambda *a, **k: app)
    result = CliRunner().invoke(decisions_group, ["verify"])
    assert result.exit_code == 0, result.output
    assert "a: intact, 3 entries" in result.output
    _attacker(db_backend)("UPDATE decision_entry SET note = 'x' WHERE seq = 3")
    result = CliRunner().invoke(decisions_group, ["verify", "--society", "a"])
    assert result.exit_code == 1
    assert "a: BROKEN at entry 3" in result.output


def test_checkpoints_of_another_society_are_not_visible(session, en):
    a = society_with_charter("a")
    b = society_with_charter("b")
    record(a)
    with society_context(a.id):
        services.sign_checkpoint(a, None)
        db.session.commit()
    with society_context(b.id):
        assert db.session.scalars(select(DecisionCheckpoint)).all() == []
        assert db.session.scalars(select(DecisionEntry)).all() == []


def test_cli_checkpoint_export_catches_a_rewrite(app, session, db_backend, monkeypatch, tmp_path):
    s = society_with_charter()
    _three(s)
    monkeypatch.setattr("society_saas.create_app", lambda *a, **k: app)
    exported = tmp_path / "checkpoints.json"
    result = CliRunner().invoke(decisions_group, ["checkpoint", "--export", str(exported)])
    assert result.exit_code == 0, result.output
    assert json.loads(exported.read_text(encoding="utf-8"))[0]["seq"] == 3
    attack = _attacker(db_backend)
    _rewrite_from(s, 2, attack)
    attack("DELETE FROM decision_checkpoint")
    assert CliRunner().invoke(decisions_group, ["verify"]).exit_code == 0  # looks intact on its own
    result = CliRunner().invoke(decisions_group, ["verify", "--checkpoints", str(exported)])
    assert result.exit_code == 1 and "exported checkpoint at seq 3" in result.output


def test_cli_verify_files_finds_an_altered_attachment(app, session, monkeypatch, tmp_path):
    import io

    from society_saas.core import storage

    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    s = society_with_charter()
    entry = record(s, files=[(io.BytesIO(b"%PDF-1.4 minutes"), "纪要.pdf")])
    monkeypatch.setattr("society_saas.create_app", lambda *a, **k: app)
    assert CliRunner().invoke(decisions_group, ["verify", "--files"]).exit_code == 0
    with app.app_context():
        storage.path_of(entry.payload["attachments"][0]["key"]).write_bytes(b"%PDF-1.4 minutes, edited")
    result = CliRunner().invoke(decisions_group, ["verify", "--files"])
    assert result.exit_code == 1 and "'纪要.pdf' of entry 1 is altered" in result.output


def test_every_chain_walked_at_once_reports_as_each_walked_alone(session, db_backend, en):
    """The console's verify page walks all chains in a fixed number of queries; each society's report is
    the one verify_chain gives it: intact, an altered entry, a rewrite caught by its checkpoint, no entries."""
    from society_saas.decisions.chain import verify_all_chains
    from society_saas.tenancy.context import cross_society

    intact, altered, rewritten = society_with_charter("a"), society_with_charter("b"), society_with_charter("c")
    empty = society_with_charter("d")
    who = actor()
    for s in (intact, altered, rewritten):
        for title in ("决定一", "决定二", "决定三"):
            record(s, who, title=title)
    with society_context(rewritten.id):
        services.sign_checkpoint(rewritten, None)
        db.session.commit()
    attack = _attacker(db_backend)
    as_stored = (lambda u: u.hex) if db_backend["kind"] == "sqlite" else (lambda u: u)  # raw SQL: SQLite keeps hex
    attack("UPDATE decision_entry SET votes_for = 21 WHERE seq = 2 AND society_id = :s", {"s": as_stored(altered.id)})

    def attack_c(sql, params):
        attack(sql + " AND society_id = :sid", {**params, "sid": as_stored(rewritten.id)})

    _rewrite_from(rewritten, 1, attack_c)
    alone = {s.id: _verify(s) for s in (intact, altered, rewritten, empty)}
    assert [alone[s.id].ok for s in (intact, altered, rewritten, empty)] == [True, False, False, True]
    db.session.rollback()
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    from sqlalchemy import event
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        with cross_society():
            together = verify_all_chains([intact.id, altered.id, rewritten.id, empty.id])
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert together == alone
    assert len([s for s in statements if "decision_" in s]) == 2, statements
