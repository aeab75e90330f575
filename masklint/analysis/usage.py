"""Which names a function reads: a mask that is computed or received and never read is a mask
the code forgot to pass (ML504).  One syntactic pass per function, and a walk of its statements
for the parameters it assigns (a parameter overwritten before any read was never used)."""
from __future__ import annotations

import functools

from typing import FrozenSet, List, Tuple

from masklint._libcst import cst, walk

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
            walk(target, self)  # x.attr = ... / x[i] = ...: reads x

        def visit_Assign(self, node: cst.Assign) -> bool:
            for t in node.targets:
                self._targets(t.target)
            own = node.targets[0].target.value if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name) \
                else None
            if own is not None and own not in self.reads:
                # `m = m.masked_fill(...)`: rewriting a value is not using it
                walk(node.value, self)
                if own in self.reads:
                    self.prepared.add(own)  # the code converted it: it meant to use it
                self.reads.discard(own)
                return False
            walk(node.value, self)
            return False

        def visit_AnnAssign(self, node: cst.AnnAssign) -> bool:
            self._targets(node.target)
            if node.value is not None:
                walk(node.value, self)
            return False

        def visit_Comparison(self, node: cst.Comparison) -> bool:
            # `if mask is not None:` looks at the mask without using it
            return none_test(node)[0] is None

        def visit_Attribute(self, node: cst.Attribute) -> bool:
            walk(node.value, self)  # `x.attention_mask` reads x, not a name attention_mask
            return False

        def visit_Arg(self, node: cst.Arg) -> bool:
            walk(node.value, self)  # `f(attention_mask=m)`: the keyword is not a read
            return False

        def visit_Name(self, node: cst.Name) -> None:
            self.reads.add(node.value)
    return _Reads


#: tensor methods that return a new tensor and leave their receiver alone
OUT_OF_PLACE = frozenset({"masked_fill", "masked_scatter", "index_fill", "scatter", "tril", "triu", "where",
                          "logical_not", "logical_and", "logical_or", "bitwise_not"})


def discarded_result(expr) -> bool:
    """``x.masked_fill(m, v)`` (and the like) as a statement of its own: computed, then dropped."""
    return isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and \
        expr.func.attr.value in OUT_OF_PLACE and isinstance(expr.func.value, (cst.Name, cst.Attribute, cst.Subscript))


def _names_in(node) -> set:
    v = _all_names_visitor()()
    walk(node, v)
    return v.names


@functools.lru_cache(maxsize=None)
def _all_names_visitor():
    """The visitor class, defined on first use (defining it imports LibCST)."""
    class _AllNames(cst.CSTVisitor):
        def __init__(self) -> None:
            self.names = set()

        def visit_Attribute(self, node: cst.Attribute) -> bool:
            walk(node.value, self)
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

    walk(tree, Find())
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
    """``if mask is not None: mask = mask.bool()[:, None, None, :]`` then ``mask = None``, or
    ``if self.impl == "sdpa": mask = None``: a mask prepared in a block and then thrown away in the
    same block, unconditionally or on a test that is not about the mask (one backend, one
    configuration), before anything read what was prepared (what the calls below get is None).
    (name, the ``= None`` statement) pairs."""
    body = fn.node.body
    if not isinstance(body, cst.IndentedBlock):
        return []
    cached = fn.__dict__.get("_dropped_masks")
    if cached is not None:
        return cached
    params = {p.name.value for p in fn.params() + fn.kwonly()}
    candidates = []  # (block's statements, index, statement, name, the `= None` statement)

    class Blocks(cst.CSTVisitor):
        def visit_IndentedBlock(self, node) -> None:
            for i, stmt in enumerate(node.body):
                got = _none_assign(stmt) or _guarded_none_assign(stmt)
                if got is not None and _attention_mask_name(got[0], params):
                    candidates.append((node.body, i, stmt) + got)

        def visit_SimpleStatementLine(self, node) -> bool:
            return False  # no block inside

        def visit_FunctionDef(self, node) -> bool:
            return node is fn.node

        def visit_ClassDef(self, node) -> bool:
            return False

    walk(fn.node, Blocks())
    out = []
    if candidates:
        causal_reads: set = set()  # the names read in a causal flag's argument (`is_causal=self.use_flash`)
        flags_on = []  # causal flags passed something other than False

        class Flags(cst.CSTVisitor):
            def visit_Arg(self, node) -> None:
                if node.keyword is not None and names.CAUSAL_FLAG.match(node.keyword.value):
                    causal_reads.update(_words_in(node.value))
                    if not (isinstance(node.value, cst.Name) and node.value.value == "False"):
                        flags_on.append(node)

        walk(fn.node, Flags())
        seqlens = [None]  # whether the function names cu_seqlens / seqlens: read once, when a test needs it

        def hands_seqlens() -> bool:
            if seqlens[0] is None:
                seqlens[0] = any("seqlens" in w for w in _words_in(fn.node))
            return seqlens[0]

        for stmts, i, stmt, name, at in candidates:
            if isinstance(stmt, cst.If) and (flags_on or hands_seqlens()):
                continue  # a kernel told to be causal, or handed cu_seqlens, where the mask is dropped
            if isinstance(stmt, cst.If) and _words_in(stmt.test) & causal_reads:
                continue  # `if self.use_flash: mask = None` beside `is_causal=self.use_flash`: the kernel masks
            before = [s for s in stmts[:i] if name in _names_in(s)]
            if before and _prepares(before[-1], name):
                out.append((name, at))
    fn.__dict__["_dropped_masks"] = out
    return out


