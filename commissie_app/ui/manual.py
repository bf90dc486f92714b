"""Help › Handleiding: a short Dutch guide to the commission's year, shown in the app (issue 13).

The text is Markdown (rendered by ``QTextBrowser.setMarkdown``); the offline review guide for members is in
``docs/offline-review.md``. Names of menus and buttons are those of the app: keep them in step.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout, QWidget

from commissie_app.i18n import _
from commissie_app.ui.widgets import close_buttons, resize_within_screen

MANUAL = _("""# Handleiding: het jaar van de commissie

## 1. Bij de eerste start
- **Leden en zetels**: kies *Vergaderingen › Leden en zetels…* en leg voor elk van de vijf zetels het lid
  en de zittingsperiode vast. Een onbezette zetel staat als waarschuwing boven in het venster.
- **Vergaderingen plannen**: de commissie vergadert minstens twee keer per jaar. Kies op de pagina
  *Vergaderingen* **Nieuwe vergadering…** (Ctrl+N).
- **Gebruikers en rollen**: *Bestand › Gebruikers en rollen…*.

## 2. Aanvragen
- Een nieuwe aanvraag: **Bestand › Nieuwe aanvraag** (Ctrl+N op de pagina *Aanvragen*), of
  *Bestand › Importeren…* voor een lijst.
- Leg de bewijsstukken per criterium vast en wijzig de status met **Status wijzigen…**:
  ontvangen → in behandeling → compleet. Ontbreekt er iets, dan kan de status *informatie opgevraagd* zijn.
- De leden beoordelen een aanvraag met **Beoordelen…** (Ctrl+B in de lijst, of bovenaan het eerste tabblad van
  de aanvraag), met het bewijs en de bijlagen naast het formulier, of offline met een beoordelingspakket
  (*Bestand › Beoordelingspakketten…*; terug met *Bestand › Retourpakketten inlezen…*). Na het besluit kan een
  beoordeling niet meer worden begonnen of gewijzigd, alleen gelezen; een aangehouden aanvraag wel.

## 3. De vergadering
1. Open de vergadering op de pagina *Vergaderingen* en kies **Complete aanvragen toevoegen…** of
   **Agendapunt toevoegen…**.
2. **Agenda vaststellen**; de agenda en een uitnodiging staan onder **Documenten**. Moet er nog iets bij,
   dan zet **Agenda heropenen…** (met een reden) de agenda terug tot de vergadering open is.
3. Op de dag (niet eerder): **Vergadering openen**, leg de aanwezigheid vast, meld zo nodig een
   **belangenverstrengeling** en leg per aanvraag de stemmen en het **besluit** vast
   (**Besluit vastleggen…**). **Dossier…** (Ctrl+D) toont de aanvraag, de bijlagen en de beoordelingen
   naast elkaar. **Presentatie** (F5) toont het agendapunt op een tweede scherm.
   Zolang de vergadering open is, kunt u een melding **Intrekken**, een stem wissen (**Stem wissen**) en
   het type van een besluit wijzigen (**Besluit wijzigen…**, met een reden; het kenmerk blijft).
4. **Vergadering sluiten**: eerst ziet u wat nog open staat; daarna liggen aanwezigheid, stemmen en
   besluiten vast en brengt de app u naar de besluitbrieven.

## 4. Na de vergadering
- De **besluitbrieven** staan onder *Documenten › Besluitbrieven…*: **Brieven maken**, dan alle brieven
  tegelijk (Ctrl+A) of één voor één bekijken, afdrukken, opslaan, e-mailen en als verzonden markeren.
- Een toegekende aanvraag komt in het **Register**. *Bestand › Register exporteren…* maakt het bestand
  voor de SROI-pagina van KIP.
- *Bestand › Herinneringen…* toont de brieven die klaarstaan: herinneringen, ontvangstbevestigingen en
  verzoeken om informatie.
- Maak geregeld een **reservekopie** (*Bestand › Reservekopie maken…*).

De sneltoetsen van het venster staan onder *Help › Sneltoetsen*.
""")


class ManualDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Handleiding"))
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("manual")
        self.browser.setOpenLinks(False)  # the guide has no links; nothing is handed to the system
        self.browser.setMarkdown(MANUAL)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(close_buttons(self))
        resize_within_screen(self, 640, 560)
