"""One way to merge what is known after branches: ``if``/``else``, loops, ``try``/``except`` and
``match`` all go through :func:`capture`, :func:`restore` and :func:`merge`, for local names and
for the attributes of ``self`` alike.

Merging is "may": a value known on one path is kept when the other path knows nothing about it
(a mask that is wrong whenever that branch runs is worth reporting); two different known values
join into what they share (:func:`masklint.analysis.values.join`).  A branch that leaves the block
(``return``, ``raise``, and in an ``if`` also ``break`` / ``continue``) contributes nothing to what
follows; a loop body that ends in ``break`` or ``continue`` still reaches the code after the loop.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Dict, List, Optional, Tuple

from masklint._libcst import cst, walk
from masklint.analysis import algebra, names, writes

from masklint.analysis.values import AV, Const, Dt, Mask, ObjV, join


class State:
    """What is known at one point: the frame's locals and, in a method, ``self``'s attributes;
    the modules' mode on the path (``training``) and the models put in one (``modes``)."""

    __slots__ = ("env", "attrs", "training", "modes")

    def __init__(self, env: Dict[str, AV], attrs: Optional[Dict[str, AV]], training=None, modes=None):
        self.env = env
        self.attrs = attrs
        self.training = training
        self.modes = modes or {}


def _self_obj(frame) -> Optional[ObjV]:
    return frame.self_obj if isinstance(frame.self_obj, ObjV) else None


def capture(frame) -> State:
    obj = _self_obj(frame)
    return State(dict(frame.env), dict(obj.attrs) if obj is not None else None, frame.training, dict(frame.modes))


def restore(frame, state: State) -> None:
    frame.env = dict(state.env)
    frame.training = state.training
    frame.modes = dict(state.modes)
    obj = _self_obj(frame)
    if obj is not None and state.attrs is not None:
        obj.attrs.clear()
        obj.attrs.update(state.attrs)


def merge(frame, states: List[State], loop: bool = False, none_test: bool = False) -> None:
    """Continue after alternatives: the frame holds the merge of ``states`` (at least one).
    After a loop (``states`` = before, after the body), a mask the body built further from the
    one before it (``mask = zeros(...)``, then ``mask[i, n:] = 1`` per sample) is the mask."""
    out = states[0]
    for other in states[1:]:
        out = State(_join_maps(out.env, other.env, loop, none_test),
                    _join_maps(out.attrs, other.attrs, loop) if out.attrs is not None and other.attrs is not None
                    else out.attrs,
                    out.training if out.training == other.training else None,  # a mode only if every path has it
                    {k: v for k, v in out.modes.items() if other.modes.get(k) == v})
    restore(frame, out)


def _join_maps(a: Dict[str, AV], b: Dict[str, AV], loop: bool = False, none_test: bool = False) -> Dict[str, AV]:
    out = dict(b)
    for k, v in a.items():
        if k not in b:
            out[k] = v
        elif loop and _extends(b[k], v):
            out[k] = b[k]
        # `if pad_len: mask[i, n:] = True` in a loop over samples: the guard skips only the samples
        # the write would leave as they are
        elif not loop and _written_per_item(b[k], v):
            out[k] = b[k]
        elif not loop and _written_per_item(v, b[k]):
            out[k] = v
        else:
            out[k] = join(v, b[k])
            if none_test and isinstance(out[k], Mask) and any(isinstance(x, Const) and x.value is None for x in (v, b[k])):
                # after `if pad is not None: mask = ...`: a mask on the path with padding, None on the other
                out[k] = replace(out[k], maybe_none=True)
    return out


def _written_per_item(after: AV, before: AV) -> bool:
    """``after`` is ``before`` with one sample's (image's, row's) cells written in a loop."""
    return _extends(after, before) and all(e.text.endswith(writes.PER_ITEM)
                                           for e in after.evidence[len(before.evidence):])


