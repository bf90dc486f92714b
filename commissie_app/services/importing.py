"""Import of applications from CSV: all or nothing, fast, and safe next to other writers.

1. The file is read and checked as a stream (``import_file.check_file``): every row through the
   domain validators, every problem reported as (row as a spreadsheet shows it, column, Dutch
   reason). What the write needs is prepared before any transaction starts.
2. One unit of work reads the organisations and applications the file touches, plans (a row
   whose application exists is skipped; a row that would change the details of an organisation
   with a decided application is a problem), and writes with Core inserts in batches: the same
   rows as registering by hand (``services.applications``), and one audit event per created or
   changed record, made by ``services.audit`` with the values the unit of work gives ORM changes
   and written through the same ``audit.write_events``.
3. Another writer at the same moment (SQLite's write lock, a PostgreSQL unique key taken by a
   parallel import of the same file) makes the write phase start again after a short wait; a
   database that stays busy ends in a Dutch message. Nothing is ever half-written.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from commissie_app.db.models import Application, Evidence, Organisation, StatusChange
from commissie_app.domain.codes import Status
from commissie_app.domain.errors import DatabaseBusyError, DomainError, ImportFileError, StaleEditError
from commissie_app.domain.validation import OrganisationData
from commissie_app.i18n import _, ngettext
from commissie_app.services import audit
from commissie_app.services.applications import _org_columns, _org_to_data
from commissie_app.services.access import require
from commissie_app.domain.permissions import Action
from commissie_app.services.context import ServiceContext
from commissie_app.services.import_file import (
    COLUMNS,
    CheckedFile,
    PlannedApplication,
    Problem,
    Progress,
    check_file,
    differing_columns,
)
from commissie_app.services.audit import changed_values
from commissie_app.services.uow import UnitOfWork

__all__ = ["COLUMNS", "ImportResult", "import_applications"]

log = logging.getLogger(__name__)

WRITE_BATCH = 1000  # applications per batch of Core inserts
ATTEMPTS = 6  # write phases tried while another writer is busy (SQLite also waits busy_timeout each time)
FIRST_PAUSE = 0.5  # seconds between attempts, doubled each time
CLOSED = (Status.DECIDED, Status.WITHDRAWN)


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    rows: int
    new_applications: int
    new_organisations: int
    updated_organisations: int
    already_present: int
    duplicates_in_file: int
    dry_run: bool = False

    def summary(self) -> str:
        if self.rows == 0:
            return _("Het bestand bevat geen aanvragen; er is niets opgeslagen.")
        parts = [
            ngettext("{n} nieuwe aanvraag", "{n} nieuwe aanvragen", self.new_applications).format(n=self.new_applications),
            ngettext("{n} nieuwe organisatie", "{n} nieuwe organisaties", self.new_organisations).format(
                n=self.new_organisations),
        ]
        if self.updated_organisations:
            parts.append(ngettext("{n} organisatie bijgewerkt", "{n} organisaties bijgewerkt",
                                  self.updated_organisations).format(n=self.updated_organisations))
        parts.append(ngettext("{n} aanvraag al aanwezig (overgeslagen)", "{n} aanvragen al aanwezig (overgeslagen)",
                              self.already_present).format(n=self.already_present))
        if self.duplicates_in_file:
            parts.append(ngettext("{n} rij dubbel in het bestand (overgeslagen)",
                                  "{n} rijen dubbel in het bestand (overgeslagen)",
                                  self.duplicates_in_file).format(n=self.duplicates_in_file))
        counts = ", ".join(parts)
        if self.dry_run:
            return _("Controle geslaagd, er is niets opgeslagen. Bij importeren: {counts}.").format(counts=counts)
        return _("Import voltooid: {counts}.").format(counts=counts)


def import_applications(
    ctx: ServiceContext, path: Path, *, dry_run: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Import applications from a CSV file, all or nothing.

    ``progress(done, total)`` is called once per row while checking and once per row while
    writing (``total`` is twice the number of rows). An exception raised by it (a cancel)
    rolls everything back. Raises ImportFileError listing every problem; nothing is written then.
    """
    require(ctx, Action.TRANSFER_DATA)
    checked = check_file(Path(path), ctx.today(), progress)
    pause = FIRST_PAUSE
    for attempt in range(1, ATTEMPTS + 1):
        try:
            result = _write(ctx, checked, path, dry_run=dry_run, progress=progress)
        except (DatabaseBusyError, IntegrityError, StaleEditError) as err:
            log.warning("import of %s, attempt %d: another writer got in the way (%s)", path, attempt,
                        type(err.__cause__ or err).__name__)
            if attempt == ATTEMPTS:
                if isinstance(err, DatabaseBusyError):
                    raise
                raise DomainError(_("Tijdens het importeren heeft iemand anders een van deze aanvragen of "
                                    "organisaties opgeslagen. Er is niets opgeslagen; probeer het opnieuw.")) from err
            time.sleep(pause)
            pause *= 2
            continue
        if not dry_run:
            log.info("import of %s committed: %s", path, result)
        return result
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class _Existing:
    """An organisation of the file that exists; ``old``/``new`` only when the file changes its details."""

    id: uuid.UUID
    version: int
    decided: bool  # has a decided or withdrawn application: its details are read-only
    old: OrganisationData | None = None
    new: OrganisationData | None = None


