"""The commission's letterhead (briefpapier) for decision letters.

Letterhead settings live in the shared ``settings`` table under ``LETTER_SETTINGS_KEY``. A logo of
the commission's own is stored there too (its bytes, not a path: every machine that shares the
database must print the same letterhead); each machine writes it to a file of its own to render.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
from pathlib import Path


from commissie_app.db.models import Setting
from commissie_app.documents.letter_closing import check_contact
from commissie_app.documents.letter_content import (
    DEFAULT_LOGO,
    DecisionType as LetterDecision,
    LetterData,
    LetterSettings,
)
from commissie_app.domain.addressing import FormOfAddress
from commissie_app.domain.codes import Criterion
from commissie_app.domain.correspondence import ObjectionProcedure
from commissie_app.domain.errors import ValidationError
from commissie_app.domain.validation import check_email, check_phone, check_website
from commissie_app.domain.voting import DecisionType
from commissie_app.domain.permissions import Action
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.services.context import ServiceContext
from commissie_app.services.uow import UnitOfWork


LETTER_SETTINGS_KEY = "letter_settings"


DEFAULT_SETTINGS = LetterSettings(
    sender_name="Commissie Sociaal Inkopen",
    organisation_lines=("Kennemer Inkoop Platform",),
    address_lines=("Postbus 511", "2003 PB Haarlem"),
    phone="",  # the secretariat's own contact details are set in the settings, not invented here
    email="",
    website="",
    logo_path=DEFAULT_LOGO,
    contact_name="",  # the named contact person too: no letter is made until they are filled in
    contact_phone="",
    contact_email="",
    objection_procedure=ObjectionProcedure.RECONSIDERATION.value,
)


# ---------------------------------------------------------------- settings


MAX_LOGO_BYTES = 2 * 1024 * 1024


LOGO_TYPES = {"image/png": "png", "image/jpeg": "jpg"}


def read_logo(path: Path) -> bytes:
    """A logo file chosen by the user, checked: PNG or JPEG by content, at most 2 MB."""
    import filetype

    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise ValidationError({"logo": _("Het logo {file} kan niet worden gelezen: {err}").format(
            file=path, err=err.strerror or err)}) from err
    kind = filetype.guess(data)
    if kind is None or kind.mime not in LOGO_TYPES:
        raise ValidationError({"logo": _("Het logo moet een PNG- of JPEG-afbeelding zijn.")})
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError({"logo": _("Het logo is groter dan 2 MB; kies een kleinere afbeelding.")})
    return data


def _logo_file(data: bytes) -> Path | None:
    """The stored logo as a file on this machine (written once per content), for the renderer."""
    import filetype

    from commissie_app.paths import data_dir

    kind = filetype.guess(data)
    ext = LOGO_TYPES.get(kind.mime) if kind else None
    if ext is None:  # not an image any more: the letterhead goes without a logo
        return None
    path = data_dir() / "briefpapier" / f"logo-{hashlib.sha256(data).hexdigest()[:16]}.{ext}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return path


def is_stored_logo(path: Path | None) -> bool:
    """Whether ``path`` is this machine's copy of a logo kept in the database."""
    from commissie_app.paths import data_dir

    return path is not None and Path(path).parent == data_dir() / "briefpapier"


def _settings_from_json(value: dict | None) -> LetterSettings:
    if not isinstance(value, dict):
        return DEFAULT_SETTINGS
    d = DEFAULT_SETTINGS

    def lines(key, default):
        v = value.get(key)
        return tuple(str(x) for x in v) if isinstance(v, list) else default

    logo_kind = value.get("logo")
    if logo_kind == "none":
        logo = None
    elif logo_kind == "own" and isinstance(value.get("logo_data"), str):
        try:
            logo = _logo_file(base64.b64decode(value["logo_data"]))
        except (ValueError, OSError):
            logo = None
    elif logo_kind == "default":
        logo = d.logo_path
    else:  # settings saved before logos were stored in the database: a path
        logo = value.get("logo_path", str(d.logo_path) if d.logo_path else None)
    return LetterSettings(
        sender_name=str(value.get("sender_name") or d.sender_name),
        organisation_lines=lines("organisation_lines", d.organisation_lines),
        address_lines=lines("address_lines", d.address_lines),
        phone=str(value.get("phone", d.phone) or ""),
        email=str(value.get("email", d.email) or ""),
        website=str(value.get("website", d.website) or ""),
        logo_path=Path(logo) if logo else None,
        contact_name=str(value.get("contact_name") or ""),
        contact_phone=str(value.get("contact_phone") or ""),
        contact_email=str(value.get("contact_email") or ""),
        objection_procedure=_procedure(value.get("objection_procedure")),
    )