def _extends(after: AV, before: AV) -> bool:
    """``after`` is ``before`` transformed further (its evidence chain continues before's)."""
    return (isinstance(after, Mask) and isinstance(before, Mask) and len(after.evidence) > len(before.evidence)
            and after.evidence[: len(before.evidence)] == before.evidence)


def leaves(stmts, loop_body: bool = False) -> bool:
    """Does this block end by leaving it (return / raise, and outside a loop body continue /
    break)?  A loop body that breaks still falls through to the statement after the loop."""
    if not stmts:
        return False
    last = stmts[-1]
    exits = (cst.Return, cst.Raise) if loop_body else (cst.Return, cst.Raise, cst.Continue, cst.Break)
    if isinstance(last, cst.SimpleStatementLine) and last.body:
        return isinstance(last.body[-1], exits)
    return isinstance(last, exits)  # the last statement of a one-line body (`if x: return y`)


def none_test(test) -> Tuple[Optional[str], bool]:
    """``if x is None`` -> ("x", True): x is None in the body; ``if x is not None`` -> ("x",
    False): x is None on the other path.  (None, False) for any other test."""
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and isinstance(test.left, cst.Name):
        c = test.comparisons[0]
        if isinstance(c.comparator, cst.Name) and c.comparator.value == "None":
            if isinstance(c.operator, cst.Is):
                return test.left.value, True
            if isinstance(c.operator, cst.IsNot):
                return test.left.value, False
    return None, False


def conjunct_not_none(test) -> Optional[str]:
    """``x is not None and <flag>``: the name tested, when one operand of an ``and`` is such a test
    and the other is not a None test too."""
    if not (isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And)):
        return None
    found = [none_test(side) for side in (test.left, test.right)]
    if all(name is not None for name, _ in found):
        return None  # `a is not None and b is not None`: which one is None on the other path is not known
    for name, is_none in found:
        if name is not None and not is_none:
            return name
    return None


def causal_only_with(stmt, fn, module) -> Optional[str]:
    """``if att_mask is not None and causal: att_mask = att_mask & tril(...)`` with no ``else``,
    in a function that tests the flag nowhere else: the causal part is built only when a mask is
    given (xformers#103).  The flag's code, else None."""
    tested = conjunct_not_none(stmt.test)
    if tested is None or stmt.orelse is not None or fn is None:
        return None
    flag = next((side for side in (stmt.test.left, stmt.test.right) if none_test(side)[0] is None), None)
    text = module.text_of(flag) if flag is not None else ""
    if not names.CAUSAL_FLAG.match(text):
        return None
    flag_name = text.rpartition(".")[2]
    prepared, prep_tests = _prepared_under(fn.node.body, text, tested, module)

    class Body(cst.CSTVisitor):
        assigned = builds = False

        def visit_Name(self, node):
            if node.value == tested:
                Body.assigned = True
            elif node.value != flag_name and (names.CAUSAL_BUILD.search(node.value) or node.value in prepared):
                Body.builds = True

        def visit_Attribute(self, node):
            if module.text_of(node) in prepared:
                Body.builds = True

    for s in stmt.body.body:
        walk(s, Body())
    if not (Body.assigned and Body.builds):
        return None
    if prepared and _read_elsewhere(fn.node.body, prepared, prep_tests | {stmt}, module):
        return None  # `if att_mask is None: att_mask = causal_mask`: the prepared part is the fallback too

    class FlagReads(cst.CSTVisitor):
        """Any other read of the flag (another test, `is_causal=causal and mask is None`), but for
        the tests that only prepare the causal part (``if causal and self.tri is None: self.tri =
        tril(...)``, ``tri = tril(...) if causal else None``)."""
        others = 0

        def visit_If(self, node):
            if node is stmt:
                for s in node.body.body:  # the body, not the test
                    walk(s, self)
                return False
            return node not in prep_tests

        def visit_IfExp(self, node):
            return node not in prep_tests

        def visit_Name(self, node):
            if node.value == text:
                FlagReads.others += 1

        def visit_Attribute(self, node):
            if module.text_of(node) == text:
                FlagReads.others += 1
                return False
            return True

    walk(fn.node.body, FlagReads())
    return text if not FlagReads.others else None


