"""Ylläpito › Ajankohtaista (/kasittely/yllapito/ajankohtaista): news on the front page, in fi, sv and en."""
from __future__ import annotations

from nicegui import ui

from components.frame import frame
from components.workbench import Editor, heading, per_language, staff_user
from locales import LANGUAGES, t
from services import admin
from services.formatting import format_datetime

ALL_REGIONS = 0  # the select's value for "every region" (None would read as "nothing chosen")


def news_page() -> None:
    with frame('yllapito', title=t('Ajankohtaista')):
        user = staff_user(admin=True)
        if user is None:
            return
        ui.link(t('← Ylläpito'), '/kasittely/yllapito')
        heading(t('Ajankohtaista'))
        regions = {ALL_REGIONS: t('Kaikki alueet')} | {r.id: r.name for r in admin.list_regions(user)}

        def save(news_id: int | None, v: dict) -> None:
            admin.save_news(user, news_id, title={lang: v[f'title_{lang}'] or '' for lang in LANGUAGES},
                            body={lang: v[f'body_{lang}'] or '' for lang in LANGUAGES},
                            region_id=v['region'] or None, active=bool(v['active']))

        Editor(user, new_title=t('Uusi uutinen'), edit_title=t('Muokkaa uutista'), mark='news',
               defaults={'region': ALL_REGIONS, 'active': True},
               specs=[*per_language('title', t('Otsikko')), *per_language('body', t('Teksti'), 'textarea'),
                      ('region', t('Alue'), 'select', regions),
                      ('active', t('Näytetään etusivulla'), 'checkbox', None)],
               save=save, rows=lambda: admin.list_news(user),
               describe=lambda n: (n.title.get('fi', ''), [
                   (t('Julkaistu'), format_datetime(n.published_at)), (t('Alue'), regions.get(n.region_id or 0, '')),
                   (t('Näytetään etusivulla'), t('Kyllä') if n.active else t('Ei')),
                   (t('Teksti'), n.body.get('fi', ''))]),
               values_of=lambda n: {f'title_{lang}': n.title.get(lang, '') for lang in LANGUAGES}
               | {f'body_{lang}': n.body.get(lang, '') for lang in LANGUAGES}
               | {'region': n.region_id or ALL_REGIONS, 'active': n.active})


def register() -> None:
    ui.page('/kasittely/yllapito/ajankohtaista')(news_page)