STREAM = {"yield_per": 2000}  # rows are read in chunks, never all at once


def _existing(s, checked: CheckedFile) -> tuple[dict[str, _Existing], set[tuple[uuid.UUID, dt.date]]]:
    """The organisations of the file that exist, and all applications as (organisation id, date received)."""
    apps = Application.__table__
    present: set[tuple[uuid.UUID, dt.date]] = set()
    decided: set[uuid.UUID] = set()
    for org_id, received, status in s.execute(
            select(apps.c.organisation_id, apps.c.received_on, apps.c.status).execution_options(**STREAM)):
        present.add((org_id, received))
        if status in CLOSED:
            decided.add(org_id)
    orgs = Organisation.__table__
    stmt = select(orgs)
    if len(checked.organisations) <= 500:
        stmt = stmt.where(orgs.c.kvk.in_(list(checked.organisations)))
    existing: dict[str, _Existing] = {}
    for r in s.execute(stmt.execution_options(**STREAM)):
        in_file = checked.organisations.get(r.kvk)
        if in_file is None:
            continue
        current, data = _org_to_data(r), in_file[1]
        if checked.absent_fields:  # columns left out of the file leave those details alone
            data = replace(data, **{f: getattr(current, f) for f in checked.absent_fields})
        changed = data != current
        existing[r.kvk] = _Existing(r.id, r.version, r.id in decided,
                                    current if changed else None, data if changed else None)
    return existing, present


def _plan(checked: CheckedFile, existing: dict[str, _Existing], present) -> tuple[list, list[_Existing], int]:
    """What to write: the new applications, the organisations to change, the count already present."""
    plan: list[tuple[str, PlannedApplication]] = []
    already = 0
    for (kvk, received), planned in checked.applications.items():
        found = existing.get(kvk)
        if found is not None and (found.id, received) in present:
            already += 1
        else:
            plan.append((kvk, planned))
    updates: list[_Existing] = []
    problems: list[Problem] = []
    for kvk in dict.fromkeys(kvk for kvk, _p in plan):
        found = existing.get(kvk)
        if found is None or found.new is None:
            continue
        if found.decided:
            problems.append((checked.organisations[kvk][0], ", ".join(differing_columns(found.old, found.new)), _(
                "Deze organisatie heeft een besloten of ingetrokken aanvraag; haar gegevens liggen daarmee vast en "
                "een import wijzigt ze niet. Neem de gegevens over zoals ze in de app staan.")))
        updates.append(found)
    if problems:
        raise ImportFileError(problems)
    return plan, updates, already


