"""Signatures and type stubs of hicov._hicov.

Every public function and method has a __text_signature__ (so
inspect.signature, help() and IPython's `?` show its parameters), and
_hicov.pyi, installed beside the module, is in step with it: the same
public names, and for every function, method and constructor the same
parameters (name, kind, default) as inspect.signature reports.
"""

import ast
import inspect
import os

import pytest

import hicov
from hicov import _hicov

STUB = os.path.join(os.path.dirname(_hicov.__file__), "_hicov.pyi")
# Methods we define that are not public by name but are called by tools.
DUNDERS = {"__copy__", "__deepcopy__", "__reduce__", "__reduce_ex__", "__setstate__",
           "_repr_html_", "_repr_svg_", "_repr_png_", "_repr_mimebundle_"}


def public_names():
    return sorted(n for n in dir(_hicov)
                  if not n.startswith("_") or n == "__version__")


def is_structseq(obj):
    return isinstance(obj, type) and issubclass(obj, tuple)


def is_exception(obj):
    return isinstance(obj, type) and issubclass(obj, BaseException)


def own_methods(cls):
    """The methods cls defines (not those of object or tuple)."""
    for name, attr in vars(cls).items():
        if (name.startswith("_") and name not in DUNDERS) or not callable(attr):
            continue
        if type(attr).__name__ in ("method_descriptor", "classmethod_descriptor"):
            yield name, attr


def callables():
    for name in public_names():
        obj = getattr(_hicov, name)
        if inspect.isbuiltin(obj):
            yield name, obj
        elif isinstance(obj, type) and not is_exception(obj) and not is_structseq(obj):
            for mname, meth in own_methods(obj):
                yield f"{name}.{mname}", meth


def instantiable_classes():
    for name in public_names():
        obj = getattr(_hicov, name)
        if (isinstance(obj, type) and not is_exception(obj) and not is_structseq(obj)
                and not obj.__flags__ & (1 << 7)):  # Py_TPFLAGS_DISALLOW_INSTANTIATION
            yield name, obj


def test_there_is_something_to_check():
    names = dict(callables())
    # a few we know, so a broken walk cannot pass by finding nothing
    for name in ("load", "demo", "Dataset.value", "Dataset.__deepcopy__", "Chart.svg",
                 "Claims.read", "Report.to_html", "Resolution.as_dict", "period"):
        assert name in names
    assert len(names) > 70
    assert {n for n, _ in instantiable_classes()} == {"Claims", "Resolution"}


@pytest.mark.parametrize("name", [n for n, _ in callables()])
def test_every_callable_has_a_signature(name):
    obj = dict(callables())[name]
    sig = inspect.signature(obj)
    if "." in name:  # a method's first parameter is self (type), positional-only
        first = next(iter(sig.parameters.values()))
        classmethod = type(obj).__name__ == "classmethod_descriptor"
        assert first.name == ("type" if classmethod else "self")
        assert first.kind is first.POSITIONAL_ONLY
    # the docstring keeps its text after the signature
    assert obj.__doc__ and not obj.__doc__.startswith(name.split(".")[-1] + "(")


@pytest.mark.parametrize("name", [n for n, _ in instantiable_classes()])
def test_constructors_have_a_signature(name):
    inspect.signature(getattr(_hicov, name))


def test_signatures_say_how_calls_parse():
    """A few by hand: positional-only, keyword-only and defaults as the C
    argument parsers have them."""
    P = inspect.Parameter
    sig = inspect.signature(hicov.load)
    assert [(p.name, p.kind, p.default) for p in sig.parameters.values()] == [
        ("path", P.POSITIONAL_OR_KEYWORD, P.empty),
        ("strict", P.POSITIONAL_OR_KEYWORD, True),
        ("lang", P.KEYWORD_ONLY, None)]
    assert list(inspect.signature(hicov.period).parameters.values())[0].kind is P.POSITIONAL_ONLY
    sig = inspect.signature(hicov.read_workbook)
    kinds = {p.name: p.kind for p in sig.parameters.values()}
    assert kinds["source"] is P.POSITIONAL_ONLY
    assert kinds["dataset"] is P.KEYWORD_ONLY
    assert kinds["mapping_keys"] is P.VAR_KEYWORD
    with pytest.raises(TypeError):
        hicov.read_workbook(b"", None)  # dataset is keyword-only, as the signature says
    ds = hicov.demo()
    sig = inspect.signature(ds.value)  # bound: self is gone
    assert list(sig.parameters)[:3] == ["indicator", "unit", "period"]
    assert sig.parameters["boundaries"].kind is P.KEYWORD_ONLY