def _prepared_under(body, flag: str, tested: str, module):
    """What the function builds under its own test of ``flag`` without touching the mask
    ``tested``: ``if causal and self.tri is None: self.tri = tril(...)`` and ``tri = tril(...) if
    causal else None``.  The names (or ``self.x`` texts) so built, and those tests."""
    targets: set = set()
    tests: set = set()

    def reads_flag(expr) -> bool:
        return flag in {module.text_of(n) for n in _names_and_attrs(expr)}

    def assigned(statements):
        out = []
        for s in statements:
            if not isinstance(s, cst.SimpleStatementLine):
                return None
            for small in s.body:
                if not isinstance(small, cst.Assign):
                    return None
                out.extend(module.text_of(t.target) for t in small.targets)
        return out

    class Find(cst.CSTVisitor):
        def visit_If(self, node):
            if node.orelse is None and reads_flag(node.test):
                got = assigned(node.body.body)
                if got and tested not in got:
                    targets.update(got)
                    tests.add(node)

        def visit_Assign(self, node):
            v = node.value
            if isinstance(v, cst.IfExp) and reads_flag(v.test) and isinstance(v.orelse, cst.Name) and \
                    v.orelse.value == "None":
                got = [module.text_of(t.target) for t in node.targets]
                if tested not in got:
                    targets.update(got)
                    tests.add(v)

    walk(body, Find())
    return targets, tests


def fills_when_none(body, name: str) -> bool:
    """Does ``body`` assign ``name`` under a test that it is None together with something else
    (``if att_mask is None and self.causal: att_mask = self.tri``)?  Then a None left after it
    comes from that other condition, not from the caller's missing mask."""
    hit = []

    class Find(cst.CSTVisitor):
        def visit_If(self, node):
            tested = [none_test(side) for side in (node.test.left, node.test.right)] \
                if isinstance(node.test, cst.BooleanOperation) else []
            # (an indented body, or `if ...: att_mask = self.tri` on one line)
            smalls = list(node.body.body) if isinstance(node.body, cst.SimpleStatementSuite) else [
                small for s in node.body.body if isinstance(s, cst.SimpleStatementLine) for small in s.body]
            if (name, True) in tested and any(
                    isinstance(small, cst.Assign) and any(isinstance(t.target, cst.Name) and t.target.value == name
                                                          for t in small.targets) for small in smalls):
                hit.append(node)

        def visit_Assign(self, node):
            # `keep = tri if keep is None else keep`: the fallback written as an expression
            v = node.value
            if isinstance(v, cst.IfExp) and none_test(v.test) == (name, True) and any(
                    isinstance(t.target, cst.Name) and t.target.value == name for t in node.targets):
                hit.append(node)

    walk(body, Find())
    return bool(hit)


def _read_elsewhere(body, prepared: set, skip: set, module) -> bool:
    """Does ``body`` read one of the ``prepared`` names (or ``self.x`` texts) outside the statements
    in ``skip`` and outside the targets of assignments?"""
    hit = []

    class Find(cst.CSTVisitor):
        def on_visit(self, node) -> bool:
            if node in skip or hit:
                return False
            if isinstance(node, cst.Assign):
                walk(node.value, self)
                return False
            if isinstance(node, (cst.Name, cst.Attribute)) and module.text_of(node) in prepared:
                hit.append(node)
                return False
            return True

    walk(body, Find())
    return bool(hit)


def _names_and_attrs(expr):
    found = []

    class Find(cst.CSTVisitor):
        def visit_Name(self, node):
            found.append(node)

        def visit_Attribute(self, node):
            found.append(node)

    walk(expr, Find())
    return found


