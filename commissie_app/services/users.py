"""Who uses the app. Names are kept so the audit log can say who did what."""

from __future__ import annotations

from sqlalchemy import select

from commissie_app.db.models import User
from commissie_app.domain.codes import Role
from commissie_app.domain.errors import ValidationError
from commissie_app.i18n import _
from commissie_app.services.context import Actor, ServiceContext
from commissie_app.services.uow import UnitOfWork


def register_user(ctx: ServiceContext, name: str, role: Role) -> Actor:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Vul uw naam in.")})
    with UnitOfWork(ctx) as uow:
        user = uow.session.scalars(select(User).where(User.name == name)).first()
        if user is None:
            user = User(name=name, role=role.value)
            uow.session.add(user)
            uow.session.flush()
            uow.audit("create", "user", user.id, None, {"name": name, "role": role})
        elif user.role != role.value:
            uow.audit("update", "user", user.id, {"role": user.role}, {"role": role})
            user.role = role.value
        uow.commit()
    return Actor(name, role)
