"""Ylläpito › Alueet ja yhteystiedot (/kasittely/yllapito/alueet) and › Asiakasorganisaatiot
(/kasittely/yllapito/organisaatiot)."""
from __future__ import annotations

from nicegui import ui

from components.frame import frame
from components.workbench import Editor, heading, per_language, staff_user
from locales import LANGUAGES, N_, pick, t
from services import admin

# The Swedish and English forms of a name (the Finnish name is the one forms record).
NAME_LANGUAGES = {'sv': N_('Nimi ruotsiksi'), 'en': N_('Nimi englanniksi')}


def _name_specs() -> list[tuple[str, str, str, None]]:
    return [(f'name_{lang}', t(label), 'text', None) for lang, label in NAME_LANGUAGES.items()]


def _name_translations(values: dict) -> dict[str, str]:
    return {lang: values[f'name_{lang}'] or '' for lang in NAME_LANGUAGES}


def _name_values(row) -> dict[str, str]:
    return {f'name_{lang}': (row.name_translations or {}).get(lang, '') for lang in NAME_LANGUAGES}


def regions_page() -> None:
    with frame('yllapito', title=t('Alueet ja yhteystiedot')):
        user = staff_user(admin=True)
        if user is None:
            return
        ui.link(t('← Ylläpito'), '/kasittely/yllapito')
        heading(t('Alueet ja yhteystiedot'))

        def save(region_id: int | None, v: dict) -> None:
            admin.save_region(user, region_id, name=v['name'] or '', phone=v['phone'] or '', email=v['email'] or '',
                              address=v['address'] or '',
                              service_hours={lang: v[f'hours_{lang}'] or '' for lang in LANGUAGES},
                              portal_title={lang: v[f'title_{lang}'] or '' for lang in LANGUAGES},
                              name_translations=_name_translations(v))

        Editor(user, new_title=t('Uusi alue'), edit_title=t('Muokkaa aluetta'), mark='region', defaults={},
               specs=[('name', t('Alueen nimi'), 'text', None), *_name_specs(),
                      ('phone', t('Puhelinnumero'), 'text', None), ('email', t('Sähköposti'), 'text', None),
                      ('address', t('Käyntiosoite'), 'text', None),
                      *per_language('hours', t('Palveluajat')), *per_language('title', t('Portaalin otsikko'))],
               save=save, rows=lambda: admin.list_regions(user),
               describe=lambda r: (r.local_name(), [(t('Puhelinnumero'), r.phone), (t('Sähköposti'), r.email),
                                            (t('Käyntiosoite'), r.address),
                                            (t('Palveluajat'), pick(r.service_hours))]),
               values_of=lambda r: {'name': r.name, 'phone': r.phone, 'email': r.email, 'address': r.address}
               | _name_values(r)
               | {f'hours_{lang}': r.service_hours.get(lang, '') for lang in LANGUAGES}
               | {f'title_{lang}': r.portal_title.get(lang, '') for lang in LANGUAGES})


def organisations_page() -> None:
    with frame('yllapito', title=t('Asiakasorganisaatiot')):
        user = staff_user(admin=True)
        if user is None:
            return
        ui.link(t('← Ylläpito'), '/kasittely/yllapito')
        heading(t('Asiakasorganisaatiot'))
        regions = {r.id: r.local_name() for r in admin.list_regions(user)}

        def save(organisation_id: int | None, v: dict) -> None:
            admin.save_organisation(user, organisation_id, name=v['name'] or '', business_id=v['business_id'] or '',
                                    region_id=v['region'], active=bool(v['active']),
                                    name_translations=_name_translations(v))

        Editor(user, new_title=t('Uusi asiakasorganisaatio'), edit_title=t('Muokkaa asiakasorganisaatiota'),
               mark='organisation', defaults={'active': True},
               specs=[('name', t('Nimi'), 'text', None), *_name_specs(), ('business_id', t('Y-tunnus'), 'text', None),
                      ('region', t('Alue'), 'select', regions), ('active', t('Käytössä'), 'checkbox', None)],
               save=save, rows=lambda: admin.list_organisations(user),
               describe=lambda o: (o.local_name(), [(t('Y-tunnus'), o.business_id),
                                                    (t('Alue'), regions.get(o.region_id, '')),
                                                    (t('Käytössä'), t('Kyllä') if o.active else t('Ei'))]),
               values_of=lambda o: {'name': o.name, 'business_id': o.business_id, 'region': o.region_id,
                                    'active': o.active} | _name_values(o))


def register() -> None:
    ui.page('/kasittely/yllapito/alueet')(regions_page)
    ui.page('/kasittely/yllapito/organisaatiot')(organisations_page)
