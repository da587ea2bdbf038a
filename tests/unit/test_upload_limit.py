"""The upload middleware: bodies to NiceGUI's upload URLs need a Content-Length within the per-file limit."""
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from auth.upload_limit import MULTIPART_ALLOWANCE, UploadLimitMiddleware, upload_body_limit

UPLOAD_URL = '/_nicegui/client/abc123/upload/42'


async def _accepted(request) -> PlainTextResponse:
    body = await request.body()
    return PlainTextResponse(f'got {len(body)}')


@pytest.fixture
def client(settings_env: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    import config

    monkeypatch.setenv('ATTACHMENT_MAX_FILE_MB', '1')
    config.reload_settings()
    app = Starlette(routes=[Route(UPLOAD_URL, _accepted, methods=['POST']),
                            Route('/other', _accepted, methods=['POST'])])
    app.add_middleware(UploadLimitMiddleware)
    return TestClient(app)


def test_limit_is_one_file_plus_the_multipart_envelope(client: TestClient) -> None:
    assert upload_body_limit() == 1024 * 1024 + MULTIPART_ALLOWANCE


def test_upload_within_the_limit_passes(client: TestClient) -> None:
    response = client.post(UPLOAD_URL, content=b'x' * 1000)
    assert (response.status_code, response.text) == (200, 'got 1000')


def test_upload_over_the_limit_is_refused_before_reading(client: TestClient) -> None:
    response = client.post(UPLOAD_URL, content=b'x' * (upload_body_limit() + 1))
    assert response.status_code == 413


def test_upload_without_content_length_is_refused(client: TestClient) -> None:
    def chunks():
        yield b'x' * 10

    response = client.post(UPLOAD_URL, content=chunks())  # sent chunked: no Content-Length
    assert response.status_code == 413


def test_other_paths_are_not_limited(client: TestClient) -> None:
    response = client.post('/other', content=b'x' * (upload_body_limit() + 1))
    assert response.status_code == 200
