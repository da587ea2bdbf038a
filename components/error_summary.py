"""The error summary at the top of a form: role=alert, one link per problem that moves focus to the field."""
from __future__ import annotations

from nicegui import ui

from locales import t


class ErrorSummary:
    def __init__(self) -> None:
        self.container = ui.column().classes('w-full')

    def show(self, problems: list[tuple[ui.element | None, str]], *, focus: bool = True) -> None:
        """Show `(field, message)` pairs; an empty list hides the summary. `focus=False` updates a summary already
        shown (after a correction) without pulling focus away from the field being worked on."""
        self.container.clear()
        if not problems:
            return
        # Re-drawn after a correction it is not announced again as a whole (the field says what changed).
        with self.container, ui.card().classes('w-full border-l-8 border-red-800 bg-red-50 p-4') \
                    .props('tabindex=-1').mark('error-summary') as card:
            card.props['role'] = 'alert' if focus else 'region'
            title = ui.label(t('Tarkista seuraavat kohdat:')).classes('text-lg font-bold text-red-900')
            card.props['aria-labelledby'] = title.html_id
            with ui.element('ul').classes('list-disc pl-6'):
                for field, message in problems:
                    with ui.element('li'):
                        if field is None:
                            ui.label(message).classes('text-red-900')
                        else:
                            ui.link(message, f'#{field.html_id}').classes('text-red-900 underline') \
                                    .on('click.prevent', lambda f=field: f.run_method('focus'))
        if not focus:
            return
        # Focus the summary so a screen reader announces it and Tab continues from its links.
        ui.run_javascript(f'document.getElementById("{card.html_id}")?.focus()')

    def clear(self) -> None:
        self.container.clear()
