"""Which names a function reads: a mask that is computed or received and never read is a mask
the code forgot to pass (ML504).  One syntactic pass per function, and a walk of its statements
for the parameters it assigns (a parameter overwritten before any read was never used)."""
from __future__ import annotations

import functools

from typing import FrozenSet, List, Tuple

from masklint._libcst import cst

from masklint.analysis import names
from masklint.analysis.branches import none_test


@functools.lru_cache(maxsize=None)
def _reads_visitor():
    """The visitor class, defined on first use (defining it imports LibCST)."""
    class _Reads(cst.CSTVisitor):
        """Every ``Name`` in a function's body except those only written: plain assignment targets
        (``x = ...``, ``a, b = ...``, ``x: T = ...``)."""

        def __init__(self) -> None:
            self.reads = set()
            self.stores = set()
            self.prepared = set()  # names rewritten from themselves (`m = m.to(torch.bool)`)

        def _targets(self, target) -> None:
            if isinstance(target, cst.Name):
                self.stores.add(target.value)
                return
            if isinstance(target, (cst.Tuple, cst.List)):
                for el in target.elements:
                    self._targets(el.value)
                return
            target.visit(self)  # x.attr = ... / x[i] = ...: reads x

        def visit_Assign(self, node: cst.Assign) -> bool:
            for t in node.targets:
                self._targets(t.target)
            own = node.targets[0].target.value if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name) \
                else None
            if own is not None and own not in self.reads:
                # `m = m.masked_fill(...)`: rewriting a value is not using it
                node.value.visit(self)
                if own in self.reads:
                    self.prepared.add(own)  # the code converted it: it meant to use it
                self.reads.discard(own)
                return False
            node.value.visit(self)
            return False

        def visit_AnnAssign(self, node: cst.AnnAssign) -> bool:
            self._targets(node.target)
            if node.value is not None:
                node.value.visit(self)
            return False

        def visit_Comparison(self, node: cst.Comparison) -> bool:
            # `if mask is not None:` looks at the mask without using it
            return none_test(node)[0] is None

        def visit_Attribute(self, node: cst.Attribute) -> bool:
            node.value.visit(self)  # `x.attention_mask` reads x, not a name attention_mask
            return False

        def visit_Arg(self, node: cst.Arg) -> bool:
            node.value.visit(self)  # `f(attention_mask=m)`: the keyword is not a read
            return False

        def visit_Name(self, node: cst.Name) -> None:
            self.reads.add(node.value)
    return _Reads


def _names_in(node) -> set:
    v = _all_names_visitor()()
    node.visit(v)
    return v.names


@functools.lru_cache(maxsize=None)
def _all_names_visitor():
    """The visitor class, defined on first use (defining it imports LibCST)."""
    class _AllNames(cst.CSTVisitor):
        def __init__(self) -> None:
            self.names = set()

        def visit_Attribute(self, node: cst.Attribute) -> bool:
            node.value.visit(self)
            return False

        def visit_Name(self, node: cst.Name) -> None:
            self.names.add(node.value)
    return _AllNames


def _kills(small, name: str) -> bool:
    """``name = <expr without name>``: the statement replaces ``name``'s value without reading it."""
    if isinstance(small, cst.Assign):
        targets = [t.target for t in small.targets]
    elif isinstance(small, cst.AnnAssign) and small.value is not None:
        targets = [small.target]
    else:
        return False
    flat = [e.value for t in targets if isinstance(t, (cst.Tuple, cst.List)) for e in t.elements] + targets
    return any(isinstance(t, cst.Name) and t.value == name for t in flat) and name not in _names_in(small.value)


def _flow(stmts, name: str, live: bool):
    """Run ``stmts`` with ``live`` (the parameter may still hold what the caller passed): whether
    that value may be read, and whether it may still be held afterwards."""
    for stmt in stmts:
        if not live:
            return False, False
        read, live = _stmt(stmt, name)
        if read:
            return True, live
    return False, live


def _stmt(stmt, name: str):
    if isinstance(stmt, cst.SimpleStatementLine):
        for small in stmt.body:
            if _kills(small, name):
                return False, False
            if name in _names_in(small):
                return True, True
        return False, True
    if isinstance(stmt, cst.If):
        if name in _names_in(stmt.test):
            return True, True
        r1, l1 = _flow(stmt.body.body, name, True)
        if stmt.orelse is None:
            r2, l2 = False, True
        elif isinstance(stmt.orelse, cst.If):
            r2, l2 = _stmt(stmt.orelse, name)
        else:
            r2, l2 = _flow(stmt.orelse.body.body, name, True)
        return r1 or r2, l1 or l2
    if isinstance(stmt, cst.With) and not any(name in _names_in(item) for item in stmt.items):
        return _flow(stmt.body.body, name, True)
    # loops, try blocks, nested definitions: any mention is a read, and an assignment may not run
    return name in _names_in(stmt), True