def causal_built_only_with(stmt, fn, module) -> Optional[str]:
    """``if attention_mask is not None: attention_mask = _prepare_4d_causal_attention_mask(...)``
    with no ``else``, in a function that asks for causality nowhere else (no ``is_causal``, no
    other causal builder): without a mask the model runs bidirectional (HunYuan, catalogue P4-10).
    The mask's name, else None."""
    name, is_none = none_test(stmt.test)
    if name is None or is_none or stmt.orelse is not None or fn is None:
        return None
    built = any(isinstance(small, cst.Assign) and isinstance(small.value, cst.Call)
                and any(isinstance(t.target, cst.Name) and t.target.value == name for t in small.targets)
                and names.CAUSAL_BUILD.search(module.text_of(small.value.func))
                for s in stmt.body.body if isinstance(s, cst.SimpleStatementLine) for small in s.body)
    if not built:
        return None

    class Elsewhere(cst.CSTVisitor):
        """Another word for causality outside this statement: a flag, a builder, a keyword."""
        found = False

        def visit_If(self, node):
            return node is not stmt

        def visit_Name(self, node):
            if names.CAUSAL_BUILD.search(node.value) or names.CAUSAL_FLAG.match(node.value):
                Elsewhere.found = True

        def visit_Arg(self, node):
            if node.keyword is not None and names.CAUSAL_FLAG.match(node.keyword.value):
                Elsewhere.found = True

    walk(fn.node.body, Elsewhere())
    return None if Elsewhere.found else name


def narrow(frame, name: str, is_none: bool) -> None:
    """What a path behind ``if name is None`` / ``is not None`` knows of ``name``."""
    if is_none:
        frame.env[name] = Const(None)
    elif isinstance(frame.env.get(name), Mask) and frame.env[name].maybe_none:
        frame.env[name] = replace(frame.env[name], maybe_none=False)


def unnarrow(frame, name: str, before: AV, paths: List[State]) -> None:
    """After ``if name is not None:`` / ``is None``: a name that no path assigned is what it was
    before the test.  (The path the test narrowed knows it is None, the other does not: merged,
    None would win over the unknown value and decide a later ``name is None`` wrongly.)"""
    after = frame.env.get(name)
    if not (isinstance(after, Const) and after.value is None) or (isinstance(before, Const) and before.value is None):
        return
    if all(s.env.get(name) is before or (isinstance(s.env.get(name), Const) and s.env[name].value is None)
           for s in paths):
        frame.env[name] = before


def run_alternatives(interp, frame, start: State, blocks, also: List[State] = (), loop_body: bool = False) -> None:
    """Run each block from ``start`` and merge the ones that fall through with the states in
    ``also`` (the path that ran none of them: a loop that ran zero times, a ``try`` body that
    raised nowhere).  When nothing falls through, continue from ``start``."""
    states = list(also)
    frame.uncertain += 1  # each block may or may not run: a return in one ends no path for sure
    try:
        for body in blocks:
            restore(frame, start)
            interp.exec_block(body, frame)
            if not leaves(body, loop_body):
                states.append(capture(frame))
    finally:
        frame.uncertain -= 1
    merge(frame, states or [start], loop=loop_body)


