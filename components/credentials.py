"""The username and password inputs of a sign-in form (the citizen's password sign-in and the staff sign-in)."""
from __future__ import annotations

from nicegui import ui

from locales import t


def credential_inputs(mark_prefix: str = '') -> tuple[ui.input, ui.input]:
    """Labelled, autocomplete-friendly username and password fields; place them inside the sign-in <form>."""
    username = ui.input(t('Käyttäjätunnus')).props('outlined autocomplete=username').classes('w-full') \
        .mark(f'{mark_prefix}username')
    password = ui.input(t('Salasana'), password=True, password_toggle_button=True) \
        .props('outlined autocomplete=current-password').classes('w-full').mark(f'{mark_prefix}password')
    return username, password
