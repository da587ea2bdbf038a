"""The service provider against the bundled test IdP: real keys, real xmlsec1 signatures and encryption.

Each wrong answer is built with the test IdP's own code (then tampered with where needed) and must be refused with a
reason, before anyone is signed in.
"""
from __future__ import annotations

import base64
import re
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlmodel import select

import config
from auth import saml_sp
from auth.saml_sp import SamlRefused
from auth.test_idp import TEST_PERSONS, AuthnRequestInfo, TestIdentityProvider, decode_redirect_message
from models import SamlPendingRequest, SamlSeenAssertion, UserSession
from models.db import session_scope

pytestmark = pytest.mark.db

NORDEA_DEMO = TEST_PERSONS[0]
OTHER_SP = 'https://muu-palvelu.example/saml/metadata'


def _login(idp: TestIdentityProvider, language: str = 'fi') -> AuthnRequestInfo:
    """Start a login at the SP and let the test IdP read (and verify) the AuthnRequest."""
    return idp.parse_authn_request(saml_sp.begin_login('/paasivu', language).redirect_to)


def _complete(saml_response: str, relay_state: str) -> saml_sp.SamlIdentity:
    """The answer posted in the browser that started the login (it holds the login cookie)."""
    return saml_sp.complete_login(saml_response, relay_state, saml_sp.browser_binding(relay_state))


def _refusal(saml_response: str, relay_state: str) -> str:
    with pytest.raises(SamlRefused) as refused:
        _complete(saml_response, relay_state)
    return refused.value.reason


def _decrypted(saml_response: str) -> str:
    """The response with its assertion decrypted by the SP's own key (as an attacker with that key could)."""
    xml = base64.b64decode(saml_response).decode()
    plain = saml_sp.client().sec.decrypt_keys(xml)
    # xmlsec1 leaves the <EncryptedAssertion> wrapper around the plain assertion: unwrap it.
    plain = re.sub(r'</?[\w-]+:EncryptedAssertion>', '', plain)
    assert 'EncryptedAssertion' not in plain and 'EncryptedData' not in plain and ':Assertion ' in plain
    return plain


def _encode(xml: str) -> str:
    return base64.b64encode(xml.encode()).decode()


def test_a_proper_answer_gives_the_person_and_is_answerable_once(idp: TestIdentityProvider) -> None:
    request = _login(idp)
    answer = idp.issue_response(request, NORDEA_DEMO)
    identity = _complete(answer.saml_response, answer.relay_state)
    assert (identity.national_id, identity.given_name, identity.surname) == ('210281-9988', 'Nordea', 'Demo')
    assert identity.display_name == 'Nordea Demo'
    assert identity.level_of_assurance == 'http://ftn.ficora.fi/2017/loa3'
    assert 'nameid-format:transient' in identity.name_id and identity.session_index
    assert identity.issuer == idp.entity_id and identity.return_to == '/paasivu'
    with session_scope() as db:
        pending = db.exec(select(SamlPendingRequest).where(SamlPendingRequest.request_id == request.request_id)).one()
        assert pending.used_at is not None
        assert len(db.exec(select(SamlSeenAssertion)).all()) == 1


