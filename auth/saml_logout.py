"""Where sign-out goes next: the IdP's single-logout service for a SAML session (filled in by the SAML module)."""
from models import UserSession


def logout_redirect_url(ended: UserSession) -> str | None:
    """None: no SAML session to end at the IdP."""
    return None
