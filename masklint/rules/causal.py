import functools
import re
from dataclasses import replace

from masklint._libcst import call_name as _call_name, cst, nodes_of, walk

from masklint import conventions as C
from masklint.analysis.events import Finding
from masklint.analysis.values import Const, EmbeddingV, LinearV, Mask, NoneFlag, ObjV, Region, Tensor
from masklint.analysis import branches, names
from masklint.analysis.events import causal_status
from masklint.analysis.usage import called_names, holds
from masklint.analysis.algebra import CAUSAL_LOST
from masklint.analysis.operators import BY_BLOCKS
from masklint.analysis.writes import REWRITTEN
from masklint.rules._common import describe, finding
from masklint.rules.base import Rule


_FED_BUT_LAST = "fed the sequence without its last step"


@functools.lru_cache(maxsize=None)
def _scan_visitor():
    """The visitor class, defined on first use (defining it imports LibCST)."""
    class _Scan(cst.CSTVisitor):
        """Syntactic evidence that code trains or runs a model autoregressively."""

        def __init__(self, in_class: bool = False):
            self.evidence = []  # (node, text)
            self.strong = set()  # ids of evidence nodes that hold whatever the class is called
            self.in_class = in_class  # scanning a class's methods: its model is `self`
            self._fn = []

        def visit_FunctionDef(self, node):
            self._fn.append({"node": node, "loop": None, "shift": None, "loss": None, "plus1": None, "append": None,
                             "own_but_last": None, "time_but_last": None, "time_from_second": None,
                             "fed_back": None, "fed_but_last": {}, "from_second_roots": set()})

        def leave_FunctionDef(self, node):
            f = self._fn.pop()
            name = node.name.value
            if f["fed_back"] is not None:
                self.strong.add(id(f["loop"]))  # what a bidirectional encoder is never run by
            if f["loop"] is not None and f["append"] is not None and (
                    names.GENERATION_METHOD.search(name) or f["fed_back"] is not None):
                # a loop that appends each new token to the sequence it feeds back in: so named, or
                # picking a token (argmax, multinomial) from the prediction at the last position and
                # growing the sequence it hands back to a call
                self.evidence.append((f["loop"], f"a generation loop in {name}() that appends each new token"))
            if f["shift"] is not None and f["loss"] is not None:
                self.evidence.append((f["shift"], "next-token targets shifted by one with a cross-entropy loss"))
                if f["time_but_last"] is not None and f["time_from_second"] is not None:
                    self.strong.add(id(f["shift"]))  # `x[:, :-1]` in, `x[:, 1:]` as the targets
            if f["plus1"] is not None:
                self.evidence.append((f["plus1"], "next-token targets sliced as [i + 1 : ...]"))
            fed = [node for root, node in f["fed_but_last"].items() if root in f["from_second_roots"]]
            if fed:
                # `model(track[:, :-1])` against targets from `track[:, 1:, ...]`, whatever the loss:
                # each step trained on the next one
                self.evidence.append((fed[0], _FED_BUT_LAST + ", trained on the steps after the first"))
            if f["own_but_last"] is not None and f["time_from_second"] is not None and f["loss"] is None:
                # `pred = self(x)[:, :-1]` against `target = x[:, 1:]`, whatever the loss (a
                # forecaster's pinball loss, a regression): each step trained on the next one
                self.evidence.append((f["own_but_last"], "next-step targets shifted by one against its own outputs"))

        def visit_For(self, node):
            self._loop(node)

        def visit_While(self, node):
            self._loop(node)

        def _loop(self, node):
            if self._fn:
                f = self._fn[-1]
                if f["fed_back"] is None and _feeds_back(node.body, self.in_class):
                    f["loop"] = f["fed_back"] = node
                f["loop"] = f["loop"] or node
                walk(node.body, _append_scan_visitor()(f))

        def visit_Name(self, node):
            if self._fn and names.LM_LOSS.search(node.value):
                self._fn[-1]["loss"] = node

        def visit_Attribute(self, node):
            if self._fn and names.LM_LOSS.search(node.attr.value):
                self._fn[-1]["loss"] = node

        def visit_Call(self, node):
            if self._fn:
                for a in node.args:
                    if _time_slice(a.value, "but_last", extra=True) and isinstance(a.value.value, cst.Name):
                        self._fn[-1]["fed_but_last"].setdefault(a.value.value.value, a.value)  # `model(x[:, :-1])`
            # `torch.cat([start, targets[:, :-1]], dim=1)`: decoder inputs are the targets shifted
            # right by one (teacher forcing), whatever the targets are (tokens, or values)
            if not self._fn or _call_name(node) not in ("cat", "concat", "concatenate") or not node.args:
                return
            seq = node.args[0].value
            if isinstance(seq, (cst.List, cst.Tuple)) and len(seq.elements) >= 2 and \
                    _drops_last(seq.elements[-1].value) and not _drops_last(seq.elements[0].value):
                self.evidence.append((node, "decoder inputs are the targets shifted right by one (teacher forcing)"))

        def visit_Subscript(self, node):
            self._sub = node  # the expression a slice below belongs to (`source[i + 1: ...]`)
            if self._fn and _time_slice(node, "but_last") and isinstance(node.value, cst.Call) and \
                    _call_name(node.value) in ("self", "forward"):
                self._fn[-1]["own_but_last"] = self._fn[-1]["own_but_last"] or node  # `self(x)[:, :-1]`
            if self._fn and _time_slice(node, "but_last"):
                self._fn[-1]["time_but_last"] = self._fn[-1]["time_but_last"] or node  # `x[:, :-1]`
            if self._fn and _time_slice(node, "from_second", extra=True) and isinstance(node.value, cst.Name):
                self._fn[-1]["from_second_roots"].add(node.value.value)  # `track[:, 1:, 2]`
            if self._fn and _time_slice(node, "from_second") and not (
                    isinstance(node.value, cst.Attribute) and node.value.attr.value in ("shape", "size")):
                self._fn[-1]["time_from_second"] = self._fn[-1]["time_from_second"] or node  # `x[:, 1:]`

        def visit_Slice(self, node):
            if not self._fn:
                return
            lo, up = node.lower, node.upper
            node = getattr(self, "_sub", None) or node  # the evidence names the whole subscript
            if isinstance(lo, cst.Integer) and lo.value == "1" and up is None:
                self._fn[-1]["shift"] = self._fn[-1]["shift"] or node
            if lo is None and _minus_one(up):
                self._fn[-1]["shift"] = self._fn[-1]["shift"] or node
            if isinstance(lo, cst.BinaryOperation) and isinstance(lo.operator, cst.Add):
                if (isinstance(lo.right, cst.Integer) and lo.right.value == "1") or (
                    isinstance(lo.left, cst.Integer) and lo.left.value == "1"
                ):
                    self._fn[-1]["plus1"] = self._fn[-1]["plus1"] or node
    return _Scan


