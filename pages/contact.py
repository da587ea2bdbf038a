"""YHTEYSTIEDOT: the centre's contact details for the region, kept in data."""
from nicegui import ui

from auth import session
from components.frame import frame
from config import get_settings
from locales import N_, pick, t


def contact_page() -> None:
    region = session.current_profile().region
    with frame('yhteystiedot', title=t('Yhteystiedot')):
        ui.label(t('Yhteystiedot')).classes('text-3xl font-bold').props('role=heading aria-level=1')
        if region is None:
            ui.label(t('Yhteystietoja ei ole vielä kirjattu.'))
            return
        with ui.card().classes('w-full max-w-2xl'):
            ui.label(f'{get_settings().brand_name.capitalize()} {region.local_name()}').classes('text-xl font-bold') \
                .props('role=heading aria-level=2')
            # One column on a phone: a long email address must wrap rather than widen the page.
            with ui.element('dl').classes('grid grid-cols-1 sm:grid-cols-[max-content_1fr] gap-x-6 sm:gap-y-2'):
                for label, value, href in (
                    (N_('Puhelin'), region.phone, f'tel:{region.phone.replace(" ", "")}'),
                    (N_('Sähköposti'), region.email, f'mailto:{region.email}'),
                    (N_('Käyntiosoite'), region.address, None),
                    (N_('Palveluajat'), pick(region.service_hours), None),
                ):
                    with ui.element('dt').classes('font-bold'):
                        ui.label(t(label))
                    with ui.element('dd').classes('mb-2 sm:mb-0 min-w-0 break-words'):
                        if href:
                            ui.link(value, href)
                        else:
                            ui.label(value)


def register() -> None:
    ui.page('/yhteystiedot')(contact_page)
