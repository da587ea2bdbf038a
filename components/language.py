"""The page language: chosen in KIELI, kept per user, and set on <html lang> and Quasar for each page."""
from __future__ import annotations

from copy import copy

from nicegui import app, context

from auth import session
from auth.session import LANGUAGE_KEY
from locales import HTML_LANGUAGES, normalise_language, set_page_language_resolver
from models import User
from models.db import session_scope


def language_for(user: User | None) -> str:
    if user is not None:
        return normalise_language(user.language)
    return normalise_language(app.storage.user.get(LANGUAGE_KEY))


def _language_of_this_page() -> str:
    return language_for(session.current_user())


# `t()` asks this when a page builds texts before `frame()` applies the language (tab titles, headings).
set_page_language_resolver(_language_of_this_page)


def apply_page_language(lang: str) -> None:
    """Render this page in `lang`. NiceGUI fixes the language per page route, so the client gets its own copy of
    the page settings (internal API: nicegui is pinned in pyproject.toml)."""
    client = context.client
    client.storage['language'] = lang
    page = copy(client.page)
    page.language = HTML_LANGUAGES[lang]
    client.page = page


def remember_language(lang: str, user: User | None) -> None:
    lang = normalise_language(lang)
    app.storage.user[LANGUAGE_KEY] = lang
    if user is not None:
        with session_scope() as db:
            stored = db.get(User, user.id)
            if stored is not None:
                stored.language = lang
                db.add(stored)