@functools.lru_cache(maxsize=None)
def _append_scan_visitor():
    """The visitor class, defined on first use (defining it imports LibCST)."""
    class _AppendScan(cst.CSTVisitor):
        """Inside a loop: ``torch.cat([ids, next_id], dim=1)`` / ``torch.cat((ys, nxt), -1)`` or
        similar, feeding the model's own output back in (a list .append of outputs is not)."""

        def __init__(self, fn):
            self.fn = fn

        def visit_Call(self, node):
            if _call_name(node) in ("cat", "concat", "concatenate", "hstack"):
                self.fn["append"] = self.fn["append"] or node

    return _AppendScan


def _feeds_back(body, in_class: bool) -> bool:
    """Does a loop body run the model on a sequence, pick a token (argmax, multinomial, topk) from
    its prediction at the last position, and append that token to the same sequence
    (``logits = self(ids)``; ``ids = torch.cat([ids, logits[:, -1].argmax(-1, keepdim=True)], 1)``)?
    The model is ``self`` / ``self.forward`` in a class's methods, a plain name elsewhere."""
    assigned, grows = {}, []
    for node in nodes_of(body, cst.Assign):
        for t in node.targets:
            for el in (t.target.elements if isinstance(t.target, cst.Tuple) else [t.target]):
                target = el.value if isinstance(el, cst.Element) else el
                if isinstance(target, cst.Name):
                    assigned[target.value] = node.value
        v = node.value
        if isinstance(v, cst.Call) and _call_name(v) in ("cat", "concat", "concatenate", "hstack") and v.args \
                and isinstance(v.args[0].value, (cst.List, cst.Tuple)) and len(v.args[0].value.elements) >= 2:
            first = v.args[0].value.elements[0].value
            if isinstance(first, cst.Name) and any(isinstance(t.target, cst.Name) and t.target.value == first.value
                                                   for t in node.targets):
                grows.append((first.value, [e.value for e in v.args[0].value.elements[1:]]))

    def model_call(expr, seq) -> bool:
        if not isinstance(expr, cst.Call):
            return False
        f = expr.func
        if in_class:
            ok = (isinstance(f, cst.Name) and f.value == "self") or (
                isinstance(f, cst.Attribute) and f.attr.value == "forward" and isinstance(f.value, cst.Name)
                and f.value.value == "self")
        else:
            ok = isinstance(f, cst.Name) and f.value not in names.TENSOR_LIBRARIES or (
                isinstance(f, cst.Attribute) and f.attr.value == "forward" and isinstance(f.value, cst.Name))
        return ok and any((a.value.value if isinstance(a.value, cst.Subscript) else a.value).deep_equals(cst.Name(seq))
                          for a in expr.args if isinstance(a.value, (cst.Name, cst.Subscript)))

    def reach(expr, depth=4):
        """``expr`` and what the names in it were assigned in the loop, a few steps back."""
        out = [expr]
        if depth:
            for n in nodes_of(expr, cst.Name):
                if n.value in assigned and assigned[n.value] is not expr:
                    out += reach(assigned[n.value], depth - 1)
        return out

    for seq, parts in grows:
        for part in parts:
            exprs = reach(part)
            picked = any(_call_name(c) in names.TOKEN_PICKS for e in exprs for c in nodes_of(e, cst.Call))
            last = False
            for e in exprs:
                for sub in nodes_of(e, cst.Subscript):
                    if not _last_position(sub):
                        continue
                    base = sub.value
                    if isinstance(base, cst.Name):
                        base = assigned.get(base.value)
                    while isinstance(base, cst.Subscript):  # `self(ids)[0][:, -1]`
                        base = base.value
                    last = last or model_call(base, seq)
            if picked and last:
                return True
    return False


def _last_position(sub) -> bool:
    """``x[:, -1]`` / ``x[:, -1, :]``: the prediction at the last position."""
    return len(sub.slice) >= 2 and isinstance(sub.slice[1].slice, cst.Index) and \
        _minus_one(sub.slice[1].slice.value) and isinstance(sub.slice[0].slice, cst.Slice)


def _module_scan(module, with_strong: bool = False):
    """Evidence in a module's functions and in its top-level script code (as if it were a
    function named after the file: ``generate.py``'s loop is a generation loop); with
    ``with_strong``, also the ids of the evidence that holds whatever a class is called."""
    cached = getattr(module, "_ar_scan", None)
    if cached is None:
        scan = _scan_visitor()()
        script = [stmt for stmt in module.tree.body if not isinstance(stmt, (cst.FunctionDef, cst.ClassDef))]
        for stmt in module.tree.body:
            if isinstance(stmt, cst.FunctionDef):
                walk(stmt, scan)
        if script:
            stem = str(module.path).replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
            pseudo = cst.FunctionDef(name=cst.Name(stem if stem.isidentifier() else "script"),
                                     params=cst.Parameters(), body=cst.IndentedBlock(body=script))
            walk(pseudo, scan)
        cached = module._ar_scan = (scan.evidence, frozenset(scan.strong))
    return cached if with_strong else cached[0]