def kwargs_dropped(fn) -> List[Tuple[str, object]]:
    """``def prepare_inputs(self, input_ids, **kwargs)`` that writes ``inputs["attention_mask"] =
    None`` (or returns ``{"attention_mask": None, ...}``) and never reads that key of ``kwargs``
    nor passes ``**kwargs`` on: the mask its callers hand it is replaced with None (open_lm PR#235,
    P5-9).  (key, node) pairs; the caller decides whether a mask was handed in."""
    star = fn.node.params.star_kwarg
    if not isinstance(star, cst.Param):
        return []
    cached = fn.__dict__.get("_kwargs_dropped")
    if cached is None:
        cached = fn.__dict__["_kwargs_dropped"] = _kwargs_dropped(fn, star.name.value)
    return cached


def _kwargs_dropped(fn, kw: str) -> List[Tuple[str, object]]:
    writes = []
    reads = set()

    def key_of(node):
        return node.value[1:-1] if isinstance(node, cst.SimpleString) and len(node.value) > 2 else None

    class Find(cst.CSTVisitor):
        def visit_Assign(self, node):
            if isinstance(node.value, cst.Name) and node.value.value == "None":
                for t in node.targets:
                    if isinstance(t.target, cst.Subscript) and len(t.target.slice) == 1 and \
                            isinstance(t.target.slice[0].slice, cst.Index):
                        key = key_of(t.target.slice[0].slice.value)
                        if key is not None:
                            writes.append((key, node))

        def visit_DictElement(self, node):
            key = key_of(node.key)
            if key is not None and isinstance(node.value, cst.Name) and node.value.value == "None":
                writes.append((key, node))

        def visit_Subscript(self, node):
            if isinstance(node.value, cst.Name) and node.value.value == kw and len(node.slice) == 1 and \
                    isinstance(node.slice[0].slice, cst.Index):
                reads.add(key_of(node.slice[0].slice.value))
                keyed.add(id(node.value))

        def visit_Call(self, node):
            f = node.func
            if isinstance(f, cst.Attribute) and isinstance(f.value, cst.Name) and f.value.value == kw and \
                    f.attr.value in ("get", "pop") and node.args:
                reads.add(key_of(node.args[0].value))
                keyed.add(id(f.value))

        def visit_Name(self, node):
            if node.value == kw:
                uses.append(node)

    keyed: set = set()
    uses: list = []
    walk(fn.node.body, Find())
    if any(id(n) not in keyed for n in uses):
        return []  # `**kwargs` passed on, `.update(kwargs)`, `dict(kwargs)`, a loop over its items: it may carry the mask
    return [(key, node) for key, node in writes if names.is_mask_param(key) and key not in reads]


def _words_in(node) -> set:
    """The names and attribute names ``node`` reads, ``self`` aside (``self.use_flash``: use_flash)."""
    found = set()

    class Words(cst.CSTVisitor):
        def visit_Name(self, n) -> None:
            found.add(n.value)

    walk(node, Words())
    return found - {"self"}


def _none_assign(stmt):
    """``mask = None`` for a name that holds a mask: (name, stmt), else None."""
    if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1
            and isinstance(stmt.body[0], cst.Assign) and len(stmt.body[0].targets) == 1):
        return None
    small = stmt.body[0]
    target = small.targets[0].target
    if isinstance(target, cst.Name) and names.is_mask_param(target.value) and isinstance(small.value, cst.Name) \
            and small.value.value == "None":
        return target.value, stmt
    return None


