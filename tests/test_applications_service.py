"""Application services on a real database (SQLite and PostgreSQL)."""

import datetime as dt
import hashlib
import struct
import zlib

import pytest
from sqlalchemy import func, select

from commissie_app.db.models import Application, AuditEvent, Organisation, StatusChange
from commissie_app.domain.codes import Criterion, Status
from commissie_app.domain.errors import AttachmentError, DomainError, StaleEditError, TransitionError, ValidationError
from commissie_app.services import applications as apps
from commissie_app.services import attachments
from commissie_app.services.backup import backup
from commissie_app.services.demo import create_demo_data
from commissie_app.services.uow import UnitOfWork
from tests.conftest import make_ctx
from tests.factories import app_data, org_data


def png_bytes() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"\x00\xff\x00\x00"
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def count(ctx, model):
    with UnitOfWork(ctx) as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def test_register_stores_application_history_and_audit(ctx):
    app_id = apps.register_application(ctx, org_data(), app_data(Criterion.PSO30, Criterion.BCORP))
    d = apps.get_application(ctx, app_id)
    assert d.status is Status.RECEIVED
    assert d.organisation.name == "Testbedrijf Sociaal BV"
    assert [e.criterion for e in d.application.evidence] == [Criterion.PSO30, Criterion.BCORP]
    assert len(d.history) == 1 and d.history[0].by == "Sanne Secretaris"
    with UnitOfWork(ctx) as uow:
        events = uow.session.scalars(select(AuditEvent).order_by(AuditEvent.at)).all()
    assert {(e.entity_type, e.action) for e in events} == {("organisation", "create"), ("application", "create")}
    assert all(e.actor == "Sanne Secretaris" for e in events)


def test_invalid_input_writes_nothing(ctx):
    with pytest.raises(ValidationError) as e:
        apps.register_application(ctx, org_data(kvk="12ab"), app_data())
    assert "kvk" in e.value.errors
    assert count(ctx, Organisation) == 0 and count(ctx, AuditEvent) == 0


def test_same_kvk_reuses_the_organisation(ctx):
    apps.register_application(ctx, org_data(), app_data(received_on=dt.date(2025, 1, 1)))
    apps.register_application(ctx, org_data(place="Haarlem-Noord"), app_data(received_on=dt.date(2026, 1, 1)))
    assert count(ctx, Organisation) == 1 and count(ctx, Application) == 2
    with pytest.raises(ValidationError):
        apps.register_application(ctx, org_data(), app_data(received_on=dt.date(2026, 1, 1)))


def test_update_with_old_version_is_refused_and_keeps_first_edit(ctx):
    app_id = apps.register_application(ctx, org_data(), app_data())
    d = apps.get_application(ctx, app_id)
    apps.update_application(ctx, app_id, expected_version=d.version, expected_organisation_version=d.organisation_version,
                            org=org_data(name="Eerste wijziging"), app=d.application)
    with pytest.raises(StaleEditError) as e:
        apps.update_application(ctx, app_id, expected_version=d.version,
                                expected_organisation_version=d.organisation_version,
                                org=org_data(name="Tweede wijziging"), app=d.application)
    assert "intussen" in str(e.value)
    assert apps.get_application(ctx, app_id).organisation.name == "Eerste wijziging"