def _class_scan(cls):
    """The autoregressive evidence in a class's own methods, scanned once per class."""
    cached = getattr(cls, "_ar_scan", None)
    if cached is None:
        scan = _scan_visitor()(in_class=True)
        walk(cls.node, scan)
        cached = cls._ar_scan = (scan.evidence, frozenset(scan.strong))
    return cached


def autoregressive_evidence(facts, interp=None):
    cls = facts.cls
    if names.BIDIRECTIONAL_CLASS.search(cls.name):
        # named like an encoder: autoregressive only on what its own methods do (inputs without the
        # last token trained against targets from the second on)
        if "-1]" not in cls.module.source and "-1:]" not in cls.module.source:
            return None
        evidence, strong = _class_scan(cls)
        found = [(node, text, cls.module) for node, text in evidence if id(node) in strong]
        if not found and cls is cls.module.main_model():
            # the file's one model, sampled by a loop of the file that feeds each picked token back in
            evidence, strong = _module_scan(cls.module, with_strong=True)
            found = [(node, text, cls.module) for node, text in evidence if id(node) in strong]
        return found[0] if found else None
    evidence, _ = _class_scan(cls)
    ev = [(node, text, cls.module) for node, text in evidence]
    if names.AUTOREGRESSIVE_CLASS.search(cls.name):
        ev.append((cls.node.name, f"the class name {cls.name}", cls.module))
    if not ev:
        # a training script in the same file slicing next-token targets, for a model with a vocabulary head
        tmpl = cls.template
        attrs = tmpl.attrs.values() if tmpl is not None else ()
        # the embeddings of the ids: the model's own, or those of a module it embeds with (`NoteEmbedding`)
        tables = [v for v in attrs if isinstance(v, EmbeddingV)] + [
            w for v in attrs if isinstance(v, ObjV) for w in v.attrs.values() if isinstance(w, EmbeddingV)]
        sizes = {v.size for v in tables if v.size}
        # a head onto the vocabulary: named so, or as wide as the embedding of the ids (`n_events`)
        has_vocab_head = any(getattr(v, "vocab", False) or (isinstance(v, LinearV) and v.out in sizes)
                             for v in attrs) or _tied_head(cls, tmpl)
        if has_vocab_head:
            ev = [e + (cls.module,) for e in _module_scan(cls.module) if _next_token(e[1])]
            for caller in facts.callers:  # a script elsewhere that trains or samples it token by token
                ev += [e + (caller,) for e in _module_scan(caller) if _next_token(e[1])]
            said = _documented_lm(cls) if not any(s.causal == "yes" for s in facts.all_sinks()) else None
            if not ev and said is not None:
                # its docstring calls it a language model, and it masks the future on no path at all
                # (with a causal mask on one path, which path runs is the callers' business)
                ev = [said + (cls.module,)]
        elif _takes_targets(cls):  # a decoder of values (a forecaster) fed the targets shifted right
            ev = [e + (cls.module,) for e in _module_scan(cls.module) if "shifted right" in e[1]]
        if not ev and cls is cls.module.main_model() and not any(
                not s.self_attention and s.api.self_attention != "always" for s in facts.all_sinks()):
            # the file's one model fed a sequence without its last step and trained on the steps
            # after the first (a forecaster of values, a trajectory model): whatever its head; not a
            # model with cross-attention (an encoder-decoder's shared block runs its encoder too)
            ev = [e + (cls.module,) for e in _module_scan(cls.module) if e[1].startswith(_FED_BUT_LAST)]
        special = _special_token_head(attrs, sizes)
        if not ev and special:
            # a head onto all tokens but the special ones, trained or sampled token by token in a
            # script of the package (`model(seqs[:, :-1])` against `seqs[:, 1:]`)
            ev = [e + (caller,) for caller in facts.callers for e in _module_scan(caller) if _next_token(e[1])]
        if not ev and cls is cls.module.main_model() and special:
            # the file's one model embeds tokens and predicts all of them but its special ones
            # (`Embedding(N_BINS + 1, d)`, `Linear(d, N_BINS)`: a start token of its own), and a
            # loop of the file samples it token by token, feeding each new token back in
            ev = [e + (cls.module,) for e in _module_scan(cls.module) if "generation loop" in e[1]]
    if not ev and any(s.causal == "yes" and s.self_attention for s in facts.all_sinks()):
        # causal on one path (`if has_mask:`), and fed its own samples in a loop of this file: a
        # language model, whatever it is called (pytorch/examples word_language_model)
        ev = [(node, f"{text}; it masks the future on another path", cls.module)
              for node, text in _module_scan(cls.module) if "generation loop" in text]
    if not ev:
        return None
    return ev[0]


def _documented_lm(cls):
    """(node, text) where the class's or its module's docstring says it is a (causal) language
    model: "Language modeling with nn.TransformerEncoder", "an autoregressive decoder"; not a
    masked one."""
    # (the module's docstring speaks for its one model only)
    for node in (cls.node,) + ((cls.module.tree,) if cls is cls.module.main_model() else ()):
        doc = node.get_docstring() if node is not None else None
        for sentence in re.split(r"(?<=[.;:])\s+|\n\s*\n", doc or ""):
            m = names.DOCUMENTED_LM.search(sentence)
            if m is not None and not names.NOT_CAUSAL_LM.search(sentence):
                return cls.node.name, \
                    f"its {'class' if node is cls.node else 'module'} docstring says so ({m.group(0)!r})"
    return None


def _special_token_head(attrs, sizes) -> bool:
    """A linear head whose width is an embedding's vocabulary less one or two special tokens."""
    widths = {size.replace(" ", "") for size in sizes}
    return any(isinstance(v, LinearV) and v.out and any(f"{v.out.replace(' ', '')}+{k}" in widths for k in (1, 2))
               for v in attrs)


