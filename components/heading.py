"""A label that assistive technology reads as a heading (`role=heading` and `aria-level`).

The level goes into the element's props directly: never format values into a `.props('…')` string (see the README's
Security section and tests/security/test_props_strings.py).
"""
from __future__ import annotations

from nicegui import ui


def heading_label(text: str, level: int, classes: str) -> ui.label:
    label = ui.label(text).classes(classes).props('role=heading')
    label.props['aria-level'] = level
    return label