def _attention_mask_name(name: str, params) -> bool:
    """A mask parameter, or a local named for an attention or padding mask (not an image's `mask`,
    a `loss_mask`)."""
    return name in params or bool(names.ATTENTION_MASK_LOCAL.search(name))


def _guarded_none_assign(stmt):
    """``if <a test not about the mask>: mask = None`` with nothing else in the body and no else."""
    if not (isinstance(stmt, cst.If) and stmt.orelse is None and len(stmt.body.body) == 1):
        return None
    got = _none_assign(stmt.body.body[0])
    if got is None or got[0] in _names_in(stmt.test):
        return None  # `if not mask.any(): mask = None`: nothing to hide
    if not any(names.IMPL_TEST.search(w) for w in _words_in(stmt.test)) and not any(
            isinstance(n, cst.SimpleString) and names.IMPL_TEST.search(n.value) for n in _strings_in(stmt.test)):
        return None  # only a test that picks a backend (`if seqlen == 1:`, `if past is not None:` are choices)
    return got


def _strings_in(node) -> list:
    found = []

    class Strings(cst.CSTVisitor):
        def visit_SimpleString(self, n) -> None:
            found.append(n)

    walk(node, Strings())
    return found


def _prepares(stmt, name: str) -> bool:
    """Is the last simple statement of ``stmt`` that mentions ``name`` an assignment of a value
    other than None to it (what it prepared is not read there after)?"""
    lines = []

    class Lines(cst.CSTVisitor):
        def visit_SimpleStatementLine(self, node):
            if name in _names_in(node):
                lines.append(node)
            return False

    walk(stmt, Lines())
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
        walk(fn.node.body, v)
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


def counts_with(fn, name: str) -> bool:
    """Does ``fn`` count with ``name`` (``cnt += 1``, ``for cnt, (h, w) in enumerate(...)``)?  In a
    loop its value changes each time round, so what one pass of the loop body sees of it is not
    what is written."""
    memo = fn.module.__dict__.setdefault("_counters", {})  # read from the module's text: no code generated
    if name not in memo:
        memo[name] = names.counts_with(fn.module.source, name)
    return memo[name]


def called_names(node) -> FrozenSet[str]:
    """The plain names ``node`` calls (``model(x)``, ``Block(d)``)."""
    v = _called_names_visitor()()
    walk(node, v)
    return frozenset(v.names)


def calls_name(fn, name: str) -> bool:
    """Does ``fn`` call the name ``name`` (``model(x)``)?  One pass per function."""
    if fn.called is None:
        fn.called = called_names(fn.node.body)
    return name in fn.called


#: keyword arguments of torch.utils.checkpoint.checkpoint that are its own
CHECKPOINT_OPTIONS = frozenset({"use_reentrant", "preserve_rng_state", "context_fn", "determinism_check", "debug"})


def branch_dropped(fn) -> dict:
    """Calls that leave out, on one branch of an ``if``, the padding mask the same call gets on the
    other branch (``if s > 1: sdpa(q, k, v, attn_mask=mask & attention_mask...) else: sdpa(q, k,
    v)``; ``if ckpt: checkpoint(blk, x) else: blk(x, frame_mask)``), where the test is not about the
    mask, nor about the keys being one (nothing to mask).  Both calls must get the same other
    arguments, none of them assigned inside a branch (the same keys: not self- against
    cross-attention).  ``{id(call): (mask parameter, the if's test)}``; computed once per function."""
    memo = getattr(fn, "_branch_dropped", None)
    if memo is not None:
        return memo
    params = {p.name.value for p in fn.params() + fn.kwonly()
              if names.is_mask_param(p.name.value) or names.PADDING_MASK_PARAM.search(p.name.value)}
    out: dict = {}
    if params:
        carriers = _carriers(fn.node, params)  # locals computed from a mask parameter, anywhere in the function
        for stmt, other in _ifs(fn.node):
            test_names = _names_in(stmt.test)
            if test_names & params or "None" in test_names or test_names & set(carriers):
                continue  # a branch on the mask itself (`if mask is None:`)
            if _is_mode_test(stmt.test):
                continue  # `if self.training:` alone: a mode's own path (masking only while training) is a choice
            sides = [_branch_calls([stmt.body], params, carriers), _branch_calls(other, params, carriers)]
            for mine, theirs in (sides, sides[::-1]):
                for callee, (call, carried, rest, read, assigned) in mine.items():
                    if carried or callee not in theirs:
                        continue
                    _, passed, their_rest, _, their_assigned = theirs[callee]
                    if not passed or rest != their_rest or read & (assigned | their_assigned):
                        continue  # other inputs (another sequence's keys), or inputs built per branch
                    if _one_key_test(stmt.test, read):
                        continue  # `if k.size(-2) == 1:`: one key, nothing to mask
                    out[id(call)] = (sorted(passed)[0], stmt.test)
    fn._branch_dropped = out
    return out


