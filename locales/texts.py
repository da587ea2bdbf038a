"""The texts the portal shows through `t()`: every call in the code and every label of the forms (the translation test
and scripts/missing_translations.py read them)."""
import ast
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ('pages', 'components', 'auth', 'services')


def texts_in_code() -> set[str]:
    texts: set[str] = set()
    for folder in SOURCE_DIRS:
        for path in (PROJECT_DIR / folder).rglob('*.py'):
            for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ('t', 'N_')
                        and node.args and isinstance(node.args[0], ast.Constant)):
                    texts.add(str(node.args[0].value))
    return texts


def texts_in_forms() -> set[str]:
    from services.forms import FORMS  # imported late: services use locales

    texts: set[str] = set()
    for form in FORMS.values():
        texts |= {form.title, form.description, *form.instructions}
        for step in form.steps:
            texts |= {step.title} | ({step.intro} if step.intro else set())
            for field in step.fields:
                texts |= {field.label} | ({field.help} if field.help else set()) | {label for _, label in field.options}
                texts |= {field.answer_label} if field.answer_label else set()
    return texts
