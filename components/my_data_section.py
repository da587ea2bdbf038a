"""The "Omat tietosi" section of OMAT TIEDOT: download my data (a ZIP) and ask for the account to be deleted."""
from __future__ import annotations

from nicegui import run, ui

from locales import t
from models import User
from services import my_data
from services.formatting import format_datetime

DOWNLOAD_PATH = f'/omat-tiedot/{my_data.EXPORT_FILENAME}'


class _DeletionStatus:
    """The deletion button, or the time it was asked for; redrawn after the request. The confirmation dialog is made
    once, outside the redrawn part: deleted while closing, it would take focus back from the answer."""

    def __init__(self, user: User) -> None:
        self.user = user
        # Per instance: a module-level refreshable would redraw every open OMAT TIEDOT with this user's state.
        self.draw = ui.refreshable(self._render)
        with ui.column().classes('w-full gap-2'):
            self.draw()
        with ui.dialog() as self.dialog, ui.card().classes('p-6 gap-3 max-w-lg').props(
                'role=alertdialog aria-modal=true aria-labelledby=deletion-title aria-describedby=deletion-text'):
            ui.label(t('Pyydetäänkö käyttäjätilin poistamista?')).classes('text-xl font-bold') \
                .props('id=deletion-title role=heading aria-level=2')
            ui.label(t('Palvelukeskus poistaa käyttäjätilisi ja henkilötietosi. Lähettämiäsi palvelupyyntöjä '
                       'säilytetään niin kauan kuin laki ja arkistointisäännöt edellyttävät. Lataa omat tietosi '
                       'ensin, jos haluat ne talteen.')).props('id=deletion-text')
            with ui.row().classes('gap-3'):
                ui.button(t('Kyllä, pyydä poistamista'), on_click=self._confirm) \
                    .props('no-caps color=negative').mark('confirm-deletion')
                ui.button(t('Peruuta'), on_click=self.dialog.close).props('no-caps outline').mark('cancel-deletion')

    def _render(self) -> None:
        requested = my_data.deletion_requested_at(self.user)
        if requested is None:
            ui.button(t('Pyydä käyttäjätilin poistamista'), on_click=lambda: self.dialog.open()) \
                .props('no-caps outline color=negative').classes('self-start').mark('request-deletion')
            return
        ui.label(t('Pyysit käyttäjätilisi poistamista {time}. Palvelukeskus poistaa tilin ja ilmoittaa '
                   'sinulle, kun se on tehty.', time=format_datetime(requested))) \
            .props('id=deletion-requested role=status tabindex=-1').classes('font-medium') \
            .mark('deletion-requested')

    async def _confirm(self) -> None:
        await run.io_bound(my_data.request_account_deletion, self.user)
        self.dialog.close()
        await self.draw.refresh()
        # The button that opened the dialog is gone: focus goes to the answer instead of the page's start (after
        # the dialog's closing, which gives focus back to the opener).
        ui.run_javascript("setTimeout(() => document.getElementById('deletion-requested')?.focus(), 50)")


def my_data_section(user: User) -> None:
    """Draw the section (OMAT TIEDOT calls this at the end of its content)."""
    with ui.card().classes('w-full max-w-2xl gap-2').mark('my-data-section'):
        ui.label(t('Omat tietosi')).classes('text-xl font-bold').props('role=heading aria-level=2')
        ui.label(t('Voit ladata kaikki portaaliin tallennetut tietosi: henkilö- ja yhteystietosi, palvelupyyntösi '
                   'vastauksineen ja käsittelyvaiheineen, viestit ja liitteet. Tiedosto on ZIP-paketti, jossa '
                   'tiedot ovat JSON-muodossa ja liitteet alkuperäisinä tiedostoina.'))
        download = ui.link(t('Lataa omat tietoni'), DOWNLOAD_PATH) \
            .classes('self-start no-underline bg-[#00466e] text-white font-medium px-4 py-2 rounded') \
            .mark('download-my-data')
        download.props['download'] = my_data.EXPORT_FILENAME
        ui.label(t('Käyttäjätilin poistaminen')).classes('text-lg font-bold mt-3') \
            .props('role=heading aria-level=3')
        _DeletionStatus(user)