def _tied_head(cls, tmpl) -> bool:
    """Logits read through the token embedding's own weight (GPT-2's tied head):
    ``h @ self.wte.weight.t()``, ``F.linear(h, self.wte.weight)``, ``torch.matmul(h, self.tok.weight.T)``."""
    if tmpl is None:
        return False
    embeddings = [name for name, v in tmpl.attrs.items() if isinstance(v, EmbeddingV)]
    if not embeddings:
        return False
    text = "\n".join(cls.module.text_of(fn.node) for fn in cls.methods.values())
    return any(names.reads_embedding_weight(text, e) for e in embeddings)


def _takes_targets(cls) -> bool:
    """Does a method of the class take decoder inputs or targets (``tgt``, ``decoder_inputs``,
    ``x_dec``, ``targets``)?  A decoder of its own learned queries (DETR) takes none."""
    return any(names.TARGET.search(p.name.value) or names.DECODER_INPUT.search(p.name.value)
               for fn in cls.methods.values() for p in fn.params())


def _drops_last(expr) -> bool:
    """``x[:, :-1]`` / ``x[:-1]``: everything but the last position."""
    if not isinstance(expr, cst.Subscript) or not expr.slice:
        return False
    last = expr.slice[-1].slice
    return isinstance(last, cst.Slice) and last.lower is None and _minus_one(last.upper)


def _time_slice(expr, which: str, extra: bool = False) -> bool:
    """``x[:, :-1]`` ("but_last") / ``x[:, 1:]`` ("from_second"): a batch-first sequence without its
    last / first step (the time axis, not the last axis of class logits); with ``extra``, also with
    feature indexes after it (``x[:, 1:, 2]``)."""
    if not isinstance(expr, cst.Subscript) or not (len(expr.slice) == 2 or extra and len(expr.slice) > 2):
        return False
    first, second = expr.slice[0].slice, expr.slice[1].slice
    if not (isinstance(first, cst.Slice) and first.lower is None and first.upper is None and
            isinstance(second, cst.Slice) and second.step is None):
        return False
    if which == "but_last":
        return second.lower is None and _minus_one(second.upper)
    return isinstance(second.lower, cst.Integer) and second.lower.value == "1" and second.upper is None


def _minus_one(expr) -> bool:
    return isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus) and \
        isinstance(expr.expression, cst.Integer) and expr.expression.value == "1"


def _next_token(text: str) -> bool:
    """Is a piece of scanned evidence about next-token training or sampling (shifted targets,
    ``[i + 1 : ...]`` slices, a generation loop), not only about the model's name?"""
    return "[i + 1" in text or "shifted" in text or "generation loop" in text


def _enclosing_span(module, frame, node):
    """(first, last) line of the function the frame runs, or of the top-level statement holding
    ``node`` when the frame is the script itself."""
    if frame.fn is not None:
        pos = module.position(frame.fn.node)
        return (pos.start.line, pos.end.line) if pos is not None else None
    line = module.line_of(node)
    for stmt in module.tree.body:
        pos = module.position(stmt)
        if pos is not None and line is not None and pos.start.line <= line <= pos.end.line:
            return pos.start.line, pos.end.line
    return None


def _near(module, span, node) -> bool:
    """Is ``node`` inside the lines ``span``, or inside a function of the module that the code
    in ``span`` calls (`data, targets = get_batch(source, i)` in the training loop)?"""
    line = module.line_of(node) or 0
    if span[0] <= line <= span[1]:
        return True
    called = names_called_in(module, span)
    for fn in module.functions.values():
        pos = module.position(fn.node)
        if pos is not None and pos.start.line <= line <= pos.end.line and fn.name in called:
            return True
    return False


def names_called_in(module, span) -> set:
    """Names of the functions called on the lines ``span``."""
    out = set()
    for stmt in module.tree.body:
        pos = module.position(stmt)
        if pos is None or pos.end.line < span[0] or pos.start.line > span[1]:
            continue
        out |= called_names(stmt)
    return out


def _encoder_side(s) -> bool:
    """Is a sink reached through a call that names an encoder (``self.encoder(...)``,
    ``self.enc_attn(...)``, a call inside ``encode()``)?"""
    return any(names.ENCODER_CALL.search(text) for text in s.via) or bool(
        s.fn is not None and names.ENCODER_CALL.search(s.fn.name))


def _lookahead_by_design(s) -> bool:
    """A sink whose look-ahead is the design: an encoder's (``encode()``, ``self.encoder(...)``),
    or a streaming / chunked / speech block's, even inside a model that predicts tokens (ASR)."""
    where = list(s.via) + ([s.fn.qualname] if s.fn is not None else [])
    return _encoder_side(s) or any(names.LOOKAHEAD_DESIGN.search(text) for text in where)


def _cross(event) -> bool:
    """Are the call's queries and keys known to come from different sequences?"""
    q, k = (event.args.get(n) for n in event.api.inputs[:2])
    origins = [a.value.origin if a is not None and isinstance(a.value, Tensor) else None for a in (q, k)]
    fn = event.frame.fn if event.frame is not None else None
    params = {p.name.value for p in fn.params() + fn.kwonly()} if fn is not None else set()
    if set(origins) <= params:
        return False  # `def attend(q, k, v, mask)`: parameters, whatever they are
    return None not in origins and origins[0] != origins[1]


def _none_test_around(root, node):
    """The innermost ``if x is None`` / ``if x is not None`` statement under ``root`` that holds
    ``node`` in its body or its ``else``."""
    found = []

    class Find(cst.CSTVisitor):
        def visit_If(self, stmt) -> None:
            if branches.none_test(stmt.test)[0] is not None and holds(stmt, node) and \
                    not holds(stmt.test, node):
                found.append(stmt)

    walk(root, Find())
    return found[-1] if found else None


