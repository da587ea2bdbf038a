"""The bundled local test identity provider: a real SAML IdP (pysaml2) that behaves like Suomi.fi's test
identification, for development, demos and tests.

It checks the signature of the portal's AuthnRequest, and answers with a signed and encrypted assertion carrying the
Suomi.fi attribute names (OID URIs), a fresh transient NameID and the level of assurance asked for. It answers single
logout and can start one. Its key is made on first start into the data folder. It is only mounted in
SIGN_IN_MODE=test-idp and must never face real users: anyone can pick any identity here.
"""
from __future__ import annotations

import base64
import re
import secrets
import threading
import zlib
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_TRANSIENT, NameID, name_id_from_string
from saml2.samlp import STATUS_AUTHN_FAILED, STATUS_SUCCESS
from saml2.server import Server
from saml2.sigver import verify_redirect_signature
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256
from stdnum.fi import hetu

from config import Settings

from .saml_keys import ensure_keypair
from .saml_sp_metadata import ATTRIBUTE_MAP_DIR, LOA_URIS, VETUMA_NAMESPACE, XMLSEC_BINARY
from .saml_sp_metadata import metadata_xml as sp_metadata_xml


class TestIdpError(Exception):
    """A request the test IdP will not answer (bad signature, unknown service provider, malformed)."""

    __test__ = False  # not a pytest test class


@dataclass(frozen=True)
class TestPerson:
    __test__ = False  # not a pytest test class

    national_id: str
    given_name: str
    surname: str

    @property
    def display_name(self) -> str:
        return f'{self.given_name} {self.surname}'.strip()


# Suomi.fi's own test persons, the demo data's Onni (services/demo_data.py) and a few more. Individual numbers
# 900–999 are reserved for test use: they can never belong to a real person.
TEST_PERSONS = (
    TestPerson('210281-9988', 'Nordea', 'Demo'),
    TestPerson('010280-952L', 'Tessa', 'Testilä'),
    TestPerson('150585-958J', 'Onni Juhani', 'Korhonen'),
    TestPerson('311280-999J', 'Sylvi Annikki', 'Suomalainen'),
    TestPerson('010170-960F', 'Väinö', 'Virtanen'),
    TestPerson('070593-970U', 'Aino', 'Åkerlund'),
)


def valid_test_identity_number(number: str) -> bool:
    """A well-formed personal identity code (test numbers 900–999 included)."""
    return hetu.is_valid(number.strip().upper(), allow_temporary=True)


@dataclass(frozen=True)
class AuthnRequestInfo:
    """What the test IdP needs from a verified AuthnRequest to answer it."""

    request_id: str
    sp_entity_id: str
    acs_url: str
    relay_state: str
    language: str
    level_of_assurance: str


@dataclass(frozen=True)
class PostForm:
    """An HTTP-POST binding message: a form to post to `action`."""

    action: str
    saml_response: str
    relay_state: str


