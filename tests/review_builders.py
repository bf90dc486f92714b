"""Review packages for tests (issue 11), built as review_export builds them: ``review_format.package_entries``
sealed with ``review_crypto.seal``, signed by a commission key pair and encrypted to this laptop's key
(``laptop_keys()``, under the COMMISSIE_HOME the test fixture sets) or to a passphrase.

The data follows the ``data.json`` schema of docs/offline-review-design.md: a meeting with a fixed agenda
item and two applications, each with organisation data, evidence and attachments (a PDF whose text is
stored uncompressed, so a sentence of it can be searched for in bytes; a PNG; a DOCX), the adopted form,
the member's own earlier draft of one application and the commission's rules.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from commissie_app.domain.form_loader import canonical_text, load_form, shipped_form_paths
from commissie_app.domain.review_crypto import KeyPair, PublicKey, seal
from commissie_app.domain.review_format import KIND_PACKAGE, Manifest, PackageMember, package_entries
from commissie_app.domain.rules import Rules, rules_to_values
from commissie_app.services.laptop_keys import laptop_keys
from tests.test_assessments_service import COMPLETE_GRANT  # noqa: F401 - a complete form, for the tests that import it here

MEETING_START = dt.datetime(2027, 3, 12, 14, 0, tzinfo=dt.timezone.utc)
TODAY = dt.date(2027, 3, 1)
STREET = "Kleine Houtstraat 70"
SECRET_SENTENCE = "De stichting begeleidt jaarlijks veertien deelnemers met een arbeidsbeperking"



def pdf_with_text(sentence: str) -> bytes:
    """A one-page PDF whose content stream is not compressed: ``sentence`` is in its bytes as written."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, pageCompression=0)
    canvas.setFont("Helvetica", 11)
    canvas.drawString(72, 760, "Jaarverslag 2026")
    canvas.drawString(72, 740, sentence)
    canvas.showPage()
    canvas.save()
    blob = buf.getvalue()
    assert sentence.encode("latin-1") in blob
    return blob