def _is_mode_test(test) -> bool:
    """``self.training`` / ``not model.training``: a test of the module's mode and nothing else."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        test = test.expression
    return isinstance(test, cst.Attribute) and test.attr.value == "training"


def _ifs(node):
    """(if statement, the nodes of its other branch): its ``else`` / ``elif``, or, when its body
    returns and it has none, the statements after it in its block."""
    found = []

    class Ifs(cst.CSTVisitor):
        def visit_IndentedBlock(self, block) -> None:
            stmts = list(block.body)
            for i, stmt in enumerate(stmts):
                if not isinstance(stmt, cst.If):
                    continue
                if stmt.orelse is not None:
                    found.append((stmt, [stmt.orelse.body if isinstance(stmt.orelse, cst.Else) else stmt.orelse]))
                elif _returns(stmt.body) and stmts[i + 1:]:
                    found.append((stmt, stmts[i + 1:]))

        def visit_If(self, stmt) -> None:
            if isinstance(stmt.orelse, cst.If):  # an elif chain: each link against the next
                found.append((stmt.orelse, [stmt.orelse.orelse.body if isinstance(stmt.orelse.orelse, cst.Else)
                                            else stmt.orelse.orelse] if stmt.orelse.orelse is not None else []))

        def visit_FunctionDef(self, inner) -> bool:
            return inner is node  # not into nested functions

    walk(node, Ifs())
    return [(stmt, other) for stmt, other in found if other]


def _returns(block) -> bool:
    body = getattr(block, "body", ())
    last = body[-1] if body else None
    return isinstance(last, cst.SimpleStatementLine) and any(isinstance(s, cst.Return) for s in last.body)


def _carriers(node, params) -> dict:
    """Locals computed from a mask parameter anywhere in the function (``kpm = padding_mask.bool()``):
    local -> the parameters it carries."""
    carriers: dict = {}

    class Walk(cst.CSTVisitor):
        def visit_Assign(self, a) -> None:
            got = _carried(_mask_names(a.value), params, carriers)
            for t in a.targets:
                if isinstance(t.target, cst.Name) and got:
                    carriers[t.target.value] = carriers.get(t.target.value, set()) | got

        def visit_FunctionDef(self, inner) -> bool:
            return inner is node

    walk(node, Walk())
    return carriers


def _mask_names(value) -> set:
    """The names an expression computes its value from as a mask would be: all of them, except the
    arguments of calls to modules and user functions (`x = blk(x, mask)` is not a mask)."""
    out: set = set()

    class Walk(cst.CSTVisitor):
        def visit_Call(self, call) -> bool:
            func = call.func
            user = isinstance(func, cst.Name) or (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)
                                                  and func.value.value == "self")
            walk(func, self)
            return not user  # a module's or a function's arguments: not what its result is

        def visit_Name(self, name) -> None:
            out.add(name.value)

        def visit_Attribute(self, attr) -> bool:
            walk(attr.value, self)
            return False

    walk(value, Walk())
    return out


def _branch_calls(blocks, params, carriers) -> dict:
    """The calls of one branch by their callee's text (``torch.utils.checkpoint.checkpoint(blk, ...)``
    counts as ``blk``): ``{callee: (call, the mask parameters its arguments carry, the texts of its
    other arguments, the names those read, the names the branch assigns other than by this call)}``."""
    from masklint.analysis.modules import dotted  # (modules imports this module)

    calls = {}
    assigned: set = set()
    own: dict = {}  # id(call) -> the names its own statement assigns (`x = blk(x, mask)`)
    stack: list = []

    class Walk(cst.CSTVisitor):
        def visit_Assign(self, node) -> None:
            stack.append({n for t in node.targets if isinstance(t.target, (cst.Name, cst.Tuple, cst.List))
                          for n in _names_in(t.target)})
            assigned.update(stack[-1])

        def leave_Assign(self, node) -> None:
            stack.pop()

        def visit_Call(self, node) -> None:
            func, args = node.func, list(node.args)
            if (dotted(func) or "").split(".")[-1] == "checkpoint" and args:
                func, args = args[0].value, [a for a in args[1:] if not (a.keyword and a.keyword.value in CHECKPOINT_OPTIONS)]
            key = dotted(func)
            if key and key not in calls:
                carried, rest, read = set(), [], set()
                for a in args:
                    got = _carried(_names_in(a.value), params, carriers)
                    carried |= got
                    if not got:
                        rest.append(cst.Module([]).code_for_node(a).strip().rstrip(","))
                        read |= _names_in(a.value)
                calls[key] = (node, carried, tuple(rest), read)
                own[id(node)] = set(stack[-1]) if stack else set()

        def visit_FunctionDef(self, inner) -> bool:
            return False

    for block in blocks:
        walk(block, Walk())
    return {k: (call, carried, rest, read, assigned - own[id(call)]) for k, (call, carried, rest, read) in calls.items()}


def _one_key_test(test, read: set) -> bool:
    """``k.size(-2) == 1`` / ``key.shape[1] <= 1``: a test that the call's inputs hold one position."""
    if not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1):
        return False
    comp = test.comparisons[0]
    one = isinstance(comp.comparator, cst.Integer) and comp.comparator.value == "1"
    return one and isinstance(comp.operator, (cst.Equal, cst.LessThanEqual)) and bool(_names_in(test.left) & read)


