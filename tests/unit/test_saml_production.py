"""What a real Suomi.fi deployment needs of the service provider, with real keys and xmlsec1: the attribute table
(FirstName before the calling name, the municipality number never a name), complete metadata with strong algorithms
only, production settings that stop start-up when missing, IdP metadata that is verified, refreshed and kept when a
refresh fails (two IdP certificates at once included), the login bound to its browser, and logout edge cases."""
from __future__ import annotations

import datetime
import http.server
import shutil
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from defusedxml import ElementTree
from saml2 import md
from saml2.config import Config
from saml2.metadata import sign_entity_descriptor
from saml2.sigver import security_context
from saml2.xmldsig import SIG_RSA_SHA1, SIG_RSA_SHA256, SIG_RSA_SHA512

import config
from auth import saml_idp_metadata, saml_sp
from auth.saml_attributes import ATTRIBUTES, LIMITED, OID_TO_NAME
from auth.saml_sp import SamlRefused
from auth.test_idp import TEST_PERSONS, TestIdentityProvider, decode_redirect_message
from config import ConfigError, load_settings
from models import User
from models.db import session_scope
from services.registration import IdentifiedPerson, user_for_identification
from tests.support.rows import found
from tests.unit.test_saml import _complete, _login, _refusal, _signed_in_session

pytestmark = pytest.mark.db

ONNI = TEST_PERSONS[2]  # Onni Juhani Korhonen
MD_NS = '{urn:oasis:names:tc:SAML:2.0:metadata}'
WEAK = ('md5', 'sha1', 'dsa', 'ripemd', 'sha224')


# --- attributes ---------------------------------------------------------------------------------------------------

def test_the_attribute_table_names_suomifi_oids_and_requests_only_the_limited_scope() -> None:
    assert OID_TO_NAME['urn:oid:1.2.246.575.1.14'] == 'FirstName'
    assert OID_TO_NAME['urn:oid:2.5.4.42'] == 'givenName'
    assert OID_TO_NAME['urn:oid:1.2.246.517.2002.2.18'] == 'KotikuntaKuntanumero'
    assert {attribute.scope for attribute in ATTRIBUTES if attribute.requested} == {LIMITED}
    assert len(OID_TO_NAME) == len(ATTRIBUTES)  # one row per OID


def test_first_names_come_from_firstname_not_the_calling_name(idp: TestIdentityProvider) -> None:
    request = _login(idp)
    answer = idp.issue_response(request, ONNI, attributes={
        'nationalIdentificationNumber': [ONNI.national_id], 'givenName': ['Onni'], 'FirstName': ['Onni Juhani'],
        'sn': ['Korhonen'], 'displayName': ['Onni Korhonen'], 'KotikuntaKuntanumero': ['179']})
    identity = _complete(answer.saml_response, answer.relay_state)
    assert (identity.given_name, identity.surname, identity.given_name_is_calling_name) == \
        ('Onni Juhani', 'Korhonen', False)


def test_the_municipality_number_is_never_a_name_and_a_calling_name_keeps_stored_first_names(
        idp: TestIdentityProvider) -> None:
    person = IdentifiedPerson(ONNI.national_id, 'Onni Juhani', 'Korhonen', 'Onni Juhani Korhonen')
    user_id = user_for_identification(person)
    # Suomi.fi sends the calling name and the home municipality number (179, Jyväskylä) but no FirstName.
    request = _login(idp)
    answer = idp.issue_response(request, ONNI, attributes={
        'nationalIdentificationNumber': [ONNI.national_id], 'givenName': ['Onni'], 'sn': ['Korhonen'],
        'KotikuntaKuntanumero': ['179']})
    identity = _complete(answer.saml_response, answer.relay_state)
    assert '179' not in (identity.given_name + identity.surname + identity.display_name)
    assert (identity.given_name, identity.given_name_is_calling_name) == ('Onni', True)
    assert user_for_identification(IdentifiedPerson(
        identity.national_id, identity.given_name, identity.surname, identity.display_name,
        given_name_is_calling_name=identity.given_name_is_calling_name)) == user_id
    with session_scope() as db:
        assert found(db.get(User, user_id)).given_name == 'Onni Juhani'
    # No first name attribute at all: an empty first name, still never the number.
    request = _login(idp)
    answer = idp.issue_response(request, ONNI, attributes={
        'nationalIdentificationNumber': [ONNI.national_id], 'sn': ['Korhonen'], 'KotikuntaKuntanumero': ['179']})
    identity = _complete(answer.saml_response, answer.relay_state)
    assert (identity.given_name, identity.display_name) == ('', 'Korhonen')


