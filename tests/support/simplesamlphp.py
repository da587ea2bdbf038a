"""Debian's SimpleSAMLphp as an independent, Suomi.fi-like identity provider for interop tests.

It runs with PHP's built-in server on 127.0.0.1 and a private config folder (SIMPLESAMLPHP_CONFIG_DIR), never the
system's apache or /etc/simplesamlphp. It behaves as Suomi.fi's e-Identification does where the portal can tell:
signed and encrypted assertions, `urn:oid` attribute names (NameFormat uri), transient NameID, the level of assurance
as AuthnContextClassRef, signed AuthnRequests and logout messages required both ways, signed metadata with its own
metadata-signing key. PHP reads the config on every request, so a test can change the level of assurance between
logins (`set_level_of_assurance`).
"""
from __future__ import annotations

import os
import subprocess
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from auth.saml_keys import ensure_keypair
from bench.harness import wait_until
from tests.support.server import free_port, stop_process

SIMPLESAMLPHP = Path('/usr/share/simplesamlphp')
PHP = '/usr/bin/php'
LOA3 = 'http://ftn.ficora.fi/2017/loa3'

# Test persons: (username, password) and the attributes by Suomi.fi name; core:AttributeMap turns them into OIDs.
USERS = {
    ('sylvi', 'sylvi-salasana'): {
        'nationalIdentificationNumber': '311280-999J', 'FirstName': 'Sylvi Annikki', 'givenName': 'Annikki',
        'sn': 'Suomalainen', 'cn': 'Suomalainen Sylvi Annikki', 'displayName': 'Annikki Suomalainen',
        'KotikuntaKuntanumero': '179',
    },
}
OIDS = {
    'nationalIdentificationNumber': 'urn:oid:1.2.246.21', 'FirstName': 'urn:oid:1.2.246.575.1.14',
    'givenName': 'urn:oid:2.5.4.42', 'sn': 'urn:oid:2.5.4.4', 'cn': 'urn:oid:2.5.4.3',
    'displayName': 'urn:oid:2.16.840.1.113730.3.1.241', 'KotikuntaKuntanumero': 'urn:oid:1.2.246.517.2002.2.18',
}


def _php(value: object) -> str:
    """A Python str/bool/list/dict as a PHP literal."""
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, str):
        return "'" + value.replace('\\', '\\\\').replace("'", "\\'") + "'"
    if isinstance(value, list):
        return '[' + ', '.join(_php(item) for item in value) + ']'
    if isinstance(value, dict):
        return '[' + ', '.join(f'{_php(key)} => {_php(item)}' for key, item in value.items()) + ']'
    raise TypeError(type(value))


@dataclass
class SimpleSamlPhp:
    base_url: str
    folder: Path
    process: subprocess.Popen
    log_path: Path

    @property
    def entity_id(self) -> str:
        return f'{self.base_url}/saml2/idp/metadata.php'

    @property
    def metadata_signing_cert(self) -> Path:
        return self.folder / 'keys' / 'metadata-signing.crt'

    def metadata_xml(self) -> str:
        with urllib.request.urlopen(f'{self.entity_id}?output=xml', timeout=10) as response:
            return response.read().decode()

    def idp_initiated_logout_url(self, return_to: str) -> str:
        return f'{self.base_url}/saml2/idp/SingleLogoutService.php?ReturnTo={urllib.parse.quote(return_to, safe="")}'

    def trust_service_provider(self, sp_metadata_xml: str) -> None:
        """Register the portal's SP metadata (as Suomi.fi does after the metadata has been sent to it)."""
        (self.folder / 'sp-metadata.xml').write_text(sp_metadata_xml, encoding='utf-8')

    def set_level_of_assurance(self, level: str) -> None:
        _write_idp_hosted(self.folder, level)

    def log(self) -> str:
        return self.log_path.read_text(encoding='utf-8', errors='replace')

    def stop(self) -> None:
        stop_process(self.process)


def _write_idp_hosted(folder: Path, level: str) -> None:
    keys = folder / 'keys'
    attribute_map = {'class': 'core:AttributeMap', **OIDS}
    hosted = {
        'host': '__DEFAULT__',
        'privatekey': str(keys / 'idp.key'), 'certificate': str(keys / 'idp.crt'),
        'auth': 'suomifi-test-users',
        'attributes.NameFormat': 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
        'NameIDFormat': 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
        'signature.algorithm': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
        'saml20.sign.assertion': True, 'saml20.sign.response': True, 'assertion.encryption': True,
        'sign.logout': True, 'validate.authnrequest': True, 'validate.logout': True,
        'SingleSignOnServiceBinding': ['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect'],
        'SingleLogoutServiceBinding': ['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect'],
    }
    # authproc keys are numbers (their order): written by hand.
    text = (f'<?php\n$metadata[\'__DYNAMIC:1__\'] = {_php(hosted)[:-1]}, \'authproc\' => ['
            f'10 => {_php(attribute_map)}, '
            f'20 => {_php({"class": "saml:AuthnContextClassRef", "AuthnContextClassRef": level})}]];\n')
    temporary = folder / 'metadata' / 'saml20-idp-hosted.php.tmp'
    temporary.write_text(text, encoding='utf-8')
    os.replace(temporary, folder / 'metadata' / 'saml20-idp-hosted.php')


