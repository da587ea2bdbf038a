"""pysaml2 attribute map: the stock SAML URI map plus the Suomi.fi attribute OIDs (from `auth.saml_attributes`).

pysaml2 drops attributes it has no name for (the national identification number among them), and a custom
`attribute_map_dir` replaces all built-in maps, so this module extends the stock `saml_uri` map. pysaml2 loads every
map-shaped dict of a module in this folder: keep exactly one (`MAP`) here.
"""
from saml2.attributemaps import saml_uri as _stock

from auth.saml_attributes import OID_TO_NAME as _SUOMIFI

MAP = {
    'identifier': _stock.MAP['identifier'],
    'fro': {**_stock.MAP['fro'], **_SUOMIFI},
    'to': {**_stock.MAP['to'], **{name: oid for oid, name in _SUOMIFI.items()}},
}