# --- SP metadata --------------------------------------------------------------------------------------------------

def test_metadata_has_organisation_contacts_service_names_and_only_strong_algorithms(
        idp: TestIdentityProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('SAML_ORGANIZATION_NAME', 'Palvelukeskus Oy')
    monkeypatch.setenv('SAML_TECHNICAL_CONTACT', 'Teija Tekninen <tekninen@example.fi>')
    monkeypatch.setenv('SAML_SUPPORT_CONTACT', 'Asiakastuki <tuki@example.fi>')
    root = ElementTree.fromstring(saml_sp.metadata_xml(config.reload_settings()))
    organisation = root.find(f'{MD_NS}Organization')
    assert [name.text for name in organisation.findall(f'{MD_NS}OrganizationName')] == ['Palvelukeskus Oy'] * 3
    assert organisation.find(f'{MD_NS}OrganizationURL').text
    contacts = {contact.get('contactType'): contact.find(f'{MD_NS}EmailAddress').text
                for contact in root.findall(f'{MD_NS}ContactPerson')}
    assert contacts == {'technical': 'mailto:tekninen@example.fi', 'support': 'mailto:tuki@example.fi'}
    service = root.find(f'{MD_NS}SPSSODescriptor/{MD_NS}AttributeConsumingService')
    lang = '{http://www.w3.org/XML/1998/namespace}lang'
    for element in ('ServiceName', 'ServiceDescription'):
        texts = {name.get(lang): name.text for name in service.findall(f'{MD_NS}{element}')}
        assert set(texts) == {'fi', 'sv', 'en'} and all(texts.values())
    requested = {attribute.get('Name') for attribute in service.findall(f'{MD_NS}RequestedAttribute')}
    assert 'urn:oid:1.2.246.575.1.14' in requested and 'urn:oid:1.2.246.517.2002.2.18' not in requested
    algorithms = [element.get('Algorithm') for element in root.iter()
                  if element.tag.endswith(('}DigestMethod', '}SigningMethod'))]
    assert algorithms and not [algorithm for algorithm in algorithms if any(weak in algorithm for weak in WEAK)]
    assert any(algorithm.endswith('rsa-sha256') for algorithm in algorithms)


def test_the_entity_id_does_not_follow_base_url(idp: TestIdentityProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('SAML_SP_ENTITY_ID', 'https://asiointi.example.fi/sp')
    monkeypatch.setenv('BASE_URL', 'https://uusi-osoite.example.fi')
    monkeypatch.setenv('ALLOW_INSECURE_DEMO_ON_NETWORK', 'true')  # the bundled test IdP on a public address
    root = ElementTree.fromstring(saml_sp.metadata_xml(config.reload_settings()))
    assert root.get('entityID') == 'https://asiointi.example.fi/sp'
    acs = root.find(f'{MD_NS}SPSSODescriptor/{MD_NS}AssertionConsumerService')
    assert acs.get('Location') == 'https://uusi-osoite.example.fi/saml/acs'


# --- production settings -----------------------------------------------------------------------------------------

def _certificate(subject: str, key: rsa.RSAPrivateKey, issuer: tuple[str, rsa.RSAPrivateKey] | None = None,
                 ca: bool = False, ip: str | None = None) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    issuer_name, issuer_key = issuer or (subject, key)
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
               .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)]))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=30))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ip:
        import ipaddress

        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]),
                                        critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _write_pair(folder: Path, name: str, key: rsa.RSAPrivateKey, certificate: x509.Certificate) -> tuple[Path, Path]:
    key_path, cert_path = folder / f'{name}.key', folder / f'{name}.crt'
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