def _passes_true(tree, flags) -> bool:
    """Does ``tree`` hold a call passing one of ``flags`` as ``=True``?"""
    hit = []

    class Find(cst.CSTVisitor):
        def visit_Arg(self, arg) -> None:
            if arg.keyword is not None and arg.keyword.value in flags and \
                    isinstance(arg.value, cst.Name) and arg.value.value == "True":
                hit.append(arg)

    walk(tree, Find())
    return bool(hit)


def _padding_only(m) -> bool:
    """A padding mask with no causal part, shown to be one by the code (not only by a name)."""
    return isinstance(m, Mask) and m.is_padding_shaped() and not m.is_causal_shaped() and (
        not m.assumed or any(names.KEY_EXPAND.search(e.text) for e in m.evidence))


class MissingCausalMask(Rule):
    code = "ML401"
    also_confirmed_by = ("ML402",)
    name = "missing-causal-mask"
    summary = "an autoregressive model's self-attention runs without a causal mask or is_causal"

    def on_sink(self, event):
        yield from self._causal_on_one_path(event)
        yield from self._causal_without_mask_only(event)
        yield from self._causal_in_other_branch(event)
        yield from self._script_language_model(event)
        # a decoder fed embeddings of the target tokens (teacher forcing) needs a causal tgt_mask
        if not event.api.has_decoder:
            return
        tgt = event.arg("tgt")
        if tgt is None or not getattr(tgt.value, "embedded", False):
            return
        if causal_status(event) == "no":
            yield finding(
                self.code, event, event.node,
                f"{event.api.display} decodes the target tokens without a causal tgt_mask or tgt_is_causal",
                help="pass tgt_mask=nn.Transformer.generate_square_subsequent_mask(T) (and tgt_is_causal=True)",
                note=f"with teacher forcing every position of `{event.module.code_of(tgt.node)}` sees the tokens it "
                     "must predict",
            )

    def _script_language_model(self, event):
        """A script (no model class: top-level code or plain functions) that feeds embedded tokens
        to self-attention without a causal mask, in a file that trains on next-token targets."""
        frame = event.frame
        if frame is None or (frame.fn is not None and frame.fn.cls is not None) or event.api.has_decoder:
            return
        if not event.is_self_attention() or causal_status(event) != "no":
            return
        func = event.node.func if isinstance(event.node, cst.Call) else None
        if isinstance(func, cst.Attribute) and names.ENCODER_CALL.search(func.attr.value):
            return  # `model.encoder(src)`: the encoder side of a sequence-to-sequence model
        q = event.input(0)
        if q is None or not isinstance(q.value, Tensor) or not q.value.embedded:
            return
        # the next-token evidence must be where the call is: the same function, or the same
        # top-level statement (the training loop), not any slice elsewhere in the file
        span = _enclosing_span(event.module, frame, event.node)
        ev = [(node, text) for node, text in _module_scan(event.module)
              if _next_token(text) and span is not None and _near(event.module, span, node)
              and not names.MODEL_OUTPUT_NAME.search(event.module.code_of(node))]  # not `end_logits[i + 1:]`
        if not ev:
            return
        yield Finding(
            self.code, event.node, event.module,
            f"{event.api.display} attends over embedded tokens without a causal mask, in a script trained on "
            "next tokens",
            help="pass a causal mask (nn.Transformer.generate_square_subsequent_mask(T)) or is_causal=True",
            note="every position sees the tokens it is trained to predict",
            steps=((event.module, ev[0][0], f"the script is autoregressive: {ev[0][1]}"),),
        )

    def _causal_without_mask_only(self, event):
        """``is_causal = attention_mask is None`` next to ``attn_mask=attention_mask``, called with a
        padding mask: the code meant the mask to carry causality, and this one does not."""
        api = event.api
        a = event.arg(api.causal_target) if api.causal_target else None
        if a is None or not _padding_only(a.value):
            return
        keys = event.arg(api.sides[0][2]) if api.sides else None
        if keys is not None and isinstance(keys.value, Tensor) and keys.value.cached:
            return  # a decoding step against a KV cache: one new token needs only the padding mask
        for f in api.causal_flags:
            flag = event.arg(f.name)
            if flag is not None and isinstance(flag.value, Const) and flag.value.value is False and \
                    flag.value.none_of is a.value:
                yield finding(
                    self.code, event, flag.node,
                    f"{f.name} is `mask is None`, and the mask given is padding only: {api.display} runs without "
                    "causal masking",
                    a.value,
                    help="combine the causal mask with the padding mask, or keep the flag True",
                    note="with a padding mask the call attends to the future",
                )
                return

    def _causal_in_other_branch(self, event):
        """``if attention_mask is not None: sdpa(q, k, v, attn_mask=padding) else: sdpa(q, k, v,
        is_causal=True)``: the function is causal without a mask and bidirectional with one."""
        api = event.api
        a = event.arg(api.causal_target) if api.causal_target else None
        frame = event.frame
        if a is None or not _padding_only(a.value) or frame is None or frame.fn is None:
            return
        if any(event.flag_true(f.name) for f in api.causal_flags):
            return
        keys = event.arg(api.sides[0][2]) if api.sides else None
        if keys is not None and isinstance(keys.value, Tensor) and keys.value.cached:
            return  # a decoding step against a KV cache
        stmt = _none_test_around(frame.fn.node, event.node)  # (a call decided the test: no guard left)
        tested = branches.none_test(stmt.test)[0] if stmt is not None else None
        if tested is None or not (names.is_mask_param(tested) or tested in C.HF_ATTENTION_MASK_NAMES):
            return  # `if context is None:` (self or cross), `if layer_past is None:` (prefill or a decode step)
        if names.CROSS_MASK_NAME.search(tested) or _cross(event):
            return  # an encoder's mask over another sequence: no future to hide
        flags = {f.name for f in api.causal_flags}
        if stmt.orelse is not None:
            other = stmt.orelse if holds(stmt.body, event.node) else stmt.body
            if not _passes_true(other, flags):
                return
        elif not (holds(stmt.body, event.node) and branches.leaves(stmt.body.body)
                  and _passes_true(frame.fn.node, flags) and not _passes_true(stmt.body, flags)):
            return  # without an else: the code after an `if` whose body returns is the other path
        yield finding(
            self.code, event, event.node,
            f"{api.display} is causal only when no mask is given: with one, it attends to the future",
            a.value,
            help="combine the causal mask with the mask given here (causal & mask)",
            note="the other branch passes is_causal=True; on this one every query sees later keys",
        )

    def _causal_on_one_path(self, event):
        """``mask = None; if attention_mask is not None: mask = causal & padding``: the causal part
        rides on the padding mask, so a batch without padding runs bidirectional."""
        api = event.api
        if api.causal_target:
            a = event.arg(api.causal_target)
        else:  # hand-written attention: its one mask
            a = next((arg for p, arg in event.masks() if p.role is C.Role.ATTN), None)
        if a is None or not isinstance(a.value, Mask):
            return
        m = a.value
        if not (m.maybe_none and m.causal_source and m.region in (Region.KEEP_MIX, Region.BLOCK_MIX)):
            return
        mask_text = event.module.text_of(a.node)
        for f in api.causal_flags:
            flag = event.arg(f.name)
            if flag is not None and not (isinstance(flag.value, Const) and flag.value.value in (False, None)):
                return  # is_causal=mask is None and the like
            if flag is not None and f"{mask_text} is None" in event.module.text_of(flag.node):
                return  # `is_causal=self.causal and mask is None`: causal on the path without the mask
        if event.frame is not None and any(isinstance(v, NoneFlag) and v.subject is m for v in event.frame.env.values()):
            return  # a helper told `causal=mask is None`: it is causal on the path without the mask
        if any(fr.fn is not None and fr.fn.causal_only_with for fr in event.interp.stack):
            return  # `if mask is not None and causal:` reported at that test (on_value)
        if event.frame is not None and event.frame.fn is not None and \
                branches.fills_when_none(event.frame.fn.node, mask_text):
            return  # `if mask is None and self.causal: mask = self.tri`: None only with the flag off
        yield finding(
            self.code, event, a.node,
            f"the causal mask reaches {api.display} only with the padding mask; otherwise there is none",
            m,
            help="build the causal mask on every path (or pass is_causal=True when there is no padding mask)",
            note="a batch without padding attends to the future",
        )

    def on_value(self, ev):
        """The causal part built only when a mask is given: ``if att_mask is not None and causal:``
        (branches.causal_only_with: with the flag on and no mask, nothing masks the future), or
        ``if attention_mask is not None: attention_mask = prepare_causal(...)``
        (branches.causal_built_only_with)."""
        from masklint.analysis.events import Finding

        if ev.kind == "causal_built_only_with_mask":
            yield Finding(
                self.code, ev.node, ev.module,
                f"the causal mask is built only when `{ev.const.value}` is given: without it nothing hides the future",
                help=f"build the causal mask when `{ev.const.value}` is None too (from ones), or pass is_causal=True",
                note="generation and training without a padding mask attend to the future",
            )
            return
        if ev.kind != "causal_only_with_mask":
            return
        flag = ev.const.value
        yield Finding(
            self.code, ev.node, ev.module,
            f"the causal mask is built only when a mask is given: with `{flag}` on and no mask, "
            "nothing hides the future",
            help=f"test `{flag}` on its own, and use the causal mask alone when there is no other mask",
            note="a batch without padding (or a caller that passes no mask) attends to the future",
        )

    def _shifted(self, facts, every, ev):
        """A causal mask shifted into the future (``tril(ones, diagonal=1)``) in an autoregressive
        model: each position sees the next token it is trained to predict."""
        ev_node, ev_text, ev_module = ev
        seen = set()
        for s in every:
            m = next((m for m in s.masks if isinstance(m, Mask) and m.ahead > 0 and not m.assumed), None)
            if m is None or not s.self_attention or id(s.sink_node) in seen or _lookahead_by_design(s):
                continue
            seen.add(id(s.sink_node))
            node, module = (s.sink_node, s.sink_module) if s.sink_module is facts.report_in else (s.node, s.module)
            yield Finding(
                self.code, node, module,
                f"the causal mask of autoregressive {facts.cls.name} is shifted {m.ahead} key(s) into the future: "
                "each position sees the next token",
                value=m,
                help="tril(ones, diagonal=0) for a keep mask, triu(ones, diagonal=1) for a block mask",
                note="the model is trained on the tokens it is asked to predict",
                steps=((ev_module, ev_node, f"{facts.cls.name} is autoregressive: {ev_text}"),),
            )

    def on_flag(self, ev):
        """``f(q, k, v, mask, is_causal=mask is None)``: the callee is causal without a mask and
        not with one, where the mask is a padding mask: every padded batch sees the future."""
        if not any(s.self_attention and s.causal == "yes" for s in ev.absent) or \
                any(s.causal == "yes" for s in ev.given):
            return
        dropped = [s for s in ev.given if s.self_attention and any(_padding_only(m) for m in s.masks)]
        if not dropped:
            return
        yield Finding(
            self.code, ev.call, ev.module,
            f"`{ev.fn.qualname}` is causal only when `{ev.mask_param}` is None: `{ev.flag}` is "
            f"`{ev.mask_param} is None`, and the padding mask has no causal part",
            help="keep the flag True and combine the causal mask with the padding mask",
            note="every padded batch (batched generation with left padding, training with padding) attends "
                 "to the future",
            steps=((dropped[0].sink_module, dropped[0].sink_node, f"the {dropped[0].api.display} call, given "
                    "only the padding mask"),),
        )

    def on_model(self, facts):
        every = facts.all_sinks()
        if any(isinstance(m, Mask) and m.ahead > 0 for s in every for m in s.masks):
            shifted_ev = autoregressive_evidence(facts)
            if shifted_ev is not None:
                yield from self._shifted(facts, every, shifted_ev)
        # hand-written attention masks its scores in steps (a bias built by a helper, then the
        # padding): a padding step is not the whole story when another step (another masking of
        # the scores, not the same one on another path) may hold the causal part
        other_steps = {id(s.sink_node) for s in every if s.api.stack is C.Stack.MANUAL and s.causal != "no"}

        def stepped(s) -> bool:
            # (scores normalised bare, `softmax(q @ k^T)`, had no step on their path: another step is
            # on another path, `if self.training: att = att.masked_fill(...)`)
            return s.api.stack is C.Stack.MANUAL and s.api is not C.MANUAL_SOFTMAX and \
                bool(other_steps - {id(s.sink_node)})
        # what a method of the model that runs its encoder side reaches (`embed_audio`, `encode_image`),
        # beside another that runs self-attention too (its decoder)
        encoder_runs = {id(s) for method, lst in facts.sinks.items() if names.ENCODER_METHOD.search(method)
                        for s in lst}
        if not any(s.self_attention and id(s) not in encoder_runs for s in every):
            encoder_runs = set()
        sinks = [s for s in every if s.self_attention and s.causal == "no" and not s.causal_guard
                 and not stepped(s) and id(s) not in encoder_runs]
        if not sinks:
            return
        if any(s.api.has_decoder for s in every):
            # an encoder-decoder: the encoder side is bidirectional by design
            sinks = [s for s in sinks if s.api.has_decoder]
        elif any(not s.self_attention and s.api.self_attention != "always" for s in every):
            # cross-attention of its own (an encoder-decoder built from attention calls): the
            # self-attention its encoder runs (`self.enc(x, x, pad)` in encode()) is bidirectional,
            # and so is a self-attention class it also runs causal (`SelfAttention(causal=...)`
            # built once for each side)
            causal_too = {id(s.sink_node) for s in every if s.self_attention and s.causal == "yes"}
            cross = {id(s.sink_node) for s in every if not s.self_attention and s.api.self_attention != "always"}
            sinks = [s for s in sinks if not _encoder_side(s) and not (
                id(s.sink_node) in causal_too and cross - {id(s.sink_node)})]
        ev = autoregressive_evidence(facts)
        if ev is None:
            return
        ev_node, ev_text, ev_module = ev
        # One finding per attention call, reported at the call when it is in this file (that is
        # where a causal mask or is_causal=True goes), else where this model reaches it.
        best = {}
        for s in sinks:
            key = id(s.sink_node)
            if s.sink_module is facts.report_in:
                s = replace(s, node=s.sink_node, module=s.sink_module)
            if key not in best or (s.node is s.sink_node and best[key].node is not best[key].sink_node):
                best[key] = s
        for s in best.values():
            api = s.api.display
            steps = [(ev_module, ev_node, f"{facts.cls.name} is autoregressive: {ev_text}")]
            if s.sink_node is not s.node:
                steps.append((s.sink_module, s.sink_node, f"the {api} call, without a causal mask"))
            lost_mask = next((m for m in s.masks if isinstance(m, Mask) and
                              any(e.text.startswith(CAUSAL_LOST) for e in m.evidence)), None)
            lost = lost_mask is not None
            # causal in training only (`is_causal=self.training`, `if self.training: att = att.masked_fill(...)`)
            moded = s.in_eval and any(r.causal != "no" and (r.sink_node is s.sink_node or r.api.stack is C.Stack.MANUAL
                                                             and r.fn is s.fn) for r in every)
            yield Finding(
                self.code, s.node, s.module,
                f"autoregressive {facts.cls.name} runs its self-attention ({api}) with a mask whose causal part "
                "was lost" if lost else
                f"autoregressive {facts.cls.name} runs its self-attention ({api}) without a causal mask in eval mode"
                if moded else
                f"autoregressive {facts.cls.name} runs its self-attention ({api}) without a causal mask",
                help="combine block masks (True = hidden) with `|`, keep masks (True = attend) with `&`" if lost else
                     "pass a causal mask (nn.Transformer.generate_square_subsequent_mask(T)) or is_causal=True",
                note="every position sees the tokens it is trained to predict",
                steps=tuple(steps) + tuple((e.module, e.node, e.text) for e in (
                    lost_mask.evidence if lost_mask is not None else ()) if e.text.startswith(CAUSAL_LOST)),
            )