def dtype_test(interp, test, frame) -> Optional[bool]:
    """The outcome of a test of a mask's dtype (``m.dtype == torch.bool``, ``m.is_floating_point()``,
    ``m.dtype in (torch.int32, torch.int64)``, negated or not) where the code built the mask and its
    kind of dtype is known; None where it is not decided by that (int32 against int64, a guess)."""
    sense = True
    while isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        test, sense = test.expression, not sense
    subject, wanted = None, None
    if isinstance(test, cst.Call) and not test.args and isinstance(test.func, cst.Attribute) and \
            test.func.attr.value == "is_floating_point":
        subject, wanted = test.func.value, {Dt.FLOAT}  # `m.is_floating_point()`
    elif isinstance(test, cst.Call) and len(test.args) == 1 and \
            frame.module.code_of(test.func) in ("torch.is_floating_point", "is_floating_point"):
        subject, wanted = test.args[0].value, {Dt.FLOAT}
    elif isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and \
            isinstance(test.left, cst.Attribute) and test.left.attr.value == "dtype":
        op, right = test.comparisons[0].operator, test.comparisons[0].comparator
        listed = [e.value for e in right.elements] if isinstance(right, (cst.Tuple, cst.List, cst.Set)) else [right]
        kinds = [algebra.dtype_of(interp.eval(e, frame)) for e in listed]
        if None in kinds or not isinstance(op, (cst.Equal, cst.NotEqual, cst.In, cst.NotIn, cst.Is, cst.IsNot)):
            return None
        if isinstance(op, (cst.NotEqual, cst.NotIn, cst.IsNot)):
            sense = not sense
        subject = test.left.value
        # one bool dtype decides either way; other kinds decide only when the mask's is not among them
        wanted = set(kinds) if kinds == [Dt.BOOL] else {k: None for k in kinds}
    if subject is None:
        return None
    m = interp.eval(subject, frame)
    # a guess's dtype is a guess too, unless the code converted it (`mask.to(x.dtype)`)
    if not isinstance(m, Mask) or m.dtype is Dt.UNKNOWN or m.assumed and not any(
            names.DTYPE_CONVERSION.match(e.text) for e in m.evidence[1:]):
        return None
    if isinstance(wanted, dict):  # `m.dtype == torch.int64`: False for a float or bool mask, else open
        return None if m.dtype in wanted else not sense
    return (m.dtype in wanted) == sense


def training_test(test) -> Optional[bool]:
    """True for ``if self.training:`` (any ``x.training``), False for ``if not self.training:``;
    None for any other test."""
    sense = True
    while isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        test, sense = test.expression, not sense
    if isinstance(test, cst.Attribute) and test.attr.value == "training":
        return sense
    return None


def _dotted(node) -> Optional[str]:
    """``model``, ``self.model`` for ``model.to(dev)`` / ``self.model``: the attribute path from a
    name, calls in between skipped (``.to()``, ``.cuda()`` return the module itself)."""
    parts = []
    while True:
        if isinstance(node, cst.Call):
            node = node.func.value if isinstance(node.func, cst.Attribute) else None
            if node is None:
                return None
            continue
        if isinstance(node, cst.Attribute):
            parts.append(node.attr.value)
            node = node.value
            continue
        if isinstance(node, cst.Name):
            return ".".join([node.value] + parts[::-1])
        return None


def mode_set(expr) -> Optional[Tuple[str, bool]]:
    """The model a statement ``model.eval()`` (False), ``model.train()`` / ``model.train(True)``
    (True) or ``model.train(False)`` (False) puts in a mode, named by its path (``model``,
    ``self.model``, ``model.to(dev).eval()``), and the mode; None for any other statement."""
    if not isinstance(expr, cst.Call) or not isinstance(expr.func, cst.Attribute):
        return None
    name, model = expr.func.attr.value, _dotted(expr.func.value)
    if model is None:
        return None
    if name == "eval" and not expr.args:
        return model, False
    if name == "train" and len(expr.args) <= 1:
        if not expr.args:
            return model, True
        v = expr.args[0].value
        if isinstance(v, cst.Name) and v.value in ("True", "False"):
            return model, v.value == "True"
    return None


def call_mode(frame, call) -> Optional[bool]:
    """The mode the modules a call runs are in: those of a model this frame put in one
    (``model.eval()``, then ``model(x)``, ``model.decoder(x)``, or a helper handed the model,
    ``infer(model, x)``), else the path's own mode (a submodule of ``self`` in a branch of
    ``if self.training:``)."""
    if frame.modes:
        path = _dotted(call.func) or ""
        while path:
            if path in frame.modes:
                return frame.modes[path]
            path = path.rpartition(".")[0]
        handed = {frame.modes[d] for d in (_dotted(a.value) for a in call.args) if d in frame.modes}
        if len(handed) == 1:
            return handed.pop()
    return frame.training


def forget_mode(frame, target) -> None:
    """``model = Block()``: a new module, in training mode whatever the old one was in."""
    path = _dotted(target)
    if path and frame.modes:
        for k in [k for k in frame.modes if k == path or k.startswith(path + ".")]:
            del frame.modes[k]
