"""The frame every page is drawn in: the seed's header (brand, ASIOINTIPROFIILI, ALUE, KIELI, KÄYTTÄJÄ,
Kirjaudu ulos), the main navigation with the current item marked, a skip link and the footer."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import app, ui

from auth import session
from auth.session import NOTICE_KEY
from config import get_settings
from locales import LANGUAGE_NAMES, LANGUAGES, N_, t
from models import User, UserRole
from services.organisations import region_display_name

from .accessibility import add_keyboard_support
from .idle_warning import idle_warning
from .kiosk import kiosk_controls, kiosk_warning
from .language import apply_page_language, language_for, remember_language

BRAND_COLOUR = '#00466e'  # white text on it: contrast 10:1

CITIZEN_NAVIGATION = (
    ('paasivu', '/paasivu', N_('PÄÄSIVU')),
    ('palvelut', '/palvelut', N_('PALVELUT')),
    ('oma-asiointi', '/oma-asiointi', N_('OMA ASIOINTI')),
    ('yhteystiedot', '/yhteystiedot', N_('YHTEYSTIEDOT')),
    ('omat-tiedot', '/omat-tiedot', N_('OMAT TIEDOT')),
)
# The centre's staff (handler, admin) see the workbench instead; the last item is for admins only.
HANDLER_NAVIGATION = (
    ('jono', '/kasittely', N_('JONO')),
    ('kojelauta', '/kasittely/kojelauta', N_('KOJELAUTA')),
    ('sahkopostit', '/kasittely/sahkopostit', N_('SÄHKÖPOSTIT')),
    ('palaute', '/kasittely/palaute', N_('PALAUTE')),
)
ADMIN_NAVIGATION = (('yllapito', '/kasittely/yllapito', N_('YLLÄPITO')),)
STAFF_ROLE_LABELS = {UserRole.HANDLER: N_('Käsittelijä'), UserRole.ADMIN: N_('Pääkäyttäjä')}

_STYLE = f'''
<style>
  :root {{ --brand: {BRAND_COLOUR}; }}
  body {{ background: #f4f6f8; color: #1b1b1b; }}
  .skip-link {{ position: absolute; left: -10000px; top: 0; z-index: 10000; background: #fff; color: #000;
               padding: .5rem 1rem; border: 3px solid #000; }}
  .skip-link:focus {{ left: .5rem; top: .5rem; }}
  .portal-header {{ background: var(--brand); color: #fff; }}
  .portal-header .info-label {{ font-size: .72rem; letter-spacing: .06em; opacity: .9; text-transform: uppercase; }}
  .portal-header .info-value {{ font-weight: 600; }}
  /* the language select as tall as the other header values, so the labels line up */
  .portal-header .q-field__control, .portal-header .q-field__native, .portal-header .q-field__marginal {{
    min-height: 1.5rem !important; height: 1.5rem !important; color: #fff; }}
  .portal-nav a {{ color: #1b1b1b; text-decoration: none; padding: .75rem .9rem; display: inline-block;
                   font-weight: 600; letter-spacing: .03em; border-bottom: 4px solid transparent; }}
  .portal-nav a:hover {{ background: #e8eef3; }}
  .portal-compact {{ display: none !important; }}
  @media (max-width: 767.98px) {{
    .portal-compact {{ display: flex !important; }}
    .portal-brand {{ order: -2; }}
    .portal-compact-user {{ order: -1; max-width: 9rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
                            display: block !important; }}
    .portal-top:not(.menu-open) .portal-menu-item {{ display: none !important; }}
    .portal-top.menu-open .portal-menu-item {{ flex-basis: 100%; }}
    .portal-header-row {{ column-gap: .75rem !important; padding-top: .5rem !important;
                          padding-bottom: .5rem !important; }}
    .portal-nav ul {{ flex-direction: column; }}
  }}
  .portal-nav a[aria-current="page"] {{ border-bottom-color: var(--brand); color: var(--brand); }}
  .portal-main {{ max-width: 1200px; width: 100%; margin: 0 auto; padding: 1.25rem 1rem 3rem; }}
  .portal-footer {{ background: #e2e7ec !important; color: #1b1b1b !important; }}
  .portal-footer a {{ color: #003a5c; }}
  a {{ color: #00507a; }}
</style>
'''


def _info(label: str, value: str) -> None:
    with ui.column().classes('gap-0 portal-menu-item'):
        ui.label(label).classes('info-label')
        ui.label(value).classes('info-value')


def _language_selector(user: User | None, lang: str) -> None:
    def change(event) -> None:
        remember_language(event.value, user)
        ui.navigate.reload()

    with ui.column().classes('gap-0 portal-menu-item'):
        ui.label(t('KIELI')).classes('info-label').props('id=language-label')
        select = ui.select({code: LANGUAGE_NAMES[code] for code in LANGUAGES}, value=lang, on_change=change) \
            .props('dense dark borderless options-dense aria-labelledby=language-label '
                   'popup-content-class=text-black') \
            .classes('info-value min-w-[7rem]').mark('language-select')
        select.props['options-dark'] = False  # a light option list: the chosen option's colour on dark failed axe


def _compact_controls(user: User | None) -> None:
    """On a phone (below the `md` breakpoint) the header shows only the brand, the current user (drawn last, see
    `_header`) and a menu button; the button opens the rest of the header and the navigation as a drawer under it
    (`portal-menu-item`), next in the Tab order. It works in the browser alone: opening needs no round trip."""
    button = ui.button(icon='menu').props('flat round color=white aria-expanded=false aria-controls=portal-menu') \
        .classes('portal-compact').mark('menu-button')
    button.props['aria-label'] = t('Valikko')
    button.on('click', js_handler='''() => {
        const open = document.querySelector('.portal-top').classList.toggle('menu-open');
        document.querySelector('[aria-controls=portal-menu]').setAttribute('aria-expanded', String(open));
    }''')


def _header(user: User | None, lang: str) -> None:
    settings = get_settings()
    profile = session.current_profile()
    with ui.element('div').classes('portal-header w-full'):
        with ui.row().classes('portal-header-row w-full max-w-[1200px] mx-auto px-4 py-3 items-center gap-x-8 '
                              'gap-y-2 flex-wrap').props('id=portal-menu'):
            home = ('/kasittely' if user.is_staff else '/paasivu') if user else '/'
            ui.link(settings.brand_name, home).classes(
                'portal-brand text-2xl font-extrabold tracking-widest text-white no-underline mr-auto')
            _compact_controls(user)
            if user is not None and user.is_staff:
                _info(t('ROOLI'), t(STAFF_ROLE_LABELS[user.role]))
            elif user is not None:
                if profile.kind == 'organisation' and profile.organisation is not None:
                    profile_text = profile.organisation.local_name()
                else:
                    profile_text = user.full_name
                _info(t('ASIOINTIPROFIILI'), profile_text)
            _info(t('ALUE'), profile.region.local_name() if profile.region
                  else region_display_name(settings.default_region))
            _language_selector(user, lang)
            if user is not None:
                _info(t('KÄYTTÄJÄ'), user.full_name)
                ui.button(t('Kirjaudu ulos'), on_click=lambda: ui.navigate.to('/kirjaudu/ulos')) \
                    .props('outline color=white no-caps').classes('portal-menu-item').mark('logout')
            kiosk_controls(user)  # countdown and "Aloita alusta" when KIOSK_MODE is on (components/kiosk.py)
            if user is not None:  # last in reading order (the full name is read above); beside the brand on a phone
                ui.label(user.full_name).classes('portal-compact portal-compact-user font-semibold') \
                    .mark('compact-user')


def _navigation(active: str | None, user: User) -> None:
    items: tuple[tuple[str, str, str], ...] = CITIZEN_NAVIGATION
    if user.is_staff:
        items = HANDLER_NAVIGATION + (ADMIN_NAVIGATION if user.role == UserRole.ADMIN else ())
    with ui.element('nav').classes('portal-nav portal-menu-item w-full bg-white shadow-sm') as nav:
        nav.props['aria-label'] = t('Päävalikko')
        with ui.element('ul').classes('max-w-[1200px] mx-auto px-2 flex flex-wrap list-none m-0'):
            for key, path, label in items:
                with ui.element('li'):
                    link = ui.link(t(label), path)
                    if key == active:
                        link.props('aria-current=page')


def _footer() -> None:
    settings = get_settings()
    # Quasar's q-footer, outside the page's <main>: the contentinfo landmark.
    with ui.footer(fixed=False, elevated=False).classes('portal-footer w-full p-0 block'):
        with ui.row().classes('max-w-[1200px] mx-auto px-4 py-4 gap-6 flex-wrap'):
            ui.label(t('{brand} asiakaspalveluportaali', brand=settings.brand_name.capitalize()))
            ui.link(t('Saavutettavuusseloste'), '/saavutettavuusseloste')


def _one_time_notice() -> None:
    """A notice left by the previous page (e.g. 'Luonnos 5474 on tallennettu.'), shown once at the top."""
    notice = app.storage.user.pop(NOTICE_KEY, None)
    if notice:
        with ui.card().classes('w-full bg-green-50 border-l-8 border-green-800 mb-4').props('role=status') \
                .mark('notice'):
            ui.label(str(notice)).classes('font-medium')


@contextmanager
def frame(active: str | None = None, *, title: str | None = None, navigation: bool = True) -> Iterator[ui.element]:
    """Draw the header, navigation and footer around the page content (the body of the `with` block).

    `active` marks the current navigation item; public pages (no signed-in user) get no navigation.
    """
    user = session.current_user()
    lang = language_for(user)
    apply_page_language(lang)
    ui.colors(primary=BRAND_COLOUR, positive='#2e7d32', negative='#b71c1c')  # white text on both: 5:1+
    ui.add_head_html(_STYLE)
    add_keyboard_support()  # focus ring, radio-group arrow keys, the open drop-down's listbox (axe)
    ui.query('.nicegui-content').classes('p-0 gap-0')
    if title:
        ui.page_title(f'{title} – {get_settings().brand_name.capitalize()}')
    # Quasar's q-header holds the banner and navigation outside the page's <main> (NiceGUI's q-page is the one
    # main landmark; the content below is its body, which the skip link targets).
    with ui.header(fixed=False, elevated=False).classes('portal-top p-0 gap-0 block bg-transparent'):
        ui.link(t('Siirry sisältöön'), '#main').classes('skip-link')
        _header(user, lang)
        if navigation and user is not None:
            _navigation(active, user)
    with ui.element('div').classes('portal-main').props('id=main tabindex=-1') as main:
        _one_time_notice()
        idle_warning(user)  # the session-timeout warning and activity tracking (sign-in area)
        yield main
    _footer()
    kiosk_warning()  # the full-screen idle warning when KIOSK_MODE is on
