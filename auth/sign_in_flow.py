"""What every successful sign-in does, whatever the method: open the session and settle the profile.

The landing choice "Organisaation edustajana asiointi" is only a wish: the organisation profile is given only to a
user who holds a representation right for the chosen organisation. Anyone else continues as a private person and is
told why, on the first page after sign-in (the frame's one-time notice).
"""
from __future__ import annotations

from dataclasses import dataclass

from nicegui import app

from components.frame import NOTICE_KEY
from locales import N_, current_language, t
from services.representation import organisation_name, represented_organisations, represents

from . import session

NOTICES = {
    'no-right': N_('Sinulla ei ole oikeutta asioida organisaation {organisation} edustajana. Asioit nyt '
                   'yksityishenkilönä. Jos tarvitset asiointioikeuden, ota yhteyttä organisaatiosi pääkäyttäjään.'),
    'no-organisation': N_('Et valinnut organisaatiota, jota edustat. Asioit nyt yksityishenkilönä.'),
    'registered': N_('Rekisteröityminen onnistui. Tervetuloa asiakaspalveluportaaliin!'),
}


@dataclass(frozen=True)
class SamlSessionInfo:
    name_id: str
    session_index: str | None
    issuer: str


@dataclass(frozen=True)
class ProfileDecision:
    kind: str
    organisation_id: int | None
    notice: str | None = None  # a key of NOTICES
    organisation: str = ''


def decide_profile(user_id: int, wanted: str, organisation_id: int | None) -> ProfileDecision:
    """The profile the user may have: the organisation one only with a right for that organisation."""
    if wanted != 'organisation':
        return ProfileDecision('private', organisation_id)
    if organisation_id is not None:
        if represents(user_id, organisation_id):
            return ProfileDecision('organisation', organisation_id)
        return ProfileDecision('private', organisation_id, 'no-right', organisation_name(organisation_id))
    rights = represented_organisations(user_id)
    if len(rights) == 1:  # "without organisation" but only one to represent: no need to ask
        return ProfileDecision('organisation', rights[0][0])
    return ProfileDecision('private', None, 'no-organisation')


def finish_sign_in(user_id: int, method: str, *, profile: str, organisation_id: int | None,
                   saml: SamlSessionInfo | None = None, lang: str | None = None) -> ProfileDecision:
    """Start the session in this browser and apply the (checked) landing choice."""
    session.start_session(user_id, method, saml_name_id=saml.name_id if saml else None,
                          saml_session_index=saml.session_index if saml else None,
                          saml_issuer=saml.issuer if saml else None)
    decision = decide_profile(user_id, profile, organisation_id)
    session.choose_profile(decision.kind, decision.organisation_id)
    if decision.notice:
        set_notice(decision.notice, decision.organisation, lang)
    return decision


def set_notice(key: str, organisation: str = '', lang: str | None = None) -> None:
    """A notice (a key of NOTICES) for the frame to show once on the next page, in the user's language."""
    app.storage.user[NOTICE_KEY] = t(NOTICES[key], lang or current_language(), organisation=organisation)