@pytest.fixture(scope='module')
def certificate_authority(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A CA and key pairs: CA-issued signing and encryption pairs, a self-signed one, and a localhost TLS pair."""
    folder = tmp_path_factory.mktemp('ca')
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_cert = _certificate('Testi-CA', ca_key, ca=True)
    paths = dict(zip(('ca-key', 'ca'), _write_pair(folder, 'ca', ca_key, ca_cert), strict=True))
    for name in ('signing', 'encryption', 'self-signed', 'tls'):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        certificate = _certificate(name, key, None if name == 'self-signed' else ('Testi-CA', ca_key),
                                   ip='127.0.0.1' if name == 'tls' else None)
        paths[f'{name}-key'], paths[name] = _write_pair(folder, name, key, certificate)
    return paths


def _production_env(tmp_path: Path, paths: dict[str, Path], metadata: Path) -> dict[str, str]:
    return {'DATA_DIR': str(tmp_path), 'SIGN_IN_MODE': 'production', 'BASE_URL': 'https://asiointi.example.fi',
            'SAML_IDP_METADATA': str(metadata), 'SAML_IDP_METADATA_SIGNING_CERT': str(paths['ca']),
            'SAML_SP_ENTITY_ID': 'https://asiointi.example.fi/sp',
            'SAML_SIGNING_KEY': str(paths['signing-key']), 'SAML_SIGNING_CERT': str(paths['signing']),
            'SAML_ENCRYPTION_KEY': str(paths['encryption-key']), 'SAML_ENCRYPTION_CERT': str(paths['encryption']),
            'SAML_ORGANIZATION_NAME': 'Palvelukeskus Oy', 'SAML_TECHNICAL_CONTACT': 'tekninen@example.fi',
            'SAML_SUPPORT_CONTACT': 'Tuki <tuki@example.fi>'}


def test_production_starts_only_with_every_setting_and_ca_issued_certificates(
        tmp_path: Path, certificate_authority: dict[str, Path]) -> None:
    metadata = tmp_path / 'idp.xml'
    metadata.write_text('<x/>', encoding='utf-8')
    env = _production_env(tmp_path, certificate_authority, metadata)
    settings = load_settings(env)
    assert settings.saml_sp_entity_id == 'https://asiointi.example.fi/sp'
    assert settings.saml_signing_cert == certificate_authority['signing']
    for name in ('SAML_SP_ENTITY_ID', 'SAML_SIGNING_KEY', 'SAML_ENCRYPTION_CERT', 'SAML_IDP_METADATA_SIGNING_CERT',
                 'SAML_ORGANIZATION_NAME', 'SAML_TECHNICAL_CONTACT', 'SAML_SUPPORT_CONTACT'):
        with pytest.raises(ConfigError, match=name):
            load_settings({key: value for key, value in env.items() if key != name})
    with pytest.raises(ConfigError, match='BASE_URL must be an https'):
        load_settings({**env, 'BASE_URL': 'http://asiointi.example.fi'})
    with pytest.raises(ConfigError, match='self-signed'):
        load_settings({**env, 'SAML_SIGNING_KEY': str(certificate_authority['self-signed-key']),
                       'SAML_SIGNING_CERT': str(certificate_authority['self-signed'])})
    with pytest.raises(ConfigError, match='does not belong to the key'):
        load_settings({**env, 'SAML_SIGNING_CERT': str(certificate_authority['encryption'])})
    with pytest.raises(ConfigError, match='SAML_SIGNATURE_ALGORITHMS'):
        load_settings({**env, 'SAML_SIGNATURE_ALGORITHMS': 'rsa-sha1'})
    with pytest.raises(ConfigError, match='https'):
        load_settings({**env, 'SAML_IDP_METADATA': 'http://tunnistus.example.fi/metadata.xml'})
    # The test modes accept a self-signed pair (and generate one when none is named).
    test_mode = {**env, 'SIGN_IN_MODE': 'suomifi-test',
                 'SAML_SIGNING_KEY': str(certificate_authority['self-signed-key']),
                 'SAML_SIGNING_CERT': str(certificate_authority['self-signed'])}
    assert load_settings(test_mode).saml_signing_cert == certificate_authority['self-signed']


# --- IdP metadata -------------------------------------------------------------------------------------------------

def _signed(xml: str, key: Path, cert: Path) -> str:
    """The metadata signed as Suomi.fi signs its own: an enveloped signature over the whole EntityDescriptor."""
    signer = Config()
    signer.key_file, signer.cert_file, signer.xmlsec_binary = str(key), str(cert), saml_sp.XMLSEC_BINARY
    _descriptor, signed = sign_entity_descriptor(md.entity_descriptor_from_string(xml), None,
                                                 security_context(signer), SIG_RSA_SHA256)
    return signed


def _with_second_signing_certificate(xml: str, cert: Path) -> str:
    """The IdP's metadata during a certificate rotation: the next signing certificate listed beside the current."""
    body = ''.join(line for line in cert.read_text().splitlines() if '-----' not in line)
    descriptor = (f'<ns0:KeyDescriptor use="signing"><ns1:KeyInfo xmlns:ns1="http://www.w3.org/2000/09/xmldsig#">'
                  f'<ns1:X509Data><ns1:X509Certificate>{body}</ns1:X509Certificate></ns1:X509Data></ns1:KeyInfo>'
                  f'</ns0:KeyDescriptor>')
    start = xml.index('<ns0:KeyDescriptor')
    return xml[:start] + descriptor + xml[start:]


@pytest.fixture
def suomifi_test_mode(idp: TestIdentityProvider, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      certificate_authority: dict[str, Path]) -> Path:
    """SIGN_IN_MODE=suomifi-test with the test IdP's metadata (signed by the CA's key) in a file; yields the file."""
    metadata = tmp_path / 'idp-metadata.xml'
    metadata.write_text(_signed(idp.metadata_xml(), certificate_authority['ca-key'], certificate_authority['ca']),
                        encoding='utf-8')
    monkeypatch.setenv('SIGN_IN_MODE', 'suomifi-test')
    monkeypatch.setenv('SAML_IDP_METADATA', str(metadata))
    monkeypatch.setenv('SAML_IDP_METADATA_SIGNING_CERT', str(certificate_authority['ca']))
    config.reload_settings()
    return metadata


def test_signed_idp_metadata_is_used_and_a_refused_refresh_keeps_the_last_good_copy(
        idp: TestIdentityProvider, suomifi_test_mode: Path, certificate_authority: dict[str, Path]) -> None:
    settings = config.get_settings()
    good = suomifi_test_mode.read_text(encoding='utf-8')
    assert saml_idp_metadata.current(settings).xml == good
    assert saml_idp_metadata.last_good_copy_path(settings).read_text(encoding='utf-8') == good
    request = _login(idp)
    answer = idp.issue_response(request, TEST_PERSONS[0])
    assert _complete(answer.saml_response, answer.relay_state).surname == 'Demo'
    # Altered on the way (another SSO address), unsigned, signed by someone else or expired: refused, the good copy
    # stays.
    altered = good.replace('/test-idp/sso', '/evil/sso')
    unsigned = idp.metadata_xml()
    other_signer = _signed(unsigned, certificate_authority['self-signed-key'], certificate_authority['self-signed'])
    expired = _signed(unsigned.replace('entityID=', 'validUntil="2020-01-01T00:00:00Z" entityID=', 1),
                      certificate_authority['ca-key'], certificate_authority['ca'])
    for bad in (altered, unsigned, other_signer, expired, 'not xml'):
        suomifi_test_mode.write_text(bad, encoding='utf-8')
        assert saml_idp_metadata.refresh(settings) is False
        assert saml_idp_metadata.current(settings).xml == good
    # A restart while the source is broken starts from the last good copy on disk.
    saml_idp_metadata._current.clear()
    assert saml_idp_metadata.current(settings).xml == good
    assert saml_idp_metadata.current(settings).source.endswith('idp-metadata-last-good.xml')


def test_two_idp_signing_certificates_work_during_a_rotation(
        idp: TestIdentityProvider, suomifi_test_mode: Path, certificate_authority: dict[str, Path]) -> None:
    settings = config.get_settings()
    next_idp = TestIdentityProvider(settings, key_name='rogue-idp')  # same entity, the next key
    rotated = _with_second_signing_certificate(idp.metadata_xml(), settings.data_dir / 'saml' / 'rogue-idp.crt')
    suomifi_test_mode.write_text(_signed(rotated, certificate_authority['ca-key'], certificate_authority['ca']),
                                 encoding='utf-8')
    assert saml_idp_metadata.refresh(settings) is True
    for issuer in (idp, next_idp):
        request = _login(idp)
        answer = issuer.issue_response(request, TEST_PERSONS[0])
        assert _complete(answer.saml_response, answer.relay_state).surname == 'Demo'


class _MetadataHandler(http.server.BaseHTTPRequestHandler):
    body = b''

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header('Content-Type', 'application/samlmetadata+xml')
        self.end_headers()
        self.wfile.write(type(self).body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def https_metadata_server(certificate_authority: dict[str, Path],
                          monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, type[_MetadataHandler]]]:
    """An https server on 127.0.0.1 with a certificate of the test CA, which this process trusts."""
    handler = type('Handler', (_MetadataHandler,), {})
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate_authority['tls'], certificate_authority['tls-key'])
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv('SSL_CERT_FILE', str(certificate_authority['ca']))
    yield f'https://127.0.0.1:{server.server_address[1]}/metadata.xml', handler
    server.shutdown()
    server.server_close()


