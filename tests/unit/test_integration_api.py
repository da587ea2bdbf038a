"""The integration API (/api/v1) through FastAPI's test client: keys, listing, fetching, downloads, handler actions
with the system actor in the audit log, version conflicts, and JSON errors."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select

from models import ApiClient, AuditEvent, RequestStatus, ServiceRequest, User, saved_id
from models.db import session_scope
from pages.integration_api import api_app
from services import api_keys, attachments
from tests.support.rows import found

pytestmark = pytest.mark.db
SENT = 978373  # a sent demo request of Onni Korhonen's


@pytest.fixture
def client(database: str) -> TestClient:
    from services.catalogue import sync_services
    from services.demo_data import load_demo_data

    sync_services()
    load_demo_data()
    return TestClient(api_app())


@pytest.fixture
def key(client: TestClient) -> str:
    return api_keys.create_client('talousjarjestelma').key


def _auth(key: str) -> dict[str, str]:
    return {'Authorization': f'Bearer {key}'}


def test_key_is_stored_hashed_and_refused_when_wrong_or_revoked(client: TestClient, key: str) -> None:
    with session_scope() as db:
        stored = db.exec(select(ApiClient)).one()
    assert key not in stored.key_hash and key.startswith(f'ak_{stored.key_prefix}_')
    assert client.get('/requests', headers=_auth(key)).status_code == 200
    assert client.get('/requests', headers={'X-API-Key': key}).status_code == 200
    for headers in ({}, _auth(key[:-1] + ('A' if key[-1] != 'A' else 'B')), _auth('ak_00000000_x')):
        response = client.get('/requests', headers=headers)
        assert response.status_code == 401
        assert response.json()['error'] == 'unauthorized'
    with pytest.raises(api_keys.ApiKeyError):
        api_keys.create_client('talousjarjestelma')
    api_keys.revoke_client('talousjarjestelma')
    assert client.get('/requests', headers=_auth(key)).status_code == 401


def test_list_is_paginated_and_holds_only_sent_requests(client: TestClient, key: str) -> None:
    first = client.get('/requests', params={'state': 'all', 'per_page': 2}, headers=_auth(key)).json()
    assert first['total'] >= 3 and len(first['items']) == 2 and first['next_page'] == 2
    numbers = [item['number'] for item in first['items']]
    rest = client.get('/requests', params={'state': 'all', 'per_page': 2, 'page': 2}, headers=_auth(key)).json()
    numbers += [item['number'] for item in rest['items']]
    assert len(set(numbers)) == len(numbers)
    with session_scope() as db:
        drafts = set(db.exec(select(ServiceRequest.id).where(ServiceRequest.status == RequestStatus.DRAFT,
                                                             ~col(ServiceRequest.completion_requested))).all())
    assert drafts and not drafts & set(numbers)
    bad = client.get('/requests', params={'per_page': 1000}, headers=_auth(key))
    assert bad.status_code == 422


def test_fetch_download_and_act_as_the_system_user(client: TestClient, key: str) -> None:
    with session_scope() as db:
        request = found(db.get(ServiceRequest, SENT))
        owner = found(db.get(User, request.owner_id))
        checked = attachments.check_upload('tiliote.txt', b'Tiliote 2021\n')
        stored = attachments.store_attachment(db, request, owner, checked)
        attachment_id = saved_id(stored)
    detail = client.get(f'/requests/{SENT}', headers=_auth(key)).json()
    assert detail['number'] == SENT and detail['status'] == 'sent'
    [info] = [a for a in detail['attachments'] if a['id'] == attachment_id]
    download = client.get(info['download_url'].removeprefix('/api/v1'), headers=_auth(key))
    assert download.status_code == 200 and download.content == b'Tiliote 2021\n'
    assert client.get(f'/requests/{SENT}/attachments/{attachment_id + 1}', headers=_auth(key)).status_code == 404

    version = detail['version']
    moved = client.post(f'/requests/{SENT}/stage', json={'version': version, 'stage': 'Valmistelu'},
                        headers=_auth(key))
    assert moved.status_code == 200, moved.text
    stale = client.post(f'/requests/{SENT}/messages', json={'version': version, 'body': 'Hei'}, headers=_auth(key))
    assert stale.status_code == 409 and stale.json()['error'] == 'conflict'
    version = moved.json()['version']
    sent = client.post(f'/requests/{SENT}/messages', json={'version': version, 'body': 'Tarkistamme tiedot.'},
                       headers=_auth(key))
    assert sent.status_code == 200
    resolved = client.post(f'/requests/{SENT}/resolve', json={'version': sent.json()['version'],
                                                                'resolution': 'Palautus maksettu.'},
                           headers=_auth(key))
    assert resolved.status_code == 200
    again = client.post(f'/requests/{SENT}/resolve', json={'version': resolved.json()['version'],
                                                            'resolution': 'Uudestaan'}, headers=_auth(key))
    assert again.status_code == 422 and again.json()['message']

    with session_scope() as db:
        system = db.exec(select(User).where(User.username == 'api:talousjarjestelma')).one()
        events = db.exec(select(AuditEvent).where(AuditEvent.request_id == SENT, AuditEvent.actor_id == system.id)
                         .order_by(col(AuditEvent.id))).all()
        assert [e.action for e in events] == ['request_viewed', 'stage_changed', 'message_sent', 'assigned', 'resolved']
        assert found(db.get(ServiceRequest, SENT)).status == RequestStatus.DONE
    assert system.password_hash is None  # the system user cannot sign in through the pages


def test_unknown_request_and_bad_input_are_json_errors(client: TestClient, key: str) -> None:
    missing = client.get('/requests/2147483647', headers=_auth(key))
    assert missing.status_code == 404 and missing.json()['error'] == 'not_found'
    assert client.get('/requests/99999999999', headers=_auth(key)).status_code == 422
    nul = client.post(f'/requests/{SENT}/messages', json={'version': 1, 'body': 'a\x00b'}, headers=_auth(key))
    assert nul.status_code == 422
    stage = client.post(f'/requests/{SENT}/stage', json={'version': 1, 'stage': 'Ei vaihe'}, headers=_auth(key))
    assert stage.status_code == 422
