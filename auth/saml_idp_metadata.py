"""The identity provider's metadata: from a file or an https address, its signature checked against the configured
metadata-signing certificate, refreshed on a schedule, and the last good copy kept when a refresh fails.

Suomi.fi rotates its signing certificate by listing the old and the new one side by side for a while; pysaml2 tries
every signing certificate the metadata lists, so both keep working as long as the metadata is fresh.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import threading
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from defusedxml import ElementTree
from saml2.mdstore import MetadataStore
from saml2.sigver import CryptoBackendXmlSec1, SignatureError

from config import Settings, get_settings

log = logging.getLogger(__name__)

XMLSEC_BINARY = '/usr/bin/xmlsec1'
FETCH_TIMEOUT_SECONDS = 20
MAX_METADATA_BYTES = 5 * 1024 * 1024
MD = 'urn:oasis:names:tc:SAML:2.0:metadata'
DS = 'http://www.w3.org/2000/09/xmldsig#'


class MetadataRefused(Exception):
    """IdP metadata the portal will not use (unreachable, unsigned, wrongly signed, expired, not one IdP)."""


@dataclass(frozen=True)
class IdpMetadata:
    xml: str
    source: str  # where it came from, for the log

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.xml.encode()).hexdigest()


_current: dict[tuple, IdpMetadata] = {}
_last_refusal: dict[tuple, str] = {}
_lock = threading.Lock()


def _source_key(settings: Settings) -> tuple:
    return (settings.sign_in_mode, str(settings.saml_idp_metadata), settings.saml_idp_metadata_url,
            str(settings.data_dir))


def last_good_copy_path(settings: Settings) -> Path:
    return settings.data_dir / 'saml' / 'idp-metadata-last-good.xml'


def _read_source(settings: Settings) -> tuple[str, str]:
    if settings.saml_idp_metadata_url:
        request = urllib.request.Request(settings.saml_idp_metadata_url,
                                         headers={'User-Agent': 'asiakaspalveluportaali'})
        try:
            with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:
                body = response.read(MAX_METADATA_BYTES + 1)
        except OSError as error:
            raise MetadataRefused(f'cannot fetch {settings.saml_idp_metadata_url}: {error}') from None
        if len(body) > MAX_METADATA_BYTES:
            raise MetadataRefused('metadata larger than 5 MiB')
        return body.decode('utf-8', errors='replace'), settings.saml_idp_metadata_url
    assert settings.saml_idp_metadata is not None  # config.py requires a file or an address outside test-idp mode
    try:
        return settings.saml_idp_metadata.read_text(encoding='utf-8'), str(settings.saml_idp_metadata)
    except OSError as error:
        raise MetadataRefused(f'cannot read {settings.saml_idp_metadata}: {error.strerror}') from None


def verify_signature(xml: str, certificate: Path) -> None:
    """The whole document must be signed by `certificate`: one enveloped signature, a direct child of the root,
    whose single reference is the root itself (no signature wrapping)."""
    try:
        root = ElementTree.fromstring(xml.encode())
    except ElementTree.ParseError as error:
        raise MetadataRefused(f'metadata is not well-formed XML ({error})') from None
    signatures = list(root.iter(f'{{{DS}}}Signature'))
    if not signatures:
        raise MetadataRefused('metadata is not signed')
    if signatures[0] not in list(root):
        raise MetadataRefused('the first signature in the metadata does not sign the whole document')
    references = signatures[0].findall(f'{{{DS}}}SignedInfo/{{{DS}}}Reference')
    root_id = root.get('ID', '')
    if len(references) != 1 or references[0].get('URI') not in ('', f'#{root_id}') or \
            (references[0].get('URI') == '' and root_id):
        raise MetadataRefused('the metadata signature does not reference the whole document')
    node_name = f'{MD}:{root.tag.split("}")[-1]}'
    try:
        verified = CryptoBackendXmlSec1(XMLSEC_BINARY).validate_signature(xml, str(certificate), 'pem', node_name,
                                                                          root_id or None)
    except SignatureError:
        verified = False
    if not verified:
        raise MetadataRefused(f'the metadata signature does not verify with {certificate}')


def check_usable(xml: str) -> None:
    """Not past its validUntil, pysaml2 can load it, and it describes exactly one identity provider."""
    from saml2.attribute_converter import ac_factory
    from saml2.time_util import before

    try:
        valid_until = ElementTree.fromstring(xml.encode()).get('validUntil')
    except ElementTree.ParseError as error:
        raise MetadataRefused(f'metadata is not well-formed XML ({error})') from None
    if valid_until and not before(valid_until):
        raise MetadataRefused(f'metadata expired (validUntil {valid_until})')

    from .saml_sp_metadata import ATTRIBUTE_MAP_DIR

    store = MetadataStore(ac_factory(str(ATTRIBUTE_MAP_DIR)), None)
    try:
        store.load('inline', xml)
    except Exception as error:  # pysaml2 raises many kinds (TooOld, SAMLError, ParseError …)
        raise MetadataRefused(f'metadata cannot be used ({type(error).__name__}: {str(error)[:200]})') from None
    identity_providers = list(store.identity_providers())
    if len(identity_providers) != 1:
        raise MetadataRefused(f'metadata must describe exactly one identity provider (found {len(identity_providers)})')


def _accept(settings: Settings, xml: str) -> None:
    if settings.saml_idp_metadata_signing_cert is not None:
        verify_signature(xml, settings.saml_idp_metadata_signing_cert)
    check_usable(xml)


def _keep_last_good(settings: Settings, xml: str) -> None:
    path = last_good_copy_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f'.{os.getpid()}.tmp')
    temporary.write_text(xml, encoding='utf-8')
    os.replace(temporary, path)


def refresh(settings: Settings | None = None) -> bool:
    """Read the metadata again; use it when it passes every check, otherwise keep what was in use (or the last good
    copy on disk). True when new metadata was accepted. Blocking (network, xmlsec1): call it off the event loop."""
    settings = settings or get_settings()
    key = _source_key(settings)
    try:
        xml, source = _read_source(settings)
        _accept(settings, xml)
    except MetadataRefused as refused:
        with _lock:
            _last_refusal[key] = str(refused)
            if key not in _current:
                _load_last_good(settings, key)
        log.warning('IdP metadata refresh refused (%s); keeping the last good copy', refused)
        return False
    metadata = IdpMetadata(xml, source)
    with _lock:
        changed = key not in _current or _current[key].digest != metadata.digest
        _current[key] = metadata
    if changed:
        _keep_last_good(settings, xml)
        log.info('IdP metadata loaded from %s', source)
    return True


def _load_last_good(settings: Settings, key: tuple) -> None:
    """At start with the source out of reach: the copy that passed the checks last time (checked again)."""
    path = last_good_copy_path(settings)
    if not path.is_file():
        return
    xml = path.read_text(encoding='utf-8')
    try:
        _accept(settings, xml)
    except MetadataRefused as refused:
        log.warning('The last good IdP metadata copy is no longer usable: %s', refused)
        return
    _current[key] = IdpMetadata(xml, str(path))


def current(settings: Settings | None = None) -> IdpMetadata:
    """The metadata in use; loaded on first use. Raises MetadataRefused when there is none that passes."""
    settings = settings or get_settings()
    key = _source_key(settings)
    with _lock:
        metadata = _current.get(key)
    if metadata is None:
        refresh(settings)
        with _lock:
            metadata = _current.get(key)
    if metadata is None:
        raise MetadataRefused(f'{_last_refusal.get(key, "no usable IdP metadata")} (and no last good copy)')
    return metadata


def start_refresh_schedule() -> None:
    """Refresh every SAML_IDP_METADATA_REFRESH_HOURS, off the event loop (called from `app.on_startup` outside
    test-idp mode; NiceGUI cancels the task at shutdown)."""
    from nicegui import background_tasks

    background_tasks.create(_refresh_forever(get_settings()), name='idp-metadata-refresh')


async def _refresh_forever(settings: Settings, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
    from nicegui import run

    while True:
        await sleep(settings.saml_idp_metadata_refresh_hours * 3600)
        try:
            await run.io_bound(refresh, settings)
        except Exception:  # the schedule must outlive any surprise; the last good copy stays in use
            log.exception('IdP metadata refresh failed')