def _procedure(value) -> str:
    """The stored procedure; the default (heroverweging) for settings saved before it was a choice."""
    try:
        return ObjectionProcedure(value).value
    except ValueError:
        return DEFAULT_SETTINGS.objection_procedure


def _logo_json(path: Path | None) -> dict:
    if path is None:
        return {"logo": "none"}
    if DEFAULT_LOGO is not None and Path(path).resolve() == Path(DEFAULT_LOGO).resolve():
        return {"logo": "default"}
    return {"logo": "own", "logo_data": base64.b64encode(read_logo(Path(path))).decode("ascii")}


def _settings_to_json(s: LetterSettings) -> dict:
    return {
        "sender_name": s.sender_name,
        "organisation_lines": list(s.organisation_lines),
        "address_lines": list(s.address_lines),
        "phone": s.phone,
        "email": s.email,
        "website": s.website,
        **_logo_json(s.logo_path),
        "contact_name": s.contact_name,
        "contact_phone": s.contact_phone,
        "contact_email": s.contact_email,
        "objection_procedure": s.objection_procedure,
    }


def get_letter_settings(ctx: ServiceContext) -> LetterSettings:
    """The commission's letterhead; the defaults until someone saved settings."""
    with UnitOfWork(ctx) as uow:
        row = uow.session.get(Setting, LETTER_SETTINGS_KEY)
        return _settings_from_json(row.value if row else None)


def demo_letterhead(settings: LetterSettings, contact_name: str = "Sanne de Wit") -> LetterSettings:
    """The letterhead of the demo data: a fictional named contact person (the demo's secretary, who signs the
    letters) with phone and e-mail."""
    return dataclasses.replace(settings, contact_name=contact_name, contact_phone="023 555 0100",
                               contact_email="secretariaat@csi-demo.example.nl")


def require_contact(ctx: ServiceContext, where: str | None = None) -> LetterSettings:
    """The letterhead, refused (LetterContactMissingError, naming what is missing and where to fill it in) while
    it names no contact person with phone and e-mail, or no postal address: no letter is made without them."""
    settings = get_letter_settings(ctx)
    check_contact(settings, where)
    return settings


def check_settings(settings: LetterSettings) -> dict[str, str]:
    """The Dutch message per field that is not in order (the settings page shows the same)."""
    errors: dict[str, str] = {}
    if not settings.sender_name.strip():
        errors["sender_name"] = _("Vul de naam van de afzender in; die staat boven elke brief.")
    for key in ("phone", "contact_phone"):
        message = check_phone(getattr(settings, key))
        if message:
            errors[key] = message
    for key in ("email", "contact_email"):
        message = check_email(getattr(settings, key))
        if message:
            errors[key] = message
    message = check_website(settings.website)
    if message:
        errors["website"] = message
    if settings.objection_procedure not in {p.value for p in ObjectionProcedure}:
        errors["objection_procedure"] = _("Kies heroverweging of bezwaar.")
    return errors


def sample_letter(ctx: ServiceContext, settings: LetterSettings) -> bytes:
    """A letter to a fictional organisation on this letterhead: to see the settings before saving."""
    from commissie_app.documents.letters import render_letter
    from commissie_app.domain.voting import badge_valid_until

    today = ctx.today()
    data = LetterData(
        kenmerk=f"KIP-{today.year}-000", letter_date=today, decision=LetterDecision.GRANTED,
        organisation_name=_("Voorbeeldonderneming (voorbeeld)"), contact_person=_("Lotte van Dijk"),
        contact_form=FormOfAddress.MRS,
        street=_("Voorbeeldstraat 1"), postcode="2011 AA", place="Haarlem", kvk="12345678", received_on=today,
        criteria=(Criterion.CODE_SO,), motivation=_("Dit is een voorbeeldbrief om het briefpapier te bekijken."),
        meeting_date=today, chair_name=_("Voorzitter"), secretary_name=_("Secretaris"),
        badge_valid_from=today, badge_valid_until=badge_valid_until(DecisionType.GRANTED, today, None, ctx.rules),
    )
    return render_letter(data, settings)


def set_letter_settings(ctx: ServiceContext, settings: LetterSettings) -> None:
    require(ctx, Action.EDIT_SETTINGS)
    errors = check_settings(settings)
    if errors:
        raise ValidationError(errors)
    value = _settings_to_json(settings)
    with UnitOfWork(ctx) as uow:
        row = uow.session.get(Setting, LETTER_SETTINGS_KEY)
        old = row.value if row else None
        if old == value:
            return
        if row is None:
            uow.session.add(Setting(key=LETTER_SETTINGS_KEY, value=value))
        else:
            row.value = value
        uow.commit()
