"""The mask-flow interpreter: runs a module's code abstractly, statement by statement.

Values are the abstract values of :mod:`masklint.analysis.values`.  Calls into attention APIs
(resolved through imports, aliases and ``self.x = nn.MultiheadAttention(...)``) become
:class:`~masklint.analysis.events.SinkEvent` s handed to the rules; calls into the project's
own functions and modules are analysed again with the real argument values (bounded depth), so
a mask built in one function and consumed in another is followed.
"""
from __future__ import annotations

import functools

from dataclasses import replace
from typing import Dict, List, Optional, Tuple

from masklint._libcst import cst, walk

from masklint import conventions as C
from masklint.engine import check_deadline
from masklint.analysis import algebra, branches, calls, names, operators, scenarios, sinks, sources, usage, writes
from masklint.analysis.ctx import Ctx, kwarg, positional
from masklint.analysis.events import Finding, ModelFacts, SinkEvent, SinkRecord, ValueEvent
from masklint.analysis.modules import ClassInfo, FunctionInfo, ModuleInfo, decorator_name, dotted
from masklint.analysis.values import (
    AV,
    UNKNOWN,
    NoneFlag,
    ClassV,
    Const,
    DType,
    EmbeddingV,
    FuncV,
    LambdaV,
    Instance,
    LinearV,
    Mask,
    carries_fact,
    items_of,
    located,
    ModuleListV,
    ObjV,
    Qual,
    Ref,
    Region,
    ANY_KEY,
    ChoiceV,
    DictV,
    Dt,
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
    element_of,
    embedded_ids,
    MAX_CHOICES,
    join,
)

MAX_DEPTH = 5  # the last level only for calls that pass a mask with structure (Model -> Encoder -> Layer -> MHA
# -> attention); a constant mask (all ones) is not worth the deepest, least resolved calls
MAX_INLINES = 3000  # per analysed module: beyond this, calls use unknown results
MAX_STMTS = 200_000  # per analysed module: a guard against pathological inputs
# qualified names that are never the project's own (not looked up in the project index)
LIBRARIES = frozenset({"torch", "tensorflow", "tf", "keras", "numpy", "math", "transformers", "paddle"})


def _held(v: AV) -> Tuple[AV, ...]:
    """The values a dict, a tuple or an instance of a user class (a batch object) holds, one level."""
    return tuple(v.attrs.values()) if isinstance(v, ObjV) else items_of(v)


def _library(q: str) -> bool:
    """Is ``q`` a name of one of ``LIBRARIES`` (``torch.nn.functional``, not ``torch_utils``)?"""
    return q.partition(".")[0] in LIBRARIES

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
        self.concrete = False  # run for a call with the caller's argument values (not on its own)
        self.decided: frozenset = frozenset()  # names known for this run (a scenario): tests of them decide branches
        self.none_tested: set = set()  # names this run tested against None (`if m is not None`, `exists(m)`)
        self.uncertain = 0  # depth of branches / loops / try blocks that may or may not run
        self.returned = False  # a call with known values returned on a path that surely runs
        self.sure = False  # running a branch a table's key decided (_table_key_test): it surely runs
        self.incoming: Dict[str, AV] = {}  # the parameters' values as the call passed them
        self.training: Optional[bool] = None  # the modules' mode on this path (the caller's, `if self.training:`)
        self.modes: Dict[str, bool] = {}  # the models this frame put in a mode (`model.eval()`)
        self.call = None  # the call a concrete run is for (in the caller's module)


class BoundMethod(AV):
    """``value.method`` before the call."""

    def __init__(self, recv: AV, name: str, recv_node):
        self.recv = recv
        self.name = name
        self.recv_node = recv_node


#: codes that name one bug seen two ways at one call: the padding mask held and not passed (ML504),
#: the attention over padded tokens with no padding mask (ML505); a call need not report the one
#: when the callee reports the other on its own
SAME_BUG = {"ML504": "ML505", "ML505": "ML504"}
#: findings about the slot an argument lands in, which the consuming call itself decides
SLOT_CODES = ("ML501",)


