"""The Suomi.fi e-Identification attributes the portal knows, in one table: Suomi.fi's name, the OID it is sent under,
the data scope it belongs to, and whether the portal asks for it.

The scope decides the data licence: the portal requests only attributes of the *limited* scope (identity number and
names), so the organisation needs no licence for the medium-extensive set (email, home municipality, addresses). The
attribute map pysaml2 reads (`saml_attribute_maps/`) and the requested attributes in the SP metadata are built from
this table, and so is the mapping from an assertion to a person (`person_from_attributes`).
"""
from __future__ import annotations

from dataclasses import dataclass

LIMITED = 'limited'
MEDIUM_EXTENSIVE = 'medium-extensive'


@dataclass(frozen=True)
class SuomifiAttribute:
    name: str  # Suomi.fi's (friendly) name, also the key pysaml2 gives it in `ava`
    oid: str  # the Name it is sent under (NameFormat uri)
    meaning: str
    scope: str  # LIMITED or MEDIUM_EXTENSIVE
    requested: bool = False  # listed in the SP metadata's AttributeConsumingService
    required: bool = False


ATTRIBUTES = (
    SuomifiAttribute('nationalIdentificationNumber', 'urn:oid:1.2.246.21', 'henkilötunnus', LIMITED, True, True),
    SuomifiAttribute('FirstName', 'urn:oid:1.2.246.575.1.14', 'etunimet (kaikki)', LIMITED, True),
    SuomifiAttribute('givenName', 'urn:oid:2.5.4.42', 'kutsumanimi', LIMITED, True),
    SuomifiAttribute('sn', 'urn:oid:2.5.4.4', 'sukunimi', LIMITED, True, True),
    SuomifiAttribute('cn', 'urn:oid:2.5.4.3', 'sukunimi ja etunimet', LIMITED, True),
    SuomifiAttribute('displayName', 'urn:oid:2.16.840.1.113730.3.1.241', 'kutsumanimi ja sukunimi', LIMITED, True),
    # Known, so that they are named right if an IdP sends them, but not asked for: each needs the medium-extensive
    # scope. The registration form asks for the email address instead.
    SuomifiAttribute('mail', 'urn:oid:0.9.2342.19200300.100.1.3', 'sähköpostiosoite', MEDIUM_EXTENSIVE),
    SuomifiAttribute('KotikuntaKuntanumero', 'urn:oid:1.2.246.517.2002.2.18', 'kotikunnan numero', MEDIUM_EXTENSIVE),
    SuomifiAttribute('KotikuntaKuntaS', 'urn:oid:1.2.246.517.2002.2.19', 'kotikunta suomeksi', MEDIUM_EXTENSIVE),
    SuomifiAttribute('VakinainenKotimainenLahiosoiteS', 'urn:oid:1.2.246.517.2002.2.4', 'lähiosoite',
                     MEDIUM_EXTENSIVE),
    SuomifiAttribute('VakinainenKotimainenLahiosoitePostinumero', 'urn:oid:1.2.246.517.2002.2.6', 'postinumero',
                     MEDIUM_EXTENSIVE),
)

OID_TO_NAME = {attribute.oid: attribute.name for attribute in ATTRIBUTES}
REQUIRED = [attribute.name for attribute in ATTRIBUTES if attribute.requested and attribute.required]
OPTIONAL = [attribute.name for attribute in ATTRIBUTES if attribute.requested and not attribute.required]
REQUESTED_SCOPES = {attribute.scope for attribute in ATTRIBUTES if attribute.requested}


def _first(ava: dict, name: str) -> str:
    values = ava.get(name) or []
    return str(values[0]).strip() if values and str(values[0]).strip() else ''


@dataclass(frozen=True)
class NamedPerson:
    national_id: str
    first_names: str
    surname: str
    display_name: str
    first_names_are_calling_name: bool  # only givenName came: it must not replace stored full first names


def person_from_attributes(ava: dict) -> NamedPerson:
    """Names from Suomi.fi's attributes: all first names from FirstName, the calling name (givenName) only when
    FirstName is missing. Attributes the portal did not request are never read (the municipality number is no name)."""
    requested = {attribute.name for attribute in ATTRIBUTES if attribute.requested}
    ava = {name: values for name, values in ava.items() if name in requested}
    first_names, calling_name, surname = _first(ava, 'FirstName'), _first(ava, 'givenName'), _first(ava, 'sn')
    display_name = _first(ava, 'displayName') or f'{calling_name or first_names} {surname}'.strip()
    return NamedPerson(national_id=_first(ava, 'nationalIdentificationNumber'), first_names=first_names or calling_name,
                       surname=surname, display_name=display_name,
                       first_names_are_calling_name=not first_names and bool(calling_name))
