"""A refused stale edit that says who changed the record, when and what (issue 13).

``stale_error`` reads the newest audit event of the record (and of the records saved with it, such as an
application's organisation) and puts its actor, moment and changed fields (in Dutch where known) on the
``StaleEditError``. The services call it where they compare versions, inside their unit of work.
"""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from commissie_app.db.models import AuditEvent
from commissie_app.domain.errors import NotFoundError, StaleEditError
from commissie_app.i18n import _


def _labels() -> dict[str, str]:
    """The Dutch names of the fields a changed record shows in the audit log (a function: ``_`` follows the
    language chosen at start-up)."""
    return {
        # organisation
        "name": _("Naam"), "kvk": _("KvK-nummer"), "legal_form": _("Rechtsvorm"), "municipality": _("Gemeente"),
        "street": _("Straat"), "postcode": _("Postcode"), "place": _("Plaats"),
        "contact_person": _("Contactpersoon"), "contact_salutation": _("Aanhef"), "email": _("E-mail"),
        "phone": _("Telefoon"),
        "website": _("Website"), "founded_on": _("Opgericht"), "mission": _("Missie"),
        "impact_domains": _("Impactdomeinen"),
        # application
        "received_on": _("Ontvangen op"), "notes": _("Aantekeningen"), "evidence": _("Criteria en bewijsstukken"),
        "status": _("Status"), "remark": _("Opmerking"), "info_requested": _("Opgevraagde informatie"),
        "info_due_on": _("Uiterlijk"),
        # meeting
        "starts_at": _("Datum en tijd"), "duration_minutes": _("Duur"), "video_link": _("Videolink"),
        "chair_name": _("Voorzitter"), "secretary_name": _("Secretaris"), "minutes": _("Notulen"),
        "chair_member_id": _("Voorzitter"), "secretary_user_id": _("Secretaris"),
        "position": _("Volgorde van de agenda"),
        "minutes_adopted_on": _("Notulen vastgesteld"), "minutes_adopted_in_id": _("Notulen vastgesteld"),
        "calendar_sequence": _("Volgnummer van de uitnodiging"),
        # advice and developments (issue 15)
        "subject": _("Onderwerp"), "asked": _("Gevraagd"), "asked_by": _("Gevraagd door"),
        "asked_on": _("Gevraagd op"), "text": _("Advies"), "sent_on": _("Verzonden op"),
        "response": _("Reactie"), "response_on": _("Reactie op"), "adopted_on": _("Vastgesteld op"),
        "happened_on": _("Datum"), "topic": _("Onderwerp"), "source_link": _("Bron"), "note": _("Toelichting"),
        # user
        "role": _("Rol"), "member_id": _("Gekoppeld lid"), "active": _("Actief"),
    }


def field_labels(names: Iterable[str]) -> list[str]:
    """Dutch labels of changed fields, in the given order, each once; an unknown name as it is."""
    labels = _labels()
    shown: list[str] = []
    for name in names:
        label = labels.get(name, name)
        if label not in shown:
            shown.append(label)
    return shown


def stale_error(session: Session, what: str, records: Iterable[tuple[str, object]]) -> StaleEditError:
    """The StaleEditError for ``what``, naming the newest audited change of any of ``records``
    ((entity type, id) pairs); the plain message when the log has none."""
    records = [(kind, str(record_id)) for kind, record_id in records if record_id is not None]
    event = session.scalars(
        select(AuditEvent)
        .where(or_(*((AuditEvent.entity_type == kind) & (AuditEvent.entity_id == record_id)
                     for kind, record_id in records)))
        .order_by(AuditEvent.seq.desc()).limit(1)
    ).first() if records else None
    if event is None:
        return StaleEditError(what)
    changed = list((event.new_values or {}).keys()) or list((event.old_values or {}).keys())
    return StaleEditError(what, changed_by=event.actor, changed_at=event.at, fields=field_labels(changed))


def checked_row(session: Session, model, row_id, expected_version: int, entity_type: str, missing: str):
    """The row, after checking it still exists (else NotFoundError(``missing``)) and is at the version the user
    loaded (else the StaleEditError naming the newest change)."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFoundError(missing)
    if row.version != expected_version:
        raise stale_error(session, entity_type, [(entity_type, row_id)])
    return row
