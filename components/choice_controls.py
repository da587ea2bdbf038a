"""Radios and checkboxes show a press at once, in the browser, instead of waiting for the server's echo.

NiceGUI's value elements (loopback) leave the browser showing the old choice until the server echoes the new one. A
second press before the echo is compared against that stale choice: Quasar emits nothing for a radio that already
looks chosen, and a checkbox ticked twice sends "ticked" twice. On a slow connection or a busy instance a person who
moves a radio choice down and back up, or ticks and unticks a box, ended with their first press instead of their last
(tests/browser/test_fast_choices.py holds the server's answers back to prove it). NiceGUI's own `loopback=False` mode
stores the whole event argument list as the value, which a radio cannot compare with its options, so the browser's
copy is set here from the first argument; the echoes still arrive and end on the last press.
"""
from __future__ import annotations

from typing import TypeVar

from nicegui import ui

Choice = TypeVar('Choice', ui.radio, ui.checkbox, ui.switch, ui.toggle)

# Runs in NiceGUI's event binding (nicegui.js), where `element` is this element's reactive state.
_SHOW_AT_ONCE = '(value) => { element.props["model-value"] = value; }'


def shows_at_once(control: Choice) -> Choice:
    control.on('update:model-value', js_handler=_SHOW_AT_ONCE)
    return control
