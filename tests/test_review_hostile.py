"""Issue 11: hostile return packages. Every changed byte, a cut-off file, returns swapped between members, a
replay and a return made for another database are refused (PackageRefused) and write no row at all (every
table counted before and after), on SQLite and on PostgreSQL."""

from __future__ import annotations

import random
import uuid

import pytest
from sqlalchemy import func, select

from commissie_app.db.models import Base
from commissie_app.domain.review_crypto import PackageRefused, Refusal
from commissie_app.services.review_import import apply_import, prepare_import
from tests.review_import_helpers import COMPLETE, agenda_item_of, assessment, declaration, make_return, note, scenario

FLIPS = 200
SEED = 20261123


def _counts(db) -> tuple:
    """The number of rows of every table, in one query (the 200 cases stay fast)."""
    query = select(*[select(func.count()).select_from(t).scalar_subquery().label(t.name)
                     for t in Base.metadata.sorted_tables])
    with db.session() as session:
        return tuple(session.execute(query).one())


@pytest.fixture
def s(db, tmp_path):
    return scenario(db, tmp_path)


def _valid(s, member, **kwargs):
    return make_return(s, member, assessments=[assessment(s, 0, COMPLETE, state="final"), assessment(s, 1)],
                       notes=[note(s)], declarations=[declaration(agenda_item_of(s, 1))], **kwargs)


def _assert_refused_and_nothing_written(s, blobs: dict[str, bytes], expected: dict[str, Refusal] | None = None):
    """Each blob, imported on its own as a file: refused, and not one row more or less in any table."""
    folder = s.tmp / "hostile"
    folder.mkdir(exist_ok=True)
    before = _counts(s.ctx.db)
    for name, blob in blobs.items():
        path = folder / f"{name}.kipretour"
        path.write_bytes(blob)
        plan = prepare_import(s.ctx, [path])
        (f,) = plan.files
        assert isinstance(f.refusal, PackageRefused) and f.status != "ready", name
        if expected is not None:
            assert f.refusal.reason is expected[name], (name, f.refusal.reason)
        assert str(f.refusal)  # a Dutch sentence to show
        apply_import(s.ctx, plan, {})
        assert _counts(s.ctx.db) == before, name


def test_every_flipped_byte_is_refused_and_writes_nothing(s):
    """Issue 11: 200 random byte positions spread over the whole return (fixed seed), each changed on its own:
    every one refused, zero rows written; the unchanged file then imports."""
    path = _valid(s, s.members[0])
    blob = path.read_bytes()
    rng = random.Random(SEED)
    # spread over the file: one random position in each of 200 equal slices (header, body and the tag at the end)
    positions = [rng.randrange(i * len(blob) // FLIPS, (i + 1) * len(blob) // FLIPS) for i in range(FLIPS)]
    assert len(set(positions)) == FLIPS and positions[0] < 100 and positions[-1] >= len(blob) - len(blob) // FLIPS
    cases = {}
    for pos in positions:
        changed = bytearray(blob)
        changed[pos] ^= rng.randrange(1, 256)
        cases[f"flip-{pos}"] = bytes(changed)
    _assert_refused_and_nothing_written(s, cases)
    plan = prepare_import(s.ctx, [path])
    assert plan.files[0].status == "ready"
    assert apply_import(s.ctx, plan, {}).files[0].counts == {"new": 4}


def test_truncated_returns_are_refused(s):
    """Issue 11: a return cut off anywhere (a failed download or copy) is refused and writes nothing."""
    blob = _valid(s, s.members[0]).read_bytes()
    lengths = [0, 1, 21, 22, 60, len(blob) // 3, len(blob) // 2, len(blob) - 17, len(blob) - 16, len(blob) - 1]
    _assert_refused_and_nothing_written(s, {f"cut-{n}": blob[:n] for n in lengths})


def test_swapped_between_members_replayed_or_for_another_database(s):
    """Issue 11: member A's work signed with B's laptop key, A's file claimed for B, A's return for B's package,
    the same return again (as it was, and sealed anew), and a return for another database: all refused with the
    reason that says which, and nothing written."""
    a, b = s.members
    valid = _valid(s, a)
    return_id = uuid.uuid4()
    first = _valid(s, a, return_id=return_id)
    plan = prepare_import(s.ctx, [first])
    apply_import(s.ctx, plan, {})  # imported once: the replays below must change nothing
    cases = {
        "signed-by-b": (_valid(s, a, signer=b.laptop), Refusal.WRONG_SIGNER),
        "claimed-for-b": (_valid(s, a, user_id=b.user_id, package_id=s.packages[b.user_id]), Refusal.WRONG_SIGNER),
        "a-for-b-package": (_valid(s, a, package_id=s.packages[b.user_id]), Refusal.WRONG_SIGNER),
        "replay": (first, Refusal.ALREADY_IMPORTED),
        "replay-sealed-anew": (_valid(s, a, return_id=return_id, sequence=2), Refusal.ALREADY_IMPORTED),
        "older": (_valid(s, a, sequence=1), Refusal.OLDER_THAN_IMPORTED),
        "other-database": (_valid(s, a, database_id=uuid.uuid4(), sequence=5), Refusal.OTHER_DATABASE),
        "unsigned": (_valid(s, a, signer=None, sequence=6), Refusal.UNSIGNED),
    }
    assert valid.exists()
    _assert_refused_and_nothing_written(s, {k: p.read_bytes() for k, (p, _r) in cases.items()},
                                        {k: r for k, (_p, r) in cases.items()})