def test_idp_metadata_from_an_https_address(idp: TestIdentityProvider, monkeypatch: pytest.MonkeyPatch,
                                            certificate_authority: dict[str, Path],
                                            https_metadata_server: tuple[str, type[_MetadataHandler]]) -> None:
    url, handler = https_metadata_server
    handler.body = _signed(idp.metadata_xml(), certificate_authority['ca-key'], certificate_authority['ca']).encode()
    monkeypatch.setenv('SIGN_IN_MODE', 'suomifi-test')
    monkeypatch.setenv('SAML_IDP_METADATA', url)
    monkeypatch.setenv('SAML_IDP_METADATA_SIGNING_CERT', str(certificate_authority['ca']))
    settings = config.reload_settings()
    assert saml_idp_metadata.refresh(settings) is True
    assert saml_idp_metadata.current(settings).source == url
    request = _login(idp)
    answer = idp.issue_response(request, TEST_PERSONS[0])
    assert _complete(answer.saml_response, answer.relay_state).surname == 'Demo'
    handler.body = b'<html>Service unavailable</html>'
    assert saml_idp_metadata.refresh(settings) is False
    assert saml_idp_metadata.current(settings).source == url  # the good copy is still in use


# --- login bound to its browser, signature algorithms, logout -----------------------------------------------------

