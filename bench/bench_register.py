"""The Register page (issue 12) with 10,000 recognitions, against the application list with 10,000 applications.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_register.py [--rows N] [--rounds N] [--json]

Same method as the list's figures of ``bench/bench_startup_search.py`` (docs/performance.md), in a fresh
process per page, on one SQLite database with N organisations, each with one decided application, its
decision and its recognition (a mix of statuses):

(a) open: the page is shown (the main window already open, the page never shown before) until its table
    has painted its rows (the same paint probe: the first event after the paint of the table's viewport);
    for the application list, the window made and shown until its rows are painted.
(b) keystroke: one keystroke in the search field until the model and the view are updated (the debounce
    timer forced); median of many. Target: < 50 ms, like the list.
(c) the status/municipality filter and a sort on each column, median.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TARGET_KEYSTROKE_MS = 50.0
KINDS = ["full", "full", "full", "conditional"]
CRITERIA = ["CODE_SO", "SE_NL", "PSO30", "NON_PROFIT", "BCORP"]


def build_register_database(path: Path, n: int) -> float:
    """``bench_startup_search.build_database`` (n organisations, one application each), then for every
    application a decision in one closed meeting and a recognition with its first history line."""
    from sqlalchemy import insert, select

    from bench_startup_search import build_database
    from commissie_app.db.engine import make_engine
    from commissie_app.db.models import (AgendaItem, Application, DecisionRecord, Meeting, Recognition,
                                         RecognitionEventRecord)

    start = time.perf_counter()
    build_database(path, n)
    engine = make_engine(f"sqlite:///{path}")
    rnd = random.Random(12)
    now = dt.datetime.now(dt.timezone.utc)
    today = dt.date(2026, 11, 23)
    meeting_id = uuid.uuid4()
    items, decisions, recs, events = [], [], [], []
    with engine.begin() as conn:
        apps = conn.execute(select(Application.id, Application.organisation_id)).all()
        conn.execute(insert(Meeting), [dict(id=meeting_id, version=1, created_at=now, updated_at=now,
                                            starts_at=now - dt.timedelta(days=400), status="closed")])
        for i, (app_id, org_id) in enumerate(apps):
            item_id, dec_id, rec_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
            kind = rnd.choice(KINDS)
            decided = today - dt.timedelta(days=rnd.randrange(0, 800))
            until = decided + dt.timedelta(days=730)
            certificate = until - dt.timedelta(days=rnd.randrange(0, 400)) if rnd.random() < 0.3 else None
            withdrawn = decided + dt.timedelta(days=30) if rnd.random() < 0.03 else None
            kenmerk = f"KIP-{decided.year}-{i + 1:05d}"
            items.append(dict(id=item_id, meeting_id=meeting_id, position=i, kind="application", title=f"Aanvraag {i}",
                              application_id=app_id, minutes=""))
            decisions.append(dict(id=dec_id, version=1, agenda_item_id=item_id, application_id=app_id, kenmerk=kenmerk,
                                  year=decided.year, number=i + 1,
                                  decision_type="conditional" if kind == "conditional" else "granted",
                                  motivation="Benchmark.", decided_on=decided, badge_valid_from=decided,
                                  badge_valid_until=until, conditional_deadline=until if kind == "conditional" else None,
                                  recorded_by="benchmark", recorded_at=now))
            recs.append(dict(id=rec_id, version=1, organisation_id=org_id, origin_application_id=app_id,
                             decision_id=dec_id, kind=kind, criteria=rnd.sample(CRITERIA, rnd.choice([1, 1, 2])),
                             valid_from=decided, valid_until=until, certificate_until=certificate, override_reason="",
                             conditional_deadline=until if kind == "conditional" else None, evidence_owed="",
                             withdrawn_on=withdrawn, withdrawal_reason="", created_at=now, updated_at=now))
            events.append(dict(id=uuid.uuid4(), recognition_id=rec_id, event=kind if kind == "conditional" else "granted",
                               decision_id=dec_id, kenmerk=kenmerk, on_date=decided, valid_until=until, note="", at=now,
                               by="benchmark"))
        conn.execute(insert(AgendaItem), items)
        conn.execute(insert(DecisionRecord), decisions)
        conn.execute(insert(Recognition), recs)
        conn.execute(insert(RecognitionEventRecord), events)
    engine.dispose()
    return time.perf_counter() - start
