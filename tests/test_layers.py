"""The package's shape: views depend on the model, never the reverse, and no module reaches
into another's private names.  Read from the source with ``ast``, so a new import or a new
``other._name`` breaks here, where the rule is written, rather than in a merge."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "essconv"
#: what a funding committee or an analyst looks at
VIEWS = {"display", "plot", "xlsx", "dashboard", "report"}
#: what is read and computed; none of these may need a view to be imported
MODEL = {"plan", "convention", "description", "ledger", "execution", "checks", "pivot",
         "money", "scdl", "files", "findings", "errors"}


def _tree(name: str) -> ast.Module:
    return ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))


def _imported_modules(node: ast.AST) -> set[str]:
    """The package modules an import statement names (``from .display import x``,
    ``from . import display``)."""
    if isinstance(node, ast.ImportFrom) and node.level == 1:
        if node.module:
            return {node.module.split(".")[0]}
        return {a.name for a in node.names}
    return set()


def _module_level_imports(tree: ast.Module) -> set[str]:
    """Imports run when the module is imported: at top level, outside ``if TYPE_CHECKING``."""
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for sub in ast.walk(node) if not isinstance(node, (ast.FunctionDef, ast.ClassDef)) else ():
            found |= _imported_modules(sub)
        if isinstance(node, ast.ClassDef):   # a class body runs at import too (not its methods)
            for stmt in node.body:
                if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    for sub in ast.walk(stmt):
                        found |= _imported_modules(sub)
    return found


def test_no_model_module_imports_a_view_at_module_level():
    wrong = {m: sorted(_module_level_imports(_tree(m)) & VIEWS)
             for m in sorted(MODEL) if (PACKAGE / f"{m}.py").exists()}
    assert {m: v for m, v in wrong.items() if v} == {}


def _defined_private_names(tree: ast.Module) -> set[str]:
    """Private names a module defines: its functions, classes, attributes it assigns."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {a.asname or a.name for a in node.names}
    return {n for n in names if n.startswith("_")}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("__") and name != "_core"


#: known exceptions to the rule below, each with its reason (none today)
_PENDING: set[str] = set()


