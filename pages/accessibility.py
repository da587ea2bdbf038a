"""Saavutettavuusseloste: the accessibility statement (completed by the accessibility issue)."""
from nicegui import ui

from components.frame import frame
from config import get_settings
from locales import t


def accessibility_page() -> None:
    with frame(title=t('Saavutettavuusseloste')):
        ui.label(t('Saavutettavuusseloste')).classes('text-3xl font-bold').props('role=heading aria-level=1')
        ui.label(t('{brand} pyrkii takaamaan asiakaspalveluportaalin saavutettavuuden lain digitaalisten palvelujen '
                   'tarjoamisesta (306/2019) mukaisesti.', brand=get_settings().brand_name.capitalize()))


def register() -> None:
    ui.page('/saavutettavuusseloste')(accessibility_page)
