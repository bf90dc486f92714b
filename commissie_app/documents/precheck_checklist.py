"""The applicant's checklist of a vooraf-check (issue 15): a PDF on the commission's letterhead, and the e-mail
draft that goes with it (plain text, or an .eml file made with the standard ``email`` package).

Values only: a ``PrecheckSummary`` (``domain/precheck.py``) and the letter settings.
"""

from __future__ import annotations

import email.policy
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from xml.sax.saxutils import escape

from reportlab.platypus import ListFlowable, ListItem, Paragraph, Spacer

from commissie_app.documents.letter_content import LetterSettings
from commissie_app.documents.meeting_docs import key_value_table, styles
from commissie_app.documents.page_style import DocumentPages, build_document
from commissie_app.domain.precheck import PrecheckOutcome, PrecheckSummary
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _

def _title() -> str:
    return _("Vooraf-check erkenning sociaal ondernemer")


def _deadline_lines(s: PrecheckSummary) -> list[str]:
    r = s.result
    lines = []
    if r.outcome is PrecheckOutcome.CONDITIONAL and r.deadline is not None:
        lines.append(_("Een voorwaardelijke erkenning loopt tot en met {date}; uiterlijk dan moet de organisatie aan "
                       "een van de andere criteria voldoen en dat met een nieuwe aanvraag laten zien.").format(
            date=format_date_nl(r.deadline)))
    if r.startup_until is not None and r.outcome in (PrecheckOutcome.CONDITIONAL, PrecheckOutcome.UNDECIDED):
        lines.append(_("Als start-up kunt u aanvragen tot en met {date}.").format(date=format_date_nl(r.startup_until)))
    return lines


def _how_to_apply(settings: LetterSettings) -> list[str]:
    where = settings.email or ", ".join(settings.address_lines) or settings.sender_name
    steps = [
        _("Verzamel de bewijsstukken hierboven. Vermeld bij elk het nummer (bijvoorbeeld het registernummer of "
          "het certificaatnummer) en, als het een einddatum heeft, de geldigheidsdatum."),
        _("Stuur uw aanvraag met de bewijsstukken en een recent KvK-uittreksel naar {where}.").format(where=where),
        _("De commissie bevestigt de ontvangst, beoordeelt de aanvraag in een van haar vergaderingen en stuurt u "
          "een besluitbrief."),
    ]
    contact = [t for t in (settings.phone, settings.website) if t]
    if contact:
        steps.append(_("Vragen? Neem contact op: {contact}.").format(contact=", ".join(contact)))
    return steps


def _outcome_text(s: PrecheckSummary) -> str:
    return _("Verwachte uitkomst: {outcome}").format(outcome=s.result.outcome.label)


