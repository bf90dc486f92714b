"""When an application may be assessed (issue 13).

Once the commission has decided on an application (or its applicant withdrew it) its assessments are
history: a new one cannot be started and an existing one cannot be changed, only read. A deferred
application ('aangehouden') goes back to 'compleet' for a later meeting and may still be assessed.
Light on purpose: the application list asks this for its first row, before the database layer is loaded.
"""

from __future__ import annotations

from commissie_app.domain.codes import Status
from commissie_app.i18n import _


def assessment_refusal(status: Status) -> str:
    """Why an assessment of an application with ``status`` may not be started or changed; "" when it may."""
    if status is Status.DECIDED:
        return _("Over deze aanvraag is al besloten: een beoordeling kan niet meer worden begonnen of gewijzigd. "
                 "Een bestaande beoordeling blijft te lezen.")
    if status is Status.WITHDRAWN:
        return _("Deze aanvraag is ingetrokken: een beoordeling kan niet meer worden begonnen of gewijzigd. "
                 "Een bestaande beoordeling blijft te lezen.")
    return ""
