"""The texts the portal shows: every literal given to t(), N_(), nt() (both forms) and pt() in the code, and every label
of the forms (the translation test checks that locales/messages.pot holds them all)."""
import ast
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ('pages', 'components', 'auth', 'services', 'portal')
# Which positional arguments of each translation function are Finnish texts (pt's first is the context).
LITERAL_ARGUMENTS = {'t': (0,), 'N_': (0,), 'nt': (0, 1), 'pt': (1,)}


def texts_in_code() -> set[str]:
    texts: set[str] = set()
    for folder in SOURCE_DIRS:
        for path in (PROJECT_DIR / folder).rglob('*.py'):
            for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in LITERAL_ARGUMENTS:
                    literals = [node.args[index] for index in LITERAL_ARGUMENTS[node.func.id] if len(node.args) > index]
                    texts |= {str(arg.value) for arg in literals if isinstance(arg, ast.Constant)}
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
                texts |= {field.required_message} if field.required_message else set()
    return texts
