"""LibCST, imported on first use.

Every module of the analysis writes ``from masklint._libcst import cst, walk`` instead of
``import libcst as cst``: importing masklint (the CLI, the rule registry, the flake8 plugin)
then costs no LibCST import, which is most of a one-file run's start-up; a file that cannot
hold a mask is checked by CPython's parser alone and never loads LibCST
(benchmarks/lint_speed.py, "one file").  The first attribute read imports LibCST and copies its
names into this module object, so every later ``cst.Name`` is a plain attribute lookup.
"""
from __future__ import annotations

import importlib
import types


class _LazyLibCST(types.ModuleType):
    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        real = importlib.import_module("libcst")
        self.__dict__.update((k, v) for k, v in vars(real).items() if not k.startswith("__"))
        return getattr(real, name)


cst = _LazyLibCST("libcst")


#: fields that hold only layout (whitespace, brackets, commas): no analysis visits them
_LAYOUT = frozenset({"lpar", "rpar", "leading_lines", "lines_after_decorators", "header", "footer", "comma",
                     "semicolon", "lbracket", "rbracket", "lbrace", "rbrace", "colon", "equal", "newline",
                     "trailing_whitespace", "dot"})
_CHILD_FIELDS: dict = {}


def _child_fields(node_type) -> tuple:
    """The fields of ``node_type`` that hold child nodes, in the order LibCST visits them (read
    once from its ``_visit_and_replace_children``), layout left out."""
    import inspect
    import re

    try:
        names = re.findall(r'visit_\w+\(\s*self,\s*"(\w+)"', inspect.getsource(node_type._visit_and_replace_children))
    except (OSError, TypeError):  # no source (a frozen install): the dataclass order, which differs for a few
        # node types (a function's decorators come after its body): no visitor here depends on that order
        import dataclasses
        names = [f.name for f in dataclasses.fields(node_type)]
    fields = _CHILD_FIELDS[node_type] = tuple(n for n in dict.fromkeys(names)  # a field visited on either branch of a test
                                              if n not in _LAYOUT and not n.startswith("whitespace"))
    return fields


def walk(node, visitor) -> None:
    """``node.visit(visitor)`` for a read-only ``cst.CSTVisitor``, without rebuilding the tree:
    ``visit_<Type>`` (False skips the children), the children in source order, ``leave_<Type>``;
    a visitor's own ``on_visit`` / ``on_leave`` are called instead where it defines them.  Layout
    nodes (whitespace, brackets, commas, comments, blank lines) are not visited.  Several times
    faster than LibCST's ``visit``, which builds a new node per node visited."""
    cls = type(visitor)
    hooks = cls.__dict__.get("_walk_hooks")  # on the class: a visitor class defined in a function goes with it
    if hooks is None:
        base = cst.CSTVisitor
        hooks = ({}, cls.on_visit is not base.on_visit, cls.on_leave is not base.on_leave)
        cls._walk_hooks = hooks
    methods, own_visit, own_leave = hooks
    node_base = cst.CSTNode
    fields_of = _CHILD_FIELDS

    def go(n) -> None:
        t = type(n)
        pair = methods.get(t)
        if pair is None:
            pair = methods[t] = (getattr(cls, "visit_" + t.__name__, None), getattr(cls, "leave_" + t.__name__, None))
        if own_visit:
            enter = visitor.on_visit(n)
        else:
            enter = pair[0] is None or pair[0](visitor, n) is not False
        if enter:
            fields = fields_of.get(t)
            if fields is None:
                fields = _child_fields(t)
            for name in fields:
                v = getattr(n, name)
                if isinstance(v, node_base):
                    go(v)
                elif isinstance(v, (list, tuple)):
                    for x in v:
                        if isinstance(x, node_base):
                            go(x)
        if own_leave:
            visitor.on_leave(n)
        elif pair[1] is not None:
            pair[1](visitor, n)

    go(node)


def call_name(call) -> str:
    """The name a call calls: ``cat`` for ``torch.cat(...)`` and ``cat(...)``, else ""."""
    f = call.func
    return f.attr.value if isinstance(f, cst.Attribute) else (f.value if isinstance(f, cst.Name) else "")


def nodes_of(node, types) -> list:
    """The nodes of type ``types`` in ``node`` (itself included), in source order."""
    collect = _Collect(types)
    walk(node, collect)
    return collect.found


class _Collect:
    """A read-only visitor for :func:`nodes_of` (:func:`walk` needs only its hooks)."""

    def __init__(self, types) -> None:
        self.types, self.found = types, []

    def on_visit(self, n) -> bool:
        if isinstance(n, self.types):
            self.found.append(n)
        return True

    def on_leave(self, n) -> None:
        pass