def test_no_module_uses_another_modules_private_names():
    """``from .plan import _ENCODINGS`` or ``plan._lines`` ties a module to another's
    insides: it uses public names (``plan.line_axis_indices``, ``plan.amount_at(i, j)``), and
    the private ones can change without a search across the package.  ``_core`` (the
    extension) is the one private name every model module may use."""
    wrong: list[str] = []
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        own = _defined_private_names(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                wrong += [f"{path.name}:{node.lineno}: from .{node.module} import {a.name}"
                          for a in node.names if _private(a.name)]
            elif isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in own:
                wrong.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    wrong = [w for w in wrong if w.split(":")[0] + ":" + w.split(":", 2)[2] not in _PENDING]
    assert wrong == [], "\n".join(wrong)


def _functions(tree: ast.Module) -> list[ast.FunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


def test_the_description_reader_stands_apart_from_the_convention_model():
    """convention.py is the model and its queries; description.py reads TOML, one builder per
    section (Convention.__init__ was 222 lines with 47 branches), and it alone loads plans."""
    model = _tree("convention")
    imported = {a.name.split(".")[0] for n in ast.walk(model) if isinstance(n, ast.Import)
                for a in n.names} | {n.module for n in ast.walk(model)
                                     if isinstance(n, ast.ImportFrom) and n.module}
    assert not {"tomllib", "description"} & imported
    assert not [n for n in ast.walk(model) if isinstance(n, ast.Name) and n.id == "read_plan"]
    reader = _tree("description")
    longest = max((f.end_lineno - f.lineno + 1, f.name) for f in _functions(reader)
                  if f.name != "_too_deep")
    assert longest[0] <= 60, longest
    loaders = [f.name for f in _functions(reader)
               if any(isinstance(n, ast.Name) and n.id == "read_plan" for n in ast.walk(f))]
    assert loaders == ["_plans"]


def test_the_binding_writes_no_field_of_a_core_ledger_or_plan():
    """The binding converts; the core owns a ledger's and a plan's state.  A ledger's rows,
    names and export count change through ess_ledger_* calls only (the staging builder,
    ess_ledger_rename_column, ess_ledger_export_begin/end), a pickled plan comes back through
    ess_plan_restore (the binding fills an image of its own that lends Python's strings), so
    the invariants ledger.c and plan.c state are kept there."""
    import re
    ledger_fields = ("columns|ncolumns|columns_cap|amount|nrows|cap|staged_rows|staged_columns|"
                     "blank_rows|encoding|exports|names|name|data|dict|kind")
    plan_fields = ("unit|year|nlines|nfunders|ngroups|line_labels|funder_labels|group_labels|"
                   "line_group|cells|line_totals|funder_totals|grand_total|has_total_column|"
                   "has_total_row|corner|title")
    write = re.compile(r"((->ledger|\bl)->(?:columns\[[^\]]*\]\.)?(" + ledger_fields + r")"
                       r"|(->plan|\bplan|\bp)->(" + plan_fields + r"))(\[[^\]]*\])?(\.\w+)?"
                       r"\s*(=(?!=)|\+\+|--|\+=|-=)")
    binding = PACKAGE.parent / "csrc" / "python"
    wrong = [f"{path.name}:{n}: {line.strip()}" for path in sorted(binding.glob("*.c"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if write.search(line)]
    assert wrong == [], "\n".join(wrong)


def test_module_level_imports_form_no_circle():
    """What runs when a module is imported never loops back (README, Layout); the imports
    inside functions are held to the same floors by test_no_import_circle_even_inside_functions."""
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    imports = {m: (_module_level_imports(_tree(m)) & modules) - {m} for m in modules}
    done: set[str] = set()

    def loop_from(module: str, path: list[str]) -> list[str]:
        if module in path:
            return path[path.index(module):] + [module]
        if module in done:
            return []
        for imported in sorted(imports[module]):
            if loop := loop_from(imported, path + [module]):
                return loop
        done.add(module)
        return []

    assert [loop for m in sorted(modules) if (loop := loop_from(m, []))] == []


# The standard exceptions a refusal may not raise bare: each has an essconv.Error twin that is also
# one of them, so `except ValueError` and `except essconv.Error` both catch every refusal.
_BARE = {"ValueError", "TypeError", "KeyError", "IndexError", "LookupError", "RuntimeError",
         "OverflowError", "ZeroDivisionError", "OSError"}


def test_every_refusal_is_an_essconv_error():
    """A refusal raised by the package is an essconv.Error (one hierarchy): no module raises a bare
    ValueError, TypeError, KeyError... of its own (re-raising a caught one, `raise`, is fine)."""
    bare = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and node.exc is not None:
                exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                if isinstance(exc, ast.Name) and exc.id in _BARE:
                    bare.append(f"{path.name}:{node.lineno}: raise {exc.id}")
    assert bare == []


def test_the_refusals_twins_are_both_kinds():
    import essconv
    from essconv import _core   # noqa: F401  (the package initialises its errors with the core)
    ledger = essconv.Ledger.from_columns({"f": ["A", "B"], "montant": ["1", "2"]}, amount="montant")
    for call, standard in [(lambda: ledger.column("nope"), KeyError),
                           (lambda: ledger.group_by("f").sum().top(-1), ValueError),
                           (lambda: essconv.Ledger.from_columns({"f": [1.5], "montant": ["1"]},
                                                                amount="montant"), TypeError),
                           (lambda: essconv.default().plan(2009).line_index(999), IndexError)]:
        try:
            call()
        except Exception as exc:   # noqa: BLE001  (the test is which kinds it is)
            assert isinstance(exc, essconv.Error) and isinstance(exc, standard), repr(exc)
        else:
            raise AssertionError("no refusal")


# Where the binding may still raise a standard exception bare, and why: none is a refusal of
# what a caller gave.  BufferError (not in _BARE) is the buffer protocol's own error.
_C_BARE_ALLOWED = {
    # a file's or a stream's failure, its errno or its readinto's count kept as the OS said it
    ("ledger_type.c", "OSError"): 1,
    ("stream_source.c", "OSError"): 1,
    # an offset past Py_ssize_t in the stream reader's thread, which has no module state: no
    # argument leads there (the core never reads 2**63 bytes)
    ("stream_source.c", "OverflowError"): 1,
}


def test_the_binding_raises_essconv_errors_not_bare_builtins():
    """The C binding refuses through the module state's essconv.errors classes
    (st->invalid_error, st->argument_type_error, st->position_error...), each also the builtin
    a caller may catch: a bare PyExc_ValueError escaped essconv.Error (a decimal=';' given to
    parse_amount, a delimiter 'é' given to read_csv).  Matching an exception is no raise."""
    import re
    binding = PACKAGE.parent / "csrc" / "python"
    named = re.compile(r"PyExc_(\w+)")
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted(binding.glob("*.c")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "ExceptionMatches" in line:
                continue
            for name in named.findall(line):
                if name in _BARE:
                    found.setdefault((path.name, name), []).append(
                        f"{path.name}:{n}: {line.strip()}")
    wrong = [where for key, lines in sorted(found.items())
             if len(lines) > _C_BARE_ALLOWED.get(key, 0) for where in lines]
    assert wrong == [], "\n".join(wrong)


def _imports_at_any_depth(tree: ast.Module, modules: set[str]) -> dict[str, int]:
    """The package modules a module imports, inside functions and methods too (where a model's
    view is loaded when shown), with the first line of each: ``from .x import``, ``from . import
    x``, ``from essconv.x import``, ``import essconv.x``.  What an ``if TYPE_CHECKING:`` block
    imports is left out: it is never imported when the program runs."""
    found: dict[str, int] = {}

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        names: set[str] = set()
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                names = {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
            elif node.level == 0 and node.module and node.module.startswith("essconv."):
                names = {node.module.split(".")[1]}
            elif node.level == 0 and node.module == "essconv":
                names = {a.name for a in node.names}
        elif isinstance(node, ast.Import):
            names = {a.name.split(".")[1] for a in node.names if a.name.startswith("essconv.")}
        for name in names & modules:
            found.setdefault(name, node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _circles(imports: dict[str, dict[str, int]]) -> list[list[str]]:
    """Every group of modules that import one another round a loop (strongly connected, of two
    modules or more), each sorted, found by Tarjan's algorithm."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(imports[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(imports):
        if v not in index:
            connect(v)
    return groups


def test_no_import_circle_even_inside_functions():
    """The floors of README's Layout, kept at every depth: a lower module never imports a higher
    one, not even inside a function (``Plan.to_html`` reaches a view below it; a reader that
    builds a model stands above it, and a model reaching such a reader calls what it lends at
    import, as ``Ledger.read_sql`` does essconv.sql's).  A circle is named with the imports that
    close it, file and line."""
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    imports = {m: {k: line for k, line in _imports_at_any_depth(_tree(m), modules).items()
                   if k != m} for m in modules}
    said = ["a circle of " + ", ".join(group) + ": " + ", ".join(
                f"{a}.py:{imports[a][b]} imports {b}" for a in group for b in sorted(imports[a])
                if b in group)
            for group in _circles(imports)]
    assert said == [], "\n".join(said)


def test_the_circle_finder_finds_a_circle_through_a_function_and_skips_type_checking():
    """The slow obvious twin of the test above, on a made-up package: every loop found by
    following each path from every module, compared with Tarjan's groups."""
    sources = {
        "words": "def f():\n    from .model import Plan\n",
        "model": "from .words import x\nif TYPE_CHECKING:\n    from .view import y\n",
        "view": "from essconv.model import Plan\n",
        "alone": "import essconv.view\n",
    }
    modules = set(sources)
    imports = {m: {k: line for k, line in _imports_at_any_depth(ast.parse(s), modules).items()
                   if k != m} for m, s in sources.items()}
    assert imports == {"words": {"model": 2}, "model": {"words": 1}, "view": {"model": 1},
                       "alone": {"view": 1}}

    def on_a_loop(start: str) -> set[str]:   # every module from which start is reached again
        looped: set[str] = set()

        def walk(m: str, path: list[str]) -> None:
            for n in imports[m]:
                if n == start:
                    looped.update(path + [m])
                elif n not in path and n != m:
                    walk(n, path + [m])
        walk(start, [])
        return looped

    slow = sorted({tuple(sorted(on_a_loop(m))) for m in modules if on_a_loop(m)})
    assert [tuple(g) for g in _circles(imports)] == slow == [("model", "words")]