class TestIdentityProvider:
    """One test IdP per portal address and data folder (its keys live in `<data>/saml/`)."""

    __test__ = False  # not a pytest test class

    _instances: dict[tuple[str, str, str], TestIdentityProvider] = {}
    _lock = threading.Lock()

    def __init__(self, settings: Settings, key_name: str = 'test-idp') -> None:
        self.base_url = settings.base_url
        self.entity_id = f'{settings.base_url}/test-idp/metadata'
        key, cert = ensure_keypair(settings.data_dir / 'saml', key_name, 'Portal test IdP')
        self._config_dict = {
            'entityid': self.entity_id,
            'xmlsec_binary': XMLSEC_BINARY,
            'attribute_map_dir': str(ATTRIBUTE_MAP_DIR),
            'key_file': str(key),
            'cert_file': str(cert),
            'accepted_time_diff': 60,
            'service': {'idp': {
                'name': 'Suomi.fi-tunnistus (paikallinen testi)',
                'endpoints': {
                    'single_sign_on_service': [(f'{self.base_url}/test-idp/sso', BINDING_HTTP_REDIRECT)],
                    'single_logout_service': [(f'{self.base_url}/test-idp/slo', BINDING_HTTP_REDIRECT)],
                },
                'name_id_format': [NAMEID_FORMAT_TRANSIENT],
                'want_authn_requests_signed': True,
                'sign_response': True,
                'sign_assertion': True,
                'encrypt_assertion': True,
                'signing_algorithm': SIG_RSA_SHA256,
                'digest_algorithm': DIGEST_SHA256,
                'policy': {'default': {'lifetime': {'minutes': 5}, 'name_form': NAME_FORMAT_URI,
                                       'attribute_restrictions': None}},
            }},
            'signing_algorithm': SIG_RSA_SHA256,
            'digest_algorithm': DIGEST_SHA256,
        }
        self._settings = settings
        self._server: Server | None = None
        self._metadata: str | None = None

    @classmethod
    def for_settings(cls, settings: Settings) -> TestIdentityProvider:
        key = (settings.base_url, str(settings.data_dir), settings.saml_level_of_assurance)
        with cls._lock:
            if key not in cls._instances:
                cls._instances[key] = cls(settings)
            return cls._instances[key]

    def metadata_xml(self) -> str:
        if self._metadata is None:  # made once: pysaml2 runs xmlsec1 to list algorithms each time
            self._metadata = create_metadata_string(None, config=IdPConfig().load(self._config_dict)).decode()
        return self._metadata

    @property
    def server(self) -> Server:
        """The pysaml2 server, made on first use: it needs the SP's metadata, which needs this IdP's metadata."""
        if self._server is None:
            config = IdPConfig().load({**self._config_dict,
                                       'metadata': {'inline': [sp_metadata_xml(self._settings)]}})
            self._server = Server(config=config)
        return self._server

    # --- single sign-on -------------------------------------------------------------------------------------------

    def parse_authn_request(self, query_string: str) -> AuthnRequestInfo:
        """Verify a redirect-bound AuthnRequest (its signature included) and say what it asks for."""
        query = _single_values(query_string)
        if 'SAMLRequest' not in query:
            raise TestIdpError('SAMLRequest puuttuu')
        if not query.get('Signature') or query.get('SigAlg') != SIG_RSA_SHA256:
            raise TestIdpError('Pyyntöä ei ole allekirjoitettu RSA-SHA256-algoritmilla')
        try:
            parsed = self.server.parse_authn_request(query['SAMLRequest'], BINDING_HTTP_REDIRECT,
                                                     relay_state=query.get('RelayState'),
                                                     sigalg=query['SigAlg'], signature=query['Signature'])
        except Exception as error:  # pysaml2 raises many classes for a bad request
            raise TestIdpError(f'Pyyntö ei kelpaa ({type(error).__name__})') from None
        if parsed is None:
            raise TestIdpError('Pyyntö ei kelpaa')
        message = parsed.message
        binding_info = self.server.response_args(message, [BINDING_HTTP_POST])
        requested = message.requested_authn_context
        refs = [ref.text for ref in requested.authn_context_class_ref] if requested is not None else []
        level = next((ref for ref in refs if ref in LOA_URIS.values()), LOA_URIS['loa3'])
        return AuthnRequestInfo(request_id=message.id, sp_entity_id=message.issuer.text,
                                acs_url=binding_info['destination'], relay_state=query.get('RelayState', ''),
                                language=_language_hint(message), level_of_assurance=level)

    def issue_response(self, request: AuthnRequestInfo | None, person: TestPerson, *, sp_entity_id: str | None = None,
                       acs_url: str | None = None, relay_state: str = '',
                       level_of_assurance: str | None = None, sign: bool = True, sign_response: bool | None = None,
                       encrypt: bool = True, attributes: dict[str, list[str]] | None = None,
                       sign_alg: str = SIG_RSA_SHA256) -> PostForm:
        """A signed and encrypted answer for `person`, as Suomi.fi would send it.

        Without `request` the answer is unsolicited. The keyword overrides exist so that tests can produce the wrong
        answers the portal must refuse (unsolicited, unsigned, unencrypted, a weaker level); the pages never use them.
        `sign` signs the assertion and, unless `sign_response` says otherwise, the response around it. `attributes`
        replaces the attribute statement (by Suomi.fi name).
        """
        sp_entity_id = sp_entity_id or (request.sp_entity_id if request else '')
        destination = acs_url or (request.acs_url if request else '')
        identity = {
            'nationalIdentificationNumber': [person.national_id.upper()],
            'givenName': [person.given_name.split()[0] if person.given_name else ''],
            'FirstName': [person.given_name],
            'sn': [person.surname],
            'cn': [f'{person.surname} {person.given_name}'.strip()],
            'displayName': [person.display_name],
        } if attributes is None else attributes
        name_id = NameID(format=NAMEID_FORMAT_TRANSIENT, text='AAdzZWNyZXQx' + secrets.token_hex(16),
                         name_qualifier=self.entity_id, sp_name_qualifier=sp_entity_id)
        level = level_of_assurance or (request.level_of_assurance if request else LOA_URIS['loa3'])
        encrypt_cert = None
        if encrypt:
            certs = self.server.metadata.certs(sp_entity_id, 'spsso', 'encryption')
            encrypt_cert = certs[0][1] if certs else None
        response = self.server.create_authn_response(
            identity, request.request_id if request else None, destination, sp_entity_id,
            name_id=name_id, authn={'class_ref': level, 'authn_auth': self.entity_id},
            sign_response=sign if sign_response is None else sign_response, sign_assertion=sign,
            encrypt_assertion=encrypt,
            encrypt_cert_assertion=encrypt_cert, sign_alg=sign_alg, digest_alg=DIGEST_SHA256)
        encoded = base64.b64encode(str(response).encode()).decode()
        return PostForm(destination, encoded, relay_state or (request.relay_state if request else ''))

    def cancel_response(self, request: AuthnRequestInfo) -> PostForm:
        """A signed 'authentication failed' answer, as when the user presses Keskeytä at Suomi.fi."""
        response = self.server.create_error_response(
            request.request_id, request.acs_url, (STATUS_AUTHN_FAILED, 'Tunnistautuminen keskeytettiin'),
            sign=True, sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256)
        encoded = base64.b64encode(str(response).encode()).decode()
        return PostForm(request.acs_url, encoded, request.relay_state)

    # --- single logout --------------------------------------------------------------------------------------------

    def answer_logout(self, query_string: str) -> str:
        """Verify an SP's redirect-bound LogoutRequest and return the URL of the signed LogoutResponse."""
        query = _single_values(query_string)
        if 'SAMLRequest' not in query or query.get('SigAlg') != SIG_RSA_SHA256 or not query.get('Signature'):
            raise TestIdpError('Allekirjoitettu uloskirjautumispyyntö puuttuu')
        try:
            parsed = self.server.parse_logout_request(query['SAMLRequest'], BINDING_HTTP_REDIRECT,
                                                      relay_state=query.get('RelayState'),
                                                      sigalg=query['SigAlg'], signature=query['Signature'])
        except Exception as error:
            raise TestIdpError(f'Uloskirjautumispyyntö ei kelpaa ({type(error).__name__})') from None
        if parsed is None:
            raise TestIdpError('Uloskirjautumispyyntö ei kelpaa')
        answer = self.server.create_logout_response(parsed.message, [BINDING_HTTP_REDIRECT], sign=False)
        destination = self.server.metadata.single_logout_service(parsed.message.issuer.text,
                                                                 BINDING_HTTP_REDIRECT, 'spsso')[0]['location']
        info = self.server.apply_binding(BINDING_HTTP_REDIRECT, str(answer), destination,
                                         query.get('RelayState', ''), response=True, sign=True,
                                         sigalg=SIG_RSA_SHA256)
        return dict(info['headers'])['Location']

    def check_logout_answer(self, query_string: str) -> None:
        """Verify an SP's redirect-bound LogoutResponse (signature and status)."""
        query = _single_values(query_string)
        if query.get('SigAlg') != SIG_RSA_SHA256 or not query.get('Signature'):
            raise TestIdpError('Uloskirjautumisvastausta ei ole allekirjoitettu')
        issuer = re.search(r'<(?:[\w-]+:)?Issuer[^>]*>([^<]+)</', decode_redirect_message(query_string, 'SAMLResponse'))
        certs = self.server.metadata.certs(issuer.group(1) if issuer else '', 'spsso', 'signing')
        message = {key: query[key] for key in ('SAMLResponse', 'RelayState', 'SigAlg', 'Signature') if key in query}
        if not any(verify_redirect_signature(message, self.server.sec.sec_backend, cert) for _name, cert in certs):
            raise TestIdpError('Uloskirjautumisvastauksen allekirjoitus ei täsmää')
        try:
            answer = self.server.parse_logout_request_response(query['SAMLResponse'], BINDING_HTTP_REDIRECT)
        except Exception as error:
            raise TestIdpError(f'Uloskirjautumisvastaus ei kelpaa ({type(error).__name__})') from None
        if answer is None or answer.response.status.status_code.value != STATUS_SUCCESS:
            raise TestIdpError('Palvelu ei vahvistanut uloskirjautumista')

    def start_logout(self, sp_entity_id: str, name_id_xml: str, session_index: str | None,
                     sigalg: str = SIG_RSA_SHA256) -> str:
        """An IdP-initiated LogoutRequest to the SP (as when the user signs out of another Suomi.fi service)."""
        destination = self.server.metadata.single_logout_service(sp_entity_id, BINDING_HTTP_REDIRECT,
                                                                 'spsso')[0]['location']
        _request_id, request = self.server.create_logout_request(
            destination, sp_entity_id, name_id=name_id_from_string(name_id_xml), sign=False,
            session_indexes=[session_index] if session_index else None)
        info = self.server.apply_binding(BINDING_HTTP_REDIRECT, str(request), destination, '', sign=True,
                                         sigalg=sigalg)
        return dict(info['headers'])['Location']


def _single_values(query_string: str) -> dict[str, str]:
    if '?' in query_string:
        query_string = urlsplit(query_string).query
    return {key: values[0] for key, values in parse_qs(query_string, keep_blank_values=True).items()}


def _language_hint(message) -> str:
    """The language from Suomi.fi's <vetuma><LG> extension, 'fi' when absent."""
    extensions = message.extensions
    for element in (extensions.extension_elements if extensions is not None else []):
        if element.tag == 'vetuma' and element.namespace == VETUMA_NAMESPACE:
            for child in element.children:
                if child.tag == 'LG' and child.text in ('fi', 'sv', 'en'):
                    return child.text
    return 'fi'


def decode_redirect_message(url: str, parameter: str = 'SAMLRequest') -> str:
    """The XML inside a redirect-bound message (for logs and tests)."""
    return zlib.decompress(base64.b64decode(_single_values(url)[parameter]), -15).decode()