def test_the_authn_request_is_signed_and_asks_for_the_level_and_language(idp: TestIdentityProvider) -> None:
    url = saml_sp.begin_login('/paasivu', 'sv').redirect_to
    query = {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
    assert query['SigAlg'] == 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256' and query['Signature']
    assert len(query['RelayState']) <= 80
    xml = decode_redirect_message(url)
    assert 'http://ftn.ficora.fi/2017/loa3' in xml and 'Comparison="exact"' in xml
    assert 'nameid-format:transient' in xml
    assert re.search(r'<[\w:]*LG[^>]*>sv</', xml)
    assert idp.parse_authn_request(url).language == 'sv'
    # A request altered on the way does not pass the IdP's signature check.
    from auth.test_idp import TestIdpError

    with pytest.raises(TestIdpError):
        idp.parse_authn_request(url.replace('RelayState=' + query['RelayState'], 'RelayState=forged'))


def test_an_assertion_altered_after_signing_is_refused(idp: TestIdentityProvider) -> None:
    # Only the assertion is signed here (as Suomi.fi may do), so decrypting it does not break a response signature.
    # Control: the decrypted assertion, unaltered, passes the signature check and fails only for not being encrypted.
    request = _login(idp)
    answer = idp.issue_response(request, NORDEA_DEMO, sign_response=False)
    assert _refusal(_encode(_decrypted(answer.saml_response)), answer.relay_state) == 'not-encrypted'
    # The same with another person's number in the signed assertion: the signature check refuses it.
    request = _login(idp)
    answer = idp.issue_response(request, NORDEA_DEMO, sign_response=False)
    plain = _decrypted(answer.saml_response)
    assert plain.count('210281-9988') == 1
    assert _refusal(_encode(plain.replace('210281-9988', '150585-958J')), answer.relay_state) == 'signature'


def test_a_replayed_answer_is_refused(idp: TestIdentityProvider) -> None:
    request = _login(idp)
    answer = idp.issue_response(request, NORDEA_DEMO)
    _complete(answer.saml_response, answer.relay_state)
    assert _refusal(answer.saml_response, answer.relay_state) == 'replayed'
    # Replayed into a login the attacker started: the answer belongs to another request.
    fresh = _login(idp)
    assert _refusal(answer.saml_response, fresh.relay_state) in ('unsolicited', 'replayed')


def test_an_expired_answer_is_refused(idp: TestIdentityProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    request = _login(idp)
    # The IdP issues its answer with its clock an hour behind: IssueInstant and NotOnOrAfter lie in the past.
    import saml2.time_util as time_util

    real_gmtime = time.gmtime
    assert time_util.datetime is datetime  # the standard class, which HourAgo stands in for

    class HourAgo(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) - timedelta(hours=1)

    with monkeypatch.context() as patch:
        patch.setattr(time, 'gmtime', lambda seconds=None: real_gmtime(
            seconds if seconds is not None else time.time() - 3600))
        patch.setattr(time_util, 'datetime', HourAgo)
        answer = idp.issue_response(request, NORDEA_DEMO)
    assert _refusal(answer.saml_response, answer.relay_state) in ('expired', 'invalid')
    with session_scope() as db:
        assert db.exec(select(SamlSeenAssertion)).all() == []


def test_an_answer_for_another_audience_is_refused(idp: TestIdentityProvider,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import saml2.assertion

    request = _login(idp)
    real_conditions = saml2.assertion.Policy.conditions
    with monkeypatch.context() as patch:
        # The IdP signs and encrypts an assertion whose audience is another service.
        patch.setattr(saml2.assertion.Policy, 'conditions', lambda policy, _sp: real_conditions(policy, OTHER_SP))
        answer = idp.issue_response(request, NORDEA_DEMO)
    assert OTHER_SP not in base64.b64decode(answer.saml_response).decode()  # encrypted: not visible outside
    assert _refusal(answer.saml_response, answer.relay_state) == 'audience'


def test_an_unsigned_answer_is_refused(idp: TestIdentityProvider) -> None:
    request = _login(idp)
    answer = idp.issue_response(request, NORDEA_DEMO, sign=False)
    assert _refusal(answer.saml_response, answer.relay_state) == 'signature'


def test_an_answer_signed_by_an_unknown_key_is_refused(idp: TestIdentityProvider) -> None:
    # Same entity id and endpoints as the real test IdP, but a key the SP's metadata does not list.
    rogue = TestIdentityProvider(config.get_settings(), key_name='rogue-idp')
    request = _login(idp)
    answer = rogue.issue_response(request, NORDEA_DEMO)
    assert _refusal(answer.saml_response, answer.relay_state) == 'signature'


def test_an_unsolicited_answer_is_refused(idp: TestIdentityProvider) -> None:
    settings = config.get_settings()
    acs = f'{settings.base_url}/saml/acs'
    unsolicited = idp.issue_response(None, NORDEA_DEMO, sp_entity_id=saml_sp.sp_entity_id(settings), acs_url=acs)
    assert _refusal(unsolicited.saml_response, '') == 'unsolicited'
    assert _refusal(unsolicited.saml_response, 'made-up-relay-state') == 'unsolicited'
    # Even under the RelayState of a real pending login, an answer to no request is refused.
    request = _login(idp)
    assert _refusal(unsolicited.saml_response, request.relay_state) == 'unsolicited'


def test_a_weaker_level_of_assurance_than_asked_is_refused(idp: TestIdentityProvider) -> None:
    request = _login(idp)
    answer = idp.issue_response(request, NORDEA_DEMO, level_of_assurance='http://ftn.ficora.fi/2017/loa2')
    assert _refusal(answer.saml_response, answer.relay_state) == 'level-of-assurance'


def test_a_cancelled_identification_is_refused(idp: TestIdentityProvider) -> None:
    request = _login(idp)
    answer = idp.cancel_response(request)
    assert _refusal(answer.saml_response, answer.relay_state) == 'status'


def test_a_login_left_waiting_too_long_is_refused(idp: TestIdentityProvider) -> None:
    request = _login(idp)
    with session_scope() as db:
        pending = db.get(SamlPendingRequest, request.request_id)
        assert pending is not None
        pending.created_at = pending.created_at - timedelta(hours=1)
        db.add(pending)
    answer = idp.issue_response(request, NORDEA_DEMO)
    assert _refusal(answer.saml_response, answer.relay_state) == 'expired'


def test_metadata_has_both_certificates_the_auth_method_and_names_in_three_languages(idp: TestIdentityProvider) -> None:
    xml = saml_sp.metadata_xml()
    assert 'use="signing"' in xml and 'use="encryption"' in xml
    assert 'FinnishAuthMethod' in xml and 'http://ftn.ficora.fi/2017/loa3' in xml
    for lang in ('fi', 'sv', 'en'):
        assert f'DisplayName xml:lang="{lang}"' in xml
    assert 'AuthnRequestsSigned="true"' in xml and 'WantAssertionsSigned="true"' in xml
    assert 'nameid-format:transient' in xml
    assert f'{config.get_settings().base_url}/saml/acs' in xml and '/saml/slo' in xml
    # Private keys never leave the data folder.
    assert 'PRIVATE KEY' not in xml


def _signed_in_session(identity: saml_sp.SamlIdentity) -> UserSession:
    from services.registration import IdentifiedPerson, user_for_identification

    user_id = user_for_identification(IdentifiedPerson(identity.national_id, identity.given_name, identity.surname,
                                                       identity.display_name))
    row = UserSession(id=f'test-{time.monotonic_ns()}', user_id=user_id, auth_method='saml',
                      saml_name_id=identity.name_id, saml_session_index=identity.session_index,
                      saml_issuer=identity.issuer)
    with session_scope() as db:
        db.add(row)
    return row


def test_single_logout_started_here_is_answered_once(idp: TestIdentityProvider) -> None:
    request = _login(idp)
    answer = idp.issue_response(request, NORDEA_DEMO)
    row = _signed_in_session(_complete(answer.saml_response, answer.relay_state))
    logout_url = saml_sp.logout_redirect_url(row)
    assert logout_url is not None and logout_url.startswith(f'{idp.base_url}/test-idp/slo?')
    assert 'SessionIndex' in decode_redirect_message(logout_url)
    answer_url = idp.answer_logout(logout_url)
    outcome = saml_sp.handle_logout_message(urlsplit(answer_url).query)
    assert outcome.redirect_to == '/?uloskirjautunut=1' and outcome.ended_user_ids == ()
    with pytest.raises(SamlRefused):
        saml_sp.handle_logout_message(urlsplit(answer_url).query)


def test_single_logout_started_by_the_idp_ends_the_persons_sessions(idp: TestIdentityProvider) -> None:
    request = _login(idp)
    answer = idp.issue_response(request, NORDEA_DEMO)
    identity = _complete(answer.saml_response, answer.relay_state)
    row = _signed_in_session(identity)
    url = idp.start_logout(saml_sp.sp_entity_id(config.get_settings()), identity.name_id, identity.session_index)
    query = {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
    # Unsigned, or signed for other content, it is refused (pysaml2 alone would accept it).
    unsigned = urlencode({'SAMLRequest': query['SAMLRequest']})
    with pytest.raises(SamlRefused):
        saml_sp.handle_logout_message(unsigned)
    forged = urlencode({**query, 'RelayState': 'changed'})
    with pytest.raises(SamlRefused):
        saml_sp.handle_logout_message(forged)
    outcome = saml_sp.handle_logout_message(urlsplit(url).query)
    assert outcome.ended_user_ids == (row.user_id,)
    assert outcome.redirect_to.startswith(f'{idp.base_url}/test-idp/slo?')
    assert 'Success' in decode_redirect_message(outcome.redirect_to, 'SAMLResponse')


def test_expired_replay_records_are_forgotten(idp: TestIdentityProvider) -> None:
    with session_scope() as db:
        db.add(SamlSeenAssertion(assertion_id='old', expires_at=datetime.now().astimezone() - timedelta(days=1)))
    assert saml_sp.forget_expired_assertions() == 1


def test_level_of_assurance_loa2_is_configurable(idp: TestIdentityProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('SAML_LEVEL_OF_ASSURANCE', 'loa2')
    settings = config.reload_settings()
    loa2_idp = TestIdentityProvider.for_settings(settings)
    assert 'http://ftn.ficora.fi/2017/loa2' in saml_sp.metadata_xml()
    request = _login(loa2_idp)
    assert request.level_of_assurance == 'http://ftn.ficora.fi/2017/loa2'
    answer = loa2_idp.issue_response(request, NORDEA_DEMO)
    assert _complete(answer.saml_response, answer.relay_state).national_id == '210281-9988'
    # A stronger answer than asked is fine.
    request = _login(loa2_idp)
    answer = loa2_idp.issue_response(request, NORDEA_DEMO, level_of_assurance='http://ftn.ficora.fi/2017/loa3')
    assert _complete(answer.saml_response, answer.relay_state).national_id == '210281-9988'


def test_the_suomifi_modes_use_the_metadata_file_and_mount_no_test_idp(idp: TestIdentityProvider, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    metadata = tmp_path / 'suomifi-test-metadata.xml'
    metadata.write_text(idp.metadata_xml(), encoding='utf-8')  # stands in for Suomi.fi's published metadata
    monkeypatch.setenv('SIGN_IN_MODE', 'suomifi-test')
    monkeypatch.setenv('SAML_IDP_METADATA', str(metadata))
    settings = config.reload_settings()
    assert saml_sp.idp_entity_id(settings) == idp.entity_id
    request = _login(idp)
    answer = idp.issue_response(request, NORDEA_DEMO)
    assert _complete(answer.saml_response, answer.relay_state).surname == 'Demo'

    from nicegui import app

    import pages.test_idp

    routes = len(app.routes)
    pages.test_idp.register()
    assert len(app.routes) == routes  # the test IdP is never mounted outside test-idp mode
