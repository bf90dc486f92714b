"""Attachment names agree with their content: refused on upload, corrected when opened (issue 9, item 9)."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from commissie_app.db.models import Attachment
from commissie_app.domain.errors import AttachmentError
from commissie_app.services import applications as apps
from commissie_app.services import attachments
from commissie_app.services.uow import UnitOfWork
from tests.factories import app_data, org_data
from tests.test_applications_service import png_bytes

PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = png_bytes()


def store_raw(ctx, app_id, filename: str, data: bytes, content_type: str = "application/pdf"):
    """An attachment row as an older version of the app (or a direct database edit) left it."""
    with UnitOfWork(ctx) as uow:
        att = Attachment(application_id=app_id, filename=filename, content_type=content_type, size=len(data),
                         sha256=hashlib.sha256(data).hexdigest(), data=data, added_by="Oude versie")
        uow.session.add(att)
        uow.commit()
        return att.id


def attachment_count(ctx) -> int:
    with UnitOfWork(ctx) as uow:
        return uow.session.scalar(select(func.count()).select_from(Attachment))


@pytest.mark.parametrize(("name", "data", "ext", "kind"), [
    ("KvK-uittreksel.pdf.bat", PDF, "bat", "PDF"),
    ("bewijs.hta", PDF, "hta", "PDF"),
    ("logo.html", PNG, "html", "PNG"),
    ("bewijs.hta. . ", PDF, "hta", "PDF"),  # Windows drops the trailing dots and spaces
    ("certificaat\u202efdp.exe", PDF, "exe", "PDF"),  # shown right-to-left as "certificaatexe.pdf"
    ("scan.pdf", PNG, "pdf", "PNG"),
])
def test_a_name_whose_extension_disagrees_with_the_content_is_refused(ctx, name, data, ext, kind):
    """Issue 9, item 9: PDF content named .bat or .hta, PNG content named .html: refused, in Dutch, nothing stored."""
    app_id = apps.register_application(ctx, org_data(), app_data())
    with pytest.raises(AttachmentError) as e:
        attachments.add_attachment(ctx, app_id, name, data)
    message = str(e.value)
    assert f"‘{name}’" in message
    assert f"de extensie .{ext}," in message
    assert f"de inhoud is een {kind}-bestand" in message
    assert attachment_count(ctx) == 0


@pytest.mark.parametrize(("given", "stored"), [
    ("uittreksel kvk.pdf", "uittreksel kvk.pdf"),
    ("SCAN.PDF", "SCAN.pdf"),
    ("scan", "scan.pdf"),  # no extension: the content's is added
    ("..\\..\\Windows\\con.pdf", "con_.pdf"),  # path and reserved device name
    ("C:/temp/a\x07b\x00c.pdf. ", "abc.pdf"),
    ("a:b*c?.pdf", "abc.pdf"),
    ("...pdf", "bijlage.pdf"),
])
def test_an_accepted_name_is_stored_safe_and_with_the_content_extension(ctx, given, stored):
    """Issue 9, item 9: the stored name is a plain file name whose extension matches the content."""
    app_id = apps.register_application(ctx, org_data(), app_data())
    att_id = attachments.add_attachment(ctx, app_id, given, PDF)
    assert [a.filename for a in apps.get_application(ctx, app_id).attachments] == [stored]
    assert attachments.get_content(ctx, att_id).open_name == stored


def test_a_jpeg_keeps_either_of_its_extensions(ctx):
    """Issue 9, item 9: .jpg and .jpeg both agree with JPEG content."""
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
    app_id = apps.register_application(ctx, org_data(), app_data())
    for name in ("foto.jpeg", "foto.jpg", "foto"):
        attachments.add_attachment(ctx, app_id, name, jpeg)
    assert sorted(a.filename for a in apps.get_application(ctx, app_id).attachments) == [
        "foto.jpeg", "foto.jpg", "foto.jpg"]


@pytest.mark.parametrize(("stored", "data", "content_type", "opened"), [
    ("KvK-uittreksel.pdf.bat", PDF, "application/pdf", "KvK-uittreksel.pdf.pdf"),
    ("bewijs.hta", PDF, "application/pdf", "bewijs.pdf"),
    ("logo.html", PNG, "image/png", "logo.png"),
    ("logo.png", PNG, "text/html", "logo.png"),  # the row's type is not trusted: the bytes decide
    ("..\\..\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\x.pdf", PDF,
     "application/pdf", "x.pdf"),
    ("aux.pdf. ", PDF, "application/pdf", "aux_.pdf"),
    ("LPT1", PDF, "application/pdf", "LPT1_.pdf"),
    ("\x1b[31mrood\u202e.pdf", PDF, "application/pdf", "[31mrood.pdf"),
    ("", PDF, "application/pdf", "bijlage.pdf"),
    ("x" * 250 + ".pdf", PDF, "application/pdf", "x" * 120 + ".pdf"),
])
def test_an_attachment_stored_under_a_bad_name_opens_under_the_corrected_name(ctx, stored, data, content_type, opened):
    """Issue 9, item 9: rows from before the check (or edited in the database) open under a safe name
    with the extension of the detected content; the stored name is left as it is."""
    app_id = apps.register_application(ctx, org_data(), app_data())
    att_id = store_raw(ctx, app_id, stored, data, content_type)
    content = attachments.get_content(ctx, att_id)
    assert content.open_name == opened
    assert content.data == data
    assert content.content_type == ("image/png" if data == PNG else "application/pdf")
    assert content.filename == stored


def test_an_attachment_whose_bytes_are_no_accepted_type_is_not_handed_out(ctx):
    """Issue 9, item 9: an HTML page slipped into the database under a PDF name is not opened."""
    app_id = apps.register_application(ctx, org_data(), app_data())
    att_id = store_raw(ctx, app_id, "bewijs.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(AttachmentError) as e:
        attachments.get_content(ctx, att_id)
    assert "‘bewijs.pdf’ is geen PDF, PNG, JPEG, DOCX of XLSX" in str(e.value)