# ---------------------------------------------------------------------------
# The stubs

def stub_tree():
    with open(STUB, encoding="utf-8") as f:
        return ast.parse(f.read(), STUB)


def stub_defs(body):
    """{name: node} of the functions, classes and annotated names in body."""
    out = {}
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            out[node.name] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out[node.target.id] = node
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    out[t.id] = node
    return out


def stub_params(fn):
    """[(name, kind, default)] of a stub def, as inspect names them."""
    P = inspect.Parameter
    a = fn.args
    out = []
    positional = [(arg, P.POSITIONAL_ONLY) for arg in a.posonlyargs] + \
                 [(arg, P.POSITIONAL_OR_KEYWORD) for arg in a.args]
    defaults = [P.empty] * (len(positional) - len(a.defaults)) + \
               [ast.literal_eval(d) for d in a.defaults]
    for (arg, kind), default in zip(positional, defaults):
        out.append((arg.arg, kind, default))
    if a.vararg:
        out.append((a.vararg.arg, P.VAR_POSITIONAL, P.empty))
    for arg, d in zip(a.kwonlyargs, a.kw_defaults):
        out.append((arg.arg, P.KEYWORD_ONLY, P.empty if d is None else ast.literal_eval(d)))
    if a.kwarg:
        out.append((a.kwarg.arg, P.VAR_KEYWORD, P.empty))
    return out


def runtime_params(obj):
    return [(p.name, p.kind, p.default) for p in inspect.signature(obj).parameters.values()]


def test_stub_is_installed_with_the_module():
    assert os.path.exists(STUB)
    assert os.path.exists(os.path.join(os.path.dirname(_hicov.__file__), "py.typed"))


def test_stub_names_match_the_module():
    defs = stub_defs(stub_tree().body)
    public_stub = {n for n in defs if not n.startswith("_") or n == "__version__"}
    assert public_stub == set(public_names())
    # hicov re-exports the module's names
    assert set(hicov.__all__) <= set(public_names()) | {"IOError", "options"}


@pytest.mark.parametrize("name", public_names())
def test_stub_matches(name):
    obj = getattr(_hicov, name)
    node = stub_defs(stub_tree().body)[name]
    if inspect.isbuiltin(obj):
        assert isinstance(node, ast.FunctionDef)
        assert stub_params(node) == runtime_params(obj)
        return
    if not isinstance(obj, type):
        assert isinstance(node, ast.AnnAssign)
        return
    assert isinstance(node, ast.ClassDef)
    bases = [ast.unparse(b) for b in node.bases]
    if is_exception(obj):
        assert bases == [b.__name__ for b in obj.__bases__]
        return
    members = stub_defs(node.body)
    if is_structseq(obj):
        fields = [n for n, v in vars(obj).items() if type(v).__name__ == "member_descriptor"]
        assert [n for n in members] == fields
        return
    methods = dict(own_methods(obj))
    props = {n for n, v in vars(obj).items()
             if type(v).__name__ == "getset_descriptor" and not n.startswith("__")}
    stub_methods = {n for n, v in members.items()
                    if isinstance(v, ast.FunctionDef) and n != "__init__"}
    assert stub_methods == set(methods)
    assert {n for n, v in members.items() if isinstance(v, ast.AnnAssign)} == props
    for mname, meth in methods.items():
        if type(meth).__name__ == "classmethod_descriptor":
            decorators = [ast.unparse(d) for d in members[mname].decorator_list]
            assert decorators == ["classmethod"], mname
            # the stub's cls against the bound method's parameters
            assert stub_params(members[mname])[1:] == runtime_params(getattr(obj, mname))
        else:
            assert stub_params(members[mname]) == runtime_params(meth), mname
    if "__init__" in members:
        assert stub_params(members["__init__"])[1:] == runtime_params(obj)
    else:
        assert obj.__flags__ & (1 << 7), f"{name} can be created: its stub needs __init__"
