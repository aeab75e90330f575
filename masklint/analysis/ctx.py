"""What a transfer function sees of the interpreter: the expression being evaluated, where it is,
and the few services it may use (evaluate a sub-expression, report a sink or a constant).

Transfer functions (``algebra``, ``operators``, ``calls``, ``sinks``) take a :class:`Ctx` and
return an abstract value; they never reach into the interpreter's state otherwise.
"""
from __future__ import annotations

from typing import Any, List, Optional, Tuple

from masklint.analysis.values import AV, Cell, Dt, Evidence, Mask, Region

#: an evaluated call argument: (value, node, keyword or None, starred)
Arg = Tuple[AV, Any, Optional[str], bool]


class Ctx:
    __slots__ = ("interp", "frame", "node")

    def __init__(self, interp, frame, node):
        self.interp = interp
        self.frame = frame
        self.node = node

    # --- where -----------------------------------------------------------------------------
    @property
    def module(self):
        return self.frame.module

    def code(self, node) -> str:
        return self.frame.module.code_of(node) if node is not None else ""

    def at(self, node) -> "Ctx":
        """The same context, anchored at another node (a sub-expression)."""
        return Ctx(self.interp, self.frame, node)

    # --- building values -------------------------------------------------------------------
    def mk(self, dtype: Dt, region: Region, inside: Cell, outside: Cell, text: str, **kw) -> Mask:
        """A new mask built by the current expression."""
        return Mask(dtype, region, inside, outside, evidence=(Evidence(self.node, self.module, text),), **kw)

    def step(self, m: Mask, text: str, **changes) -> Mask:
        """``m`` transformed by the current expression."""
        return m.step(self.node, self.module, text, **changes)

    # --- services --------------------------------------------------------------------------
    def eval(self, expr) -> AV:
        return self.interp.eval(expr, self.frame)

    def sink(self, api, instance, args: List[Arg], scores=None) -> AV:
        """The current call consumes masks: hand it to the rules (``scores``: the attention
        scores hand-written attention masks)."""
        return self.interp.sink(api, instance, self.node, args, self.frame, scores)

    def constant(self, kind: str, const, const_node, mask=None) -> None:
        """A constant written into a mask or into scores ("fill"), masks summed ("sum"), or an
        additive ``mask`` read as a 0/1 one ("one_minus_additive")."""
        self.interp.value_event(kind, self.node, const, const_node, self.frame, mask)

    def rewrite(self, target, value: AV) -> None:
        """An in-place method wrote ``value`` into the tensor ``target`` names (``m.tril_()``)."""
        from masklint.analysis import writes  # writes -> algebra -> ctx: imported on use

        writes.rewrite(self.interp, target, value, self.frame)

    def forget(self, target) -> None:
        """An in-place write we do not model: ``target`` keeps its mask's layout, not its cells."""
        from masklint.analysis import writes

        writes.forget_cells(self.interp, target, self.frame)

    def qual_value(self, name: str) -> AV:
        return self.interp.qual_value(name)

    def call_lambda(self, lam, args: List[AV]) -> AV:
        """A lambda's value for these positional argument values."""
        return self.interp.call_lambda(lam, [(v, None, None, False) for v in args], self.frame)

    def run_function(self, fn, args: List[AV], kwargs: dict):
        """Run a user function (a flex ``mask_mod``) with these argument values; its frame."""
        env = self.interp.bind_params(fn, args, kwargs, None)
        return self.interp.run_function(fn, env, None)


# --------------------------------------------------------------------------- arguments
def kwarg(args: List[Arg], name: str, pos: Optional[int] = None):
    """(value, node) of the argument passed as ``name=`` or at position ``pos``."""
    for value, node, kw, star in args:
        if kw == name:
            return value, node
    if pos is not None:
        plain = positional(args)
        if pos < len(plain):
            return plain[pos][0], plain[pos][1]
    return None, None


def positional(args: List[Arg]) -> List[Arg]:
    return [a for a in args if a[2] is None and not a[3]]