def holds(tree, node) -> bool:
    """Is ``node`` (the node itself) in ``tree``?"""
    hit = []

    class Find(cst.CSTVisitor):
        def on_visit(self, n) -> bool:
            if n is node:
                hit.append(n)
            return not hit

    tree.visit(Find())
    return bool(hit)


def overwritten(fn) -> FrozenSet[str]:
    """The parameters of ``fn`` that every path assigns before it reads them: what the caller
    passed is never used (``encoder_attention_mask = None`` before the mask is built)."""
    got = fn.overwritten
    if got is None:
        unread(fn)
        body = fn.node.body
        got = fn.overwritten = frozenset(
            p.name.value for p in fn.params() + fn.kwonly()
            if p.name.value in fn.stores and isinstance(body, cst.IndentedBlock)
            and not _flow(body.body, p.name.value, True)[0])
    return got


def dropped_masks(fn) -> List[Tuple[str, object]]:
    """``if mask is not None: mask = mask.bool()[:, None, None, :]`` then, unconditionally,
    ``mask = None``: a mask parameter prepared and then thrown away before anything read what was
    prepared (what the calls below get is None).  (name, the ``= None`` statement) pairs."""
    body = fn.node.body
    if not isinstance(body, cst.IndentedBlock):
        return []
    params = {p.name.value for p in fn.params() + fn.kwonly() if names.is_mask_param(p.name.value)}
    out = []
    for i, stmt in enumerate(body.body):
        if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1
                and isinstance(stmt.body[0], cst.Assign) and len(stmt.body[0].targets) == 1):
            continue
        small = stmt.body[0]
        target = small.targets[0].target
        if not (isinstance(target, cst.Name) and target.value in params and isinstance(small.value, cst.Name)
                and small.value.value == "None"):
            continue
        before = [s for s in body.body[:i] if target.value in _names_in(s)]
        if before and _prepares(before[-1], target.value):
            out.append((target.value, stmt))
    return out


def _prepares(stmt, name: str) -> bool:
    """Is the last simple statement of ``stmt`` that mentions ``name`` an assignment of a value
    other than None to it (what it prepared is not read there after)?"""
    lines = []

    class Lines(cst.CSTVisitor):
        def visit_SimpleStatementLine(self, node):
            if name in _names_in(node):
                lines.append(node)
            return False

    stmt.visit(Lines())
    if not lines:
        return False
    last = lines[-1].body[-1]
    return isinstance(last, cst.Assign) and any(
        isinstance(t.target, cst.Name) and t.target.value == name for t in last.targets) and not (
        isinstance(last.value, cst.Name) and last.value.value == "None")


def absent_masks(fn, tested) -> FrozenSet[str]:
    """Mask parameters that default to None and that the function tested against None when it
    ran (``tested``): the calls that leave them out take another path, analysed on its own."""
    return frozenset(p.name.value for p in fn.params() + fn.kwonly()
                     if p.name.value in tested and names.is_mask_param(p.name.value)
                     and isinstance(p.default, cst.Name) and p.default.value == "None")


def unread(fn) -> FrozenSet[str]:
    """The names ``fn`` (a ``FunctionInfo``) owns, its parameters and the names its body
    assigns, that its body never reads (nested functions and lambdas count as reads); computed
    once per function."""
    got = fn.unread
    if got is None:
        v = _reads_visitor()()
        fn.node.body.visit(v)
        owned = {p.name.value for p in fn.params() + fn.kwonly()} | v.stores
        fn.stores = frozenset(v.stores)
        fn.prepared = frozenset(v.prepared)
        got = fn.unread = frozenset(owned - v.reads)
    return got


@functools.lru_cache(maxsize=None)
def _called_names_visitor():
    """The visitor class, defined on first use (defining it imports LibCST)."""
    class _CalledNames(cst.CSTVisitor):
        def __init__(self) -> None:
            self.names = set()

        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name):
                self.names.add(node.func.value)
    return _CalledNames


def called_names(node) -> FrozenSet[str]:
    """The plain names ``node`` calls (``model(x)``, ``Block(d)``)."""
    v = _called_names_visitor()()
    node.visit(v)
    return frozenset(v.names)


def calls_name(fn, name: str) -> bool:
    """Does ``fn`` call the name ``name`` (``model(x)``)?  One pass per function."""
    if fn.called is None:
        fn.called = called_names(fn.node.body)
    return name in fn.called
