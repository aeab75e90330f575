"""The mask-flow interpreter: runs a module's code abstractly, statement by statement.

Values are the abstract values of :mod:`masklint.analysis.values`.  Calls into attention APIs
(resolved through imports, aliases and ``self.x = nn.MultiheadAttention(...)``) become
:class:`~masklint.analysis.events.SinkEvent` s handed to the rules; calls into the project's
own functions and modules are analysed again with the real argument values (bounded depth), so
a mask built in one function and consumed in another is followed.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Dict, List, Optional

import libcst as cst

from masklint import conventions as C
from masklint.engine import check_deadline
from masklint.analysis import torchlib
from masklint.analysis.events import Finding, ModelFacts, SinkEvent, SinkRecord
from masklint.analysis.modules import ClassInfo, FunctionInfo, ModuleInfo, dotted
from masklint.analysis.values import (
    AV,
    Cell,
    Region,
    UNKNOWN,
    ClassV,
    Const,
    DType,
    EmbeddingV,
    FuncV,
    Instance,
    LinearV,
    Mask,
    ModuleListV,
    ObjV,
    Qual,
    DictV,
    PartialV,
    ShapeV,
    Size,
    SuperV,
    SizeRef,
    SplitV,
    Tensor,
    TensorRef,
    TupleV,
    Unknown,
    join,
)

MAX_DEPTH = 4
MAX_INLINES = 3000  # per analysed module: beyond this, calls use unknown results
MAX_STMTS = 200_000  # per analysed module: a guard against pathological inputs

_BUILTIN_CONSTS = {"True": True, "False": False, "None": None}


class Frame:
    def __init__(self, module: ModuleInfo, fn: Optional[FunctionInfo], env: Dict[str, AV], self_obj=None):
        self.module = module
        self.fn = fn
        self.env = env
        self.self_obj = self_obj
        self.ret: Optional[AV] = None
        self.findings: List[Finding] = []
        self.sinks: List[SinkRecord] = []
        self.local_imports: Dict[str, str] = {}
        self.guards: List = []  # tests of the enclosing if statements / conditional expressions


class BoundMethod(AV):
    """``value.method`` before the call."""

    def __init__(self, recv: AV, name: str, recv_node):
        self.recv = recv
        self.name = name
        self.recv_node = recv_node


class Interpreter:
    def __init__(self, rules, project):
        self.rules = rules  # rule instances
        self.project = project
        self.stack: List[Frame] = []
        self.depth = 0
        self.inlines = 0
        self.stmts = 0
        self.standalone_memo: Dict[int, set] = {}
        self.in_progress: set = set()
        self.model_facts: Dict[int, ModelFacts] = {}

    # ================================================================== modules
    def run_module(self, module: ModuleInfo) -> List[Finding]:
        """Analyse a module: its top-level code, every function and every method."""
        findings: List[Finding] = []
        frame = self.module_frame(module)
        findings += frame.findings
        for fn in module.functions.values():
            findings += self.standalone(fn)
        for cls in module.classes.values():
            facts = self.facts_for(cls)
            for fn in cls.methods.values():
                findings += self.standalone(fn)
            for rule in self.rules:
                for f in rule.on_model(facts) or ():
                    findings.append(f)
        # module-level script code: its sinks feed module-level facts
        return findings

    def module_frame(self, module: ModuleInfo) -> Frame:
        if module.env is not None:
            return module.env
        frame = Frame(module, None, {})
        module.env = frame  # set first: a cycle sees a partial env
        self.stack.append(frame)
        try:
            self.exec_block(module.tree.body, frame)
        finally:
            self.stack.pop()
        return frame

    def facts_for(self, cls: ClassInfo) -> ModelFacts:
        facts = self.model_facts.get(id(cls))
        if facts is None:
            facts = ModelFacts(cls)
            self.model_facts[id(cls)] = facts
        return facts

    # ================================================================== functions
    def standalone(self, fn: FunctionInfo) -> List[Finding]:
        """Analyse a function on its own (parameters unknown).  Memoised."""
        key = id(fn.node)
        if key in self.standalone_memo or key in self.in_progress:
            return []
        self.in_progress.add(key)
        try:
            self_obj = self.template(fn.cls) if fn.cls is not None and not fn.is_static else None
            env = self.bind_params(fn, [], {}, self_obj, standalone=True)
            frame = self.run_function(fn, env, self_obj)
        finally:
            self.in_progress.discard(key)
        self.standalone_memo[key] = {(f.code, id(f.node)) for f in frame.findings}
        if fn.cls is not None:
            self.facts_for(fn.cls).add_sinks(fn, frame.sinks)
        return frame.findings

    def template(self, cls: ClassInfo) -> ObjV:
        """The instance a class's ``__init__`` builds (parameters at their defaults)."""
        if cls.template is not None:
            return cls.template
        obj = ObjV(cls)
        cls.template = obj
        for base in self.user_bases(cls):
            btmpl = self.template(base)
            for k, v in btmpl.attrs.items():
                obj.attrs.setdefault(k, v)
        init = self.find_method(cls, "__init__")
        if init is not None and id(init.node) not in self.in_progress:
            self.in_progress.add(id(init.node))
            try:
                env = self.bind_params(init, [], {}, obj, standalone=True, use_defaults=True)
                frame = self.run_function(init, env, obj)
                self.facts_for(cls).init_findings = frame.findings
            finally:
                self.in_progress.discard(id(init.node))
        return obj

    def user_bases(self, cls: ClassInfo) -> List[ClassInfo]:
        out = []
        for b in cls.base_exprs:
            v = self.resolve_static(b, cls.module)
            if isinstance(v, ClassV) and v.cls is not cls:
                out.append(v.cls)
        return out

    def api_base(self, cls: ClassInfo, seen=None) -> Optional[C.Api]:
        """The attention API a user class inherits from, if any (class MyMHA(nn.MultiheadAttention))."""
        seen = seen or set()
        if id(cls) in seen:
            return None
        seen.add(id(cls))
        for b in cls.base_exprs:
            v = self.resolve_static(b, cls.module)
            if isinstance(v, Qual) and self.api_for_qual(v.name) is not None:
                return self.api_for_qual(v.name)
            if isinstance(v, ClassV):
                api = self.api_base(v.cls, seen)
                if api is not None:
                    return api
        return None

    def find_method(self, cls: ClassInfo, name: str, seen=None) -> Optional[FunctionInfo]:
        if name in cls.methods:
            return cls.methods[name]
        seen = seen or set()
        seen.add(id(cls))
        for base in self.user_bases(cls):
            if id(base) not in seen:
                m = self.find_method(base, name, seen)
                if m is not None:
                    return m
        return None

    def resolve_static(self, expr, module: ModuleInfo) -> AV:
        """Resolve a name/attribute at module scope without running code."""
        d = dotted(expr)
        if d is None:
            return UNKNOWN
        head, _, rest = d.partition(".")
        if head in module.classes and not rest:
            return ClassV(module.classes[head])
        if head in module.functions and not rest:
            return FuncV(module.functions[head])
        if head in module.imports:
            q = module.imports[head] + ("." + rest if rest else "")
            return self.qual_value(q)
        return UNKNOWN

    def qual_value(self, q: str) -> AV:
        """A qualified name: a project function/class if the project defines it, else a Qual."""
        if not q.startswith(("torch", "tensorflow", "tf.", "keras", "numpy", "math", "transformers")):
            target = self.project.resolve(q) if self.project is not None else None
            if isinstance(target, FunctionInfo):
                return FuncV(target)
            if isinstance(target, ClassInfo):
                return ClassV(target)
        return Qual(q)

    def bind_params(self, fn, pos_args, kw_args, self_obj, standalone=False, use_defaults=False):
        """Bind call arguments (values) to parameters: an env for the function's frame."""
        env: Dict[str, AV] = {}
        if fn.closure is not None:
            env.update(fn.closure)
        params = fn.params()
        pos = list(pos_args)
        if self_obj is not None and params and not fn.is_static:
            env[params[0].name.value] = self_obj
            params = params[1:]
        elif fn.is_classmethod and params:
            params = params[1:]
        def unpassed(p, required: AV) -> AV:
            """A parameter the call does not pass: a guess from its name when analysing the
            function on its own, else its default."""
            if standalone and not use_defaults:
                return torchlib.param_source(p.name.value, p, fn, self)
            if p.default is not None:
                return self.eval_default(p.default, fn)
            return required

        for i, p in enumerate(params):
            name = p.name.value
            if i < len(pos):
                env[name] = pos[i]
            elif name in kw_args:
                env[name] = kw_args[name]
            else:
                env[name] = unpassed(p, torchlib.param_source(name, p, fn, self))
        for p in fn.kwonly():
            name = p.name.value
            env[name] = kw_args[name] if name in kw_args else unpassed(p, UNKNOWN)
        star = fn.node.params.star_arg
        if isinstance(star, cst.Param):
            env[star.name.value] = TupleV(tuple(pos[len(params):])) if len(pos) > len(params) else UNKNOWN
        if fn.node.params.star_kwarg is not None:
            env[fn.node.params.star_kwarg.name.value] = UNKNOWN
        return env

    def eval_default(self, expr, fn) -> AV:
        if isinstance(expr, cst.Name) and expr.value in _BUILTIN_CONSTS:
            return Const(_BUILTIN_CONSTS[expr.value])
        if isinstance(expr, (cst.Integer, cst.Float)):
            return _number(expr)
        return UNKNOWN

    def run_function(self, fn: FunctionInfo, env, self_obj) -> Frame:
        frame = Frame(fn.module, fn, env, self_obj)
        if fn.module.env is None and not fn.module.running:
            fn.module.running = True
            self.module_frame(fn.module)
        self.stack.append(frame)
        self.depth += 1
        try:
            body = fn.node.body
            if isinstance(body, cst.IndentedBlock):
                self.exec_block(body.body, frame)
            else:  # def f(): return x
                self.exec_block([body], frame)
        except _Abort:
            pass
        finally:
            self.depth -= 1
            self.stack.pop()
        return frame

    def call_user(self, fn: FunctionInfo, call: cst.Call, args, frame: Frame, self_obj=None) -> AV:
        """Analyse ``fn`` with the call's argument values; re-anchor what it finds at the call."""
        if self.depth >= MAX_DEPTH or self.inlines >= MAX_INLINES or id(fn.node) in self.in_progress:
            return UNKNOWN  # too deep / too many inlines / recursion: unknown
        self.inlines += 1
        pos = []
        for value, _, keyword, star in args:
            if star:
                break  # after *args, positions are unknown: leave the rest unbound
            if keyword is None:
                pos.append(value)
        kw = {a[2]: a[0] for a in args if a[2] is not None}
        env = self.bind_params(fn, pos, kw, self_obj)
        self.in_progress.add(id(fn.node))
        try:
            sub = self.run_function(fn, env, self_obj)
        finally:
            self.in_progress.discard(id(fn.node))
        known = self.standalone_keys(fn)
        for f in sub.findings:
            if (f.code, id(f.node)) in known:
                continue
            frame.findings.append(self.reanchor(f, call, args, frame))
        for s in sub.sinks:
            frame.sinks.append(s.via_call(call, frame.module))
        if isinstance(self_obj, ObjV) and fn.cls is not None:
            # what this model's methods did when called from anywhere (a training script, another model)
            self.facts_for(self_obj.cls).add_sinks(fn, sub.sinks)
        return sub.ret if sub.ret is not None else Const(None)

    def standalone_keys(self, fn: FunctionInfo) -> set:
        key = id(fn.node)
        if key not in self.standalone_memo and key not in self.in_progress:
            # analyse it on its own first, without reporting (its module reports it)
            saved = self.stack, self.depth
            self.stack, self.depth = [], 0
            try:
                self.standalone(fn)
            finally:
                self.stack, self.depth = saved
        return self.standalone_memo.get(key, set())

    def reanchor(self, f: Finding, call: cst.Call, args, frame: Frame) -> Finding:
        node = call
        best = -1
        if f.value is not None and isinstance(f.value, Mask):
            ev = f.value.evidence
            for value, arg_node, _, _ in args:
                if isinstance(value, Mask) and len(value.evidence) <= len(ev) and ev[: len(value.evidence)] == value.evidence:
                    if len(value.evidence) > best:
                        best, node = len(value.evidence), arg_node
        return f.moved(node, frame.module, call)

    # ================================================================== statements
    def exec_block(self, stmts, frame: Frame) -> None:
        for stmt in stmts:
            self.exec_stmt(stmt, frame)

    def exec_stmt(self, stmt, frame: Frame) -> None:
        self.stmts += 1
        if self.stmts > MAX_STMTS:
            raise _Abort()
        if not self.stmts & 63:
            check_deadline()  # the per-file time budget (raises engine.OutOfTime)
        t = type(stmt)
        if t is cst.SimpleStatementLine:
            for small in stmt.body:
                self.exec_small(small, frame)
        elif t is cst.FunctionDef:
            info = FunctionInfo(stmt, frame.module, None, closure=frame.env if frame.fn is not None else None)
            if frame.fn is None and stmt.name.value in frame.module.functions:
                info = frame.module.functions[stmt.name.value]
            frame.env[stmt.name.value] = FuncV(info)
        elif t is cst.ClassDef:
            if frame.fn is None and stmt.name.value in frame.module.classes:
                frame.env[stmt.name.value] = ClassV(frame.module.classes[stmt.name.value])
        elif t is cst.If:
            self.eval(stmt.test, frame)
            frame.guards.append(stmt.test)
            try:
                self._exec_if(stmt, frame)
            finally:
                frame.guards.pop()
        elif t is cst.For:
            it = self.eval(stmt.iter, frame)
            self.bind(stmt.target, _element(it), frame)
            before = dict(frame.env)
            self.exec_block(stmt.body.body, frame)
            frame.env = _merge(before, frame.env)
            if stmt.orelse is not None:
                self.exec_block(stmt.orelse.body.body, frame)
        elif t is cst.While:
            self.eval(stmt.test, frame)
            before = dict(frame.env)
            self.exec_block(stmt.body.body, frame)
            frame.env = _merge(before, frame.env)
        elif t is cst.With:
            for item in stmt.items:
                v = self.eval(item.item, frame)
                if item.asname is not None:
                    self.bind(item.asname.name, UNKNOWN if not isinstance(v, (Mask, Tensor)) else v, frame)
            self.exec_block(stmt.body.body, frame)
        elif t is cst.Try or t is getattr(cst, "TryStar", None):
            before = dict(frame.env)
            self.exec_block(stmt.body.body, frame)
            if stmt.orelse is not None:
                self.exec_block(stmt.orelse.body.body, frame)
            self._alternatives(frame, before, [h.body.body for h in stmt.handlers], keep_current=True)
            if stmt.finalbody is not None:
                self.exec_block(stmt.finalbody.body.body, frame)
        elif hasattr(cst, "Match") and t is cst.Match:
            self.eval(stmt.subject, frame)
            self._alternatives(frame, dict(frame.env), [case.body.body for case in stmt.cases], keep_current=False)
        # other compound statements are skipped conservatively

    def _alternatives(self, frame: Frame, start: Dict[str, AV], blocks, keep_current: bool) -> None:
        """Run blocks that are alternatives (match cases, except handlers) from ``start``; merge."""
        results = [frame.env] if keep_current else []
        for body in blocks:
            frame.env = dict(start)
            self.exec_block(body, frame)
            if not _returns(body):
                results.append(frame.env)
        if not results:
            frame.env = dict(start)
            return
        merged = results[0]
        for env in results[1:]:
            merged = _merge(merged, env)
        frame.env = merged

    def _exec_if(self, stmt, frame: Frame) -> None:
        before = dict(frame.env)
        obj = frame.self_obj if isinstance(frame.self_obj, ObjV) else None
        attrs_before = dict(obj.attrs) if obj is not None else None
        self.exec_block(stmt.body.body, frame)
        after_body = frame.env
        attrs_body = dict(obj.attrs) if obj is not None else None
        frame.env = dict(before)
        if obj is not None:
            obj.attrs.clear()
            obj.attrs.update(attrs_before)
        if stmt.orelse is not None:
            if isinstance(stmt.orelse, cst.If):
                self.exec_stmt(stmt.orelse, frame)
            else:
                self.exec_block(stmt.orelse.body.body, frame)
        exits = _returns(stmt.body.body)
        else_exits = isinstance(stmt.orelse, cst.Else) and _returns(stmt.orelse.body.body)
        if else_exits and not exits:
            frame.env = after_body
        else:
            frame.env = _merge(after_body, frame.env, exits)
        if obj is not None:
            merged = attrs_body if (else_exits and not exits) else _merge(attrs_body, obj.attrs, exits)
            obj.attrs.clear()
            obj.attrs.update(merged)

    def exec_small(self, small, frame: Frame) -> None:
        t = type(small)
        if t is cst.Assign:
            v = self.eval(small.value, frame)
            for target in small.targets:
                self.bind(target.target, v, frame)
        elif t is cst.AnnAssign:
            if small.value is not None:
                self.bind(small.target, self.eval(small.value, frame), frame)
        elif t is cst.AugAssign:
            left = self.eval(small.target, frame)
            right = self.eval(small.value, frame)
            v = torchlib.binop(self, small.operator, left, right, small, frame, small.target, small.value)
            self.bind(small.target, v, frame)
        elif t is cst.Expr:
            self.eval(small.value, frame)
        elif t is cst.Return:
            if small.value is not None:
                v = self.eval(small.value, frame)
            else:
                v = Const(None)
            frame.ret = v if frame.ret is None else join(frame.ret, v)
        elif t in (cst.Import, cst.ImportFrom):
            frame.module.add_import(small, frame.local_imports)
        elif t is cst.Assert:
            self.eval(small.test, frame)
        elif t is cst.Del:
            pass

    def bind(self, target, value: AV, frame: Frame) -> None:
        t = type(target)
        if t is cst.Name:
            frame.env[target.value] = value
        elif t in (cst.Tuple, cst.List):
            elems = [e.value for e in target.elements]
            if isinstance(value, TupleV) and len(value.items) == len(elems):
                for e, v in zip(elems, value.items):
                    self.bind(e, v, frame)
            elif isinstance(value, SplitV):
                for e in elems:
                    self.bind(e, Tensor(source=value.source), frame)
            elif isinstance(value, ShapeV):
                for i, e in enumerate(elems):
                    self.bind(e, Size(SizeRef(value.ref, i), e) if value.ref else UNKNOWN, frame)
            else:
                for e in elems:
                    self.bind(e, UNKNOWN, frame)
        elif t is cst.Attribute:
            base = self.eval(target.value, frame)
            if isinstance(base, ObjV):
                base.attrs[target.attr.value] = value
        elif t is cst.Subscript:
            # in-place writes into a mask make its cells unknown; its layout stays
            if isinstance(target.value, cst.Name) and isinstance(frame.env.get(target.value.value), Mask):
                m = frame.env[target.value.value]
                frame.env[target.value.value] = replace(m, region=Region.UNKNOWN, inside=Cell.OTHER,
                                                        outside=Cell.OTHER, causal_source=False)
        elif t is cst.StarredElement:
            self.bind(target.value, UNKNOWN, frame)

    # ================================================================== expressions
    def lookup(self, name: str, frame: Frame) -> AV:
        if name in frame.env:
            return frame.env[name]
        if name in frame.local_imports:
            return self.qual_value(frame.local_imports[name])
        mod = frame.module
        if mod.env is not None and mod.env is not frame and name in mod.env.env:
            return mod.env.env[name]
        if name in mod.functions:
            return FuncV(mod.functions[name])
        if name in mod.classes:
            return ClassV(mod.classes[name])
        if name in mod.imports:
            return self.qual_value(mod.imports[name])
        if name in _BUILTIN_CONSTS:
            return Const(_BUILTIN_CONSTS[name])
        if name in torchlib.BUILTINS:
            return Qual("builtins." + name)
        return UNKNOWN

    def eval(self, node, frame: Frame) -> AV:
        t = type(node)
        if t is cst.Name:
            return self.lookup(node.value, frame)
        if t is cst.Call:
            return self.eval_call(node, frame)
        if t is cst.Attribute:
            return self.eval_attr(node, frame)
        if t is cst.Subscript:
            return torchlib.subscript(self, node, frame)
        if t is cst.Integer or t is cst.Float:
            v = _number(node)
            return replace(v, origin=(frame.module, node)) if isinstance(v, Const) else v
        if t is cst.SimpleString:
            try:
                return Const(node.evaluated_value)
            except Exception:
                return UNKNOWN
        if t is cst.UnaryOperation:
            return torchlib.unary(self, node, self.eval(node.expression, frame), frame)
        if t is cst.BinaryOperation:
            left = self.eval(node.left, frame)
            right = self.eval(node.right, frame)
            return torchlib.binop(self, node.operator, left, right, node, frame, node.left, node.right)
        if t is cst.Comparison:
            return torchlib.compare(self, node, frame)
        if t is cst.IfExp:
            self.eval(node.test, frame)
            frame.guards.append(node.test)
            try:
                return join(self.eval(node.body, frame), self.eval(node.orelse, frame))
            finally:
                frame.guards.pop()
        if t is cst.BooleanOperation:
            left = self.eval(node.left, frame)
            right = self.eval(node.right, frame)
            if isinstance(node.operator, cst.Or):
                return join(left, right)
            return right if not isinstance(right, Unknown) else UNKNOWN
        if t in (cst.Tuple, cst.List):
            items = []
            for e in node.elements:
                if isinstance(e, cst.StarredElement):
                    self.eval(e.value, frame)
                    return UNKNOWN
                items.append(self.eval(e.value, frame))
            return TupleV(tuple(items))
        if t is cst.Dict:
            items = {}
            for e in node.elements:
                key = self.eval(e.key, frame) if isinstance(e, cst.DictElement) else None
                value = self.eval(e.value, frame)
                if isinstance(key, Const) and isinstance(key.value, str):
                    items[key.value] = value
            return DictV(items) if items else UNKNOWN
        if t in (cst.ListComp, cst.GeneratorExp, cst.SetComp):
            return self.eval_comp(node, frame, node.elt)
        if t is cst.DictComp:
            return self.eval_comp(node, frame, node.value)
        if t is cst.Lambda:
            return UNKNOWN
        if t is cst.Await:
            return self.eval(node.expression, frame)
        if t is cst.NamedExpr:
            v = self.eval(node.value, frame)
            self.bind(node.target, v, frame)
            return v
        if t is cst.Ellipsis:
            return Const(Ellipsis)
        if t in (cst.FormattedString, cst.ConcatenatedString):
            return UNKNOWN
        # anything else: still visit sub-expressions so nested calls are seen
        for child in node.children:
            if isinstance(child, cst.BaseExpression):
                self.eval(child, frame)
        return UNKNOWN

    def eval_comp(self, node, frame, elt) -> AV:
        saved = dict(frame.env)
        f = node.for_in
        while f is not None:
            it = self.eval(f.iter, frame)
            self.bind(f.target, _element(it), frame)
            f = f.inner_for_in
        v = self.eval(elt, frame)
        frame.env = saved
        if isinstance(node, (cst.ListComp, cst.GeneratorExp)):
            if isinstance(v, (Instance, ObjV, Mask)):
                return TupleV((v,))
            if isinstance(v, Tensor) and v.origin is not None:
                return SplitV(v.origin)
        return UNKNOWN

    def eval_attr(self, node: cst.Attribute, frame: Frame) -> AV:
        base = self.eval(node.value, frame)
        attr = node.attr.value
        if isinstance(base, Qual):
            return torchlib.qual_attr(self, base, attr)
        if isinstance(base, ObjV):
            if attr in base.attrs:
                return base.attrs[attr]
            m = self.find_method(base.cls, attr)
            if m is None and (attr == "register_buffer" or attr in _MODULE_RETURNS_SELF):
                return BoundMethod(base, attr, node.value)
            if m is not None:
                if any(isinstance(d.decorator, cst.Name) and d.decorator.value == "property" for d in m.node.decorators):
                    return UNKNOWN
                return FuncV(m, base)
            api = self.api_base(base.cls)
            if api is not None:
                return BoundMethod(Instance(api.key), attr, node.value)
            return BoundMethod(UNKNOWN, attr, node.value)
        if isinstance(base, SuperV):
            for b in self.user_bases(base.cls):
                m = self.find_method(b, attr)
                if m is not None:
                    return FuncV(m, base.obj)
            api = self.api_base(base.cls)
            if api is not None:
                if attr in ("forward", "__call__"):
                    inst = base.obj.attrs.get("__api_instance__") if isinstance(base.obj, ObjV) else None
                    return BoundMethod(inst or Instance(api.key), "forward", node.value)
                if attr == "__init__":
                    return BoundMethod(base, "__init__", node.value)
            return UNKNOWN
        if isinstance(base, ClassV):
            m = self.find_method(base.cls, attr)
            if m is not None:
                return FuncV(m)
            api = self.api_base(base.cls)
            if api is not None:
                return torchlib.qual_attr(self, Qual(api.qualnames[0]), attr)
            return UNKNOWN
        if isinstance(base, (Mask, Tensor, Unknown, Instance, Size, Const)):
            if attr == "shape" and isinstance(base, Tensor):
                return ShapeV(base.ref)
            if attr in ("T", "mT") and isinstance(base, (Mask, Tensor)):
                return torchlib.method(self, base, "t" if attr == "T" else "mT", [], node, frame, node.value)
            if attr == "dtype" and isinstance(base, Mask):
                return DType(base.dtype, base.dtype.value)
            return BoundMethod(base, attr, node.value)
        return UNKNOWN

    def eval_args(self, call: cst.Call, frame: Frame):
        out = []
        for a in call.args:
            v = self.eval(a.value, frame)
            kw = a.keyword.value if a.keyword is not None else None
            out.append((v, a.value, kw, bool(a.star)))
        return out

    def eval_call(self, node: cst.Call, frame: Frame) -> AV:
        if isinstance(node.func, cst.Name) and node.func.value == "super" and frame.fn is not None \
                and frame.fn.cls is not None and frame.self_obj is not None:
            return SuperV(frame.self_obj, frame.fn.cls)
        fv = self.eval(node.func, frame)
        args = self.eval_args(node, frame)
        try:
            return self.dispatch(fv, node, args, frame)
        except _Abort:
            raise
        except RecursionError:
            return UNKNOWN

    def dispatch(self, fv: AV, node: cst.Call, args, frame: Frame) -> AV:
        if isinstance(fv, Qual):
            api = self.api_for_qual(fv.name)
            if api is not None:
                if api.kind == "module":
                    return torchlib.construct(self, api, node, args, frame)
                if api is C.FLEX_MASK_BUILDERS:
                    return torchlib.flex_builder(self, node, args, frame)
                return self.sink(api, None, node, args, frame)
            return torchlib.call_qual(self, fv.name, node, args, frame)
        if isinstance(fv, BoundMethod) and isinstance(fv.recv, SuperV) and fv.name == "__init__":
            # super().__init__(d_model, nhead, batch_first=True) of a subclass of an attention module
            api = self.api_base(fv.recv.cls)
            if api is not None and isinstance(fv.recv.obj, ObjV):
                fv.recv.obj.attrs["__api_instance__"] = torchlib.construct(self, api, node, args, frame)
            return Const(None)
        if isinstance(fv, PartialV):
            return self.dispatch(fv.target, node, list(fv.args) + list(args), frame)
        if isinstance(fv, BoundMethod):
            recv = fv.recv
            if isinstance(recv, Instance):
                return torchlib.instance_method(self, recv, fv.name, node, args, frame)
            if isinstance(recv, ObjV) and fv.name in _MODULE_RETURNS_SELF:
                return recv  # model.to(device), model.eval(), ... return the module itself
            if isinstance(recv, ObjV) and fv.name == "register_buffer":
                name, _ = torchlib.kwarg(args, "name", 0)
                value, _ = torchlib.kwarg(args, "tensor", 1)
                if isinstance(name, Const) and isinstance(name.value, str) and value is not None:
                    recv.attrs[name.value] = value
                return Const(None)
            return torchlib.method(self, recv, fv.name, args, node, frame, fv.recv_node)
        if isinstance(fv, Instance):
            return self.sink(C.BY_KEY[fv.api_key], fv, node, args, frame)
        if isinstance(fv, FuncV):
            if fv.bound is not None and fv.fn.name == "register_buffer":
                return UNKNOWN
            return self.call_user(fv.fn, node, args, frame, fv.bound)
        if isinstance(fv, ObjV):
            fwd = self.find_method(fv.cls, "forward") or self.find_method(fv.cls, "__call__")
            if fwd is not None:
                return self.call_user(fwd, node, args, frame, fv)
            api = self.api_base(fv.cls)
            if api is not None:
                return self.sink(api, Instance(api.key), node, args, frame)
            return torchlib.passthrough(args)
        if isinstance(fv, ClassV):
            api = self.api_base(fv.cls)
            if api is not None and api.kind == "module" and self.find_method(fv.cls, "forward") is None:
                inst = torchlib.construct(self, api, node, args, frame)
                return inst
            init = self.find_method(fv.cls, "__init__")
            tmpl = self.template(fv.cls)
            if init is not None and args and self.depth < MAX_DEPTH and any(
                isinstance(a[0], (Const, Instance)) for a in args
            ):
                # construct with the real arguments (e.g. batch_first=True)
                obj = ObjV(fv.cls, dict(tmpl.attrs))
                saved_findings = len(frame.findings)
                self.call_user(init, node, args, frame, obj)
                del frame.findings[saved_findings:]
                return obj
            return ObjV(fv.cls, dict(tmpl.attrs))
        if isinstance(fv, (EmbeddingV,)):
            src = args[0][0] if args else UNKNOWN
            ref = src.ref if isinstance(src, Tensor) else None
            if ref is None and args and isinstance(args[0][1], cst.Name):
                ref = TensorRef(args[0][1].value)
            return Tensor(ref=ref, embedded=True)
        if isinstance(fv, LinearV):
            return torchlib.passthrough(args)
        if isinstance(fv, ModuleListV):
            return UNKNOWN
        if isinstance(fv, Unknown) and isinstance(node.func, cst.Attribute):
            base = node.func.value
            if isinstance(base, cst.Name) and base.value == "self":
                return torchlib.passthrough(args)  # an unknown submodule: assume it keeps the layout
        return UNKNOWN

    def api_for_qual(self, q: str) -> Optional[C.Api]:
        api = C.BY_QUALNAME.get(q)
        if api is not None:
            return api
        # torch.nn.modules.<anything>.MultiheadAttention etc.
        tail = q.rsplit(".", 1)[-1]
        if q.startswith("torch.nn") and tail in torchlib.API_TAILS:
            return torchlib.API_TAILS[tail]
        if tail == "MultiHeadAttention" and ("keras" in q or q.startswith("tf")):
            return C.KERAS_MHA
        return None

    # ================================================================== sinks
    def sink(self, api: C.Api, inst: Optional[Instance], node: cst.Call, args, frame: Frame) -> AV:
        event = SinkEvent.bind(api, inst, node, args, frame.module, self)
        for rule in self.rules:
            for f in rule.on_sink(event) or ():
                frame.findings.append(f)
        frame.sinks.append(SinkRecord.from_event(event, frame.fn))
        return torchlib.sink_result(api, event)

    @property
    def frame(self) -> Frame:
        return self.stack[-1]


