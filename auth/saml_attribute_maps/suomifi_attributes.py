"""pysaml2 attribute map: the stock SAML URI map plus the Suomi.fi attribute OIDs.

pysaml2 drops attributes it has no name for (the national identification number among them), and a custom
`attribute_map_dir` replaces all built-in maps, so this module extends the stock `saml_uri` map. pysaml2 loads every
map-shaped dict of a module in this folder: keep exactly one (`MAP`) here.
"""
from saml2.attributemaps import saml_uri as _stock

SUOMIFI_ATTRIBUTES = {
    'urn:oid:1.2.246.21': 'nationalIdentificationNumber',
    'urn:oid:2.5.4.42': 'givenName',
    'urn:oid:2.5.4.4': 'sn',
    'urn:oid:2.5.4.3': 'cn',
    'urn:oid:2.16.840.1.113730.3.1.241': 'displayName',
    'urn:oid:0.9.2342.19200300.100.1.3': 'mail',
    'urn:oid:1.2.246.517.2002.2.18': 'FirstName',  # Suomi.fi's "Etunimet" (all first names)
}

MAP = {
    'identifier': _stock.MAP['identifier'],
    'fro': {**_stock.MAP['fro'], **SUOMIFI_ATTRIBUTES},
    'to': {**_stock.MAP['to'], **{name: oid for oid, name in SUOMIFI_ATTRIBUTES.items()}},
}