class CausalHintMismatch(Rule):
    code = "ML402"
    name = "causal-hint-mismatch"
    summary = "is_causal=True without a mask on MHA / Transformer* (unmasked in eval), or with a non-causal mask"

    def on_sink(self, event):
        for flag in event.api.causal_flags:
            if not flag.ignored_without_mask_in_eval or not event.flag_true(flag.name):
                continue
            node = event.node  # where the call starts: the flag and the mask both go there
            if not event.given(flag.applies_to):
                if event.has_star:
                    continue
                yield finding(
                    self.code, event, node,
                    f"{flag.name}=True without {flag.applies_to} on {event.api.display}: it is only a hint there",
                    help=f"pass the causal mask too: {flag.applies_to}=nn.Transformer.generate_square_subsequent_mask(L)",
                    note="in eval the fast path runs UNMASKED, and training raises",
                )
                continue
            arg = event.arg(flag.applies_to)
            m = arg.value
            if isinstance(m, Mask) and not m.assumed and m.is_causal_shaped():
                # causal plus a window or padding (the hint says "just causal", and the fast path drops
                # the rest), or causal by whole blocks (a timestep's tokens see each other)
                combined = m.region in (Region.KEEP_MIX, Region.BLOCK_MIX)
                if combined or any(e.text == BY_BLOCKS for e in m.evidence):
                    yield finding(
                        self.code, event, node,
                        f"{flag.name}=True but {describe(event, arg)} " +
                        ("is more than a causal mask" if combined else "is causal by blocks, not by positions"),
                        m,
                        help=f"drop {flag.name}=True (the mask already holds the causal structure)",
                        note="with the hint, torch may run a plain causal kernel and ignore the mask",
                    )
                    continue
            if isinstance(m, Mask) and not m.is_causal_shaped() and (m.region in (
                Region.PAD, Region.REAL, Region.NEAR, Region.FAR, Region.SAME, Region.OTHER
            ) or _edited_causal(m) or m.region in (Region.KEEP_MIX, Region.BLOCK_MIX) and not m.assumed):
                # (a padding mask combined with something that is not causal: `pad & ~eye`)
                yield finding(
                    self.code, event, node,
                    f"{flag.name}=True but {describe(event, arg)} is not a causal mask",
                    m,
                    help="pass the causal mask here; padding goes in the key padding mask",
                    note="training uses a causal mask and ignores this one; eval uses this one and ignores the hint",
                )