def test_an_answer_posted_in_another_browser_is_refused_and_leaves_the_login_usable(idp: TestIdentityProvider) -> None:
    request = _login(idp)
    answer = idp.issue_response(request, TEST_PERSONS[0])
    for other_browser in (None, '', saml_sp.browser_binding('someone-elses-relay-state')):
        with pytest.raises(SamlRefused) as refused:
            saml_sp.complete_login(answer.saml_response, answer.relay_state, other_browser)
        assert refused.value.reason == 'other-browser'
    assert _complete(answer.saml_response, answer.relay_state).surname == 'Demo'


def test_a_response_signed_with_rsa_sha1_is_refused(idp: TestIdentityProvider) -> None:
    request = _login(idp)
    answer = idp.issue_response(request, TEST_PERSONS[0], sign_alg=SIG_RSA_SHA1)
    assert _refusal(answer.saml_response, answer.relay_state) == 'signature'


def test_an_idp_logout_for_no_session_here_is_answered_truthfully(idp: TestIdentityProvider) -> None:
    request = _login(idp)
    answer = idp.issue_response(request, TEST_PERSONS[0])
    identity = _complete(answer.saml_response, answer.relay_state)  # signed in, but no session row kept here
    url = idp.start_logout(saml_sp.sp_entity_id(config.get_settings()), identity.name_id, identity.session_index)
    outcome = saml_sp.handle_logout_message(urlsplit(url).query)
    assert outcome.ended_user_ids == ()
    status = decode_redirect_message(outcome.redirect_to, 'SAMLResponse')
    assert 'status:Responder' in status and 'status:UnknownPrincipal' in status and 'status:Success' not in status


