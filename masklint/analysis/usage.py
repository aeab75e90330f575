"""Which names a function reads: a mask that is computed or received and never read is a mask
the code forgot to pass (ML504).  One syntactic pass per function."""
from __future__ import annotations

from typing import FrozenSet

import libcst as cst

from masklint.analysis.branches import none_test


class _Reads(cst.CSTVisitor):
    """Every ``Name`` in a function's body except those only written: plain assignment targets
    (``x = ...``, ``a, b = ...``, ``x: T = ...``)."""

    def __init__(self) -> None:
        self.reads = set()
        self.stores = set()

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


def unread(fn) -> FrozenSet[str]:
    """The names ``fn`` (a ``FunctionInfo``) owns, its parameters and the names its body
    assigns, that its body never reads (nested functions and lambdas count as reads); computed
    once per function."""
    got = fn.unread
    if got is None:
        v = _Reads()
        fn.node.body.visit(v)
        owned = {p.name.value for p in fn.params() + fn.kwonly()} | v.stores
        got = fn.unread = frozenset(owned - v.reads)
    return got
