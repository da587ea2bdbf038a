"""Fold the old JSON catalogues (locales/<lang>/*.json, Finnish text -> translation) into the gettext .po files.

Run by `make translations` after `pybabel update`: a message that has no translation yet (or only a fuzzy one) takes
the JSON's. It fills gaps only; translations already in the .po win. Once the JSON files are folded in, delete them.
"""
import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALES_DIR = Path(__file__).resolve().parents[1] / 'locales'


def fold(lang: str) -> int:
    texts: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob('*.json')):
        texts.update(json.loads(path.read_text(encoding='utf-8')))
    if not texts:
        return 0
    po_file = LOCALES_DIR / lang / 'LC_MESSAGES' / 'messages.po'
    with po_file.open('rb') as source:
        catalogue = read_po(source)
    filled = 0
    for message in catalogue:
        key = message.id[0] if message.pluralizable else message.id
        strings = tuple(message.string or ()) if message.pluralizable else (message.string,)
        untranslated = not any(strings)
        if key and key in texts and (untranslated or message.fuzzy):
            # a plural message's JSON entry is [singular, plural]
            translation = texts[key]
            message.string = tuple(translation) if message.pluralizable else translation
            message.flags.discard('fuzzy')
            message.previous_id = []
            filled += 1
    with po_file.open('wb') as target:
        write_po(target, catalogue, width=120, omit_header=False)
    return filled


if __name__ == '__main__':
    for lang in sys.argv[1:] or ['sv', 'en']:
        print(f'{lang}: {fold(lang)} translations taken from JSON')