def _number(node) -> AV:
    text = node.value.replace("_", "")
    try:
        return Const(int(text, 0) if type(node) is cst.Integer else float(text))
    except ValueError:
        try:
            return Const(node.evaluated_value)
        except Exception:
            return UNKNOWN


_MODULE_RETURNS_SELF = {"to", "cuda", "cpu", "train", "eval", "float", "half", "double", "bfloat16",
                        "requires_grad_", "to_empty", "share_memory"}



class _Abort(Exception):
    pass


def _element(it: AV) -> AV:
    if isinstance(it, ModuleListV):
        return it.item
    if isinstance(it, SplitV):
        return Tensor(source=it.source)
    if isinstance(it, TupleV) and it.items:
        v = it.items[0]
        for x in it.items[1:]:
            v = join(v, x)
        return v
    return UNKNOWN


def _returns(stmts) -> bool:
    """Does this block end by leaving the function (return/raise/continue/break)?"""
    if not stmts:
        return False
    last = stmts[-1]
    if isinstance(last, cst.SimpleStatementLine) and last.body:
        return isinstance(last.body[-1], (cst.Return, cst.Raise, cst.Continue, cst.Break))
    return False


def _merge(a: Dict[str, AV], b: Dict[str, AV], a_exits: bool = False) -> Dict[str, AV]:
    if a_exits:
        return b
    out = dict(b)
    for k, v in a.items():
        out[k] = join(v, b[k]) if k in b else v
    return out