def render_checklist(s: PrecheckSummary, settings: LetterSettings) -> bytes:
    """The checklist PDF for the applicant."""
    st = styles()
    r = s.result
    story: list = [
        Paragraph(escape(_title()), st.title),
        Paragraph(escape(_("{org}, {date}").format(org=s.organisation_name, date=format_date_nl(s.checked_on))),
                  st.subtitle),
    ]
    rows: list[tuple[str, object]] = [(_("Organisatie"), escape(s.organisation_name))]
    if s.legal_form is not None:
        rows.append((_("Rechtsvorm"), escape(s.legal_form.label)))
    if s.municipality:
        rows.append((_("Gemeente"), escape(s.municipality)))
    rows += [
        (_("Verwachte uitkomst"), f"<b>{escape(r.outcome.label)}</b>"),
        (_("Toelichting"), escape(r.reason)),
    ]
    if r.criteria:
        rows.append((_("Criteria"), escape(", ".join(c.label for c in r.criteria))))
    rows.append((_("Vooraf-check door"), escape(_("{by} op {date}").format(by=s.checked_by,
                                                                            date=format_date_nl(s.checked_on)))))
    story.append(key_value_table(rows, st))

    story.append(Paragraph(escape(_("Wat u meestuurt")), st.h1))
    if r.evidence:
        items = []
        for item in r.evidence:
            parts = [f"<b>{escape(item.criterion.label)}</b>: {escape(item.label)}"]
            parts += [escape(line) for line in item.lines]
            items.append(ListItem(Paragraph("<br/>".join(parts), st.body), leftIndent=12))
        story.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=12))
    else:
        story.append(Paragraph(escape(_("Op grond van deze antwoorden komt de organisatie (nog) niet in aanmerking "
                                        "voor een erkenning; er is niets mee te sturen.")), st.body))

    deadlines = _deadline_lines(s)
    if deadlines:
        story.append(Paragraph(escape(_("Termijnen")), st.h1))
        story += [Paragraph(escape(line), st.body) for line in deadlines]

    if r.outcome.may_apply:
        story.append(Paragraph(escape(_("Zo vraagt u aan")), st.h1))
        story.append(ListFlowable([ListItem(Paragraph(escape(step), st.body), leftIndent=12)
                                   for step in _how_to_apply(settings)], bulletType="1", leftIndent=12))
    story += [Spacer(1, 10), Paragraph(escape(_(
        "Dit is een advies vooraf op grond van het {form} en de regels van de commissie (versie {rules}). De "
        "commissie besluit over een aanvraag; aan deze check kunnen geen rechten worden ontleend.").format(
        form=s.form_title, rules=s.rules_version)), st.small)]
    footer = _("Vooraf-check {org}").format(org=s.organisation_name)
    return build_document(story, DocumentPages(settings, footer), title=_title(), subject=s.organisation_name,
                          author=settings.sender_name)


def email_subject(s: PrecheckSummary) -> str:
    return _("Vooraf-check erkenning sociaal ondernemer: {org}").format(org=s.organisation_name)


def email_text(s: PrecheckSummary, settings: LetterSettings, *, attached: bool = False) -> str:
    """The e-mail to the applicant as plain text (what 'Kopiëren' puts on the clipboard); ``attached``: the
    checklist PDF goes with it (the .eml draft)."""
    r = s.result
    greeting = _("Geachte {name},").format(name=s.contact_person) if s.contact_person else _("Geachte heer, mevrouw,")
    parts = [
        greeting,
        _("Dank voor uw belangstelling voor een erkenning als sociaal ondernemer. Op {date} heeft het secretariaat "
          "van de commissie met u de vooraf-check gedaan voor {org}.").format(date=format_date_nl(s.checked_on), org=s.organisation_name),
        _outcome_text(s) + "\n" + r.reason,
    ]
    if r.evidence:
        parts.append(_("Wat u meestuurt:") + "\n" + "\n".join(
            "- " + " ".join((f"{item.criterion.label}: {item.label}.",) + item.lines) for item in r.evidence))
    parts += _deadline_lines(s)
    if r.outcome.may_apply:
        parts.append(_("Zo vraagt u aan:") + "\n" + "\n".join(
            f"{n}. {step}" for n, step in enumerate(_how_to_apply(settings), start=1)))
    if attached:
        parts.append(_("In de bijlage vindt u deze checklist ook als PDF."))
    parts.append(_("Met vriendelijke groet,") + "\n" + settings.sender_name)
    return "\n\n".join(parts) + "\n"


def eml_draft(s: PrecheckSummary, settings: LetterSettings, pdf: bytes, file_name: str) -> bytes:
    """The e-mail as an .eml draft (RFC 5322) with the checklist attached, to open in a mail program."""
    msg = EmailMessage(policy=email.policy.SMTP)
    if settings.email:
        msg["From"] = formataddr((settings.sender_name, settings.email))
    if s.email:
        msg["To"] = formataddr((s.contact_person or s.organisation_name, s.email))
    msg["Subject"] = email_subject(s)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=(settings.email.split("@")[-1] if "@" in settings.email else None))
    msg["X-Unsent"] = "1"  # Outlook opens the file as a draft that can be sent
    msg.set_content(email_text(s, settings, attached=True))
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=file_name)
    return msg.as_bytes()
