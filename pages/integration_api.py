"""/api/v1: the integration API for the centre's back-office systems (OpenAPI at /api/v1/openapi.json).

Authenticated by a per-system key (`Authorization: Bearer ak_…` or `X-API-Key`, see `services.api_keys`), not by a
session, so `auth.access` lets `/api/` through and every route here checks the key. The routes are thin: listing,
fetching and the handler actions all go through `services.handling`, acting as the client's system user, so the
same rules, optimistic locking (`version`), audit events and e-mails apply as in the workbench. Routes are plain
`def`, so FastAPI runs their database work in its thread pool and the UI's event loop never waits for it.
Errors are JSON: `{"error": "<code>", "message": "<text>"}`.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from nicegui import app
from pydantic import BaseModel, Field, field_validator

from locales import using_language
from models import MessageKind, RequestStatus, User
from models.db import session_scope
from services import api_keys, handling
from services.attachments import load_for_download
from services.forms.versions import published_version
from services.stages import STAGES

from .attachments import file_response

PREFIX = '/api/v1'
MAX_ID = 2**31 - 1  # the database's integer range: larger ids are simply not found
_bearer = HTTPBearer(auto_error=False, description='Authorization: Bearer <API key>')
_header = APIKeyHeader(name='X-API-Key', auto_error=False, description='the API key in its own header')


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class ErrorBody(BaseModel):
    error: str = Field(description='a stable code: unauthorized, not_found, conflict, invalid, forbidden')
    message: str
    details: list[dict] | None = Field(default=None, description='for invalid input: which fields and why')


def _clean_text(value: str) -> str:
    # Control characters (NUL above all: PostgreSQL refuses it in text) and lone surrogates cannot be stored.
    if any(ord(char) < 32 and char not in '\n\r\t' for char in value):
        raise ValueError('text must not contain control characters')
    try:
        value.encode('utf-8')
    except UnicodeEncodeError:
        raise ValueError('text must be valid Unicode') from None
    return value


def api_actor(bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
              header_key: Annotated[str | None, Depends(_header)]) -> User:
    key = bearer.credentials if bearer is not None else header_key
    user = api_keys.authenticate(key)
    if user is None:
        raise ApiError(401, 'unauthorized', 'A valid API key is required (Authorization: Bearer <key>).')
    return user


Actor = Annotated[User, Depends(api_actor)]
Number = Annotated[int, Path(ge=1, le=MAX_ID, description='the request number')]


# ------------------------------------------------------------------------------------------------------ models

class RequestSummary(BaseModel):
    number: int
    service_code: str
    status: RequestStatus
    stage: str
    citizen: str
    organisation: str
    handler: str
    sent_at: datetime | None
    modified_at: datetime
    citizen_replied: bool
    completion_requested: bool


class RequestList(BaseModel):
    items: list[RequestSummary]
    total: int
    page: int
    per_page: int
    next_page: int | None = Field(description='the next page number, or null on the last page')


class AttachmentOut(BaseModel):
    id: int
    filename: str
    size: int
    created_at: datetime
    field_name: str
    message_id: int | None
    download_url: str


class MessageOut(BaseModel):
    id: int
    kind: MessageKind
    body: str
    author: str
    created_at: datetime
    read_at: datetime | None


class StageOut(BaseModel):
    stage: str
    changed_by: str
    changed_at: datetime


class PersonOut(BaseModel):
    name: str
    email: str
    phone: str
    identity_masked: str


class RequestOut(BaseModel):
    number: int
    version: int = Field(description='send it back with a change: a changed request answers 409')
    service_code: str
    form_version: int | None = Field(description='the version of its form it was filled in with '
                                     '(GET /forms/{service_code}/versions/{form_version}); null: not recorded')
    status: RequestStatus
    stage: str
    completion_requested: bool
    created_at: datetime
    sent_at: datetime | None
    modified_at: datetime
    resolved_at: datetime | None
    resolution: str | None
    sender: PersonOut
    organisation: str
    representing_organisation: str
    on_behalf_of: str
    assigned_handler: str
    answers: dict
    attachments: list[AttachmentOut]
    messages: list[MessageOut]
    stage_history: list[StageOut]


class FormVersionOut(BaseModel):
    code: str
    version: int = Field(description='1, 2, … per service; a request names the one it was filled in with')
    content_hash: str = Field(description='SHA-256 of the definition as canonical JSON')
    created_at: datetime
    definition: dict = Field(description='steps and fields, each text in fi, sv and en')
    answers_schema: dict = Field(description="JSON schema of a request's answers under this version")


class Changed(BaseModel):
    number: int
    version: int


class StageChangeIn(BaseModel):
    version: int = Field(ge=1, le=MAX_ID)
    stage: Literal[STAGES]  # type: ignore[valid-type]


class MessageIn(BaseModel):
    version: int = Field(ge=1, le=MAX_ID)
    body: str = Field(min_length=1, max_length=handling.MAX_MESSAGE_LENGTH)
    question: bool = Field(default=False, description='true: a question the citizen is expected to answer')

    _check_body = field_validator('body')(_clean_text)


class ResolveIn(BaseModel):
    version: int = Field(ge=1, le=MAX_ID)
    resolution: str = Field(min_length=1, max_length=handling.MAX_MESSAGE_LENGTH)

    _check_resolution = field_validator('resolution')(_clean_text)


# ------------------------------------------------------------------------------------------------------ routes

ERRORS: dict[int | str, dict[str, Any]] = {status: {'model': ErrorBody} for status in (401, 404, 409, 422)}
router = APIRouter(tags=['requests'], responses=ERRORS)  # mounted under PREFIX
forms_router = APIRouter(tags=['forms'], responses=ERRORS)
STATES = Literal['open', 'completion', 'done', 'all']


def _handled(call, *args: object, **kwargs: object):
    """Run a handling service in English (its messages go to the client) and map its refusals to HTTP."""
    try:
        with using_language('en'):
            return call(*args, **kwargs)
    except handling.RequestNotFound as error:
        raise ApiError(404, 'not_found', str(error)) from None
    except handling.VersionConflict as error:
        raise ApiError(409, 'conflict', str(error)) from None
    except handling.HandlingForbidden as error:
        raise ApiError(403, 'forbidden', str(error)) from None
    except handling.InvalidAction as error:
        raise ApiError(422, 'invalid', str(error)) from None


@router.get('/requests', response_model=RequestList, summary='Sent requests, a page at a time, oldest first')
def list_requests(actor: Actor, state: STATES = 'open', page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                  per_page: Annotated[int, Query(ge=1, le=100)] = 50) -> RequestList:
    result = _handled(handling.list_queue, actor, handling.QueueFilters(state=state), page=page, per_page=per_page)
    items = [RequestSummary(number=row.number, service_code=row.service_code, status=row.status, stage=row.stage,
                            citizen=row.citizen, organisation=row.organisation, handler=row.handler,
                            sent_at=row.sent_at, modified_at=row.modified_at, citizen_replied=row.citizen_replied,
                            completion_requested=row.completion_requested) for row in result.rows]
    return RequestList(items=items, total=result.total, page=page, per_page=per_page,
                       next_page=page + 1 if page * per_page < result.total else None)


@router.get('/requests/{number}', response_model=RequestOut, summary='One request with answers, messages, files')
def get_request(actor: Actor, number: Number) -> RequestOut:
    detail = _handled(handling.open_request, actor, number)
    return RequestOut(
        number=detail.number, version=detail.version, service_code=detail.service_code,
        form_version=detail.form_version, status=detail.status,
        stage=detail.stage, completion_requested=detail.completion_requested, created_at=detail.created_at,
        sent_at=detail.sent_at, modified_at=detail.modified_at, resolved_at=detail.resolved_at,
        resolution=detail.resolution,
        sender=PersonOut(name=detail.sender.name, email=detail.sender.email, phone=detail.sender.phone,
                         identity_masked=detail.sender.identity_masked),
        organisation=detail.organisation, representing_organisation=detail.representing_organisation,
        on_behalf_of=detail.on_behalf_of, assigned_handler=detail.assigned_handler, answers=detail.answers,
        attachments=[AttachmentOut(id=a.id, filename=a.filename, size=a.size, created_at=a.created_at,
                                   field_name=a.field_name, message_id=a.message_id,
                                   download_url=f'{PREFIX}/requests/{number}/attachments/{a.id}')
                     for a in detail.attachments],
        messages=[MessageOut(id=m.id, kind=m.kind, body=m.body, author=m.author, created_at=m.created_at,
                             read_at=m.read_at) for m in detail.messages],
        stage_history=[StageOut(stage=s.stage, changed_by=s.changed_by, changed_at=s.changed_at)
                       for s in detail.stage_history])


def _form_version(code: str, number: int | None) -> FormVersionOut:
    found = published_version(code, number)
    if found is None:
        what = f'version {number} of the form' if number is not None else 'a form'
        raise ApiError(404, 'not_found', f'Service {code!r} has no {what}.')
    return FormVersionOut(code=found.code, version=found.version, content_hash=found.content_hash,
                          created_at=found.created_at, definition=found.content,
                          answers_schema=found.answers_schema)


ServiceCode = Annotated[str, Path(min_length=1, max_length=60, pattern='^[a-z0-9-]+$', description='the service')]


@forms_router.get('/forms/{code}', response_model=FormVersionOut, summary="A service's form as it is now")
def get_form(_actor: Actor, code: ServiceCode) -> FormVersionOut:
    return _form_version(code, None)


@forms_router.get('/forms/{code}/versions/{number}', response_model=FormVersionOut,
                  summary="One published version of a service's form")
def get_form_version(_actor: Actor, code: ServiceCode,
                     number: Annotated[int, Path(ge=1, le=MAX_ID, description='the version')]) -> FormVersionOut:
    return _form_version(code, number)


@router.get('/requests/{number}/attachments/{attachment_id}', summary='Download an attachment',
            response_class=Response, responses={200: {'content': {'application/octet-stream': {}}}})
def download(actor: Actor, number: Number,
             attachment_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Response:
    with session_scope() as db:
        found = load_for_download(db, actor, attachment_id)
    if found is None or found[0].request_id != number:
        raise ApiError(404, 'not_found', f'Request {number} has no attachment {attachment_id}.')
    return file_response(*found)


@router.post('/requests/{number}/stage', response_model=Changed, summary='Move the request to another stage')
def change_stage(actor: Actor, number: Number, change: StageChangeIn) -> Changed:
    version = _handled(handling.change_stage, actor, number, change.version, change.stage)
    return Changed(number=number, version=version)


@router.post('/requests/{number}/messages', response_model=Changed, summary='Send a message to the citizen')
def post_message(actor: Actor, number: Number, message: MessageIn) -> Changed:
    version = _handled(handling.send_message, actor, number, message.version, message.body,
                       question=message.question)
    return Changed(number=number, version=version)


@router.post('/requests/{number}/resolve', response_model=Changed, summary='Resolve the request')
def resolve(actor: Actor, number: Number, resolution: ResolveIn) -> Changed:
    version = _handled(handling.resolve, actor, number, resolution.version, resolution.resolution)
    return Changed(number=number, version=version)


async def _api_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiError)
    return JSONResponse({'error': error.code, 'message': error.message}, status_code=error.status,
                        headers={'WWW-Authenticate': 'Bearer'} if error.status == 401 else None)


async def _invalid_input(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    details = [{'field': '.'.join(str(part) for part in problem.get('loc', ())), 'problem': problem.get('msg', '')}
               for problem in error.errors()]
    return JSONResponse({'error': 'invalid', 'message': 'The request has invalid or missing values: '
                         + '; '.join(f'{d["field"]}: {d["problem"]}' for d in details)[:2000],
                         'details': details}, status_code=422)


def api_app() -> FastAPI:
    """The API as its own FastAPI application, so its OpenAPI schema holds only the API (not NiceGUI's routes)."""
    api = FastAPI(title='Asiakaspalveluportaali integration API', version='1', openapi_url='/openapi.json',
                  docs_url='/docs', redoc_url=None)
    api.include_router(router)
    api.include_router(forms_router)
    api.add_exception_handler(ApiError, _api_error)
    api.add_exception_handler(RequestValidationError, _invalid_input)
    return api


def register() -> None:
    app.mount(PREFIX, api_app())
