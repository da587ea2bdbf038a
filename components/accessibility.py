"""Keyboard and screen-reader behaviour for every page, added once in the head by the frame (and the test IdP).

- A visible focus ring on every control: the links' 3 px amber outline also on buttons, radios, checkboxes, tabs and
  on the field box of inputs, selects and textareas (the focused native input sits inside Quasar's box, which would
  clip an outline of its own).
- Radio groups (`role=radiogroup`, Quasar's `q-option-group`) behave as the ARIA pattern asks: one Tab stop (the
  chosen radio, or the first when none is), and the arrow keys move to the next or previous radio and choose it.
  Quasar gives every radio tabindex 0 and no arrow keys, so arrows scrolled the page instead.
- The sort buttons of table headers (`components.sortable_header`) look like the header text.
- A radio or sort button redrawn by the server's answer gets the focus back (it would fall to the page's body).
- An open drop-down's option list passes axe: Quasar gives the scroll container inside `role=listbox` tabindex=-1,
  which a listbox may not contain (aria-required-children). Focus stays in the field, so the container needs none.
"""
from __future__ import annotations

from nicegui import ui

FOCUS_COLOUR = '#ffbf47'

# In a cascade layer before NiceGUI's `quasar_importants`: an !important there (Quasar's `.no-outline` on every
# button) beats an unlayered !important, and among layers the earlier one's !important wins.
_STYLE = f'''
<style>
@layer overrides {{
  :focus-visible {{ outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px; }}
  .q-btn:focus-visible, [role=radio]:focus-visible, [role=checkbox]:focus-visible, [role=switch]:focus-visible,
  .q-tab:focus-visible, th[aria-sort] button:focus-visible {{
    outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px; }}
  .table-sort-button {{ background: none; border: 0; padding: 0; margin: 0; font: inherit; color: inherit;
                       cursor: pointer; text-align: inherit; }}
  .q-field--focused .q-field__control {{ outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px; }}
}}
</style>
'''

_SCRIPT = '''
<script>
(() => {
  if (window.portalA11yInstalled) return;
  window.portalA11yInstalled = true;
  const radiosOf = group => [...group.querySelectorAll('[role=radio]')]
    .filter(radio => radio.closest('[role=radiogroup]') === group && radio.getAttribute('aria-disabled') !== 'true');
  // One Tab stop per group: the chosen radio, else the first.
  const rove = () => {
    for (const group of document.querySelectorAll('[role=radiogroup]')) {
      const radios = radiosOf(group);
      const stop = radios.find(radio => radio.getAttribute('aria-checked') === 'true') || radios[0];
      for (const radio of radios) radio.setAttribute('tabindex', radio === stop ? '0' : '-1');
    }
  };
  const fixListboxes = () => {
    for (const el of document.querySelectorAll('[role=listbox] > .q-virtual-scroll__content[tabindex]'))
      el.removeAttribute('tabindex');
  };
  // A radio group or a sorted table's header is redrawn by the server's answer, which would drop the focus on the
  // page's body: remember which control had it and give it to the redrawn one.
  let focused = null;
  let focusKey = null;
  const keyOf = element => {
    const owner = element.parentElement && element.parentElement.closest('[id]');
    if (!owner) return null;
    if (element.matches('[role=radio]')) {
      const label = CSS.escape(element.getAttribute('aria-label') || '');
      return `#${CSS.escape(owner.id)} [role=radio][aria-label="${label}"]`;
    }
    if (element.matches('button[data-sort-column]'))
      return `#${CSS.escape(owner.id)} button[data-sort-column="${CSS.escape(element.dataset.sortColumn)}"]`;
    return null;
  };
  document.addEventListener('focusin', event => { focused = event.target; focusKey = keyOf(event.target); });
  const refocus = () => {
    if (!focusKey || !focused || focused.isConnected) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    const again = document.querySelector(focusKey);
    if (again) again.focus();
  };
  new MutationObserver(() => { rove(); fixListboxes(); refocus(); }).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: ['aria-checked']});
  const steps = {ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1};
  document.addEventListener('keydown', event => {
    const radio = event.target.closest && event.target.closest('[role=radio]');
    const group = radio && radio.closest('[role=radiogroup]');
    if (!group || !(event.key in steps) || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();  // arrows choose, they do not scroll the page
    const radios = radiosOf(group);
    const next = radios[(radios.indexOf(radio) + steps[event.key] + radios.length) % radios.length];
    next.click();
    next.focus();  // after the click: Quasar's click handler moves the focus to a helper inside the radio
  }, true);
})();
</script>
'''


def add_keyboard_support() -> None:
    """Add the focus ring, the radio-group keys and the listbox fix to the current page's head."""
    ui.add_head_html(_STYLE + _SCRIPT)
