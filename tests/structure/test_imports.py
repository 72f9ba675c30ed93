"""No import cycle in bot/: every module is parsed with ast (imports inside functions count too) and
the module import graph must be acyclic."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "bot"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    if level == 0:
        return name or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """module → the bot modules it imports (``from x import y`` counts y when y is a module)."""
    files = {module_name(p): p for p in package.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in files}
    for mod, path in files.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(mod, is_package, node.level, node.module)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in files else base for a in node.names]
            for t in targets:
                while t and t not in files:  # `import bot.x.y` of an attribute: the nearest module
                    t = t.rpartition(".")[0]
                if t and t != mod:
                    graph[mod].add(t)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a path [a, b, …, a], or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_in_bot():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle)


def test_the_checker_sees_a_cycle_hidden_in_a_function(tmp_path):
    pkg = tmp_path / "bot"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "a.py").write_text("from bot.sub import b\n")
    (pkg / "sub" / "b.py").write_text("def f():\n    from . import a\n    return a\n")
    global ROOT
    old, ROOT = ROOT, tmp_path
    try:
        cycle = find_cycle(import_graph(pkg))
    finally:
        ROOT = old
    assert cycle and set(cycle) == {"bot.sub.a", "bot.sub.b"}


def test_nothing_below_the_app_factory_imports_it_back():
    graph = import_graph()
    importers = sorted(m for m, deps in graph.items() if "bot.slack.app" in deps)
    assert all(m.startswith("bot.cli") or m == "bot.__main__" for m in importers), importers


def _environment_reads(tree: ast.AST) -> list[int]:
    """Lines that read the environment (os.getenv, os.environ.get, os.environ[...], `in os.environ`…);
    setting a variable for a library (os.environ[X] = …) is not reading a setting."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("getenv", "getenvb"):
            lines.append(node.lineno)
        elif isinstance(node, ast.Attribute) and node.attr in ("environ", "environb"):
            parent = parents.get(node)
            if isinstance(parent, ast.Subscript) and isinstance(parent.ctx, ast.Store | ast.Del):
                continue
            lines.append(node.lineno)
    return lines


def test_settings_are_read_only_in_config():
    readers = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "config.py" and path.parent == PACKAGE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        readers += [f"{module_name(path)}:{n}" for n in _environment_reads(tree)]
    assert readers == [], "settings read outside bot/config.py: " + ", ".join(readers)


def test_the_settings_check_tells_reads_from_writes():
    src = "import os\nos.environ['A'] = '1'\nx = os.environ.get('B')\ny = os.getenv('C')\nz = os.environ['D']\n"
    assert sorted(_environment_reads(ast.parse(src))) == [3, 4, 5]