class Interpreter:
    def __init__(self, rules, project):
        self.rules = rules  # rule instances
        self.project = project
        self.stack: List[Frame] = []
        self.depth = 0
        self.inlines = 0
        self.scoring = False  # running a flex score_mod: what it returns are the scores flex normalises
        self.training_now: Optional[bool] = None  # the caller's mode, for the call being entered
        self.stmts = 0
        self.standalone_memo: Dict[int, List[Finding]] = {}
        self.reported: set = set()  # functions whose standalone findings were handed out
        self.in_progress: set = set()
        self.model_facts: Dict[int, ModelFacts] = {}
        self.clamped: set = set()  # ids of sums clamped back into range (no ML205 "sum")
        self.builder_memo: Dict[int, AV] = {}  # what a mask builder of a module returns on its own
        self.linked_params: set = set()  # ids of parameters linked to a builder by their names
        self.bound_params: set = set()  # ids of such parameters some call in the file passes a value
        self._dataclass_fields: Dict[int, Tuple[List[str], Dict[str, AV]]] = {}
        self.guessed: set = set()  # ids of parameters whose mask was guessed from their names
        self.confirmed: set = set()  # (code, node id) of findings a call with known values made too
        self.replayed: set = set()  # ids of modules / classes whose computed state this file read
        self.feeds: Dict[int, list] = {}  # id of a parameter -> what the file's calls pass it (feed())
        self.registering = False  # running decorations that fill a table (fill_tables)
        self.decorating = False  # running a decorator on a definition (a table it fills is a registry)
        self.entry_levels = 0  # calls followed beyond MAX_DEPTH from an entry script (run_module)
        self._reading_field = None  # the value of the assignment being bound (a field read? _field_read)

    # ================================================================== modules
    def run_module(self, module: ModuleInfo) -> List[Finding]:
        """Analyse a module: its top-level code, every function and every method."""
        findings: List[Finding] = []
        # an entry script (`main()` -> `generate(model, ...)` -> the model): its own functions are
        # one level more above the model's stack (Model -> Encoder -> Layer -> MHA -> attention)
        self.entry_levels = 1 if names.ENTRY_SCRIPT.search(module.source) or \
            module.path.endswith("__main__.py") else 0
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
        # models of other modules that this module's code built and called (a generation script)
        for facts in list(self.model_facts.values()):
            if facts.cls.module is not module and module in facts.callers:
                facts.report_in = module
                try:
                    for rule in self.rules:
                        findings.extend(f for f in rule.on_model(facts) or () if f.module is module)
                finally:
                    facts.report_in = facts.cls.module
        return self._drop_guesses(self._drop_linked_twins(findings))

    def feed(self, value, node=None) -> object:
        """What a call passes a parameter, for :meth:`_drop_guesses`: True for a mask the code
        built whose cells are known (or None carried in by a name: a path without a mask), the id
        of the parameter whose guess it passes on, else False (a literal ``None`` says nothing
        about the masks other calls pass)."""
        if isinstance(value, Const) and value.value is None:
            return not (isinstance(node, cst.Name) and node.value == "None")
        if not isinstance(value, Mask):
            return False
        if not value.assumed:  # what the code built, when it is known what it holds
            return value.region is not Region.UNKNOWN and value.dtype is not Dt.UNKNOWN
        return next((id(e.node) for e in value.evidence if id(e.node) in self.guessed), False)

    @staticmethod
    def _names_disagree(passed, p, fn) -> bool:
        """A mask guessed from the caller's parameter name, passed to a parameter whose own name
        suggests another polarity or kind: neither guess can be trusted over the other."""
        mine = sources.param_source(p.name.value, p, fn)
        if not (isinstance(passed, Mask) and isinstance(mine, Mask) and mine.assumed):
            return False
        return (passed.dtype, passed.true_set(), passed.neg_set()) != (mine.dtype, mine.true_set(), mine.neg_set())

    def _drop_guesses(self, findings: List[Finding]) -> List[Finding]:
        """A finding that rests on a parameter's mask guessed from its name, when every call in
        the file that passes that parameter passes a mask the code built (or passes on another
        such parameter): the calls say what it holds, and their own runs report what is wrong
        with it, where it is built."""
        resolved: Dict[int, bool] = {}

        def known(pid, seen=()) -> bool:
            if pid not in resolved:
                feeds = self.feeds.get(pid)
                resolved[pid] = bool(feeds) and pid not in seen and all(
                    f is True or (f is not False and known(f, seen + (pid,))) for f in feeds)
            return resolved[pid]

        def rests_on_known_guess(f) -> bool:
            return (f.code, id(f.node)) not in self.confirmed and any(known(pid) for pid in self._guesses(f))
        return [f for f in findings if not rests_on_known_guess(f)]

    def _guesses(self, f: Finding) -> List[int]:
        """The ids of the parameters, guessed from their names, that a finding's mask rests on."""
        if not isinstance(f.value, Mask):
            return []
        return [id(e.node) for e in f.value.evidence if id(e.node) in self.guessed]

    def _linked(self, f: Finding) -> bool:
        """Does the finding rest on a parameter linked to a builder by its name?"""
        return isinstance(f.value, Mask) and any(id(e.node) in self.linked_params for e in f.value.evidence)

    def _drop_linked_twins(self, findings: List[Finding]) -> List[Finding]:
        """A finding that rests on a name link, where a call in the file passes that parameter:
        the call says what it holds (its own finding, at the caller, says it with evidence)."""
        carried = {(g.code, id(node)) for g in findings for _, node, _ in g.via}

        def twin(f):
            if not self._linked(f):
                return False
            passed = any(id(e.node) in self.linked_params and id(e.node) in self.bound_params
                         for e in f.value.evidence)
            return passed or (f.code, id(f.node)) in carried
        return [f for f in findings if not twin(f)]

    def module_frame(self, module: ModuleInfo) -> Frame:
        if module.env is not None:
            self.state_read(module, module.env_uses)
            return module.env
        frame = Frame(module, None, {})
        module.env = frame  # set first: a cycle sees a partial env
        self.stack.append(frame)
        try:
            with self.project.recording() as used:
                self.exec_block(module.tree.body, frame)
        finally:
            self.stack.pop()
        module.env_uses = used
        self.replayed.add(id(module))
        return frame

    def state_read(self, owner, uses) -> None:
        """State computed once per process (a module's globals, a class's instance; ``uses``:
        what computing it used) is read, maybe computed while an earlier file ran: this file
        depends on what it used too (replayed once per file)."""
        if id(owner) not in self.replayed:
            self.replayed.add(id(owner))
            self.project.replay(uses)

    def facts_for(self, cls: ClassInfo) -> ModelFacts:
        facts = self.model_facts.get(id(cls))
        if facts is None:
            facts = ModelFacts(cls)
            self.model_facts[id(cls)] = facts
        return facts

    # ================================================================== functions
    def standalone(self, fn: FunctionInfo) -> List[Finding]:
        """Analyse a function on its own (parameters unknown).  Memoised: a function first
        reached through a call (a script that builds and calls a model) is analysed on its own
        then, and its findings are still reported once, when its module asks for them."""
        key = id(fn.node)
        if key in self.in_progress:
            return []
        if key not in self.standalone_memo:
            # the instance __init__ builds with its defaults, built first (it runs __init__)
            owner = fn.cls if fn.cls is not None else self._aliasing_class(fn)
            self_obj = self.template(owner) if owner is not None and not fn.is_static else None
            if self_obj is not None and fn.name == "__init__":
                # __init__ on its own (parameters guessed from their names) must not rewrite the
                # instance its defaults built, which the other methods read
                self_obj = ObjV(self_obj.cls, dict(self_obj.attrs))
            self.in_progress.add(key)
            try:
                env = self.bind_params(fn, [], {}, self_obj, standalone=True)
                frame = self.run_function(fn, env, self_obj)
                for name, stmt in usage.dropped_masks(fn):
                    self.value_event("mask_dropped", stmt, Const(name), stmt, frame)
                findings = frame.findings + self.absent_scenario(fn, env, self_obj, frame.findings, frame.none_tested)
            finally:
                self.in_progress.discard(key)
            self.standalone_memo[key] = findings
            if fn.cls is not None:
                self.facts_for(fn.cls).add_sinks(fn, frame.sinks)
        if key in self.reported:
            return []
        self.reported.add(key)
        return self.standalone_memo[key]

    @staticmethod
    def _aliasing_class(fn: FunctionInfo) -> Optional[ClassInfo]:
        """The class of ``fn``'s module whose body binds it as a method (``forward = fast_forward``),
        when ``fn`` is a module-level function taking ``self``: it runs on that class's instances."""
        params = fn.params()
        if fn.cls is not None or fn.closure is not None or not params or params[0].name.value != "self":
            return None
        return next((cls for cls in fn.module.classes.values()
                     if any(isinstance(v, cst.Name) and v.value == fn.name for v in cls.class_attrs.values())), None)

    def named_builder(self, param, fn: FunctionInfo) -> Optional[Mask]:
        """A mask parameter of a function analysed on its own, named after a builder of the same
        file (``look_ahead_mask`` and ``def create_look_ahead_mask(size)``, as in the TensorFlow
        tutorial, whose layers and mask helpers no call in the file connects): what the builder
        returns."""
        name = param.name.value
        if not names.is_mask_param(name) or name in names.GENERIC_MASK_NAMES:
            return None
        for prefix in names.BUILDER_PREFIXES:
            builder = fn.module.functions.get(prefix + name)
            if builder is None or builder is fn:
                continue
            key = id(builder.node)
            if key not in self.builder_memo:
                if key in self.in_progress:
                    return None
                self.builder_memo[key] = UNKNOWN
                self.in_progress.add(key)
                try:
                    env = self.bind_params(builder, [], {}, None, standalone=True)
                    ret = self.run_function(builder, env, None).ret
                finally:
                    self.in_progress.discard(key)
                self.builder_memo[key] = ret if isinstance(ret, Mask) and not ret.assumed and not ret.maybe_none \
                    else UNKNOWN
            built = self.builder_memo[key]
            if isinstance(built, Mask):
                self.linked_params.add(id(param))
                return built.step(param, fn.module, f"parameter `{name}`: what `{builder.name}()` of this file "
                                                    f"returns (by its name)")
        return None

    def batch_entry(self, key: str, module: ModuleInfo) -> Optional[AV]:
        """``batch["slot_used"]`` of a batch handed in (no call links the loader): what the collate
        function or Dataset ``__getitem__`` of this module, or of a project module it imports from,
        returns under that key, run on its own; a Dataset's item stacked by the DataLoader's default
        collate.  None when no producer, or more than one, holds a mask there."""
        producers = [fn for m in self._producer_modules(module) for fn in m.dict_producers().get(key, ())]
        found = []
        for fn in producers:
            memo = (id(fn.node), key)
            if memo not in self.builder_memo:
                self.builder_memo[memo] = UNKNOWN
                if id(fn.node) in self.in_progress:
                    continue
                self.in_progress.add(id(fn.node))
                try:
                    obj = self.template(fn.cls) if fn.cls is not None else None
                    ret = self.run_function(fn, self.bind_params(fn, [], {}, obj, standalone=True), obj).ret
                finally:
                    self.in_progress.discard(id(fn.node))
                v = ret.items.get(key) if isinstance(ret, DictV) else None
                if isinstance(v, Mask) and not v.assumed and (v.dtype is Dt.BOOL or algebra.zero_one(v) or v.is_additive()):
                    self.builder_memo[memo] = operators.stacked(v, fn.node) if fn.cls is not None else v
            found.append(self.builder_memo[memo])
        # one producer, or several agreeing: what another one holds there may be anything
        return found[0] if len(found) == 1 and isinstance(found[0], Mask) else None

    def item_of(self, obj: ObjV, key: AV) -> AV:
        """``dataset[0]`` of an instance of a project class: what its ``__getitem__`` returns."""
        fn = self.find_method(obj.cls, "__getitem__")
        return self.method_value(fn, obj, [key]) if fn is not None else UNKNOWN

    def _producer_modules(self, module: ModuleInfo) -> List[ModuleInfo]:
        out = [module]
        if self.project is not None:
            for q in module.imports.values():
                modname = q if self.project.path_of(q) is not None else q.rpartition(".")[0]
                if modname and not _library(modname) and self.project.path_of(modname) is not None:
                    m = self.project.module(modname)
                    if m is not None and m not in out:
                        out.append(m)
        return out

    def absent_scenario(self, fn: FunctionInfo, env, self_obj, found, tested) -> List[Finding]:
        """The function once more as the calls that leave its optional masks out run it
        (``mask=None``: ``if mask is not None`` and ``exists(mask)`` decided), for what only
        that path does wrong (a causal mask used as it stands only when no padding mask is
        given).  Its other parameters stay as guessed."""
        absent = usage.absent_masks(fn, tested)
        if not absent:
            return []
        scenario = dict(env, **{name: Const(None) for name in absent})
        frame = self.run_function(fn, scenario, self_obj, decided=absent)
        seen = {(f.code, id(f.node)) for f in found}
        params = [p for p in fn.params() + fn.kwonly() if p.name.value in absent]
        said = ", ".join(f"`{p.name.value}`" for p in params)
        step = (fn.module, params[0], f"on the path where {said} is not given (None)")
        # what the path does to a mask it builds (polarity, dtype, shape, a hidden diagonal); not
        # what it leaves out: whether the calls without a mask have padding is the callers' matter
        return [replace(f, steps=f.steps + (step,)) for f in frame.findings
                if (f.code, id(f.node)) not in seen and isinstance(f.value, Mask)
                and (f.code.startswith(("ML1", "ML2", "ML3")) or f.code == "ML404")]

    def template(self, cls: ClassInfo) -> ObjV:
        """The instance a class's ``__init__`` builds (parameters at their defaults)."""
        if cls.template is not None:
            self.state_read(cls, cls.template_uses)
            return cls.template
        obj = ObjV(cls)
        cls.template = obj
        with self.project.recording() as used:
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
        cls.template_uses = used
        self.replayed.add(id(cls))
        return obj

    def config_for(self, annotation, module) -> Optional[ObjV]:
        """``cfg: GPTConfig`` where GPTConfig is a dataclass of the project: an instance holding its
        declared defaults (``causal: bool = True``), so ``self.cfg.causal`` is known."""
        cls = self.resolve_static(annotation.annotation, module)
        if isinstance(cls, Qual):
            api = C.api_for(cls.name)
            if api is not None and api.kind == "module":
                return Instance(api)  # `attn: nn.MultiheadAttention`: an instance of the API, settings unknown
            return None
        if not isinstance(cls, ClassV):
            return None
        if not cls.cls.is_dataclass:
            if self.find_method(cls.cls, "forward") is None:
                return None
            # `model: Seq2Seq`: the project's model as its constructor builds it with its defaults, and
            # with the settings this module builds it with (`Forecaster(n, mask_future=True)`)
            return self.built_here(cls.cls, module)
        return self.dataclass_instance(cls.cls, [])

    def built_here(self, cls: ClassInfo, module) -> ObjV:
        """An instance of ``cls`` as ``module`` builds it: its ``__init__`` run with the literal
        keyword arguments of the module's constructor calls (a keyword two calls disagree on is
        unknown), the rest at their defaults."""
        tmpl = self.template(cls)
        kw = usage.literal_keywords(module, cls.name)
        init = self.find_method(cls, "__init__")
        if not kw or init is None or id(init.node) in self.in_progress or self.depth >= MAX_DEPTH:
            return ObjV(cls, dict(tmpl.attrs))
        obj = ObjV(cls, dict(tmpl.attrs))
        values = {k: (Const(v) if v is not usage.DISAGREE else UNKNOWN) for k, v in kw.items()}
        self.in_progress.add(id(init.node))
        try:
            self.run_function(init, self.bind_params(init, [], values, obj, standalone=True, use_defaults=True), obj)
        finally:
            self.in_progress.discard(id(init.node))
        return obj

    def dataclass_instance(self, cls: ClassInfo, args) -> ObjV:
        """An instance of a project dataclass: its declared defaults, then the constructor's
        arguments by field order and by keyword (``Config(is_decoder=True)``)."""
        fields, defaults = self.dataclass_fields(cls)
        obj = ObjV(cls, dict(defaults))
        i = 0
        for value, _, keyword, star in args:
            if star:
                break
            if keyword is not None:
                obj.attrs[keyword] = value
            elif i < len(fields):
                obj.attrs[fields[i]] = value
                i += 1
        post = self.find_method(cls, "__post_init__")
        if post is not None and id(post.node) not in self.in_progress and self.depth < MAX_DEPTH:
            # `self.attn_mask = (self.ids == PAD)[:, None, None, :]`, once the fields are set
            self.in_progress.add(id(post.node))
            try:
                self.run_function(post, self.bind_params(post, [], {}, obj, standalone=True, use_defaults=True), obj)
            finally:
                self.in_progress.discard(id(post.node))
        return obj

    def dataclass_fields(self, cls: ClassInfo) -> Tuple[List[str], Dict[str, AV]]:
        """The fields of a project dataclass in constructor order (base dataclasses' first) and
        their declared defaults; read once per class."""
        known = self._dataclass_fields.get(id(cls))
        if known is not None:
            return known
        fields: List[str] = []
        defaults: Dict[str, AV] = {}
        for c in self.dataclass_chain(cls):
            for stmt in c.node.body.body:
                if not isinstance(stmt, cst.SimpleStatementLine):
                    continue
                for small in stmt.body:
                    if not (isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name)):
                        continue
                    if "ClassVar" in c.module.code_of(small.annotation.annotation):
                        continue  # not a field
                    name = small.target.value
                    init_false = isinstance(small.value, cst.Call) and any(
                        a.keyword is not None and a.keyword.value == "init" and c.module.code_of(a.value) == "False"
                        for a in small.value.args)
                    if name not in fields and not init_false:  # `field(init=False)`: set by __post_init__
                        fields.append(name)
                    if init_false:
                        continue
                    if small.value is not None:
                        # `neg_inf: float = -1e9` in a dataclass: ML205 points at the field
                        defaults[name] = located(self.eval_default(small.value, None), c.module, small.value)
                    else:
                        guess = sources.field_source(name, small.target, c.module)  # `agent_valid: Tensor`
                        if guess is None and c.module.code_of(small.annotation.annotation).endswith("Tensor") \
                                and not names.ADJACENCY_NAME.match(name):  # (edges are read where used)
                            guess = Tensor(ref=TensorRef(name))  # `tgt_in: torch.Tensor`: a sequence of its own
                        if guess is not None:
                            defaults[name] = guess
        self._dataclass_fields[id(cls)] = (fields, defaults)
        return fields, defaults

    def dataclass_chain(self, cls: ClassInfo, seen=None) -> List[ClassInfo]:
        """``cls`` and the project dataclasses it derives from, bases first (their field order)."""
        seen = seen if seen is not None else set()
        if id(cls) in seen:
            return []
        seen.add(id(cls))
        out = []
        for b in self.user_bases(cls):
            if b.is_dataclass:
                out += self.dataclass_chain(b, seen)
        return out + [cls]

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
            if isinstance(v, Qual) and C.api_for(v.name) is not None:
                return C.api_for(v.name)
            if isinstance(v, ClassV):
                api = self.api_base(v.cls, seen)
                if api is not None:
                    return api
        return None

    def find_method(self, cls: ClassInfo, name: str, seen=None) -> Optional[FunctionInfo]:
        patched = cls.module.patched_method(cls.name, name)
        if patched is not None:
            return patched  # `Cls.forward = fused_forward`: what the instances run once patched
        if name in cls.methods:
            return cls.methods[name]
        alias = cls.class_attrs.get(name)
        if isinstance(alias, cst.Name) and alias.value in cls.module.functions:
            return cls.module.functions[alias.value]  # `forward = fast_forward` in the class body
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

    @staticmethod
    def imported(q: str) -> AV:
        """An imported name's value: the name, looked up only when it is used as a definition
        (:meth:`force`): a table of 150 imported classes parses none of their modules."""
        return Qual(q) if _library(q) else Ref(q)

    def imported_constant(self, q: str) -> Optional[Const]:
        """``from .constants import MASK_VALUE``: the constant a project module assigns at its top
        level (the module's top level run once), or None."""
        modname, _, attr = q.rpartition(".")
        if not modname or _library(q) or self.project.path_of(modname) is None:
            return None
        module = self.project.module(modname)
        if module is None:
            return None
        self.run_top_level(module)
        v = module.env.env.get(attr) if module.env is not None else None
        return v if isinstance(v, Const) else None

    def force(self, v: AV) -> AV:
        """``v``, with an imported name looked up (a project function or class, else the name)."""
        return self.qual_value(v.name) if type(v) is Ref else v

    def qual_value(self, q: str) -> AV:
        """A qualified name: a project function/class if the project defines it, else a Qual."""
        if not _library(q):
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
            if fn.cls is not None:
                env[params[0].name.value] = ClassV(fn.cls)  # `return cls(...)` builds one
            params = params[1:]
        def unpassed(p, guess: bool) -> AV:
            """A parameter the call does not pass: its default when it has one and defaults are
            asked for, else an instance of its dataclass annotation (declared defaults), else a
            guess from its name (on its own always; in a call only for a positional parameter)."""
            if p.default is not None and not (standalone and not use_defaults):
                return self.eval_default(p.default, fn)
            config = self.config_for(p.annotation, fn.module) if p.annotation is not None else None
            if config is not None:
                return config
            if p.annotation is None and fn.cls is None and names.MODEL_PARAM.search(p.name.value) and \
                    usage.calls_name(fn, p.name.value):
                main = fn.module.main_model()
                if main is not None and self.find_method(main, "forward") is not None:
                    # `def train_epoch(model, loader, ...)` next to the one model this file defines
                    return ObjV(main, dict(self.template(main).attrs))
            if standalone and not use_defaults:
                built = self.named_builder(p, fn)
                if built is not None:
                    return built
            if not (guess or (standalone and not use_defaults)):
                return UNKNOWN
            value = sources.param_source(p.name.value, p, fn)
            if isinstance(value, Mask) and value.assumed:
                self.guessed.add(id(p))
            return value

        for i, p in enumerate(params):
            name = p.name.value
            if i < len(pos):
                env[name] = pos[i]
            elif name in kw_args:
                env[name] = kw_args[name]
            else:
                env[name] = unpassed(p, True)
        for p in fn.kwonly():
            name = p.name.value
            env[name] = kw_args[name] if name in kw_args else unpassed(p, False)
        star = fn.node.params.star_arg
        if isinstance(star, cst.Param):
            env[star.name.value] = TupleV(tuple(pos[len(params):])) if len(pos) > len(params) else UNKNOWN
        if fn.node.params.star_kwarg is not None:
            # `**kwargs`: the keyword arguments no parameter takes (a call passing none: unknown)
            named = {p.name.value for p in params} | {p.name.value for p in fn.kwonly()}
            extra = {k: v for k, v in kw_args.items() if k not in named}
            env[fn.node.params.star_kwarg.name.value] = DictV(extra) if extra else UNKNOWN
        return env

    def class_constant(self, cls: ClassInfo, attr: str) -> AV:
        """A constant of a class body, remembering where it is written (ML205 points there)."""
        expr = cls.class_attrs[attr]
        return located(self.eval_default(expr, None), cls.module, expr)

    def property_value(self, fn: FunctionInfo, obj) -> AV:
        """What a ``@property`` of this instance returns (its body run with ``self``)."""
        return self.method_value(fn, obj, [], concrete=True)

    def method_value(self, fn: FunctionInfo, obj, args: list, concrete: bool = False) -> AV:
        """What a method of this instance returns for these positional arguments (its body run
        with ``self``, not again while it runs)."""
        if id(fn.node) in self.in_progress or self.depth >= MAX_DEPTH:
            return UNKNOWN
        self.in_progress.add(id(fn.node))
        try:
            frame = self.run_function(fn, self.bind_params(fn, args, {}, obj), obj, concrete=concrete)
        finally:
            self.in_progress.discard(id(fn.node))
        return frame.ret if frame.ret is not None else UNKNOWN

    def eval_default(self, expr, fn) -> AV:
        if isinstance(expr, cst.Name) and expr.value in _BUILTIN_CONSTS:
            return Const(_BUILTIN_CONSTS[expr.value])
        if isinstance(expr, (cst.Integer, cst.Float)):
            return _number(expr)
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus) and \
                isinstance(expr.expression, (cst.Integer, cst.Float)):
            v = _number(expr.expression)  # `mask_value: float = -1e9`
            return Const(-v.value) if isinstance(v, Const) else UNKNOWN
        if isinstance(expr, cst.SimpleString):  # attn_impl="math": a key into a table of functions
            try:
                return Const(expr.evaluated_value)
            except Exception:  # noqa: BLE001 - odd literals stay unknown
                return UNKNOWN
        if isinstance(expr, cst.Name) and fn is not None and expr.value in fn.module.classes:
            return ClassV(fn.module.classes[expr.value])  # `cfg=LocalConfig`: a config class as the default
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and fn is not None and \
                expr.func.value in fn.module.classes and fn.module.classes[expr.func.value].is_dataclass:
            # `cfg: StreamingConfig = StreamingConfig()`, `BlockConfig(causal=True)`: an instance holding
            # the declared defaults and the literal arguments
            args = [(self.eval_default(a.value, fn), a.value, a.keyword.value if a.keyword else None, bool(a.star))
                    for a in expr.args]
            if any(isinstance(a[0], Unknown) or a[3] for a in args):
                return UNKNOWN
            return self.dataclass_instance(fn.module.classes[expr.func.value], args)
        return UNKNOWN

    def run_function(self, fn: FunctionInfo, env, self_obj, concrete: bool = False, decided=frozenset(),
                     call=None) -> Frame:
        frame = Frame(fn.module, fn, env, self_obj)
        frame.call = call
        frame.concrete = concrete
        frame.training = self.training_now if concrete else None
        frame.decided = decided
        frame.incoming = dict(env)
        if fn.module.env is None and not fn.module.running:
            fn.module.running = True
            self.module_frame(fn.module)
        elif fn.module.env is not None:
            self.state_read(fn.module, fn.module.env_uses)
        self.stack.append(frame)
        self.depth += 1
        try:
            self.exec_block(fn.node.body.body, frame)  # an indented block, or `def f(): return x`
        except _Abort:
            pass
        finally:
            self.depth -= 1
            self.stack.pop()
        return frame

    def call_user(self, fn: FunctionInfo, call: cst.Call, args, frame: Frame, self_obj=None) -> AV:
        """Analyse ``fn`` with the call's argument values; re-anchor what it finds at the call."""
        written = usage.written_params(fn)
        for i, (value, node, keyword, _) in enumerate(args):
            if isinstance(value, Tensor) and value.bare and isinstance(node, (cst.Name, cst.Attribute)) and \
                    (keyword in written or keyword is None and i in written):
                # `mask_(dot, float("-inf"))`: the helper writes the scores it is handed in place
                writes.rewrite(self, node, replace(value, bare=False), frame)
        top = MAX_DEPTH + self.entry_levels
        limit = top + 1 if self.depth >= top - 1 and any(
            isinstance(a[0], Tensor) and a[0].origin for a in args) and self._leaf(fn) else top
        deepest = self.depth >= limit - 1 and not any(
            isinstance(a[0], Mask) and a[0].region not in (Region.ALL, Region.NONE) for a in args)
        if self.depth >= limit or deepest or self.inlines >= MAX_INLINES or id(fn.node) in self.in_progress:
            for p in fn.params() + fn.kwonly():  # not followed: what it passes settles no guess
                self.feeds.setdefault(id(p), []).append(False)
            return UNKNOWN  # too deep / too many inlines / recursion: unknown
        self.inlines += 1
        pos = []
        pos_nodes = []
        for value, node, keyword, star in args:
            if star:
                break  # after *args, positions are unknown: leave the rest unbound
            if keyword is None:
                pos.append(value)
                pos_nodes.append(node)
        if names.NONE_TEST_HELPER.match(fn.name) and len(call.args) == 1 and isinstance(call.args[0].value, cst.Name):
            frame.none_tested.add(call.args[0].value.value)  # `exists(mask)`
        kw = {a[2]: a[0] for a in args if a[2] is not None}
        env = self.bind_params(fn, pos, kw, self_obj)
        if any(star and keyword is None for _, _, keyword, star in args) and \
                any(a.star == "**" for a in call.args) and not self._holds_unread_mask(frame):
            # `block(x, **kwargs)` with a dict not known: any parameter not passed otherwise may be
            # in it (unless the caller built a mask it never passes: then it is not in there)
            plist = fn.call_params(self_obj is not None)
            plist = plist[1:] if fn.is_classmethod and self_obj is None else plist
            for p in plist[len(pos):] + fn.kwonly():
                if p.name.value not in kw:
                    env[p.name.value] = UNKNOWN
        kw_nodes = {a[2]: a[1] for a in args if a[2] is not None}
        for i, p in enumerate(fn.call_params(self_obj is not None)):
            if i < len(pos) or p.name.value in kw:  # a parameter this call passes
                node = pos_nodes[i] if i < len(pos) else kw_nodes.get(p.name.value)
                fed = self.feed(env.get(p.name.value), node)
                if fed not in (True, False) and self._names_disagree(env.get(p.name.value), p, fn):
                    fed = True  # `attention_mask` (1 = keep) passed as `padding_mask`: the callee's name guess is contested
                self.feeds.setdefault(id(p), []).append(fed)
                if self.linked_params:
                    self.bound_params.add(id(p))
        if any(isinstance(v, NoneFlag) for v in env.values()):
            scenarios.run_flag_scenarios(self, fn, call, env, frame, self_obj)
        self.in_progress.add(id(fn.node))
        outer_mode, self.training_now = self.training_now, branches.call_mode(frame, call)
        try:
            sub = self.run_function(fn, env, self_obj, concrete=True, call=call)
        finally:
            self.in_progress.discard(id(fn.node))
            self.training_now = outer_mode
        star = fn.node.params.star_kwarg
        handed = env.get(star.name.value) if isinstance(star, cst.Param) else None
        if isinstance(handed, DictV):
            for key, node in usage.kwargs_dropped(fn):
                if isinstance(handed.items.get(key), Mask):
                    self.value_event("kwargs_mask_dropped", node, Const(key), node, sub)
        known = self.standalone_keys(fn)  # (a finding on a name link is not: this call may carry the real mask)
        for f in sub.findings:
            if (f.code, id(f.node)) in known or (SAME_BUG.get(f.code), id(f.node)) in known:
                if not self._guesses(f):
                    self.confirmed.add((f.code, id(f.node)))  # the caller's own values show it too
                continue
            frame.findings.append(self.reanchor(f, call, args, frame, fn, self_obj))
        if sub.sinks and frame.fn is not None:
            dropped = usage.branch_dropped(frame.fn).get(id(call))
            if dropped is not None:  # `checkpoint(blk, x)` here, `blk(x, frame_mask)` on the other branch
                first = sub.sinks[0]
                sink = (first.sink_module or first.module, first.sink_node or first.node)
                self.value_event("branch_drops_mask", call, Const(dropped + sink), None, frame)
        for s in sub.sinks:
            frame.sinks.append(s.via_call(call, frame.module))
        if isinstance(self_obj, ObjV) and fn.cls is not None:
            # what this model's methods did when called from anywhere (a training script, another model)
            facts = self.facts_for(self_obj.cls)
            facts.add_sinks(fn, [s.via_call(call, frame.module) for s in sub.sinks])
            if frame.module is not self_obj.cls.module and frame.module not in facts.callers:
                facts.callers.append(frame.module)
        ret = sub.ret if sub.ret is not None else Const(None)
        if isinstance(ret, Tensor) and ret.padded_ids and any(
                isinstance(n, (cst.List, cst.Tuple)) and len(n.elements) == 1 for n in pos_nodes):
            ret = replace(ret, padded_ids=False, one_sample=True)  # `batchify([s])`: a batch of one has no padding
        return ret

    @staticmethod
    def _leaf(fn: FunctionInfo) -> bool:
        """A module-level helper that calls nothing of the project (``apply_rotary(x, sin, cos)``,
        ``rotate_half(x)``): followed one call deeper than the others when it is handed a tensor whose
        input is known, since it cannot lead further (what q and k are computed from decides whether
        ``q @ k^T`` is self-attention)."""
        if fn.cls is not None or fn.closure is not None:
            return False
        if fn.called is None:
            fn.called = usage.called_names(fn.node.body)
        module = fn.module
        return not any(n in module.functions or n in module.classes or
                       (n in module.imports and not _library(module.imports[n])) for n in fn.called)

    @staticmethod
    def _holds_unread_mask(frame: Frame) -> bool:
        """Does the calling function hold a mask it built or was given and never reads?"""
        if frame.fn is None:
            return False
        held = [frame.env.get(name) for name in usage.unread(frame.fn)]
        return any(isinstance(m, Mask) and (not m.assumed or len(m.evidence) > 1) for m in held)  # built, not a name

    def standalone_keys(self, fn: FunctionInfo) -> set:
        """What ``fn`` reports on its own: a call need not report it again."""
        key = id(fn.node)
        if key not in self.standalone_memo and key not in self.in_progress:
            # analyse it on its own first, without reporting (its module reports it)
            saved = self.stack, self.depth
            self.stack, self.depth = [], 0
            try:
                self.standalone(fn)
                self.reported.discard(key)
            finally:
                self.stack, self.depth = saved
        return {(f.code, id(f.node)) for f in self.standalone_memo.get(key, ()) if not self._linked(f)}

    def reanchor(self, f: Finding, call: cst.Call, args, frame: Frame, fn=None, self_obj=None) -> Finding:
        """Where a finding of a callee is reported in the caller: at the argument that carried the
        mask in (the longest evidence prefix), else at the call.  An argument the callee turned
        into the offending mask (an (N, S) mask it made 4-D, a keep mask it inverted) is data, not
        the bug: when the callee is in this file, the finding stays in the callee, where the
        offending step is written (so is a positional slot error: ML501)."""
        if f.written and f.module is frame.module:
            return f  # a constant of this file: reported where it is written, whoever's call made it half
        if f.code in SLOT_CODES and f.module is frame.module and self._slot_misnamed(f):
            return f  # `attn(x, x, x, self_attn_mask)`: the callee's positional call is the bug, whatever it is given
        node = call
        best = -1
        transformed = False
        carried = None
        if f.value is not None and isinstance(f.value, Mask):
            ev = f.value.evidence
            here = f.at_anchor()
            # the finding names the callee's parameter: the argument bound to it wins a tie
            bound = self._bound_arg(f.node, args, fn, self_obj) if fn is not None else None
            for value, arg_node, keyword, _ in args:
                if isinstance(value, Mask) and len(value.evidence) <= len(ev) and ev[: len(value.evidence)] == value.evidence:
                    if not carries_fact(f.code, value, here) and not self._contract(arg_node, args, fn, self_obj):
                        transformed = True
                        continue
                    if len(value.evidence) > best or (len(value.evidence) == best and arg_node is bound):
                        best, node, carried = len(value.evidence), arg_node, value
            if best < 0 and not transformed:  # a batch dict, tuple or object that carried it in
                inside = [v for value, _, _, _ in args for v in _held(value)
                          if isinstance(v, Mask) and ev[: len(v.evidence)] == v.evidence]
                # the call shows no mask: the callee's line that reads it out of the batch does
                transformed = bool(inside)
        if transformed and best < 0 and f.module is frame.module:
            return f
        return f.moved(node, frame.module, call, carried)

    @staticmethod
    def _slot_misnamed(f: Finding) -> bool:
        """A slot finding whose argument's name says another kind of mask than the slot it lands in
        (``self_attn_mask`` as key_padding_mask): the consuming call is wrong.  A name that fits
        the slot (``memory_mask`` as memory_mask) says the caller passed the wrong mask in."""
        if not f.slot or not isinstance(f.node, (cst.Name, cst.Attribute)):
            return True
        name = f.node.value if isinstance(f.node, cst.Name) else f.node.attr.value
        return bool(names.PAD_NAME.search(name)) != bool(names.PAD_NAME.search(f.slot))

    @staticmethod
    def _contract(arg_node, args, fn, self_obj) -> bool:
        """The callee documents what its parameter receiving ``arg_node`` holds: its conversion of
        it is its contract, so an argument of the other kind is the caller's fault."""
        if fn is None:
            return False
        params = [p.name.value for p in fn.call_params(self_obj is not None)]
        name = next((a[2] for a in args if a[1] is arg_node), None)
        if name is None:
            pos = [a[1] for a in args if a[2] is None and not a[3]]
            i = next((i for i, n in enumerate(pos) if n is arg_node), None)
            name = params[i] if i is not None and i < len(params) else None
        return name is not None and sources.documents_polarity(name, fn)

    @staticmethod
    def _bound_arg(node, args, fn, self_obj):
        """The argument node of a call that the callee's parameter ``node`` (a Name) receives."""
        if not isinstance(node, cst.Name):
            return None
        params = [p.name.value for p in fn.call_params(self_obj is not None)]
        kw = [a for a in args if a[2] == node.value]
        if kw:
            return kw[0][1]
        if node.value not in params:
            return None
        i = params.index(node.value)
        pos = [a for a in args if a[2] is None and not a[3]]
        return pos[i][1] if i < len(pos) else None

    # ================================================================== statements
    def exec_block(self, stmts, frame: Frame) -> None:
        for stmt in stmts:
            if frame.returned:
                return  # `if mask.dim() == 4: return mask` taken for sure: nothing after it runs
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
        elif isinstance(stmt, cst.BaseSmallStatement):  # a one-line body: `if m is not None: s = s + m`
            self.exec_small(stmt, frame)
        elif t is cst.FunctionDef:
            info = FunctionInfo(stmt, frame.module, None, closure=frame.env if frame.fn is not None else None)
            if frame.fn is None and stmt.name.value in frame.module.functions:
                info = frame.module.functions[stmt.name.value]
            frame.env[stmt.name.value] = FuncV(info)
            if frame.fn is None and stmt.decorators:
                self.register_decorated(stmt, FuncV(info), frame)
        elif t is cst.ClassDef:
            if frame.fn is None and stmt.name.value in frame.module.classes:
                frame.env[stmt.name.value] = ClassV(frame.module.classes[stmt.name.value])
                if stmt.decorators:
                    self.register_decorated(stmt, frame.env[stmt.name.value], frame)
        elif t is cst.If:
            test = self.eval(stmt.test, frame)
            keyed = not frame.concrete and isinstance(test, Const) and _table_key_test(stmt.test, frame)
            if (frame.concrete or decides(stmt.test, frame) or keyed) \
                    and isinstance(test, Const) and isinstance(test.value, (bool, type(None))):
                # a condition known for this call (a flag the caller passes): only that branch runs;
                # a function analysed on its own keeps both (a default is one configuration of many)
                sure, frame.sure = frame.sure, frame.sure or keyed  # (a return in it then ends the run)
                try:
                    if test.value:
                        self.exec_block(stmt.body.body, frame)
                    elif isinstance(stmt.orelse, cst.If):
                        self.exec_stmt(stmt.orelse, frame)
                    elif stmt.orelse is not None:
                        self.exec_block(stmt.orelse.body.body, frame)
                finally:
                    frame.sure = sure
                return
            frame.guards.append(stmt.test)
            try:
                self._exec_if(stmt, frame)
            finally:
                frame.guards.pop()
        elif t is cst.For or t is cst.While:
            if t is cst.For:
                self.bind(stmt.target, element_of(self.eval(stmt.iter, frame)), frame)
                writes.rows_written(self, stmt, frame)
            else:
                self.eval(stmt.test, frame)
            # the body runs zero or more times: what holds after is either
            start = branches.capture(frame)
            branches.run_alternatives(self, frame, start, [stmt.body.body], also=[start], loop_body=True)
            if stmt.orelse is not None:
                self.exec_block(stmt.orelse.body.body, frame)
        elif t is cst.With:
            guards = 0
            for item in stmt.items:
                v = self.eval(item.item, frame)
                if item.asname is not None:
                    self.bind(item.asname.name, UNKNOWN if not isinstance(v, (Mask, Tensor)) else v, frame)
                if names.BF16_AUTOCAST.search(frame.module.code_of(item.item)):
                    frame.guards.append(item.item)  # values inside are bfloat16: a dtype decision
                    guards += 1
            try:
                self.exec_block(stmt.body.body, frame)
            finally:
                del frame.guards[len(frame.guards) - guards:]
        elif t is cst.Try or t is getattr(cst, "TryStar", None):
            start = branches.capture(frame)
            self.exec_block(stmt.body.body, frame)
            if stmt.orelse is not None:
                self.exec_block(stmt.orelse.body.body, frame)
            # either the body ran to its end, or it stopped somewhere and a handler ran
            branches.run_alternatives(self, frame, start, [h.body.body for h in stmt.handlers],
                                      also=[branches.capture(frame)])
            if stmt.finalbody is not None:
                self.exec_block(stmt.finalbody.body.body, frame)
        elif hasattr(cst, "Match") and t is cst.Match:
            self.eval(stmt.subject, frame)
            branches.run_alternatives(self, frame, branches.capture(frame), [case.body.body for case in stmt.cases])
        # other compound statements are skipped conservatively

    def _exec_if(self, stmt, frame: Frame) -> None:
        decided = branches.dtype_test(self, stmt.test, frame) if names.DTYPE_WORDS.search(
            frame.module.code_of(stmt.test)) else None
        if decided is not None:  # `if mask.dtype == torch.bool:` on a mask the code built
            if decided:
                self.exec_block(stmt.body.body, frame)
            else:
                self._exec_else(stmt, frame)
            return
        sense = branches.training_test(stmt.test)
        if sense is not None and frame.training is not None:
            # `if self.training:` on a path known to run in one mode (the caller's branch,
            # `model.eval()`; train() and eval() set every module of a model alike): only that
            # branch runs, and surely
            if frame.training == sense:
                self.exec_block(stmt.body.body, frame)
            else:
                self._exec_else(stmt, frame)
            return
        frame.uncertain += 1
        try:
            self._exec_if_paths(stmt, frame, sense)
        finally:
            frame.uncertain -= 1

    def _exec_else(self, stmt, frame: Frame) -> None:
        """The ``elif`` / ``else`` part of an ``if`` statement, if it has one."""
        if isinstance(stmt.orelse, cst.If):
            self.exec_stmt(stmt.orelse, frame)
        elif stmt.orelse is not None:
            self.exec_block(stmt.orelse.body.body, frame)

    @staticmethod
    def _syntax_fact(check, stmt, frame: Frame):
        """``check(stmt, fn, module)``, a fact of the code alone: computed once per statement,
        however many runs of its function reach it."""
        cache = frame.module.__dict__.setdefault("_syntax_facts", {})  # per module: node ids stay valid
        key = (check, id(stmt))
        if key not in cache:
            cache[key] = check(stmt, frame.fn, frame.module)
        return cache[key]

    def _exec_if_paths(self, stmt, frame: Frame, sense: Optional[bool]) -> None:
        """Both paths of an ``if``; ``sense``: its test reads the modules' mode
        (``branches.training_test``)."""
        if sense is not None:
            # each branch runs in its mode, and so do the calls it makes (_exec_if decides the test
            # where the mode is known)
            frame.training = sense
            try:
                self._exec_if_branches(stmt, frame, not sense)
            finally:
                frame.training = None
            # `if self.training: return ...`: the code after it runs in the other mode only (not after
            # a `continue`: the loop's next turn, and the code after the loop, run in either)
            body_leaves = branches.leaves(stmt.body.body, loop_body=True)
            else_leaves = isinstance(stmt.orelse, cst.Else) and branches.leaves(stmt.orelse.body.body, loop_body=True)
            if body_leaves != else_leaves:
                frame.training = not sense if body_leaves else sense
            return
        self._exec_if_branches(stmt, frame, None)

    def _exec_if_branches(self, stmt, frame: Frame, else_mode: Optional[bool]) -> None:
        start = branches.capture(frame)
        none_name, none_in_body = branches.none_test(stmt.test)
        without = None  # the path around the body with the tested mask None
        if none_name is None and stmt.orelse is None:
            # `if mask is not None and self.causal:` without an else: the body runs with a mask; the
            # path around it may have none (or a mask and the flag off)
            tested = branches.conjunct_not_none(stmt.test)
            flag = self._syntax_fact(branches.causal_only_with, stmt, frame) if tested is not None else None
            if flag is not None:
                frame.fn.causal_only_with = True
                if not frame.concrete:
                    self.value_event("causal_only_with_mask", stmt.test, Const(flag), stmt.test, frame)
            if tested is not None:
                branches.narrow(frame, tested, True)
                without = branches.capture(frame)
                branches.restore(frame, start)
        if none_name is not None and not none_in_body and not frame.concrete:
            built = self._syntax_fact(branches.causal_built_only_with, stmt, frame)
            if built is not None:
                frame.fn.causal_only_with = True
                self.value_event("causal_built_only_with_mask", stmt.test, Const(built), stmt.test, frame)
        if none_name is not None and (none_in_body or stmt.orelse is not None):
            # `if mask is None:` runs with mask None; `if mask is not None: ... else: ...` runs its body
            # with a mask that is not None (without an else, the None path does nothing instead)
            branches.narrow(frame, none_name, none_in_body)
        self.exec_block(stmt.body.body, frame)
        body = branches.capture(frame)
        branches.restore(frame, start)
        if none_name is not None:
            branches.narrow(frame, none_name, not none_in_body)
        if else_mode is not None:
            frame.training = else_mode
        self._exec_else(stmt, frame)
        other = branches.capture(frame)
        body_leaves = branches.leaves(stmt.body.body)
        else_leaves = isinstance(stmt.orelse, cst.Else) and branches.leaves(stmt.orelse.body.body)
        paths = [s for s, gone in ((body, body_leaves), (other, else_leaves)) if not gone]
        if without is not None and not body_leaves:
            paths.insert(1, without)
        branches.merge(frame, paths or [other], none_test=none_name is not None or without is not None)
        if none_name is not None and none_name in start.env:
            branches.unnarrow(frame, none_name, start.env[none_name], [s for s in paths if s is not None])

    def exec_small(self, small, frame: Frame) -> None:
        t = type(small)
        if t is cst.Assign:
            v = self.eval(small.value, frame)
            if len(small.targets) == 1 and _qkv_parts(small.targets[0].target) and \
                    (isinstance(v, Unknown) or v == Tensor()) and _one_projection(small.value):
                # `q, k, v = self.qkv(x).reshape(B, N, 3, h, d).permute(2, 0, 3, 1, 4)` of an input we
                # cannot name: one projection of one input all the same (q @ k^T is self-attention)
                v = Tensor(source=frame.module.code_of(small.value))
            if isinstance(small.value, cst.Name) and frame.fn is not None and \
                    any(isinstance(tg.target, cst.Subscript) for tg in small.targets) and \
                    usage.counts_with(frame.fn, small.value.value):
                # `region[:, hs, ws, :] = cnt` with `cnt += 1` round a loop: a label per region, not a
                # mask value (Swin's shifted-window regions)
                for target in small.targets:
                    writes.relabel(self, target.target, frame)
                return
            self._reading_field = small.value  # read by bind only for a name that needs it (_field_read)
            try:
                for target in small.targets:
                    self.bind(target.target, v, frame)
            finally:
                self._reading_field = None
        elif t is cst.AnnAssign:
            if small.value is not None:
                self.bind(small.target, self.eval(small.value, frame), frame)
        elif t is cst.AugAssign:
            left = self.eval(small.target, frame)
            right = self.eval(small.value, frame)
            v = operators.binop(Ctx(self, frame, small), small.operator, left, right, small.target, small.value)
            self.bind(small.target, v, frame)
        elif t is cst.Expr:
            self.eval(small.value, frame)
            if usage.discarded_result(small.value) and isinstance(small.value.func.value, cst.Name) and not (
                    frame.fn is None and frame.module.path.endswith(".ipynb")):  # (a cell's last line is shown)
                recv = frame.env.get(small.value.func.value.value)
                if isinstance(recv, Mask) or isinstance(recv, Tensor) and recv.scores:
                    # `bias.masked_fill(pad, -inf)` on a line of its own: a new tensor, dropped
                    self.value_event("discarded_result", small.value, Const(frame.module.code_of(small.value.func)),
                                     None, frame)
            mode = branches.mode_set(small.value)
            if mode is not None:
                frame.modes[mode[0]] = mode[1]  # `model.eval()`: every module of that model, from here on
        elif t is cst.Return:
            if small.value is not None:
                v = self.eval(small.value, frame)
                sinks.returned_batch(Ctx(self, frame, small), v)
            else:
                v = Const(None)
            if frame.ret is None:
                frame.ret = v
            else:
                merged = join(frame.ret, v)
                if isinstance(merged, Mask) and any(isinstance(x, Const) and x.value is None for x in (frame.ret, v)):
                    # `if attention_mask is None: return None` before the mask is built: None on one path
                    merged = replace(merged, maybe_none=True)
                frame.ret = merged
            if (frame.concrete or frame.sure) and not frame.uncertain:
                frame.returned = True
        elif t in (cst.Import, cst.ImportFrom):
            frame.module.add_import(small, frame.local_imports)
            if frame.fn is not None:
                self.run_imported_module(small, frame)
        elif t is cst.Assert:
            self.eval(small.test, frame)
        elif t is cst.Del:
            pass

    def bind(self, target, value: AV, frame: Frame) -> None:
        t = type(target)
        if frame.modes and t in (cst.Name, cst.Attribute):
            branches.forget_mode(frame, target)
        if t is cst.Name:
            if names.ADJACENCY_NAME.match(target.value) and (
                    isinstance(value, (Unknown, BoundMethod)) and _field_read(self._reading_field) or
                    isinstance(value, Mask) and value.region is Region.UNKNOWN and not value.assumed and
                    value.dtype in (Dt.BOOL, Dt.UNKNOWN) or
                    type(value) is Tensor and _field_read(self._reading_field)):
                # `adj = mol.adjacency.bool()`, `bonded = batch["bonds"].bool()`: a graph's edges read out
                # of a batch, by its name (not a tensor the code computed: a learned bias named `adj`)
                value = sources.adjacency_named(target.value, target, frame.module)
            if type(value) is Tensor and value.ref is None and value.source is None and not (
                    value.scores or value.probs or value.index_axis or value.lengths or value.embedded):
                # `tgt = torch.randint(...)`, `padded = pad_sequence(seqs)`: data named like an input
                value = replace(value, ref=TensorRef(target.value))
            frame.env[target.value] = value
        elif t in (cst.Tuple, cst.List):
            elems = [e.value for e in target.elements]
            if isinstance(value, TupleV) and len(value.items) == len(elems):
                for e, v in zip(elems, value.items):
                    self.bind(e, v, frame)
            elif isinstance(value, SplitV):
                for e in elems:
                    self.bind(e, Tensor(source=value.source, embedded=value.embedded), frame)
            elif isinstance(value, ShapeV):
                for i, e in enumerate(elems):
                    self.bind(e, Size(SizeRef(value.ref, i), e) if value.ref else UNKNOWN, frame)
            elif isinstance(value, Tensor) and value.origin is not None and not value.lengths \
                    and value != Tensor(ref=value.ref):  # (an opaque input is guessed from names below)
                # `q, k, v = qkv(x).view(b, t, 3, h, d).permute(2, 0, 3, 1, 4)`: parts of one projection
                for e in elems:
                    self.bind(e, Tensor(source=value.origin, embedded=value.embedded), frame)
            else:
                # ``src, tgt = batch``: parts of a value we know nothing about are guessed from
                # their names, as parameters are (token ids, lengths, attention_mask)
                opaque = isinstance(value, Unknown) or (isinstance(value, Tensor) and value == Tensor(ref=value.ref))
                for e in elems:
                    guess = sources.unpacked_source(e, frame.module) if opaque and isinstance(e, cst.Name) else UNKNOWN
                    self.bind(e, guess, frame)
        elif t is cst.Attribute:
            base = self.eval(target.value, frame)
            if isinstance(base, ObjV):
                base.attrs[target.attr.value] = value
        elif t is cst.Subscript:
            writes.write_cells(self, target, value, frame)
        elif t is cst.StarredElement:
            self.bind(target.value, UNKNOWN, frame)

    # ================================================================== expressions
    def register_decorated(self, stmt, value: AV, frame: Frame) -> None:
        """A module-level function or class under a decorator of the project (``@register_mask("causal")``,
        ``@register_attention("sdpa")``, ``@ATTENTION.register()``): run the decorator on it, so that the
        table it fills (``MASKS[name] = fn``) holds it.  The name stays bound to the definition itself;
        what the run reports is dropped.  A decorator this module defines runs now; one it imports, or a
        method of one of its objects (a registry), runs when a table is first read with a key it does not
        hold (:meth:`fill_tables`): a module with a hundred registered models runs none of them unless
        some table is looked up."""
        for dec in reversed(stmt.decorators):
            expr = dec.decorator
            head = expr.func if isinstance(expr, cst.Call) else expr
            root = head
            while isinstance(root, cst.Attribute):
                root = root.value
            if not isinstance(root, cst.Name):
                continue
            if isinstance(head, cst.Name) and head.value in frame.module.functions:
                self.decorate(expr, value, stmt.name, frame)
            elif ((root.value in frame.module.imports and not _library(frame.module.imports[root.value])) or
                  isinstance(frame.env.get(root.value), ObjV)) and (
                    names.REGISTERED_ATTENTION.search(stmt.name.value) or
                    names.REGISTERED_ATTENTION.search(frame.module.code_of(expr))):
                # not a library's (torch.no_grad): maybe a project's registry of attention implementations
                module = frame.module
                if not module.decorations and self.project is not None:
                    self.project.decorated.append(module)
                module.decorations.append((expr, value, stmt.name, frame))

    def decorate(self, expr, value: AV, name: cst.Name, frame: Frame) -> None:
        """Run the decorator ``expr`` (evaluated in the module's ``frame``) on ``value``."""
        saved = len(frame.findings)
        decorating, self.decorating = self.decorating, True
        try:
            deco = self.force(self.eval(expr, frame))
            if isinstance(deco, FuncV):
                call = cst.Call(func=expr, args=[cst.Arg(name)])
                self.call_user(deco.fn, call, [(value, name, None, False)], frame, deco.bound)
        finally:
            self.decorating = decorating
            del frame.findings[saved:]

    def fill_tables(self, table: DictV) -> bool:
        """Run the decorations left to run (:meth:`register_decorated`) whose decorator can write into
        ``table``: it is about to be read with a key it does not hold.  Whether any ran."""
        pending = self.project.decorated if self.project is not None else None
        if not pending:
            return False
        holds: Dict[int, bool] = {}  # id of an owner (globals, an object's attributes) -> does it hold the table

        def writes_table(d) -> bool:
            owner = self._owner(d[0], d[3])
            if owner is None:
                return False
            if id(owner) not in holds:
                values = owner.values() if isinstance(owner, dict) else (
                    owner.env.env.values() if owner.env is not None else ())
                holds[id(owner)] = any(v is table for v in values)
            return holds[id(owner)]
        todo = {module: [d for d in module.decorations if writes_table(d)] for module in pending}
        todo = {module: found for module, found in todo.items() if found}
        for module, found in todo.items():
            module.decorations = [d for d in module.decorations if d not in found]
            if not module.decorations:
                pending.remove(module)
        if not todo or sum(len(found) for found in todo.values()) > MAX_CHOICES:
            return False  # a plugin registry of many models (timm's register_model): not a choice of kernels
        depth, self.depth = self.depth, 0  # a registration is not a call of the code being followed
        registering, self.registering = self.registering, True
        try:
            for module, found in todo.items():
                self.state_read(module, module.env_uses)
                for expr, value, name, frame in found:
                    self.decorate(expr, value, name, frame)
        finally:
            self.depth = depth
            self.registering = registering
        return True

    def _owner(self, expr, frame: Frame):
        """Where a decorator ``expr`` can write a table: the module that defines it (its globals), or
        the attributes of the object whose method it is (``@ATTENTION.register()``); None for a
        library's.  Looked up once per decorator expression."""
        owners = self.project.decorator_owners
        if id(expr) not in owners:
            head = expr.func if isinstance(expr, cst.Call) else expr
            deco = self.force(self.eval(head, frame))
            if not isinstance(deco, FuncV):
                owners[id(expr)] = (expr, None)  # a library's decorator (dataclass): no table of ours
            elif isinstance(deco.bound, ObjV):
                owners[id(expr)] = (expr, deco.bound.attrs)
            else:
                owners[id(expr)] = (expr, deco.fn.module)
        return owners[id(expr)][1]

    def run_imported_module(self, node, frame: Frame) -> None:
        """``from . import backends`` inside a function (``# noqa: F401``: fills the registry): a
        project module imported for what importing it does (its name unused) is run, so that what its
        top level registers is there."""
        if self.project is None:
            return
        table: Dict[str, str] = {}
        frame.module.add_import(node, table)
        for local, q in table.items():
            if _used_name(frame.module, local):
                continue  # a module the code uses, not one imported for what importing it does
            if self.project.path_of(q) is None:
                continue  # a function or class of a module, or not the project's
            module = self.project.module(q)
            if module is not None:
                self.run_top_level(module)

    def run_top_level(self, module: ModuleInfo) -> None:
        """Run a project module's top level, once (not again while it runs)."""
        if module.env is None and not module.running:
            module.running = True
            self.module_frame(module)

    def lookup(self, name: str, frame: Frame) -> AV:
        if name in frame.env:
            return frame.env[name]
        if name in frame.local_imports:
            return self.imported(frame.local_imports[name])
        mod = frame.module
        if mod.env is not None and mod.env is not frame and name in mod.env.env:
            self.state_read(mod, mod.env_uses)
            return mod.env.env[name]
        if name in mod.functions:
            return FuncV(mod.functions[name])
        if name in mod.classes:
            return ClassV(mod.classes[name])
        if name in mod.imports:
            if name.isupper():
                const = self.imported_constant(mod.imports[name])
                if const is not None:
                    return const
            return self.imported(mod.imports[name])
        if name in _BUILTIN_CONSTS:
            return Const(_BUILTIN_CONSTS[name])
        if name in calls.BUILTINS:
            return Qual("builtins." + name)
        return UNKNOWN

    def eval(self, node, frame: Frame) -> AV:
        t = type(node)
        if t is cst.Name:
            return self.lookup(node.value, frame)
        if t is cst.Call or t is cst.Attribute:
            v = self.eval_call(node, frame) if t is cst.Call else self.eval_attr(node, frame)
            if type(v) is Const and v.origin is None and isinstance(v.value, float):
                # torch.finfo(torch.float32).min, float("-inf"): remember where the constant is written
                v = replace(v, origin=(frame.module, node))
            return v
        if t is cst.Subscript:
            return operators.subscript(Ctx(self, frame, node), node)
        if t is cst.Integer or t is cst.Float:
            return located(_number(node), frame.module, node)
        if t is cst.SimpleString:
            value = frame.module.string_value(node)
            return UNKNOWN if value is None else Const(value)
        if t is cst.UnaryOperation:
            return operators.unary(Ctx(self, frame, node), node, self.eval(node.expression, frame))
        if t is cst.BinaryOperation:
            left = self.eval(node.left, frame)
            right = self.eval(node.right, frame)
            return operators.binop(Ctx(self, frame, node), node.operator, left, right, node.left, node.right)
        if t is cst.Comparison:
            return operators.compare(Ctx(self, frame, node), node)
        if t is cst.IfExp:
            test = self.eval(node.test, frame)
            if (frame.concrete or decides(node.test, frame)) and isinstance(test, Const) and isinstance(test.value, bool):
                return self.eval(node.body if test.value else node.orelse, frame)  # as for `if`
            frame.guards.append(node.test)
            try:
                return join(self.eval(node.body, frame), self.eval(node.orelse, frame))
            finally:
                frame.guards.pop()
        if t is cst.BooleanOperation:
            left = self.eval(node.left, frame)
            right = self.eval(node.right, frame)
            if isinstance(node.operator, cst.Or):
                if isinstance(left, Const) and isinstance(left.value, bool):
                    return left if left.value else right  # `True or x` is True
                return join(left, right)
            if isinstance(left, Const):
                return right if left.value else left  # `False and x` is False
            if isinstance(left, NoneFlag) or isinstance(right, NoneFlag):
                return left if isinstance(left, NoneFlag) else right  # `mask is None and q_len > 1`
            if isinstance(right, Const) and isinstance(right.value, bool):
                return UNKNOWN  # `flag and mask is not None`: the flag is not known
            return right if not isinstance(right, Unknown) else UNKNOWN
        if t in (cst.Tuple, cst.List, cst.Dict):
            return self.eval_display(node, frame)
        if t in (cst.ListComp, cst.GeneratorExp, cst.SetComp):
            return self.eval_comp(node, frame, node.elt)
        if t is cst.DictComp:
            return self.eval_comp(node, frame, node.value)
        if t is cst.Lambda:
            return LambdaV(node, frame)
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

    def eval_display(self, node, frame: Frame) -> AV:
        """A tuple, list or dict display: its elements' values."""
        if type(node) is not cst.Dict:
            items = []
            for e in node.elements:
                if isinstance(e, cst.StarredElement):
                    self.eval(e.value, frame)
                    return UNKNOWN
                items.append(self.eval(e.value, frame))
            return TupleV(tuple(items))
        entries = {}
        for e in node.elements:
            key = self.eval(e.key, frame) if isinstance(e, cst.DictElement) else None
            value = self.eval(e.value, frame)
            if isinstance(key, Const) and isinstance(key.value, str):
                entries[key.value] = value
        return DictV(entries) if entries or not node.elements else UNKNOWN  # `{}`: a cache to fill

    def eval_comp(self, node, frame, elt) -> AV:
        saved = dict(frame.env)
        f = node.for_in
        if isinstance(node, (cst.ListComp, cst.GeneratorExp)) and f.inner_for_in is None and not f.ifs and \
                isinstance(f.iter, (cst.Tuple, cst.List)) and 0 < len(f.iter.elements) <= 8 and \
                not any(isinstance(e, cst.StarredElement) for e in f.iter.elements):
            # `(t.view(...) for t in (q, k, v))`: one value per element, in order (q from the
            # queries' input, k and v from the memory's stay apart)
            out = []
            for e in f.iter.elements:
                self.bind(f.target, self.eval(e.value, frame), frame)
                out.append(self.eval(elt, frame))
            frame.env = saved
            return TupleV(tuple(out))
        while f is not None:
            it = self.eval(f.iter, frame)
            self.bind(f.target, element_of(it), frame)
            f = f.inner_for_in
        v = self.eval(elt, frame)
        frame.env = saved
        if isinstance(node, (cst.ListComp, cst.GeneratorExp)):
            if isinstance(v, (Instance, ObjV, ChoiceV, DictV, Mask, LinearV, EmbeddingV)) or \
                    isinstance(v, TupleV) and v.modules:
                return TupleV((v,))
            if isinstance(v, Tensor) and v.origin is not None:
                return SplitV(v.origin, v.embedded)
        return UNKNOWN

    def eval_attr(self, node: cst.Attribute, frame: Frame) -> AV:
        base = self.force(self.eval(node.value, frame))
        attr = node.attr.value
        if isinstance(base, Qual):
            return calls.qual_attr(Ctx(self, frame, node), base, attr)
        if isinstance(base, ObjV):
            if names.ADJACENCY_NAME.match(attr) and base.cls.is_dataclass and \
                    isinstance(base.attrs.get(attr, UNKNOWN), Unknown):
                return sources.adjacency_named(attr, node, frame.module)  # a field of a batch: a graph's edges
            if attr in base.attrs:
                return base.attrs[attr]
            if attr == "training" and frame.training is not None:
                return Const(frame.training)  # `is_causal=self.training` on a path known to run in one mode
            m = self.find_method(base.cls, attr)
            if m is None and (attr == "register_buffer" or attr in sinks.MODULE_RETURNS_SELF):
                return BoundMethod(base, attr, node.value)
            if m is not None:
                if any(decorator_name(d.decorator) in ("property", "cached_property") for d in m.node.decorators):
                    return self.property_value(m, base)
                return FuncV(m, base)
            for c in [base.cls] + self.user_bases(base.cls):
                if attr in c.class_attrs:  # `self.MASK_VALUE`: a constant of the class body
                    return self.class_constant(c, attr)
            api = self.api_base(base.cls)
            if api is not None:
                sub = api.submodule(attr)
                if sub is not None:  # `self.layers` inside a subclass of nn.TransformerDecoder
                    layer_api = C.BY_KEY[sub[0]]
                    own = [c for c in base.cls.module.classes.values()
                           if "forward" in c.methods and self.api_base(c) is layer_api]
                    if own:
                        # the file subclasses the layer too (a cached decoding layer): the stack is
                        # built from it, and its forward is not the API's
                        layer = ObjV(own[0], dict(self.template(own[0]).attrs)) if len(own) == 1 else UNKNOWN
                        return ModuleListV(layer) if sub[1] else layer
                    inst = Instance(layer_api, None, None)
                    return ModuleListV(inst) if sub[1] else inst
                return BoundMethod(Instance(api), attr, node.value)
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
                    return BoundMethod(inst or Instance(api), "forward", node.value)
                if attr == "__init__":
                    return BoundMethod(base, "__init__", node.value)
            return UNKNOWN
        if isinstance(base, ClassV):
            m = self.find_method(base.cls, attr)
            if m is not None:
                # `SDPABatch.from_rows(...)`: an inherited classmethod's cls is the class it is called on
                return FuncV(m, base) if m.is_classmethod else FuncV(m)
            if attr in base.cls.class_attrs:  # `cfg=LocalConfig` read as `cfg.causal`: a class constant
                return self.class_constant(base.cls, attr)
            api = self.api_base(base.cls)
            if api is not None:
                return calls.qual_attr(Ctx(self, frame, node), Qual(api.qualnames[0]), attr)
            return UNKNOWN
        if isinstance(base, (ModuleListV, TupleV)) and attr in ("append", "extend", "insert"):
            return BoundMethod(base, attr, node.value)
        if isinstance(base, DictV) and attr in ("get", "pop"):
            return BoundMethod(base, attr, node.value)
        if (isinstance(base, Unknown) or type(base) is Tensor and not (base.scores or base.probs)) and \
                names.ADJACENCY_NAME.match(attr):
            return sources.adjacency_named(attr, node, frame.module)  # `graph.adj`: a graph's edges, by its name
        if isinstance(base, (Mask, Tensor, Unknown, Instance, Size, Const)):
            if attr == "shape" and isinstance(base, Tensor):
                return ShapeV(base.ref)
            if attr in ("T", "mT") and isinstance(base, (Mask, Tensor)):
                return calls.method(Ctx(self, frame, node), base, "t" if attr == "T" else "mT", [], node.value)
            if attr == "dtype" and isinstance(base, Mask):
                # its kind (bool, int, float), not its precision: `torch.finfo(bias.dtype)` follows
                # the tensor into float16
                return DType(base.dtype, "")
            if attr == "dtype" and type(base) is Tensor and (base.embedded or base.scores or base.probs):
                return DType(Dt.FLOAT, "")  # activations: floating point, of whatever precision
            if attr == "ndim" and isinstance(base, Mask):
                return calls.method(Ctx(self, frame, node), base, "dim", [], node.value)
            if isinstance(base, Instance):
                sub = base.api.submodule(attr)
                if sub is not None:  # nn.Transformer(...).encoder, TransformerEncoder.layers, .self_attn
                    inst = Instance(C.BY_KEY[sub[0]], base.batch_first, base.node)
                    return ModuleListV(inst) if sub[1] else inst
            return BoundMethod(base, attr, node.value)
        return UNKNOWN

    def eval_args(self, call: cst.Call, frame: Frame):
        out = []
        for a in call.args:
            v = self.eval(a.value, frame)
            if a.star == "**" and isinstance(v, DictV) and all(isinstance(k, str) for k in v.items):
                # `layer(x, **extra)` with a known dict: its entries are keyword arguments
                out.extend((item, a.value, k, False) for k, item in v.items.items())
                continue
            if a.star == "*" and isinstance(v, TupleV):
                out.extend((item, a.value, None, False) for item in v.items)
                continue
            kw = a.keyword.value if a.keyword is not None else None
            out.append((v, a.value, kw, bool(a.star)))
        return out

    def eval_call(self, node: cst.Call, frame: Frame) -> AV:
        if isinstance(node.func, cst.Name) and node.func.value == "super" and frame.fn is not None \
                and frame.fn.cls is not None and frame.self_obj is not None:
            return SuperV(frame.self_obj, frame.fn.cls)
        clamped = _clamped_sum(node)
        if clamped is not None:
            self.clamped.add(id(clamped))  # `(a + b).clamp(min=finfo.min)`: the sum cannot overflow
        fv = self.eval(node.func, frame)
        args = self.eval_args(node, frame)
        try:
            return self.dispatch(fv, node, args, frame)
        except _Abort:
            raise
        except RecursionError:
            return UNKNOWN

    def dispatch(self, fv: AV, node: cst.Call, args, frame: Frame) -> AV:
        fv = self.force(fv)
        ctx = Ctx(self, frame, node)
        if isinstance(fv, DType) and fv.name.endswith("Tensor") and args:
            # `torch.BoolTensor(ids == 0)`: a legacy constructor, the mask in its dtype
            return calls.legacy_tensor(ctx, args, fv.dt)
        if isinstance(fv, Qual) and fv.name == "torch.utils.checkpoint.checkpoint" and args:
            # `checkpoint(block, x, mask, use_reentrant=False)`: runs `block(x, mask)`
            rest = [a for a in args[1:] if a[2] not in usage.CHECKPOINT_OPTIONS]
            return self.dispatch(args[0][0], node, rest, frame)
        if isinstance(fv, Qual):
            api = C.api_for(fv.name)
            if api is not None:
                if api.kind == "module":
                    return sinks.construct(ctx, api, args)
                if api.stack is C.Stack.MASK_BUILDER:
                    return sinks.flex_builder(ctx, args)
                return self.sink(api, None, node, args, frame)
            return calls.call_qual(ctx, fv.name, args)
        if isinstance(fv, BoundMethod) and isinstance(fv.recv, SuperV) and fv.name == "__init__":
            # super().__init__(d_model, nhead, batch_first=True) of a subclass of an attention module
            api = self.api_base(fv.recv.cls)
            if api is not None and isinstance(fv.recv.obj, ObjV):
                fv.recv.obj.attrs["__api_instance__"] = sinks.construct(ctx, api, args)
            return Const(None)
        if isinstance(fv, PartialV):
            return self.dispatch(fv.target, node, list(fv.args) + list(args), frame)
        if isinstance(fv, ChoiceV):  # one entry of a table of implementations: each of them may run
            results = [self.dispatch(option, node, args, frame) for option in fv.options]
            return functools.reduce(join, results)
        if isinstance(fv, BoundMethod):
            recv = fv.recv
            if isinstance(recv, Instance):
                if fv.name in sinks.MODULE_RETURNS_SELF:
                    return recv  # nn.MultiheadAttention(...).eval() / .to(device) / .half()
                return sinks.instance_method(ctx, recv, fv.name, args)
            if isinstance(recv, (ModuleListV, TupleV)) and fv.name in ("append", "extend", "insert"):
                writes.grow(self, fv, args, frame)
                return Const(None)
            if isinstance(recv, ObjV) and fv.name in sinks.MODULE_RETURNS_SELF:
                return recv  # model.to(device), model.eval(), ... return the module itself
            if isinstance(recv, DictV) and fv.name in ("get", "pop"):
                key, _ = kwarg(args, "key", 0)
                default, _ = kwarg(args, "default", 1)
                if not (isinstance(key, Const) and key.value in recv.items) and self.fill_tables(recv) and \
                        isinstance(node.func, cst.Attribute):
                    again = self.eval(node.func.value, frame)  # the table, as the registrations left it
                    recv = again if isinstance(again, DictV) else recv
                if isinstance(key, Const) and key.value in recv.items:
                    return recv.items[key.value]
                if default is None and (not isinstance(key, Const) or ANY_KEY in recv.items):
                    return operators.read_table(ctx, recv, key)  # `registry.get(name)`: one of its entries
                return default if default is not None else (Const(None) if isinstance(key, Const) else UNKNOWN)
            if isinstance(recv, ObjV) and fv.name == "register_buffer":
                name, _ = kwarg(args, "name", 0)
                value, _ = kwarg(args, "tensor", 1)
                if isinstance(name, Const) and isinstance(name.value, str) and value is not None:
                    recv.attrs[name.value] = value
                return Const(None)
            return calls.method(ctx, recv, fv.name, args, fv.recv_node)
        if isinstance(fv, Instance):
            return self.sink(fv.api, fv, node, args, frame)
        if isinstance(fv, LambdaV):
            return self.call_lambda(fv, args, frame)
        if isinstance(fv, FuncV):
            if fv.bound is not None and fv.fn.name == "register_buffer":
                return UNKNOWN
            return self.call_user(fv.fn, node, args, frame, fv.bound)
        if isinstance(fv, ObjV):
            # a Keras layer's __call__ runs its call()
            fwd = self.find_method(fv.cls, "forward") or self.find_method(fv.cls, "__call__") or \
                self.find_method(fv.cls, "call")
            if fwd is not None:
                return self.call_user(fwd, node, args, frame, fv)
            api = self.api_base(fv.cls)
            if api is not None:
                return self.sink(api, Instance(api), node, args, frame)
            return calls.passthrough(args)
        if isinstance(fv, ClassV):
            if fv.cls.is_typeddict:
                return calls.FUNCTIONS["builtins.dict"](None, args)
            api = self.api_base(fv.cls)
            if api is not None and api.kind == "module" and self.find_method(fv.cls, "forward") is None:
                inst = sinks.construct(ctx, api, args)
                return inst
            init = self.find_method(fv.cls, "__init__")
            if init is None and fv.cls.is_dataclass:
                return self.dataclass_instance(fv.cls, args)
            tmpl = self.template(fv.cls)
            if init is not None and args and self.depth < MAX_DEPTH and any(
                isinstance(a[0], (Const, Instance, ObjV)) for a in args
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
            if ref is None and isinstance(src, Tensor) and src.source:
                ref = TensorRef(src.source)  # `self.kind(events[..., 0])`: ids read out of `events`
            if isinstance(src, Tensor) and src.index_axis == "1d" and src.along is not None and src.along.dim == 1 \
                    and src.padded_ids != "left":
                # `self.pos(torch.arange(ids.size(1)))`: positions along dim 1 of the ids, (N, S) ids
                return Tensor(embedded=True, positions=node)
            return embedded_ids(src, ref, fv.padded)
        if isinstance(fv, LinearV):
            if fv.recurrent:  # `x, _ = self.rnn(emb)`: the output keeps the input's layout
                return TupleV((calls.passthrough(args), UNKNOWN))
            return calls.passthrough(args)
        if isinstance(fv, ModuleListV):
            # `self.blocks(x)` of an nn.Sequential of blocks: each block runs on what the one
            # before returns; one run of the block stands for them (as a loop over a ModuleList)
            if isinstance(fv.item, (ObjV, Instance, ChoiceV)):
                return self.dispatch(fv.item, node, args, frame)
            return UNKNOWN
        if isinstance(fv, Unknown) and isinstance(node.func, cst.Attribute):
            base = node.func.value
            if isinstance(base, cst.Name) and base.value == "self":
                return calls.passthrough(args)  # an unknown submodule: assume it keeps the layout
        return UNKNOWN

    def call_lambda(self, lam: "LambdaV", args, caller: Frame) -> AV:
        """``split = lambda t: t.view(...).transpose(1, 2)``: the body with the arguments bound,
        in the scope that defined it."""
        params = lam.node.params.params
        values = [a[0] for a in positional(args)]
        if self.depth >= MAX_DEPTH or len(values) != len(params) or any(a[3] or a[2] for a in args):
            return UNKNOWN
        outer = lam.frame
        env = dict(outer.env)
        env.update({p.name.value: v for p, v in zip(params, values)})
        frame = Frame(outer.module, outer.fn, env, outer.self_obj)
        self.depth += 1
        try:
            return self.eval(lam.node.body, frame)
        finally:
            self.depth -= 1
            caller.findings.extend(frame.findings)  # an attention call inside the lambda
            caller.sinks.extend(frame.sinks)

    # ================================================================== sinks
    def sink(self, api: C.Api, inst: Optional[Instance], node: cst.Call, args, frame: Frame, scores=None) -> AV:
        if api.score_mod[0]:
            sinks.flex_score_mod(Ctx(self, frame, node), api, args)
        event = SinkEvent.bind(api, inst, node, args, frame.module, self)
        event.frame = frame
        event.scores = scores
        for rule in self.rules:
            for f in rule.on_sink(event) or ():
                frame.findings.append(f)
        frame.sinks.append(SinkRecord.from_event(event, frame.fn))
        return sinks.result(api, event)

    def value_event(self, kind: str, node, const, const_node, frame: Frame, mask=None) -> None:
        """A constant written into a mask or into scores ("fill"), masks summed ("sum"), or an
        additive ``mask`` read as a 0/1 one ("one_minus_additive")."""
        if not isinstance(const, Const):
            return
        if kind == "fill" and const.is_neg_large() and any(
                names.DTYPE_TEST.search(frame.module.text_of(t)) for t in frame.guards):
            return  # inside a branch that picks the constant per dtype
        if kind == "fill" and isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            recv = frame.module.code_of(node.func.value)
            if recv.endswith((".float()", ".double()", "torch.float32)")):
                return  # explicitly upcast before filling
        # a caller up the stack (a script in another file) that runs float16; one that also names
        # bfloat16 (`ptdtype = {...}[dtype]`, autocast with a variable dtype) may run that instead
        half = (frame.module, frame.module.half_site) if frame.module.half_precision else next(
            ((f.module, f.module.half_site) for f in self.stack if f.module is not None and f.module is not frame.module
             and f.module.half_precision and "bfloat16" not in f.module.source), None)
        if half is None and kind == "fill" and const.is_neg_large() and frame.module.path:
            # no caller of it here runs float16, but a module of the project that imports it does
            user = self.project.half_user_of(frame.module.path)
            if user is not None:
                half = (user, user.half_site)
        ev = ValueEvent(kind, node, const, const_node, frame.module, mask, half)
        for rule in self.rules:
            for f in rule.on_value(ev) or ():
                frame.findings.append(f)

    @property
    def frame(self) -> Frame:
        return self.stack[-1]


_CLAMPS = frozenset({"clamp", "clamp_", "clamp_min", "clamp_min_", "clip", "maximum", "max"})


def _used_name(module: ModuleInfo, name: str) -> bool:
    """Does ``module`` read ``name`` anywhere but in import statements?  Once per module and name."""
    memo = module.__dict__.setdefault("_used_names", {})
    if name not in memo:
        memo[name] = names.read_outside_imports(module.source, name)
    return memo[name]


def _field_read(expr) -> bool:
    """``batch["bonds"]``, ``graph.adj``, maybe converted (``.bool()``, ``.float()``, ``.to(device)``):
    a value read out of a container, not one the code computed (None: not an assignment's value)."""
    if expr is None:
        return False
    while isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and \
            expr.func.attr.value in ("bool", "float", "long", "int", "to", "cuda", "byte"):
        expr = expr.func.value
    if isinstance(expr, cst.Subscript):
        return len(expr.slice) == 1 and isinstance(expr.slice[0].slice, cst.Index) and \
            isinstance(expr.slice[0].slice.value, cst.SimpleString) and isinstance(expr.value, (cst.Name, cst.Attribute))
    return isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value != "self"


def _one_projection(expr) -> bool:
    """``self.qkv(x).reshape(...).permute(...)`` / ``self.to_qkv(x).chunk(3, -1)``: views of one
    projection module applied to one input (not ``_in_projection_packed(q, k, v, w, b)``, nor
    ``map(self.split, (q, k, v))``)."""
    while True:
        if isinstance(expr, cst.Subscript):
            expr = expr.value
        elif isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and \
                isinstance(expr.func.value, (cst.Call, cst.Subscript)):
            expr = expr.func.value  # a method of what a call returned (`.view(...)`, `.permute(...)`)
        else:
            break
    if not (isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and
            isinstance(expr.func.value, cst.Name) and expr.func.value.value == "self"):
        return False
    return len(expr.args) == 1 and expr.args[0].keyword is None and expr.args[0].star == ""


def _qkv_parts(target) -> bool:
    """``q, k, v`` / ``query, key, value``: the parts of one projection unpacked by name."""
    return isinstance(target, (cst.Tuple, cst.List)) and len(target.elements) >= 2 and all(
        isinstance(e.value, cst.Name) and names.QKV_PART.match(e.value.value) for e in target.elements)


def _clamped_sum(call: cst.Call):
    """The sum ``call`` clamps from below: ``(a + b).clamp(min=m)``, ``torch.clamp(a + b, min=m)``,
    ``torch.maximum(a + b, m)``; None otherwise."""
    func = call.func
    if not isinstance(func, cst.Attribute) or func.attr.value not in _CLAMPS:
        return None
    target = func.value
    if isinstance(target, (cst.Name, cst.Attribute)) and call.args:
        target = call.args[0].value  # torch.clamp(x, ...), torch.maximum(x, y)
    if isinstance(target, cst.BinaryOperation) and isinstance(target.operator, cst.Add):
        return target
    return None


def _number(node) -> AV:
    text = node.value.replace("_", "")
    try:
        return Const(int(text, 0) if type(node) is cst.Integer else float(text))
    except ValueError:
        try:
            return Const(node.evaluated_value)
        except Exception:
            return UNKNOWN


class _Abort(Exception):
    pass


@functools.lru_cache(maxsize=None)
def _names_visitor():
    """The visitor class, defined on first use (defining it imports LibCST)."""
    class _Names(cst.CSTVisitor):
        def __init__(self):
            self.names = set()

        def visit_Name(self, node: cst.Name) -> None:
            self.names.add(node.value)
    return _Names


def _table_key_test(test, frame) -> bool:
    """``if self.backend == "mha":`` where the class (or function) also reads a module-level table
    with ``self.backend`` (``MASK_BUILDERS[self.backend]``): the key picks the entry and the branch
    together, so a known key decides the branch too, even in a run on its own (else one
    configuration's entry would meet the other configuration's call)."""
    if not isinstance(test, cst.Comparison) or frame.fn is None or frame.module.env is None:
        return False
    sides = [test.left] + [c.comparator for c in test.comparisons]
    if not any(isinstance(x, cst.SimpleString) for x in sides):
        return False
    tested = {x.value if isinstance(x, cst.Name) else x.attr.value for x in sides
              if isinstance(x, cst.Name) or isinstance(x, cst.Attribute)}
    return bool(tested & _table_keys(frame))


def _table_keys(frame) -> frozenset:
    """The names (a parameter, a ``self`` attribute) that the module uses as keys into its
    module-level dicts (read once per module)."""
    module = frame.module
    keys = module.__dict__.get("_table_keys")
    if keys is None:
        tables = {k for k, v in module.env.env.items() if isinstance(v, DictV) and f"{k}[" in module.source}
        keys = set()

        class Reads(cst.CSTVisitor):
            def visit_Subscript(self, node) -> None:
                if isinstance(node.value, cst.Name) and node.value.value in tables and len(node.slice) == 1 and \
                        isinstance(node.slice[0].slice, cst.Index):
                    k = node.slice[0].slice.value
                    if isinstance(k, cst.Name):
                        keys.add(k.value)
                    elif isinstance(k, cst.Attribute):
                        keys.add(k.attr.value)

        if tables:
            walk(module.tree, Reads())
        keys = module._table_keys = frozenset(keys)
    return keys


def decides(test, frame) -> bool:
    """Does a test read a name this run knows for sure (``if exists(mask)`` with the mask left
    out)?  Then its constant value picks the branch, as in a call with known arguments."""
    if not frame.decided:
        return False
    v = _names_visitor()()
    walk(test, v)
    return bool(v.names & frame.decided)
