"""The console's chain column: checked from the latest signed checkpoint on, and still catching what it must."""
from society_saas.decisions import chain, services
from society_saas.extensions import db
from society_saas.oversight.queries import chains_intact
from society_saas.tenancy.context import society_context
from tests.decisions.helpers import actor, record, society_with_charter
from tests.decisions.test_chain import _attacker


def _signed_then_more(s, before=3, after=2):
    """`before` decisions, a signed checkpoint at their head, then `after` more."""
    who = actor()
    for i in range(before):
        record(s, who, title=f"决定{i}")
    with society_context(s.id):
        cp = services.sign_checkpoint(s, who)
        db.session.commit()
    for i in range(after):
        record(s, who, title=f"后续决定{i}")
    return cp.seq


def _overview(s):
    db.session.rollback()  # read what the database holds now
    return chains_intact()[s.id]


def test_only_entries_after_the_checkpoint_are_hashed(session, en, monkeypatch):
    s = society_with_charter()
    seq = _signed_then_more(s)
    calls = []
    real = chain.compute_hash
    monkeypatch.setattr(chain, "compute_hash", lambda prev, values: calls.append(values["seq"]) or real(prev, values))
    assert _overview(s) == {"ok": True, "entries": seq + 2, "bad_seq": None}
    assert calls == [seq + 1, seq + 2]


def test_without_a_checkpoint_the_whole_chain_is_walked(session, db_backend):
    s = society_with_charter()
    who = actor()
    for i in range(3):
        record(s, who, title=f"决定{i}")
    assert _overview(s) == {"ok": True, "entries": 3, "bad_seq": None}
    _attacker(db_backend)("UPDATE decision_entry SET votes_for = 20 WHERE seq = 1")
    assert _overview(s) == {"ok": False, "entries": 3, "bad_seq": 1}


def test_entry_altered_after_the_checkpoint(session, en, db_backend):
    s = society_with_charter()
    seq = _signed_then_more(s)
    _attacker(db_backend)("UPDATE decision_entry SET title = '改过' WHERE seq = :n", {"n": seq + 2})
    assert _overview(s)["bad_seq"] == seq + 2 and not _overview(s)["ok"]


def test_signed_entry_rehashed_or_removed(session, en, db_backend):
    s = society_with_charter()
    seq = _signed_then_more(s)
    _attacker(db_backend)("UPDATE decision_entry SET hash = :h WHERE seq = :n", {"n": seq, "h": "a" * 64})
    assert _overview(s) == {"ok": False, "entries": seq + 2, "bad_seq": seq}


def test_entry_deleted_before_the_checkpoint(session, en, db_backend):
    s = society_with_charter()
    _signed_then_more(s)
    _attacker(db_backend)("DELETE FROM decision_entry WHERE seq = 1")
    result = _overview(s)
    assert not result["ok"] and result["entries"] == 4


def test_forged_checkpoint_signature(session, en, db_backend):
    s = society_with_charter()
    seq = _signed_then_more(s)
    _attacker(db_backend)("UPDATE decision_checkpoint SET signature = :h", {"h": "0" * 64})
    assert _overview(s) == {"ok": False, "entries": seq + 2, "bad_seq": seq}


def test_checkpoint_beyond_the_last_entry(session, en, db_backend):
    s = society_with_charter()
    seq = _signed_then_more(s, after=0)
    _attacker(db_backend)("DELETE FROM decision_entry WHERE seq = :n", {"n": seq})
    result = _overview(s)
    assert not result["ok"] and result["bad_seq"] == seq


def test_other_societies_unaffected(session, en, db_backend):
    a, b = society_with_charter("a"), society_with_charter("b")
    _signed_then_more(a)
    record(b, None, title="乙会决定")
    _attacker(db_backend)("UPDATE decision_entry SET title = '改过' WHERE seq = 5")  # only a has entry 5
    db.session.rollback()
    result = chains_intact()
    assert result[a.id] == {"ok": False, "entries": 5, "bad_seq": 5}
    assert result[b.id] == {"ok": True, "entries": 1, "bad_seq": None}
