"""The layers stay apart: read every `import` of the project (also those inside functions) and check the rules."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
PRODUCT = ('pages', 'components', 'services', 'auth', 'models', 'portal', 'locales', 'main', 'config')
# (importing package, package it must not import, why)
FORBIDDEN = [
    ('auth', 'components', 'sign-in and sessions sit below the widgets'),
    ('auth', 'pages', 'sign-in and sessions sit below the pages'),
    ('models', 'services', 'tables sit below the domain logic'),
    ('bench', 'tests', 'benchmarks share bench.harness with the tests, not the other way round'),
    ('scripts', 'tests', 'scripts read the product, not the tests'),
    *((package, 'tests', 'the product must not depend on its tests') for package in PRODUCT),
]


def _module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_DIR).with_suffix('').parts
    return '.'.join(parts[:-1] if parts[-1] == '__init__' else parts)


def _imports(path: Path, module: str) -> set[str]:
    """The modules `path` imports, anywhere in it, relative imports resolved."""
    package = module if path.name == '__init__.py' else module.rpartition('.')[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                anchor = package.split('.')[:len(package.split('.')) - (node.level - 1)]
                base = '.'.join([*anchor, base] if base else anchor)
            found.add(base)
            found |= {f'{base}.{alias.name}' for alias in node.names}  # `from auth import test_idp` names a module
    return found


def _project_graph() -> dict[str, set[str]]:
    paths = [path for path in PROJECT_DIR.rglob('*.py')
             if not {'.venv', 'migrations', 'test-artifacts', 'data'} & set(path.relative_to(PROJECT_DIR).parts)]
    modules = {_module_name(path): path for path in paths}
    return {module: {name for name in _imports(path, module) if name in modules} for module, path in modules.items()}


GRAPH = _project_graph()


def _top(module: str) -> str:
    return module.split('.')[0]


@pytest.mark.parametrize(('importer', 'imported', 'why'), FORBIDDEN)
def test_no_forbidden_import(importer: str, imported: str, why: str) -> None:
    offenders = sorted(f'{module} imports {name}' for module, names in GRAPH.items() if _top(module) == importer
                       for name in names if _top(name) == imported)
    assert not offenders, f'{why}:\n' + '\n'.join(offenders)


def test_no_import_cycles_in_auth() -> None:
    """`auth.saml_sp` and `auth.test_idp` once imported each other; the SP's metadata now lives apart."""
    auth = {module: {name for name in names if _top(name) == 'auth'} for module, names in GRAPH.items()
            if _top(module) == 'auth'}
    cycles = set()
    for start in auth:
        stack: list[tuple[str, tuple[str, ...]]] = [(start, (start,))]
        seen: set[str] = set()
        while stack:
            module, path = stack.pop()
            for name in auth.get(module, ()):
                if name == start:
                    cycles.add(' -> '.join((*path, start)))
                elif name not in seen:
                    seen.add(name)
                    stack.append((name, (*path, name)))
    assert not cycles, '\n'.join(sorted(cycles))


def test_no_test_helpers_in_the_product() -> None:
    """Scratch databases and test servers belong to tests and bench.harness, not to the product's modules."""
    helpers = sorted(f'{module}: {node.name}' for module in GRAPH if _top(module) in PRODUCT
                     for node in ast.walk(ast.parse(_path_of(module).read_text(encoding='utf-8')))
                     if isinstance(node, ast.FunctionDef) and node.name.startswith(('scratch_', 'test_')))
    assert not helpers, '\n'.join(helpers)


def _path_of(module: str) -> Path:
    path = PROJECT_DIR.joinpath(*module.split('.'))
    return path / '__init__.py' if path.is_dir() else path.with_suffix('.py')
