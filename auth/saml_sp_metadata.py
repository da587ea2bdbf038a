"""The service provider's own SAML configuration and metadata: what Suomi.fi registers and the local test IdP trusts.

Apart from `auth.saml_sp` (the sign-in flow) so that the test IdP can read the SP's metadata without importing the
module that talks to it.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, md
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor, metadata_tostring_fix
from saml2.saml import NAMEID_FORMAT_TRANSIENT
from saml2.validate import valid_instance
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from config import Settings, get_settings

from .saml_attributes import OPTIONAL, REQUIRED
from .saml_keys import ensure_keypair

CLOCK_SKEW_SECONDS = 60
XMLSEC_BINARY = '/usr/bin/xmlsec1'
ATTRIBUTE_MAP_DIR = Path(__file__).resolve().parent / 'saml_attribute_maps'
LOA_URIS = {'loa2': 'http://ftn.ficora.fi/2017/loa2', 'loa3': 'http://ftn.ficora.fi/2017/loa3'}
VETUMA_NAMESPACE = 'urn:vetuma:SAML:2.0:extensions'  # Suomi.fi's language hint: <vetuma><LG>fi</LG></vetuma>
SERVICE_NAMES = {'fi': 'Asiakaspalveluportaali', 'sv': 'Kundtjänstportalen', 'en': 'Customer service portal'}
SERVICE_DESCRIPTIONS = {'fi': 'Palvelukeskuksen asiakaspalveluportaali',
                        'sv': 'Servicecentralens kundtjänstportal',
                        'en': "The shared services centre's customer service portal"}
# Algorithms the metadata advertises: SHA-256 or stronger (pysaml2 lists everything xmlsec1 knows, md5 and sha1 too).
STRONG_ALGORITHMS = {'http://www.w3.org/2001/04/xmlenc#sha256', 'http://www.w3.org/2001/04/xmldsig-more#sha384',
                     'http://www.w3.org/2001/04/xmlenc#sha512', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
                     'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
                     'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512'}


def _saml_folder(settings: Settings) -> Path:
    return settings.data_dir / 'saml'


def sp_entity_id(settings: Settings) -> str:
    """SAML_SP_ENTITY_ID, registered at Suomi.fi; in the test modes it defaults to <BASE_URL>/saml/metadata."""
    return settings.saml_sp_entity_id


def _keypairs(settings: Settings) -> tuple[tuple[Path, Path], tuple[Path, Path]]:
    """(signing key, certificate) and (encryption key, certificate): the configured ones, else generated ones."""
    folder, host = _saml_folder(settings), urlsplit(settings.base_url).hostname
    signing = (settings.saml_signing_key, settings.saml_signing_cert)
    encryption = (settings.saml_encryption_key, settings.saml_encryption_cert)
    return (signing if signing[0] and signing[1] else ensure_keypair(folder, 'sp-signing', f'{host} SAML signing'),
            encryption if encryption[0] and encryption[1] else
            ensure_keypair(folder, 'sp-encryption', f'{host} SAML encryption'))  # type: ignore[return-value]


def _contact(kind: str, name_and_email: tuple[str, str], company: str) -> dict:
    name, email = name_and_email
    given, _, surname = name.partition(' ')
    contact: dict = {'contact_type': kind, 'company': company, 'email_address': [f'mailto:{email}']}
    if given:
        contact['given_name'] = given
    if surname:
        contact['sur_name'] = surname
    return contact


def sp_settings(settings: Settings) -> dict:
    """The SP configuration without the IdP metadata (enough for our own metadata)."""
    base = settings.base_url
    (sign_key, sign_cert), (enc_key, enc_cert) = _keypairs(settings)
    organisation = settings.saml_organization_name
    return {
        'entityid': sp_entity_id(settings),
        'xmlsec_binary': XMLSEC_BINARY,
        'attribute_map_dir': str(ATTRIBUTE_MAP_DIR),
        'key_file': str(sign_key),
        'cert_file': str(sign_cert),
        'encryption_keypairs': [{'key_file': str(enc_key), 'cert_file': str(enc_cert)}],
        'accepted_time_diff': CLOCK_SKEW_SECONDS,
        'allow_unknown_attributes': True,
        'entity_attributes': [{'name': 'FinnishAuthMethod', 'format': 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
                               'values': [LOA_URIS[settings.saml_level_of_assurance]]}],
        'organization': {'name': [(organisation, lang) for lang in SERVICE_NAMES],
                         'display_name': [(organisation, lang) for lang in SERVICE_NAMES],
                         'url': [(settings.saml_organization_url, lang) for lang in SERVICE_NAMES]},
        'contact_person': [_contact('technical', settings.saml_technical_contact, organisation),
                           _contact('support', settings.saml_support_contact, organisation)],
        'service': {'sp': {
            'ui_info': {'display_name': [{'text': text, 'lang': lang} for lang, text in SERVICE_NAMES.items()],
                        'description': [{'text': text, 'lang': lang} for lang, text in SERVICE_DESCRIPTIONS.items()]},
            'endpoints': {
                'assertion_consumer_service': [(f'{base}/saml/acs', BINDING_HTTP_POST)],
                'single_logout_service': [(f'{base}/saml/slo', BINDING_HTTP_REDIRECT)],
            },
            'required_attributes': REQUIRED,
            'optional_attributes': OPTIONAL,
            'authn_requests_signed': True,
            'logout_requests_signed': True,
            'logout_responses_signed': True,
            'want_assertions_signed': True,
            'want_response_signed': False,  # Suomi.fi signs the assertion; the response signature is optional
            'allow_unsolicited': False,
            'name_id_format': [NAMEID_FORMAT_TRANSIENT],
            'name_id_policy_format': NAMEID_FORMAT_TRANSIENT,
            'name_id_format_allow_create': False,
            'requested_authn_context': {'authn_context_class_ref': [LOA_URIS[settings.saml_level_of_assurance]],
                                        'comparison': 'exact'},
            # Inside service.sp: at the top level these affect only the metadata (messages would be rsa-sha1).
            'signing_algorithm': SIG_RSA_SHA256,
            'digest_algorithm': DIGEST_SHA256,
        }},
        'signing_algorithm': SIG_RSA_SHA256,
        'digest_algorithm': DIGEST_SHA256,
    }


def metadata_xml(settings: Settings | None = None) -> str:
    """The SP metadata to register at Suomi.fi (and to give the local test IdP).

    pysaml2 takes ServiceName and ServiceDescription from its top-level config in one language only, and advertises
    every algorithm xmlsec1 knows: both are put right on the descriptor before it is written out.
    """
    descriptor = entity_descriptor(SPConfig().load(sp_settings(settings or get_settings())))
    if descriptor.extensions is not None:
        descriptor.extensions.extension_elements = [
            element for element in descriptor.extensions.extension_elements
            if element.tag not in ('DigestMethod', 'SigningMethod') or
            element.attributes.get('Algorithm') in STRONG_ALGORITHMS]
    for service in descriptor.spsso_descriptor.attribute_consuming_service:
        service.service_name = [md.ServiceName(text=text, lang=lang) for lang, text in SERVICE_NAMES.items()]
        service.service_description = [md.ServiceDescription(text=text, lang=lang)
                                       for lang, text in SERVICE_DESCRIPTIONS.items()]
    valid_instance(descriptor)
    return metadata_tostring_fix(descriptor, {'xs': 'http://www.w3.org/2001/XMLSchema'}, None).decode()
