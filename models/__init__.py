"""Tables of the portal. Importing this package registers every table on `SQLModel.metadata`."""
from .audit import AuditEvent
from .common import saved_id, utcnow
from .content import AccessibilityFeedback, NewsItem
from .form_version import FormVersion
from .integration import ApiClient, SamlPendingRequest, SamlSeenAssertion
from .organisation import Organisation, Region, Representation
from .outbox import EmailStatus, OutboxEmail
from .service_request import (
    FIRST_STAGE,
    Attachment,
    AttachmentBlob,
    Message,
    MessageKind,
    RequestStatus,
    Service,
    ServiceAudience,
    ServiceRequest,
    StageChange,
)
from .user import LoginThrottle, User, UserRole, UserSession

__all__ = [
    'FIRST_STAGE', 'AccessibilityFeedback', 'ApiClient', 'Attachment', 'AttachmentBlob', 'AuditEvent', 'EmailStatus',
    'FormVersion', 'LoginThrottle', 'Message', 'MessageKind', 'NewsItem', 'Organisation', 'OutboxEmail', 'Region',
    'Representation', 'RequestStatus', 'SamlPendingRequest', 'SamlSeenAssertion', 'Service', 'ServiceAudience',
    'ServiceRequest', 'StageChange', 'User', 'UserRole', 'UserSession', 'saved_id', 'utcnow',
]
