"""Where sign-out goes next: the IdP's single-logout service for a session that began with SAML."""
import logging

from models import UserSession

log = logging.getLogger(__name__)


def logout_redirect_url(ended: UserSession) -> str | None:
    """A signed LogoutRequest URL to the IdP, or None (no SAML session, or the IdP cannot be reached by SLO).

    The portal's own session has already ended; a failure here must not keep anyone signed in, so it is logged.
    """
    if ended.auth_method != 'saml':
        return None
    from .saml_sp import logout_redirect_url as saml_logout_url

    try:
        return saml_logout_url(ended)
    except Exception:  # broken IdP metadata or keys: the local sign-out still stands
        log.exception('SAML single logout could not be started')
        return None