def _edited_causal(m: Mask) -> bool:
    """A causal mask whose cells were then rewritten by hand (``mask[:p, :p] = False``: a prefix
    LM): no longer the causal mask."""
    texts = [e.text for e in m.evidence]
    return any(t.startswith(REWRITTEN) for t in texts) and any(
        t.startswith(("torch.triu", "torch.tril", ".triu", ".tril")) for t in texts)


class SdpaMaskAndCausal(Rule):
    code = "ML403"
    confirmed_by = "check"
    name = "sdpa-mask-and-causal"
    summary = "scaled_dot_product_attention given both attn_mask and is_causal=True"

    def on_sink(self, event):
        for flag in event.api.causal_flags:
            if flag.forbids_mask and event.flag_true(flag.name) and event.given(flag.applies_to):
                yield finding(
                    self.code, event, event.node,
                    f"scaled_dot_product_attention gets both {flag.applies_to} and {flag.name}=True",
                    help="fold the causal structure into the mask (mask & torch.tril(...)), or drop attn_mask",
                    note="some backends raise; the default CPU kernel silently applies both",
                )


class DiagonalMasked(Rule):
    code = "ML404"
    also_confirmed_by = ("ML601",)
    name = "diagonal-masked"
    summary = "a causal mask that also hides the diagonal: the first query sees nothing (NaN)"

    def on_sink(self, event):
        from masklint.rules._common import blocked_set, corroborated, param_phrase, picture, wrong_slot

        for param, arg in event.masks():
            m = arg.value
            if param.role is C.Role.KEY_PADDING or not corroborated(m, param) or wrong_slot(event, param, m):
                continue
            if blocked_set(param, m) is Region.UPPER:
                yield finding(
                    self.code, event, arg.node,
                    f"causal mask {describe(event, arg)} as {param_phrase(event.api, param)} also hides the diagonal",
                    m,
                    help="a causal mask hides only j > i: torch.triu(..., diagonal=1), or torch.tril(...) for keep masks",
                    note="the first query attends to nothing (NaN or zero rows) and every token loses itself",
                    picture=picture(event, param, m),
                )


