"""The shipped type stubs (python/osteon/*.pyi) match the modules: the same __all__, and for every
public function and class constructor the same parameter names, kinds and defaults as
inspect.signature reports at run time. Regenerate with scripts/make_python_stubs.py."""
import ast
import dataclasses
import importlib
import inspect
import os
import pathlib
import subprocess
import sys

import pytest

import osteon

PACKAGE = pathlib.Path(osteon.__file__).resolve().parent
SOURCE = pathlib.Path(__file__).resolve().parents[2] / "python" / "osteon"
MODULES = ["osteon", "osteon.metrics", "osteon.split", "osteon.losses", "osteon.nn", "osteon.stats", "osteon.data",
           "osteon.plots", "osteon.progress", "osteon.train"]


def _stub(module_name):
    name = "__init__" if module_name == "osteon" else module_name.split(".")[1]
    path = PACKAGE / f"{name}.pyi"
    assert path.exists(), f"{path} is not shipped in the package"
    return ast.parse(path.read_text(encoding="utf-8"))


def _stub_all(tree):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return ast.literal_eval(node.value)
    return None


def _stub_parameters(function: ast.FunctionDef, method: bool):
    args = function.args
    out = []
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for arg, default in zip(positional, defaults):
        out.append((arg.arg, "positional", None if default is None else ast.unparse(default)))
    if args.vararg:
        out.append((args.vararg.arg, "*", None))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        out.append((arg.arg, "keyword", None if default is None else ast.unparse(default)))
    if args.kwarg:
        out.append((args.kwarg.arg, "**", None))
    return out[1:] if method else out


def _runtime_parameters(signature):
    kinds = {inspect.Parameter.POSITIONAL_ONLY: "positional", inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional",
             inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.KEYWORD_ONLY: "keyword",
             inspect.Parameter.VAR_KEYWORD: "**"}
    out = []
    for p in signature.parameters.values():
        if p.default is inspect.Parameter.empty:
            default = None
        else:
            text = repr(p.default)
            try:
                ast.literal_eval(text)
            except (ValueError, SyntaxError):
                text = "..."
            default = text
        out.append((p.name, kinds[p.kind], default))
    return out


@pytest.mark.parametrize("module_name", MODULES)
def test_stub_matches_the_module(module_name):
    module = importlib.import_module(module_name)
    tree = _stub(module_name)
    assert _stub_all(tree) == list(module.__all__), "stub __all__ differs: rerun scripts/make_python_stubs.py"
    defined = {node.name: node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    for name in module.__all__:
        obj = getattr(module, name)
        if inspect.ismodule(obj) or name in ("Result", "__version__") or not callable(obj):  # constants: DEFAULTS
            continue
        assert name in defined, f"{module_name}.{name} is missing from the stub"
        node = defined[name]
        if inspect.isclass(obj):
            assert isinstance(node, ast.ClassDef), name
            if dataclasses.is_dataclass(obj) or hasattr(obj, "_fields"):
                stub_fields = [n.target.id for n in node.body if isinstance(n, ast.AnnAssign)]
                runtime_fields = (list(obj._fields) if hasattr(obj, "_fields") else
                                  [f.name for f in dataclasses.fields(obj) if f.name in obj.__dict__.get("__annotations__", {})])
                assert stub_fields == runtime_fields, name
                continue
            init = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
            if init is not None:
                assert _stub_parameters(init, True) == _runtime_parameters(inspect.signature(obj)), name
        else:
            assert isinstance(node, ast.FunctionDef), name
            assert _stub_parameters(node, False) == _runtime_parameters(inspect.signature(obj)), name


def test_stubs_in_the_source_tree_are_the_generated_ones():
    # the package copies python/osteon/*.pyi; a stale copy in the source tree would ship
    for path in SOURCE.glob("*.pyi"):
        assert (PACKAGE / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), path.name
    assert (SOURCE / "py.typed").exists()


def _mypy_config(tmp_path):
    # torch, numpy and pandas are big: mypy checks osteon's stubs, and reads those as Any
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\nignore_missing_imports = True\n"
                      + "".join(f"[mypy-{m}.*]\nfollow_imports = skip\n[mypy-{m}]\nfollow_imports = skip\n"
                                for m in ("torch", "numpy", "pandas", "matplotlib", "scipy")))
    return config


# What stubtest cannot see through: the pybind11 classes' metaclass, methods and *args constructors
# (osteon.split.Manifest, osteon.data's bound classes: the generator writes their properties only),
# the __signature__ that osteon.losses sets on the bound loss classes, and typing's aliases
# imported by the private modules (which have no stubs; mypy reads their source).
STUBTEST_ALLOWLIST = """
osteon.split.Manifest.*
osteon.split.Manifest
osteon.data.(DataLoader|Dataset|Image|ManifestDataset|Subset|TensorDataset)(\\..*)?
osteon.losses.\\w+.__signature__
osteon\\._\\w+\\.(Sequence|Mapping)
"""


def test_stubtest_passes(tmp_path):
    """mypy's stubtest (python3-mypy) compares every stub with the module it describes."""
    allowlist = tmp_path / "allowlist.txt"
    allowlist.write_text(STUBTEST_ALLOWLIST)
    result = subprocess.run([sys.executable, "-m", "mypy.stubtest", "--mypy-config-file", str(_mypy_config(tmp_path)),
                             "--allowlist", str(allowlist), "osteon"],  # the package and its submodules
                            capture_output=True, text=True, cwd=str(tmp_path), timeout=600,
                            env=dict(os.environ, MYPYPATH=str(PACKAGE.parent),  # mypy reads MYPYPATH, not PYTHONPATH
                                     PYTHONPATH=os.pathsep.join([str(PACKAGE.parent), os.environ.get("PYTHONPATH", "")])))
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_stubs_are_valid_for_mypy(tmp_path):
    usage = tmp_path / "usage.py"
    usage.write_text("import osteon\n"
                     "ci = osteon.metrics.auc_ci([0, 1, 0, 1], [0.1, 0.9, 0.3, 0.7])\n"
                     "low: float = ci.ci_low\n"
                     "t = osteon.metrics.delong_test([0, 1], [0.1, 0.2], [0.3, 0.4])\n"
                     "p: float = t.p_value\n"
                     "table = osteon.metrics.results_table([0, 1], {'a': [0.1, 0.2]})\n"
                     "d = table.to_dict()\n")
    config = _mypy_config(tmp_path)
    result = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "--config-file", str(config),
                             str(usage)], capture_output=True, text=True, cwd=str(PACKAGE.parent), timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