def test_logout_signature_algorithms_follow_the_policy(idp: TestIdentityProvider,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    request = _login(idp)
    answer = idp.issue_response(request, TEST_PERSONS[0])
    identity = _complete(answer.saml_response, answer.relay_state)
    entity_id = saml_sp.sp_entity_id(config.get_settings())
    with pytest.raises(SamlRefused, match='not accepted'):  # rsa-sha1 is never in the policy
        saml_sp.handle_logout_message(urlsplit(idp.start_logout(entity_id, identity.name_id, None, SIG_RSA_SHA1)).query)
    monkeypatch.setenv('SAML_SIGNATURE_ALGORITHMS', 'rsa-sha256')
    config.reload_settings()
    sha512 = urlsplit(idp.start_logout(entity_id, identity.name_id, None, SIG_RSA_SHA512)).query
    with pytest.raises(SamlRefused, match='not accepted'):
        saml_sp.handle_logout_message(sha512)
    monkeypatch.setenv('SAML_SIGNATURE_ALGORITHMS', 'rsa-sha256,rsa-sha512')
    config.reload_settings()
    row = _signed_in_session(identity)
    assert saml_sp.handle_logout_message(sha512).ended_user_ids == (row.user_id,)
    assert parse_qs(urlsplit(saml_sp.handle_logout_message(sha512).redirect_to).query)['SigAlg'] == [SIG_RSA_SHA256]


def test_generated_keys_are_only_for_the_test_modes(tmp_path: Path, certificate_authority: dict[str, Path]) -> None:
    shutil.copy(certificate_authority['ca'], tmp_path / 'meta.crt')
    with pytest.raises(ConfigError, match='SAML_SIGNING_KEY and SAML_SIGNING_CERT must be set when SIGN_IN_MODE is '
                                          'production'):
        load_settings({**_production_env(tmp_path, certificate_authority, tmp_path / 'meta.crt'),
                       'SAML_SIGNING_KEY': '', 'SAML_SIGNING_CERT': ''})


def test_the_login_cookie_is_samesite_none_and_secure_behind_https(settings_env: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.responses import Response

    from pages.saml import _set_login_cookie

    monkeypatch.setenv('BASE_URL', 'https://asiointi.example.fi')
    monkeypatch.setenv('ALLOW_INSECURE_DEMO_ON_NETWORK', 'true')  # the bundled test IdP on a public address
    config.reload_settings()
    response = Response()
    _set_login_cookie(response, 'binding', 900)
    cookie = response.headers['set-cookie']
    assert cookie.startswith('portal_saml_login=binding;')
    for attribute in ('HttpOnly', 'Max-Age=900', 'Path=/saml/', 'SameSite=none', 'Secure'):
        assert attribute in cookie
    monkeypatch.setenv('BASE_URL', 'http://localhost:8080')  # plain http: browsers refuse SameSite=None there
    config.reload_settings()
    response = Response()
    _set_login_cookie(response, 'binding', 900)
    assert 'SameSite=lax' in response.headers['set-cookie'] and 'Secure' not in response.headers['set-cookie']


async def test_the_refresh_schedule_runs_every_interval_and_outlives_a_failure(
        settings_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    monkeypatch.setenv('SAML_IDP_METADATA_REFRESH_HOURS', '2')
    settings = config.reload_settings()
    refreshed: list[int] = []

    def refresh(_settings: config.Settings) -> bool:
        refreshed.append(len(refreshed))
        if len(refreshed) == 1:
            raise OSError('network down')  # a surprise in one round must not end the schedule
        return True

    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        if len(slept) == 3:
            raise asyncio.CancelledError  # as NiceGUI cancels the task at shutdown

    monkeypatch.setattr(saml_idp_metadata, 'refresh', refresh)
    with pytest.raises(asyncio.CancelledError):
        await saml_idp_metadata._refresh_forever(settings, sleep)
    assert slept == [7200, 7200, 7200] and refreshed == [0, 1]
