"""The portal as a Suomi.fi service provider (SAML 2.0, pysaml2).

Signed AuthnRequest by HTTP-Redirect with the level of assurance and a language hint; signed and encrypted assertion
by HTTP-POST; transient NameID; single logout both ways. pysaml2 leaves several checks to the application (see
NOTES.md) and they are done here: one answer per request (the pending request is claimed before parsing), assertion
ids remembered until they expire, None results treated as refusals, the level of assurance compared, the assertion
required to have come encrypted, signature algorithms held to SAML_SIGNATURE_ALGORITHMS (xmlsec1 would take rsa-sha1),
and redirect-bound logout signatures verified. The answer must also come back in the browser that started the login
(login CSRF): a cookie holding an HMAC of the RelayState is set at /saml/login and compared at the ACS.

State lives in the database, not in pysaml2's in-memory stores, so every instance and a restarted one can finish a
login or a logout: the pending request under an opaque RelayState (the session cookie is SameSite=Lax, which the IdP's
cross-site POST does not carry), and NameID / SessionIndex in the user's session row.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
import threading
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qs

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, ExtensionElement
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.response import StatusError
from saml2.saml import name_id_from_string
from saml2.samlp import (
    STATUS_RESPONDER,
    STATUS_SUCCESS,
    STATUS_UNKNOWN_PRINCIPAL,
    Extensions,
    Status,
    StatusCode,
    StatusMessage,
)
from saml2.sigver import verify_redirect_signature
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from config import Settings, get_settings
from models import SamlPendingRequest, SamlSeenAssertion, UserSession, utcnow
from models.db import session_scope

from . import saml_idp_metadata
from .saml_attributes import person_from_attributes
from .saml_sp_metadata import CLOCK_SKEW_SECONDS, LOA_URIS, STRONG_ALGORITHMS, VETUMA_NAMESPACE, sp_settings

# Re-exported: the SP's metadata and names, as callers of this module have used them.
from .saml_sp_metadata import SERVICE_NAMES as SERVICE_NAMES
from .saml_sp_metadata import XMLSEC_BINARY as XMLSEC_BINARY
from .saml_sp_metadata import metadata_xml as metadata_xml
from .saml_sp_metadata import sp_entity_id as sp_entity_id

log = logging.getLogger(__name__)
# pysaml2 logs whole decrypted assertions (identity numbers included) at INFO and ERROR: keep them out of the logs.
# The refusals are logged here, without personal data.
logging.getLogger('saml2').setLevel(logging.CRITICAL)

# Suomi.fi's levels of assurance, with the eIDAS levels it may answer with, ranked.
LOA_RANK = {'http://ftn.ficora.fi/2017/loa2': 2, 'http://eidas.europa.eu/LoA/substantial': 2,
            'http://ftn.ficora.fi/2017/loa3': 3, 'http://eidas.europa.eu/LoA/high': 3}
PENDING_LIFETIME = timedelta(minutes=15)  # how long the user may take at the IdP
LOGIN_COOKIE = 'portal_saml_login'  # binds a pending login to the browser that started it (login CSRF)


class SamlRefused(Exception):
    """An answer from the IdP that must not sign anyone in; `reason` is a short code for the log and the page."""

    def __init__(self, reason: str, detail: str = '') -> None:
        super().__init__(f'{reason}: {detail}' if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class SamlIdentity:
    """A person the IdP vouched for, and what the portal knew when the login began."""

    national_id: str
    given_name: str  # all first names, or the calling name when that is all the IdP sent
    surname: str
    display_name: str
    given_name_is_calling_name: bool
    name_id: str  # the NameID element as XML, echoed back in a LogoutRequest
    session_index: str | None
    issuer: str
    level_of_assurance: str
    return_to: str
    profile: str  # the landing choice, carried by the pending request
    organisation_id: int | None
    language: str


def _idp_metadata_xml(settings: Settings) -> str:
    if settings.sign_in_mode == 'test-idp':
        from .test_idp import TestIdentityProvider

        return TestIdentityProvider.for_settings(settings).metadata_xml()
    return saml_idp_metadata.current(settings).xml


_clients: dict[tuple, Saml2Client] = {}
_clients_lock = threading.Lock()


def client(settings: Settings | None = None) -> Saml2Client:
    """The pysaml2 client for these settings and the IdP metadata in use (built once per metadata version: loading
    metadata and keys takes a while)."""
    settings = settings or get_settings()
    idp_xml = _idp_metadata_xml(settings)
    key = (settings, hashlib.sha256(idp_xml.encode()).hexdigest())
    with _clients_lock:
        if key not in _clients:
            config = SPConfig().load({**sp_settings(settings), 'metadata': {'inline': [idp_xml]}})
            _clients.clear()  # older metadata versions are no longer needed
            _clients[key] = Saml2Client(config)
        return _clients[key]


def idp_entity_id(settings: Settings | None = None) -> str:
    idps = list(client(settings).metadata.identity_providers())
    if len(idps) != 1:
        raise RuntimeError(f'SAML_IDP_METADATA must describe exactly one identity provider (found {len(idps)})')
    return idps[0]


def _language_extension(language: str) -> Extensions:
    lg = ExtensionElement('LG', namespace=VETUMA_NAMESPACE, text=language)
    return Extensions(extension_elements=[ExtensionElement('vetuma', namespace=VETUMA_NAMESPACE, children=[lg])])


def browser_binding(relay_state: str, settings: Settings | None = None) -> str:
    """The value of the login cookie for this RelayState: only the browser that started the login holds it, so an
    answer the attacker obtained for his own login and posts into someone else's browser signs no one in."""
    key = hashlib.sha256(b'saml-login-binding:' + (settings or get_settings()).storage_secret.encode()).digest()
    return hmac.new(key, relay_state.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class LoginStart:
    redirect_to: str  # the IdP with a signed AuthnRequest
    browser_binding: str  # the value of LOGIN_COOKIE to set in this browser


def begin_login(return_to: str, language: str, profile: str = 'private',
                organisation_id: int | None = None) -> LoginStart:
    """A signed AuthnRequest as the IdP URL to redirect to; the request waits in the database under its RelayState,
    with the landing choice, for the IdP's answer, which must come back in the same browser."""
    saml = client()
    forget_expired_assertions()  # housekeeping here keeps both tables small without a scheduler
    relay_state = secrets.token_urlsafe(32)  # opaque, 43 characters (Suomi.fi allows 80)
    request_id, info = saml.prepare_for_authenticate(
        entityid=idp_entity_id(), relay_state=relay_state, binding=BINDING_HTTP_REDIRECT,
        extensions=_language_extension(language), sigalg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256)
    with session_scope() as db:
        db.add(SamlPendingRequest(request_id=request_id, relay_state=relay_state, return_to=return_to,
                                  profile=profile, organisation_id=organisation_id, language=language))
    return LoginStart(dict(info['headers'])['Location'], browser_binding(relay_state))


def pending_lifetime(settings: Settings | None = None) -> timedelta:
    """How long a sign-in may wait at the IdP: on a shared kiosk no longer than its idle limit, so a sign-in left at
    the IdP's last step cannot be finished by the next person."""
    settings = settings or get_settings()
    if settings.kiosk_mode:
        return min(PENDING_LIFETIME, timedelta(seconds=settings.kiosk_idle_seconds))
    return PENDING_LIFETIME


def _claim_pending(relay_state: str) -> SamlPendingRequest:
    """Mark the pending request answered; a second answer (replay) or an unknown or stale RelayState is refused."""
    if not relay_state or len(relay_state) > 80:
        raise SamlRefused('unsolicited', 'no RelayState of ours')
    now = utcnow()
    with session_scope() as db:
        pending = db.exec(select(SamlPendingRequest).where(SamlPendingRequest.relay_state == relay_state)).first()
        if pending is None:
            raise SamlRefused('unsolicited', 'unknown RelayState')
        # A conditional update, so two simultaneous posts of one answer cannot both win.
        claimed = db.exec(update(SamlPendingRequest)
                          .where(col(SamlPendingRequest.request_id) == pending.request_id,
                                 col(SamlPendingRequest.used_at).is_(None))
                          .values(used_at=now)).rowcount
    if claimed != 1:
        raise SamlRefused('replayed', 'request already answered')
    created = pending.created_at if pending.created_at.tzinfo else pending.created_at.replace(tzinfo=now.tzinfo)
    if now - created > pending_lifetime():
        raise SamlRefused('expired', 'login took too long')
    return pending


def _was_encrypted(saml_response: str) -> bool:
    """True when the assertion came only in encrypted form (Suomi.fi always encrypts)."""
    try:
        raw = base64.b64decode(saml_response)
    except ValueError:
        return False
    return b'EncryptedAssertion' in raw and re.search(rb'<([\w-]+:)?Assertion[\s>]', raw) is None


def _remember_assertion(assertion_id: str, expires_at: datetime) -> None:
    try:
        with session_scope() as db:
            db.add(SamlSeenAssertion(assertion_id=assertion_id, expires_at=expires_at))
    except IntegrityError:
        raise SamlRefused('replayed', 'assertion already used') from None


def forget_expired_assertions() -> int:
    """Remove remembered assertion ids and pending requests that can no longer be replayed."""
    now = utcnow()
    with session_scope() as db:
        seen = db.exec(select(SamlSeenAssertion).where(SamlSeenAssertion.expires_at < now)).all()
        pending = db.exec(select(SamlPendingRequest).where(
            SamlPendingRequest.created_at < now - 4 * PENDING_LIFETIME)).all()
        for row in (*seen, *pending):
            db.delete(row)
    return len(seen) + len(pending)


def _refusal_reason(error: Exception) -> str:
    name, message = type(error).__name__, str(error)
    if isinstance(error, StatusError):  # the IdP says no: cancelled, failed, no such level
        return 'status'
    if name in ('SignatureError', 'CertificateError') or message.startswith(
            "{'message': 'Signature verification failed") or 'signature' in message[:120].lower():
        return 'signature'
    if message.startswith('AudienceRestrictions conditions not satisfied'):
        return 'audience'
    return {'UnsolicitedResponse': 'unsolicited', 'ResponseLifetimeExceed': 'expired', 'ToEarly': 'expired',
            'StatusError': 'status'}.get(name, 'invalid')


def _check_signature_algorithms(response, settings: Settings) -> None:
    """xmlsec1 verifies any algorithm it knows (rsa-sha1 too): the response and assertion signatures must use one of
    SAML_SIGNATURE_ALGORITHMS."""
    for signed in (response.response, response.assertion):
        signature = getattr(signed, 'signature', None)
        if signature is None:
            continue
        algorithms = {signature.signed_info.signature_method.algorithm}
        algorithms |= {reference.digest_method.algorithm for reference in signature.signed_info.reference}
        weak = algorithms - set(settings.saml_signature_algorithms) - STRONG_ALGORITHMS
        if signature.signed_info.signature_method.algorithm not in settings.saml_signature_algorithms or weak:
            raise SamlRefused('signature', f'signature algorithm not accepted: {", ".join(sorted(algorithms))}')


def complete_login(saml_response: str, relay_state: str, binding: str | None) -> SamlIdentity:
    """Check an IdP's answer posted to the ACS in a browser whose login cookie is `binding`; raises SamlRefused for
    anything not fully right.

    Slow (xmlsec1 decrypts and verifies in subprocesses, ~100 ms): call it off the event loop.
    """
    settings = get_settings()
    saml = client(settings)
    # Before the pending request is claimed: an answer posted into another browser leaves the real login usable.
    if not binding or not hmac.compare_digest(binding, browser_binding(relay_state, settings)):
        raise SamlRefused('other-browser', 'the login was not started in this browser')
    pending = _claim_pending(relay_state)
    try:
        response = saml.parse_authn_request_response(saml_response, BINDING_HTTP_POST,
                                                     outstanding={pending.request_id: pending.return_to})
    except Exception as error:  # pysaml2 raises many unrelated classes, even bare Exception (wrong audience)
        reason = _refusal_reason(error)
        # Only the start of the message: pysaml2 puts the whole (decrypted) document, identity number and all, in it.
        summary = f'{type(error).__name__}: {str(error)[:200]}'
        log.warning('SAML response refused (%s): %s', reason, summary)
        raise SamlRefused(reason, summary) from None
    # pysaml2 returns a response without an assertion for a stale IssueInstant or a wrong Destination.
    if response is None or response.assertion is None or response.name_id is None or not response.ava:
        raise SamlRefused('invalid', 'no usable assertion (stale or for another destination)')
    if response.in_response_to != pending.request_id:
        raise SamlRefused('unsolicited', 'InResponseTo does not match')
    if not _was_encrypted(saml_response):
        raise SamlRefused('not-encrypted', 'assertion was not encrypted')
    if response.issuer() != idp_entity_id(settings):
        raise SamlRefused('invalid', f'unexpected issuer {response.issuer()}')
    _check_signature_algorithms(response, settings)
    authn_info = response.authn_info()
    level = authn_info[0][0] if authn_info else ''
    if LOA_RANK.get(level, 0) < LOA_RANK[LOA_URIS[settings.saml_level_of_assurance]]:
        raise SamlRefused('level-of-assurance', f'got {level or "none"}')

    assertion = response.assertion
    not_on_or_after = response.not_on_or_after  # seconds since the epoch, from the subject confirmation
    expires_at = datetime.fromtimestamp(not_on_or_after, tz=utcnow().tzinfo) if not_on_or_after else \
        utcnow() + timedelta(hours=1)
    _remember_assertion(assertion.id, expires_at + timedelta(seconds=CLOCK_SKEW_SECONDS))

    person = person_from_attributes(response.ava)
    if not person.national_id:
        raise SamlRefused('attributes', 'no national identification number')
    session_index = None
    if assertion.authn_statement and assertion.authn_statement[0].session_index:
        session_index = assertion.authn_statement[0].session_index
    return SamlIdentity(
        national_id=person.national_id, given_name=person.first_names, surname=person.surname,
        display_name=person.display_name, given_name_is_calling_name=person.first_names_are_calling_name,
        name_id=str(response.name_id), session_index=session_index,
        issuer=response.issuer(), level_of_assurance=level, return_to=pending.return_to, profile=pending.profile,
        organisation_id=pending.organisation_id, language=pending.language)


def logout_redirect_url(ended: UserSession) -> str | None:
    """A signed LogoutRequest to the IdP for a session that began with SAML, or None."""
    if ended.auth_method != 'saml' or not ended.saml_name_id:
        return None
    settings = get_settings()
    saml = client(settings)
    issuer = ended.saml_issuer or idp_entity_id(settings)
    destinations = saml.metadata.single_logout_service(issuer, BINDING_HTTP_REDIRECT, 'idpsso')
    if not destinations:
        return None
    destination = destinations[0]['location']
    relay_state = secrets.token_urlsafe(32)
    # Unsigned here: the redirect binding signs the query string instead (apply_binding below).
    request_id, request = saml.create_logout_request(
        destination, issuer, name_id=name_id_from_string(ended.saml_name_id),
        reason='urn:oasis:names:tc:SAML:2.0:logout:user', sign=False,
        session_indexes=[ended.saml_session_index] if ended.saml_session_index else None)
    info = saml.apply_binding(BINDING_HTTP_REDIRECT, str(request), destination, relay_state, sign=True,
                              sigalg=SIG_RSA_SHA256)
    with session_scope() as db:
        db.add(SamlPendingRequest(request_id=request_id, relay_state=relay_state, return_to='/?uloskirjautunut=1'))
    return dict(info['headers'])['Location']


def _verify_redirect(query: dict[str, str], issuer: str) -> None:
    """Check the signature of a redirect-bound message (pysaml2 does not for logout messages)."""
    if not query.get('Signature') or not query.get('SigAlg'):
        raise SamlRefused('signature', 'unsigned logout message')
    # Whatever the IdP's metadata announces, only the algorithms of SAML_SIGNATURE_ALGORITHMS are accepted.
    if query['SigAlg'] not in get_settings().saml_signature_algorithms:
        raise SamlRefused('signature', f'signature algorithm {query["SigAlg"]} not accepted')
    saml = client()
    certs = saml.metadata.certs(issuer, 'idpsso', 'signing')
    message = {key: query[key] for key in ('SAMLRequest', 'SAMLResponse', 'RelayState', 'SigAlg', 'Signature')
               if key in query}
    if not any(verify_redirect_signature(message, saml.sec.sec_backend, cert) for _name, cert in certs):
        raise SamlRefused('signature', 'logout message signature does not verify')


def _issuer_of_redirect_message(encoded: str) -> str:
    """The Issuer of a deflated, base64-encoded redirect message (to know whose key must have signed it)."""
    try:
        xml = zlib.decompress(base64.b64decode(encoded), -15).decode()
    except (ValueError, zlib.error, UnicodeDecodeError):
        raise SamlRefused('invalid', 'logout message cannot be decoded') from None
    match = re.search(r'<(?:[\w-]+:)?Issuer[^>]*>([^<]+)</', xml)
    return match.group(1).strip() if match else ''


@dataclass(frozen=True)
class LogoutOutcome:
    redirect_to: str
    ended_user_ids: tuple[int, ...] = ()


def _status(top: str, second: str, message: str) -> Status:
    return Status(status_code=StatusCode(value=top, status_code=StatusCode(value=second)),
                  status_message=StatusMessage(text=message))


def handle_logout_message(query_string: str) -> LogoutOutcome:
    """The SP's single-logout endpoint: the IdP's answer to our LogoutRequest, or its own LogoutRequest.

    For an IdP-initiated logout the caller ends the sessions of `ended_user_ids` and redirects to the signed answer.
    """
    query = {key: values[0] for key, values in parse_qs(query_string, keep_blank_values=True).items()}
    settings = get_settings()
    saml = client(settings)
    expected_issuer = idp_entity_id(settings)
    if 'SAMLResponse' in query:
        issuer = _issuer_of_redirect_message(query['SAMLResponse'])
        if issuer != expected_issuer:
            raise SamlRefused('invalid', f'logout response from {issuer}')
        _verify_redirect(query, issuer)
        try:
            response = saml.parse_logout_request_response(query['SAMLResponse'], BINDING_HTTP_REDIRECT)
        except Exception as error:
            raise SamlRefused('invalid', f'{type(error).__name__}: {error}') from None
        if response is None:
            raise SamlRefused('invalid', 'logout response not valid')
        pending = _claim_pending(query.get('RelayState', ''))
        if response.response.in_response_to != pending.request_id:
            raise SamlRefused('unsolicited', 'logout response to another request')
        status = response.response.status.status_code.value
        if status != STATUS_SUCCESS:
            log.warning('IdP answered our logout with %s', status)  # our session has ended anyway
        return LogoutOutcome(pending.return_to)
    if 'SAMLRequest' in query:
        issuer = _issuer_of_redirect_message(query['SAMLRequest'])
        if issuer != expected_issuer:
            raise SamlRefused('invalid', f'logout request from {issuer}')
        _verify_redirect(query, issuer)
        try:
            request = saml.parse_logout_request(query['SAMLRequest'], BINDING_HTTP_REDIRECT)
        except Exception as error:
            raise SamlRefused('invalid', f'{type(error).__name__}: {error}') from None
        if request is None:
            raise SamlRefused('invalid', 'logout request not valid')
        message = request.message
        name_id = message.name_id.text if message.name_id is not None else ''
        session_indexes = {index.text for index in message.session_index or []}
        with session_scope() as db:
            rows = db.exec(select(UserSession).where(UserSession.auth_method == 'saml',
                                                     UserSession.ended_at.is_(None))).all()  # type: ignore[union-attr]
            user_ids = tuple(sorted({row.user_id for row in rows if row.saml_name_id and
                                     name_id_from_string(row.saml_name_id).text == name_id and
                                     (not session_indexes or row.saml_session_index in session_indexes)}))
        destinations = saml.metadata.single_logout_service(issuer, BINDING_HTTP_REDIRECT, 'idpsso')
        # Answered truthfully: Success only when a session of this person was ended here.
        status = None if user_ids else \
            _status(STATUS_RESPONDER, STATUS_UNKNOWN_PRINCIPAL, 'No session of this person at this service')
        if not user_ids:
            log.info('IdP logout request matched no session here')
        answer = saml.create_logout_response(message, [BINDING_HTTP_REDIRECT], status=status, sign=False)
        info = saml.apply_binding(BINDING_HTTP_REDIRECT, str(answer), destinations[0]['location'],
                                  query.get('RelayState', ''), response=True, sign=True, sigalg=SIG_RSA_SHA256)
        return LogoutOutcome(dict(info['headers'])['Location'], user_ids)
    raise SamlRefused('invalid', 'neither SAMLRequest nor SAMLResponse')


if __name__ == '__main__':  # `make saml-metadata`: print the SP metadata for the configured settings
    from config import load_settings_or_exit

    print(metadata_xml(load_settings_or_exit()))
