"""Print the texts that still lack a translation, as JSON ready to fill in: python scripts/missing_translations.py sv"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from locales import catalogue
from locales.texts import texts_in_code, texts_in_forms

lang = sys.argv[1] if len(sys.argv) > 1 else 'sv'
missing = sorted((texts_in_code() | texts_in_forms()) - set(catalogue(lang)))
print(json.dumps({text: '' for text in missing}, ensure_ascii=False, indent=2))