def test_evidence_change_bumps_version_and_is_audited(ctx):
    app_id = apps.register_application(ctx, org_data(), app_data(Criterion.PSO30))
    d = apps.get_application(ctx, app_id)
    apps.update_application(ctx, app_id, expected_version=d.version, expected_organisation_version=d.organisation_version,
                            org=d.organisation, app=app_data(Criterion.CODE_SO, Criterion.SE_NL))
    d2 = apps.get_application(ctx, app_id)
    assert d2.version == d.version + 1
    assert [e.criterion for e in d2.application.evidence] == [Criterion.CODE_SO, Criterion.SE_NL]
    with UnitOfWork(ctx) as uow:
        ev = uow.session.scalars(select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert ev.old_values["evidence"] == ["PSO30|REF-PSO30|"]


def test_status_workflow_records_each_transition(ctx):
    app_id = apps.register_application(ctx, org_data(), app_data())
    apps.change_status(ctx, app_id, Status.IN_PROGRESS, remark="Gestart")
    with pytest.raises(ValidationError) as e:
        apps.change_status(ctx, app_id, Status.INFO_REQUESTED)
    assert set(e.value.errors) == {"info_requested", "info_due_on"}
    apps.change_status(ctx, app_id, Status.INFO_REQUESTED, info_requested="PSO-certificaat",
                       info_due_on=dt.date(2026, 12, 7))
    with pytest.raises(TransitionError):
        apps.change_status(ctx, app_id, Status.COMPLETE)
    d = apps.get_application(ctx, app_id)
    assert d.status is Status.INFO_REQUESTED and d.info_requested == "PSO-certificaat"
    assert [(h.from_status, h.to_status) for h in d.history] == [
        (None, Status.RECEIVED), (Status.RECEIVED, Status.IN_PROGRESS), (Status.IN_PROGRESS, Status.INFO_REQUESTED)]
    assert "uiterlijk 07-12-2026" in d.history[-1].remark


def test_closed_application_cannot_be_edited(ctx):
    app_id = apps.register_application(ctx, org_data(), app_data())
    apps.change_status(ctx, app_id, Status.WITHDRAWN, remark="Op verzoek")
    d = apps.get_application(ctx, app_id)
    with pytest.raises(DomainError):
        apps.update_application(ctx, app_id, expected_version=d.version,
                                expected_organisation_version=d.organisation_version,
                                org=org_data(name="Nieuw"), app=d.application)


def test_attachment_round_trips_byte_for_byte(ctx):
    app_id = apps.register_application(ctx, org_data(), app_data())
    data = png_bytes()
    att_id = attachments.add_attachment(ctx, app_id, "bewijs.png", data, Criterion.PSO30)
    got = attachments.get_content(ctx, att_id)
    assert got.data == data and got.content_type == "image/png"
    assert got.sha256 == hashlib.sha256(data).hexdigest()
    info = apps.get_application(ctx, app_id).attachments
    assert [(a.filename, a.size, a.criterion) for a in info] == [("bewijs.png", len(data), Criterion.PSO30)]


def test_attachment_type_is_checked_by_content_not_name(ctx):
    app_id = apps.register_application(ctx, org_data(), app_data())
    with pytest.raises(AttachmentError) as e:
        attachments.add_attachment(ctx, app_id, "echt.pdf", b"MZ\x90\x00 this is an executable")
    assert "PDF, PNG, JPEG, DOCX of XLSX" in str(e.value)
    assert attachments.add_attachment(ctx, app_id, "scan", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF\n")


def test_attachment_size_limit(ctx, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_SIZE", 1000)
    app_id = apps.register_application(ctx, org_data(), app_data())
    with pytest.raises(AttachmentError) as e:
        attachments.add_attachment(ctx, app_id, "groot.png", png_bytes() + b"\0" * 2000)
    assert "25 MB" in str(e.value)


def test_list_rows_gives_every_application_with_its_criteria(ctx):
    create_demo_data(ctx)
    rows = apps.list_rows(ctx)
    assert len(rows) == 15
    assert {r.status for r in rows} == set(Status)
    assert len({r.municipality for r in rows}) == 7
    fietsatelier = next(r for r in rows if r.kvk == "90000001")
    assert fietsatelier.criteria == (Criterion.NON_PROFIT,)
    # The id is the same text on SQLite and PostgreSQL (32 hex digits); it opens the application.
    assert fietsatelier.id == fietsatelier.application_id.hex
    assert apps.get_application(ctx, fietsatelier.application_id).organisation.kvk == "90000001"
    assert apps.list_rows(ctx, [fietsatelier.application_id]) == [fietsatelier]


def test_demo_data_only_in_an_empty_database(ctx):
    create_demo_data(ctx)
    with pytest.raises(DomainError):
        create_demo_data(ctx)


def test_backup_is_a_complete_copy(ctx, tmp_path):
    create_demo_data(ctx)
    dest = backup(ctx, tmp_path / "kopie.sqlite")
    from commissie_app.db.engine import Database

    copy = Database(f"sqlite:///{dest}")
    try:
        copy_ctx = make_ctx(copy)
        assert sorted(r.kvk for r in apps.list_rows(copy_ctx)) == sorted(r.kvk for r in apps.list_rows(ctx))
        assert count(copy_ctx, StatusChange) == count(ctx, StatusChange)
    finally:
        copy.dispose()


def test_unit_of_work_keeps_nothing_unless_committed(ctx):
    with UnitOfWork(ctx) as uow:
        uow.session.add(Organisation(name="X", kvk="11111111", legal_form="bv", municipality="Haarlem"))
        uow.session.flush()
    with pytest.raises(RuntimeError):
        with UnitOfWork(ctx) as uow:
            uow.session.add(Organisation(name="Y", kvk="22222222", legal_form="bv", municipality="Haarlem"))
            uow.session.flush()
            raise RuntimeError("boom")
    assert count(ctx, Organisation) == 0
