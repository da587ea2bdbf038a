"""The error summary at the top of a form: role=alert, one link per problem that moves focus to the field."""
from __future__ import annotations

from collections.abc import Sequence

from nicegui import ui
from nicegui.awaitable_response import AwaitableResponse

from locales import t


class ErrorSummary:
    """The problems shown and how; `show()` changes them and redraws. The redraw runs right after the caller's event
    handler (NiceGUI's refresh is a task unless awaited), so `await summary.show(...)` where drawing order matters."""

    def __init__(self) -> None:
        self.problems: list[tuple[ui.element | None, str]] = []
        self.focus = True
        # Per instance, not a class-level `ui.refreshable_method`: its targets would be every summary on every page.
        self._draw = ui.refreshable(self._render)
        with ui.column().classes('w-full'):
            self._draw()

    def show(self, problems: Sequence[tuple[ui.element | None, str]], *, focus: bool = True) -> AwaitableResponse:
        """Show `(field, message)` pairs; an empty list hides the summary. `focus=False` updates a summary already
        shown (after a correction) without pulling focus away from the field being worked on."""
        self.problems, self.focus = list(problems), focus
        return self._draw.refresh()

    def clear(self) -> AwaitableResponse:
        return self.show([], focus=False)

    def _render(self) -> None:
        if not self.problems:
            return
        # Re-drawn after a correction it is not announced again as a whole (the field says what changed).
        with ui.card().classes('w-full border-l-8 border-red-800 bg-red-50 p-4') \
                .props('tabindex=-1').mark('error-summary') as card:
            card.props['role'] = 'alert' if self.focus else 'region'
            title = ui.label(t('Tarkista seuraavat kohdat:')).classes('text-lg font-bold text-red-900')
            card.props['aria-labelledby'] = title.html_id
            with ui.element('ul').classes('list-disc pl-6'):
                for field, message in self.problems:
                    with ui.element('li'):
                        if field is None:
                            ui.label(message).classes('text-red-900')
                        else:
                            ui.link(message, f'#{field.html_id}').classes('text-red-900 underline') \
                                    .on('click.prevent', lambda f=field: f.run_method('focus'))
        if self.focus:
            # Focus the summary so a screen reader announces it and Tab continues from its links.
            ui.run_javascript(f'document.getElementById("{card.html_id}")?.focus()')