def start_simplesamlphp(folder: Path) -> SimpleSamlPhp:
    """Write a private config into `folder` and serve SimpleSAMLphp's www/ on a free port of 127.0.0.1."""
    port = free_port()
    base_url = f'http://127.0.0.1:{port}'
    for name in ('metadata', 'keys', 'log', 'data', 'tmp', 'sessions'):
        (folder / name).mkdir(parents=True, exist_ok=True)
    for name in ('idp', 'metadata-signing'):
        ensure_keypair(folder / 'keys', name, f'SimpleSAMLphp {name}')
    (folder / 'config.php').write_text(f'''<?php
// The package's defaults, then this test's own settings (never /etc/simplesamlphp's IdP or apache).
require '{SIMPLESAMLPHP}/config/config.php';
$config['baseurlpath'] = '{base_url}/';
$config['certdir'] = '{folder / 'keys'}/';
$config['loggingdir'] = '{folder / 'log'}/';
$config['datadir'] = '{folder / 'data'}/';
$config['tempdir'] = '{folder / 'tmp'}';
$config['metadatadir'] = '{folder / 'metadata'}/';
$config['metadata.sources'] = [['type' => 'flatfile', 'directory' => '{folder / 'metadata'}']];
$config['secretsalt'] = 'interop-test-salt-{port}';
$config['auth.adminpassword'] = 'interop-admin-{port}';
$config['technicalcontact_email'] = 'interop@example.invalid';
$config['enable.saml20-idp'] = true;
$config['module.enable'] = ['exampleauth' => true, 'core' => true, 'saml' => true];
$config['logging.handler'] = 'errorlog';
$config['logging.level'] = SimpleSAML\\Logger::NOTICE;
$config['store.type'] = 'phpsession';
$config['session.cookie.secure'] = false;
$config['session.cookie.samesite'] = 'Lax';  // the default None is refused by Chromium without Secure (http)
$config['language.cookie.secure'] = false;
$config['language.cookie.samesite'] = 'Lax';
// ReturnTo addresses of IdP-initiated logout: the portal on any port of 127.0.0.1.
$config['trusted.url.regex'] = true;
$config['trusted.url.domains'] = ['127\\.0\\.0\\.1:[0-9]+'];
$config['metadata.sign.enable'] = true;
$config['metadata.sign.privatekey'] = '{folder / 'keys' / 'metadata-signing.key'}';
$config['metadata.sign.certificate'] = '{folder / 'keys' / 'metadata-signing.crt'}';
$config['metadata.sign.algorithm'] = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
$config['admin.protectmetadata'] = false;
''', encoding='utf-8')
    users = {f'{username}:{password}': {name: [value] for name, value in attributes.items()}
             for (username, password), attributes in USERS.items()}
    (folder / 'authsources.php').write_text(
        f'<?php\n$config = {_php({"admin": ["core:AdminPassword"], "suomifi-test-users": ["exampleauth:UserPass"]})};\n'
        f'$config[\'suomifi-test-users\'] = array_merge($config[\'suomifi-test-users\'], {_php(users)});\n',
        encoding='utf-8')
    _write_idp_hosted(folder, LOA3)
    # The SP comes from the SAML metadata the portal publishes, parsed by SimpleSAMLphp itself, plus what Suomi.fi
    # requires of every service: encrypted assertions and signed messages in both directions.
    (folder / 'metadata' / 'saml20-sp-remote.php').write_text(f'''<?php
$spFile = '{folder / 'sp-metadata.xml'}';
if (is_file($spFile)) {{
    foreach (\\SimpleSAML\\Metadata\\SAMLParser::parseDescriptorsFile($spFile) as $entityId => $parser) {{
        $metadata[$entityId] = array_merge($parser->getMetadata20SP(), [
            'assertion.encryption' => true, 'sign.logout' => true,
            'validate.authnrequest' => true, 'validate.logout' => true,
            'attributes.NameFormat' => 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
            'NameIDFormat' => 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
        ]);
    }}
}}
''', encoding='utf-8')
    env = {key: value for key, value in os.environ.items() if not key.startswith('PYTEST')}
    env['SIMPLESAMLPHP_CONFIG_DIR'] = str(folder)
    # One worker serves one connection at a time, and a connection Chromium opens ahead and leaves idle would stall
    # every other request: several workers keep the IdP answering.
    env['PHP_CLI_SERVER_WORKERS'] = '4'
    log_path = folder / 'log' / 'php-server.log'
    log_file = log_path.open('w', encoding='utf-8')
    process = subprocess.Popen(
        [PHP, '-d', f'session.save_path={folder / "sessions"}', '-d', 'display_errors=stderr', '-d', 'log_errors=On',
         '-S', f'127.0.0.1:{port}', '-t', str(SIMPLESAMLPHP / 'www')],
        cwd=folder, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    server = SimpleSamlPhp(base_url, folder, process, log_path)
    def answers() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f'SimpleSAMLphp exited at start:\n{server.log()}')
        try:
            return 'EntityDescriptor' in server.metadata_xml()
        except OSError:
            return False

    try:
        wait_until(answers, 'SimpleSAMLphp to serve its metadata', 30)
        return server
    except AssertionError:
        pass
    server.stop()
    raise RuntimeError(f'SimpleSAMLphp did not answer in 30 s:\n{server.log()}')