def _carried(read: set, params, carriers) -> set:
    out = read & params
    for name in read:
        out |= carriers.get(name, set())
    return out


#: a keyword two constructor calls pass different literals for
DISAGREE = object()


def literal_keywords(module, class_name: str) -> dict:
    """The literal keyword arguments (``mask_future=True``, ``heads=4``) the module's calls of
    ``class_name(...)`` pass, read once per module and class; ``DISAGREE`` where two calls differ."""
    memo = module.__dict__.setdefault("_literal_keywords", {})
    if class_name not in memo:
        found: dict = {}

        class _Calls(cst.CSTVisitor):
            def visit_Call(self, node):
                f = node.func
                name = f.value if isinstance(f, cst.Name) else f.attr.value if isinstance(f, cst.Attribute) else None
                if name != class_name:
                    return
                for a in node.args:
                    if a.keyword is None or a.star:
                        continue
                    v = a.value
                    if isinstance(v, cst.Name) and v.value in ("True", "False", "None"):
                        lit = {"True": True, "False": False, "None": None}[v.value]
                    elif isinstance(v, cst.Integer):
                        lit = int(v.value, 0) if not v.value.startswith("0") or v.value == "0" else None
                    elif isinstance(v, cst.SimpleString):
                        lit = v.evaluated_value
                    else:
                        continue
                    key = a.keyword.value
                    found[key] = lit if key not in found or found[key] == lit else DISAGREE

        if class_name in module.source:
            walk(module.tree, _Calls())
        memo[class_name] = found
    return memo[class_name]


def written_params(fn) -> frozenset:
    """The parameters (their names and positions among the call's parameters) that ``fn`` writes
    in place: ``matrices[..., i, j] = v``, ``x.masked_fill_(m, v)``; read once per function."""
    got = fn.__dict__.get("_written_params")
    if got is None:
        params = [p.name.value for p in fn.call_params(fn.cls is not None)] if hasattr(fn, "call_params") else []
        hit = set()

        class _Writes(cst.CSTVisitor):
            def visit_Assign(self, node):
                for t in node.targets:
                    root = t.target
                    while isinstance(root, cst.Subscript):
                        root = root.value
                    if isinstance(t.target, cst.Subscript) and isinstance(root, cst.Name):
                        hit.add(root.value)

            def visit_Call(self, node):
                f = node.func
                if isinstance(f, cst.Attribute) and isinstance(f.value, cst.Name) and f.attr.value.endswith("_") \
                        and not f.attr.value.endswith("__") and f.attr.value in MASKING_IN_PLACE:
                    hit.add(f.value.value)

        walk(fn.node.body, _Writes())
        got = frozenset({n for n in hit if n in params} | {i for i, n in enumerate(params) if n in hit})
        fn.__dict__["_written_params"] = got
    return got


#: in-place methods that mask or add to scores (not a scale or a clamp: `att.mul_(scale)` leaves them bare)
MASKING_IN_PLACE = frozenset({"masked_fill_", "index_fill_", "masked_scatter_", "add_", "sub_", "copy_", "fill_",
                               "scatter_", "index_put_", "put_"})