def png_bytes() -> bytes:
    """A small real PNG (an 8 x 8 red square)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _attachment(filename: str, content_type: str, blob: bytes, criterion: str | None) -> tuple[dict, bytes]:
    meta = {"id": str(uuid.uuid4()), "filename": filename, "content_type": content_type, "size": len(blob),
            "sha256": hashlib.sha256(blob).hexdigest(), "criterion": criterion}
    return meta, blob


def shipped_form_row(current: bool = True) -> dict:
    form = load_form(shipped_form_paths()[0])
    return {"id": str(uuid.uuid4()), "form_key": form.form_id, "form_version": form.version, "title": form.title,
            "source": canonical_text(form.source_text), "current": current}


@dataclass
class Built:
    path: Path
    manifest: Manifest
    data: dict
    attachments: dict[str, bytes]
    commission: KeyPair
    user_id: uuid.UUID
    member_id: uuid.UUID
    apps: list[uuid.UUID] = field(default_factory=list)  # the two applications, in agenda order
    items: list[uuid.UUID] = field(default_factory=list)  # their agenda items
    pdf_id: str = ""


def build_package(folder: Path, *, commission: KeyPair | None = None, database_id: uuid.UUID | None = None,
                  passphrase: str | None = None, recipients: list[PublicKey] | None = None,
                  expires_on: dt.date = dt.date(2027, 4, 11), sentence: str = SECRET_SENTENCE,
                  street: str = STREET, extra_members: int = 0, signer: KeyPair | None | str = "commission",
                  earlier_draft: bool = True, recorded_conflict: bool = False, shared_final: bool = False,
                  name: str = "vergadering.kippakket") -> Built:
    """A sealed package for one member (plus ``extra_members``) written to ``folder/name``."""
    commission = commission or KeyPair.generate()
    user_id, member_id = uuid.uuid4(), uuid.uuid4()
    meeting_id = uuid.uuid4()
    form = shipped_form_row()
    pdf_meta, pdf = _attachment("jaarverslag-2026.pdf", "application/pdf", pdf_with_text(sentence), "PSO30")
    png_meta, png = _attachment("certificaat.png", "image/png", png_bytes(), "PSO30")
    docx_meta, docx = _attachment("begroting.docx", "application/vnd.openxmlformats-officedocument."
                                  "wordprocessingml.document", docx_bytes(), None)
    app1, app2 = uuid.uuid4(), uuid.uuid4()
    applications = [
        {"id": str(app1), "received_on": "2027-01-10", "status": "scheduled",
         "organisation": {"name": "Stichting Werkplaats Spaarne", "kvk": "41234567", "legal_form": "stichting",
                          "municipality": "Haarlem", "street": street, "postcode": "2011 DK", "place": "Haarlem",
                          "contact_person": "Ingrid de Vries", "email": "ingrid@werkplaatsspaarne.nl",
                          "phone": "023-5551234", "website": "https://werkplaatsspaarne.nl",
                          "founded_on": "2015-06-01", "mission": "Werk voor mensen met een afstand tot de "
                          "arbeidsmarkt.", "impact_domains": ["work", "cohesion"]},
         "evidence": [{"criterion": "PSO30", "reference": "PSO-2026-0815", "valid_until": "2028-06-30"}],
         "attachments": [pdf_meta, png_meta, docx_meta]},
        {"id": str(app2), "received_on": "2027-01-22", "status": "scheduled",
         "organisation": {"name": "Koffiebranderij De Duinroos B.V.", "kvk": "71234568", "legal_form": "bv",
                          "municipality": "Zandvoort", "street": "Passage 12", "postcode": "2042 KT",
                          "place": "Zandvoort", "contact_person": "Joris Bakker", "email": "joris@duinroos.nl",
                          "phone": "", "website": "", "founded_on": "2021-02-01", "mission": "Koffie met een "
                          "leerwerktraject.", "impact_domains": ["work"]},
         "evidence": [{"criterion": "SE_NL", "reference": "SENL-4411", "valid_until": None}],
         "attachments": []},
    ]
    items = [uuid.uuid4(), uuid.uuid4(), uuid.uuid4()]
    data = {
        "meeting": {"id": str(meeting_id), "starts_at": MEETING_START.isoformat(), "place": "Raadhuis Heemstede",
                    "status": "planned", "label": "vergadering van 12 maart 2027"},
        "items": [{"id": str(items[0]), "position": 1, "kind": "standard", "title": "Opening en mededelingen",
                   "application_id": None},
                  {"id": str(items[1]), "position": 2, "kind": "application",
                   "title": "Stichting Werkplaats Spaarne", "application_id": str(app1)},
                  {"id": str(items[2]), "position": 3, "kind": "application",
                   "title": "Koffiebranderij De Duinroos B.V.", "application_id": str(app2)}],
        "applications": applications,
        "forms": [form],
        "assessments": ([{"id": str(uuid.uuid4()), "application_id": str(app2), "form_id": form["id"],
                          "user_id": str(user_id), "assessor": "Lars Lid",
                          "answers": {"region_established": "ja", "region_municipality": "Zandvoort"},
                          "state": "draft", "advice": "defer", "advice_reason": "", "version": 3}]
                        if earlier_draft else []),
        "conflicts": ([{"agenda_item_id": str(items[2]), "member_id": str(member_id),
                        "reason": "Mijn zus werkt bij de koffiebranderij."}] if recorded_conflict else []),
        "notes": ([{"application_id": str(app2), "user_id": str(user_id), "text": "Navragen: leerwerkplekken.",
                    "version": 2}] if earlier_draft else []),
        "rules": rules_to_values(Rules()),
    }
    if shared_final:  # the rules let a package carry other members' final assessments
        data["assessments"].append({"id": str(uuid.uuid4()), "application_id": str(app1), "form_id": form["id"],
                                    "user_id": str(uuid.uuid4()), "assessor": "Mia Lid", "answers": {},
                                    "state": "final", "advice": "grant", "advice_reason": "", "version": 4})
        data["rules"]["review_share_assessments"] = True
    attachments = {pdf_meta["id"]: pdf, png_meta["id"]: png, docx_meta["id"]: docx}
    members = [PackageMember(user_id, member_id, "Lars Lid")]
    members += [PackageMember(uuid.uuid4(), uuid.uuid4(), f"Lid {n + 2}") for n in range(extra_members)]
    manifest = Manifest(KIND_PACKAGE, uuid.uuid4(), database_id or uuid.uuid4(), meeting_id,
                        "vergadering van 12 maart 2027", dt.datetime(2027, 2, 20, 9, 0, tzinfo=dt.timezone.utc),
                        "Sanne Secretaris", expires_on, tuple(members), commission.public().text())
    entries = package_entries(manifest, data, attachments)
    signing = commission if signer == "commission" else signer
    if passphrase is not None:
        blob = seal(entries, signer=signing, passphrase=passphrase)
    else:
        blob = seal(entries, signer=signing, recipients=recipients or [laptop_keys().public()])
    path = Path(folder) / name
    path.write_bytes(blob)
    return Built(path, manifest, data, attachments, commission, user_id, member_id, [app1, app2], items[1:],
                 pdf_meta["id"])