class _Batch:
    """Rows of each table, written together with one Core insert per table."""

    TABLES = (Organisation, Application, Evidence, StatusChange)

    def __init__(self) -> None:
        self.rows: dict[type, list[dict]] = {t: [] for t in self.TABLES}
        self.events: list[dict] = []  # audit events, written through ``audit.write_events``

    def __len__(self) -> int:
        return len(self.rows[Application])

    def write(self, s) -> None:
        for table, rows in self.rows.items():
            if rows:
                s.execute(insert(table.__table__), rows)
                rows.clear()
        audit.write_events(s, self.events)
        self.events.clear()


def _write(ctx: ServiceContext, checked: CheckedFile, path: Path, *, dry_run: bool,
           progress: Progress | None) -> ImportResult:
    with UnitOfWork(ctx) as uow:
        s = uow.session
        existing, present = _existing(s, checked)
        plan, updates, already = _plan(checked, existing, present)
        result = ImportResult(
            rows=checked.rows, new_applications=len(plan),
            new_organisations=len({kvk for kvk, _p in plan if kvk not in existing}),
            updated_organisations=len(updates), already_present=already, duplicates_in_file=checked.duplicates,
            dry_run=dry_run,
        )
        if dry_run:
            return result
        log.info("import of %s: %d rows checked, writing %d applications", path, checked.rows, len(plan))
        org_ids = {kvk: found.id for kvk, found in existing.items()}
        for found in updates:
            _update_organisation(uow, found)
        batch = _Batch()
        done = checked.rows
        skipped = checked.rows - sum(p.copies for _k, p in plan)
        if progress and skipped:
            done += skipped
            progress(done, 2 * checked.rows)
        for kvk, planned in plan:
            if kvk not in org_ids:
                org_ids[kvk] = _new_organisation(uow, batch, checked.organisations[kvk][1])
            _new_application(uow, batch, org_ids[kvk], planned)
            if len(batch) >= WRITE_BATCH:
                batch.write(s)
            if progress:
                for _copy in range(planned.copies):
                    done += 1
                    progress(done, 2 * checked.rows)
        batch.write(s)
        uow.commit()
    return result


def _new_organisation(uow: UnitOfWork, batch: _Batch, data: OrganisationData) -> uuid.UUID:
    org_id = uuid.uuid4()
    row = {"id": org_id, "version": 1, **_org_columns(data)}
    batch.rows[Organisation].append(row)
    batch.events.append(audit.created_event(uow.ctx.actor.name, Organisation, row))
    return org_id


def _update_organisation(uow: UnitOfWork, found: _Existing) -> None:
    old, new = changed_values(_org_columns(found.old), _org_columns(found.new))
    table = Organisation.__table__
    done = uow.session.execute(
        update(table).where(table.c.id == found.id, table.c.version == found.version).values(
            version=found.version + 1, **new))
    if done.rowcount != 1:  # changed by someone else since we read it
        raise StaleEditError("organisation")
    audit.write_events(uow.session, [audit.updated_event(uow.ctx.actor.name, Organisation, found.id, old, new)])


def _new_application(uow: UnitOfWork, batch: _Batch, org_id: uuid.UUID, planned: PlannedApplication) -> None:
    app, status, app_id = planned.data, Status.RECEIVED, uuid.uuid4()
    row = {"id": app_id, "version": 1, "organisation_id": org_id, "received_on": app.received_on,
           "status": status, "notes": app.notes, "info_requested": ""}
    evidence = [{"id": uuid.uuid4(), "application_id": app_id, "criterion": e.criterion,
                 "reference": e.reference, "valid_until": e.valid_until} for e in app.evidence]
    batch.rows[Application].append(row)
    batch.rows[Evidence].extend(evidence)
    batch.rows[StatusChange].append({"id": uuid.uuid4(), "application_id": app_id, "from_status": None,
                                     "to_status": status, "on_date": app.received_on,
                                     "by": uow.ctx.actor.name, "remark": ""})
    batch.events.append(audit.created_event(uow.ctx.actor.name, Application, row, {Evidence: evidence}))