def _cache_absent_here(keys: Tensor, frame) -> bool:
    """Keys grown from ``cache[0]`` (or ``past_kv``) on a path where that cache is known None
    (the body of ``if cache is None:``): they were not grown here."""
    head = names.LEADING_NAME.match(keys.source or "")
    value = frame.env.get(head.group(0)) if head else None
    return isinstance(value, Const) and value.value is None


class CausalUpperLeft(Rule):
    """``is_causal=True`` on keys grown by a KV cache: fewer queries than keys, and SDPA aligns its
    causal mask top-left (query i sees keys 0..i), so the new tokens miss the cached ones."""

    code = "ML405"
    confirmed_by = "experiment"
    name = "causal-upper-left"
    summary = "is_causal=True with fewer queries than keys (a KV cache): the causal mask is aligned top-left"

    def on_sink(self, event):
        for flag in event.api.causal_flags:
            if flag.aligned != "top_left" or not event.flag_true(flag.name) or event.given(flag.applies_to):
                continue
            if not event.api.sides:
                continue
            _, queries, keys = event.api.sides[0]
            q, k = event.arg(queries), event.arg(keys)
            if k is None or not isinstance(k.value, Tensor) or not k.value.cached:
                continue
            if q is not None and isinstance(q.value, Tensor) and q.value.cached:
                continue  # queries grown the same way: the lengths match
            frame = event.interp.stack[-1] if event.interp.stack else None
            if frame is not None and any(names.NUMERIC_GUARD.match(event.module.text_of(g)) for g in frame.guards):
                continue  # under `if S == L:` or the like: the lengths are checked
            if frame is not None and _cache_absent_here(k.value, frame):
                continue  # under `if cache is None:`: the keys were not grown on this path
            flag_arg = event.arg(flag.name)
            if frame is not None and frame.fn is not None and flag_arg is not None and \
                    " is None" in event.module.text_of(flag_arg.node) and \
                    names.LENGTHS_COMPARED.search(event.module.text_of(frame.fn.node)):
                # `is_causal=bias is None and causal`, with `if q.shape[2] != k.shape[2]: bias = <a
                # bottom-right mask>`: the flag holds only where the lengths are equal
                continue
            yield finding(
                self.code, event, event.node,
                f"{flag.name}=True on keys grown by a KV cache (`{event.module.code_of(k.node)}`): "
                f"{event.api.display} aligns the causal mask top-left",
                help="pass is_causal only when queries and keys have the same length, else a bottom-right mask: "
                     "torch.nn.attention.bias.causal_lower_right(L, S)",
                note="with fewer queries than keys, query i sees keys 0..i only: a new token misses the cached "
                     "tokens before it (in one-token decoding it sees only the first key)",
            )
