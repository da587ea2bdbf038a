"""Stored XSS through NiceGUI props strings (issue 12, finding 1), kept out by a check on the source tree.

`element.props('…')` parses its string: a `"` inside interpolated data ends the value, and a following `:name="…"`
becomes a prop that nicegui.js evaluates as JavaScript. So a props string must be a constant written in the code; data
goes into `element.props['key'] = value` or a keyword argument. This test fails on any `.props(` call whose argument
(positional, `add=` or `remove=`) is anything but a constant string.
"""
from __future__ import annotations

import ast
from pathlib import Path

from tests.support.server import PROJECT_DIR

SOURCE_FOLDERS = ('auth', 'components', 'pages', 'services', 'models', 'locales', 'bench')
SOURCE_FILES = ('main.py', 'config.py')


def dynamic_props_calls(source: str, filename: str = '<source>') -> list[str]:
    """`file:line` of each `.props(…)` call whose string argument is not a constant."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == 'props'):
            continue
        arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
        if any(not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)) for argument in arguments):
            shown = ', '.join(ast.get_source_segment(source, argument) or '?' for argument in arguments)
            found.append(f'{filename}:{node.func.end_lineno}: .props({shown})'[:200])
    return found


def _python_files() -> list[Path]:
    files = [PROJECT_DIR / name for name in SOURCE_FILES]
    for folder in SOURCE_FOLDERS:
        files += sorted((PROJECT_DIR / folder).rglob('*.py'))
    return files


def test_no_props_string_is_built_from_data() -> None:
    files = _python_files()
    assert len(files) > 50  # the walk found the tree
    offenders = [line for path in files
                 for line in dynamic_props_calls(path.read_text(encoding='utf-8'), str(path.relative_to(PROJECT_DIR)))]
    assert offenders == [], 'data formatted into .props(): set element.props[key] = value instead\n' + \
        '\n'.join(offenders)


def test_the_check_catches_each_way_of_building_a_props_string() -> None:
    bad = '''
ui.button('x').props(f'aria-label="{surname}"')
ui.button('x').props('outline aria-label="' + surname + '"')
ui.button('x').props('aria-label="%s"' % surname)
ui.button('x').props(props)
ui.button('x').props(add=f'aria-pressed={pressed}')
ui.button('x').props(remove=removed)
'''
    assert len(dynamic_props_calls(bad)) == 6
    good = '''
ui.button('x').props('outline dense no-caps')
ui.button('x').props('outline '
                     'dense')
ui.button('x').props(add='outline', remove='flat')
button.props['aria-label'] = f'{surname}'
'''
    assert dynamic_props_calls(good) == []
