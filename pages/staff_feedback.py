"""/kasittely/palaute (staff): accessibility feedback, open first, with a "handled" button; and the accounts whose
owners asked for deletion ("Pyydä käyttäjätilin poistamista")."""
from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from auth import session
from components.frame import frame
from components.heading import heading_label
from locales import LANGUAGE_NAMES, t
from models import User
from services import feedback
from services.formatting import format_datetime


def _heading(text: str, level: int, classes: str = 'text-xl font-bold') -> None:
    heading_label(text, level, classes)


def _field(label: str, value: str) -> None:
    with ui.row().classes('gap-2 items-baseline'):
        ui.label(f'{label}:').classes('font-bold')
        ui.label(value)


def _feedback_list(user: User) -> None:
    """The feedback as the database has it; "Merkitse käsitellyksi" redraws it. The refreshable is made per page: a
    module-level one would redraw every open page with this user's view."""
    draw = ui.refreshable(_draw_feedback)
    with ui.column().classes('w-full gap-2'):
        draw(user, lambda: draw.refresh())


def _draw_feedback(user: User, redraw: Callable[[], object]) -> None:
    rows = feedback.list_feedback(user)
    open_count = sum(1 for row in rows if row.handled_at is None)
    ui.label(t('Käsittelemättä {count}', count=open_count)).mark('open-count')
    if not rows:
        ui.label(t('Palautetta ei ole.'))
        return
    with ui.element('ul').classes('w-full flex flex-col gap-3 list-none p-0'):
        for row in rows:
            with ui.element('li').classes('w-full'), \
                    ui.card().classes('w-full gap-1 ' + ('border-l-8 border-amber-600' if row.handled_at is None
                                                         else 'opacity-90')).mark('feedback-row'):
                _field(t('Saapui'), format_datetime(row.created_at))
                _field(t('Kieli'), LANGUAGE_NAMES.get(row.language, row.language))
                _field(t('Sivu'), row.page or '–')
                _field(t('Sähköposti'), row.email or t('Ei annettu'))
                ui.label(row.body).classes('whitespace-pre-wrap mt-1').mark('feedback-text')
                if row.handled_at is None:
                    ui.button(t('Merkitse käsitellyksi'), on_click=lambda _, r=row: handle(r.id)) \
                        .props('no-caps color=primary').classes('self-start mt-2').mark('mark-handled')
                else:
                    ui.label(t('Käsitelty {time}', time=format_datetime(row.handled_at))) \
                        .classes('text-green-900 font-bold').mark('handled')

    def handle(feedback_id: int) -> None:
        if not feedback.mark_handled(user, feedback_id):
            ui.notify(t('Palaute oli jo käsitelty.'), type='info')
        redraw()


def _deletion_requests(user: User) -> None:
    rows = feedback.list_deletion_requests(user)
    if not rows:
        ui.label(t('Poistopyyntöjä ei ole.'))
        return
    with ui.element('ul').classes('list-disc pl-6'):
        for row in rows:
            with ui.element('li'):
                ui.label(t('{name} ({email}), pyydetty {time}', name=row.name, email=row.email or '–',
                           time=format_datetime(row.requested_at))).mark('deletion-request')


def staff_feedback_page() -> None:
    user = session.current_user()
    assert user is not None  # the access middleware lets only staff here
    with frame('palaute', title=t('Palaute')):
        _heading(t('Saavutettavuuspalaute'), 1, 'text-3xl font-bold')
        ui.label(t('Vastaa palautteeseen 14 päivän kuluessa, jos palautteen antaja on antanut '
                   'sähköpostiosoitteensa.')).classes('mb-2')
        _feedback_list(user)
        _heading(t('Käyttäjätilien poistopyynnöt'), 2, 'text-xl font-bold mt-8')
        ui.label(t('Nämä asiakkaat ovat pyytäneet käyttäjätilinsä poistamista Omat tiedot -sivulla.'))
        _deletion_requests(user)


def register() -> None:
    ui.page('/kasittely/palaute')(staff_feedback_page)
