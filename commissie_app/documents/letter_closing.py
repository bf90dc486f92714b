"""The frame every letter shares (issue 14): the salutation before the template's text, and after it the
closing part: questions (the named contact person, phone and e-mail, and the kenmerk to mention), a short
privacy note and, on a letter that can be contested, the objection paragraph of the commission's chosen
procedure (heroverweging or bezwaar).

One copy for every letter, decision or not; the templates in ``forms/letters/`` hold only what differs per
letter. Whether a letter gets the objection paragraph is decided by ``domain.correspondence.open_to_objection``
(no objection on a deferral, nor on a letter that decides nothing). ``settings`` is a
``letter_content.LetterSettings`` (not imported here: ``letter_content`` uses this module).
"""

from __future__ import annotations

from commissie_app.documents.templating import Block, inline, parse_markup
from commissie_app.domain.addressing import salutation
from commissie_app.domain.correspondence import ObjectionProcedure, open_to_objection
from commissie_app.domain.errors import LetterContactMissingError
from commissie_app.i18n import _


def settings_place() -> str:
    """Where the contact is filled in (the app's settings page)."""
    return _("Vul ze in op de pagina Instellingen, onder ‘Contactpersoon voor de brieven’.")


def missing_contact(settings) -> list[str]:
    """What the letterhead lacks for a letter to be made (Dutch names), in the settings page's order."""
    missing = []
    if not settings.contact_name.strip():
        missing.append(_("de naam van de contactpersoon"))
    if not settings.contact_phone.strip():
        missing.append(_("het telefoonnummer van de contactpersoon"))
    if not settings.contact_email.strip():
        missing.append(_("het e-mailadres van de contactpersoon"))
    if not settings.return_address:
        missing.append(_("het postadres"))
    return missing


def check_contact(settings, where: str | None = None) -> None:
    """Refuse (LetterContactMissingError) to make a letter without a named contact, phone, e-mail and address."""
    missing = missing_contact(settings)
    if missing:
        raise LetterContactMissingError(missing, where or settings_place())


def salutation_block(contact_person: str, form) -> Block:
    return Block("paragraph", inline(salutation(contact_person, form)))


def _questions(settings, kenmerk: str, received_on: str) -> str:
    text = _("Heeft u vragen over deze brief? Neem dan contact op met {name}, telefoon {phone}, e-mail {email}.").format(
        name=settings.contact_name.strip(), phone=settings.contact_phone.strip(), email=settings.contact_email.strip())
    if kenmerk:
        text += " " + _("Vermeld daarbij het kenmerk {kenmerk}.").format(kenmerk=kenmerk)
    elif received_on:
        text += " " + _("Vermeld daarbij de naam van uw organisatie en de datum van uw aanvraag ({day}).").format(
            day=received_on)
    return "# " + _("Vragen?") + "\n\n" + text


def _privacy() -> str:
    return "# " + _("Uw gegevens") + "\n\n" + _(
        "De commissie gebruikt de gegevens uit uw aanvraag alleen om die aanvraag te behandelen en, als uw "
        "organisatie erkend is, om haar te vermelden op de SROI-pagina van het Kennemer Inkoop Platform. Zij "
        "bewaart uw gegevens niet langer dan daarvoor nodig is.")


def objection_text(settings, kenmerk: str) -> str:
    """The objection paragraph (markup) of the commission's procedure: heading and text agree."""
    procedure = ObjectionProcedure(settings.objection_procedure)
    to = ", ".join([settings.sender_name.strip(), *(line.strip() for line in settings.address_lines if line.strip())])
    if procedure is ObjectionProcedure.OBJECTION:
        heading = _("Bezwaar maken")
        intro = _("Bent u het niet eens met dit besluit? Dan kunt u bezwaar maken. Stuur uw bezwaarschrift binnen "
                  "zes weken per post naar: {to}.").format(to=to)
        contents = _("Zet in uw bezwaarschrift:")
    else:
        heading = _("Heroverweging vragen")
        intro = _("Bent u het niet eens met dit besluit? Dan kunt u de commissie vragen het besluit te "
                  "heroverwegen. Stuur uw verzoek om heroverweging binnen zes weken per post naar: {to}.").format(to=to)
        contents = _("Zet in uw verzoek:")
    period = _("De zes weken gaan in op de dag na de dag waarop deze brief is verzonden.")
    items = [_("uw naam en adres;"), _("de datum;"), _("het kenmerk van deze brief: {kenmerk};").format(kenmerk=kenmerk),
             _("waarom u het niet eens bent met het besluit;"), _("uw handtekening.")]
    return "\n".join([f"# {heading}", "", f"{intro} {period}", "", contents, *(f"- {i}" for i in items)])


def closing_blocks(settings, template_name: str, kenmerk: str = "",
                   received_on: str = "") -> tuple[list[Block], list[Block]]:
    """The closing part of a letter made from ``template_name``, in the order of a Dutch decision letter: the
    questions paragraph (before the greeting and signatures) and the appendix after the signatures: the privacy
    note and (where the letter can be contested) the objection paragraph. Raises LetterContactMissingError when
    the contact is not set."""
    check_contact(settings)
    appendix = [_privacy()]
    if open_to_objection(template_name):
        appendix.append(objection_text(settings, kenmerk))
    return parse_markup(_questions(settings, kenmerk, received_on))[1], parse_markup("\n\n".join(appendix))[1]
