"""Writes after creation: what in-place writes do to the values names hold.

``mask[i, n:] = 1`` per sample over lengths into a constant mask builds a padding mask; other
subscript writes and in-place methods the call table does not model (``scatter_``) keep a mask's
layout but not its cells; ``m.tril_()`` rebinds the receiver to the result; ``layers.append(x)``
grows a container.  Names and ``self`` attributes alike.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from masklint._libcst import cst, walk

from masklint.analysis import algebra, names
from masklint.analysis.ctx import Ctx, positional
from masklint.analysis.values import (ANY_KEY, AV, Cell, Const, DictV, Dt, Mask, ModuleListV, ObjV, Region, Tensor,
                                      TensorRef, TriIndexV, TupleV, Unknown, cell_truth, element_of, join)


#: evidence of a write of one item's cells, made once per item by a loop (guarded or not)
PER_ITEM = ("written per sample", "written per image", "written row by row")


def held(interp, target, frame):
    """(namespace dict, key) of what a name, ``self.attr`` or ``batch["key"]`` target holds, if we
    track it.  A dict's entry is written into a copy of the dict, put where the dict was (other
    paths that hold the dict keep what they saw)."""
    if isinstance(target, cst.Name):
        return frame.env, target.value
    if isinstance(target, cst.Attribute):
        base = interp.eval(target.value, frame)
        if isinstance(base, ObjV):
            return base.attrs, target.attr.value
    if isinstance(target, cst.Subscript) and len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
        k = interp.eval(target.slice[0].slice.value, frame)
        if isinstance(k, Const) and isinstance(k.value, str):
            space, key = held(interp, target.value, frame)
            if space is not None and isinstance(space.get(key), DictV) and k.value in space[key].items:
                copy = DictV(dict(space[key].items), registry=space[key].registry)
                space[key] = copy
                return copy.items, k.value
    return None, None

def rewrite(interp, target, value: AV, frame) -> None:
    if isinstance(target, cst.Subscript):
        forget_cells(interp, target, frame)  # `mask[i, :n].fill_(True)`: a view of the mask written
        return
    space, key = held(interp, target, frame)
    if space is not None:
        space[key] = value

def _global_table(interp, name: str, frame):
    """The globals holding the dict ``name`` when a function writes into it while its module's
    body runs, or while registrations run (a registry filled by decorators: ``MASKS[kind] = fn``,
    :meth:`Interpreter.fill_tables`); None otherwise (a write from a later call would make a
    module's globals depend on what ran first)."""
    env = frame.module.env
    if frame.fn is None or env is None or not (interp.registering and frame.concrete or env in interp.stack) or \
            not isinstance(env.env.get(name), DictV):
        return None
    return env.env


def relabel(interp, target, frame) -> None:
    """``ids[...] = label`` with a label that changes round a loop: what ``ids`` holds is labels
    (data compared with itself to group positions), no longer a mask."""
    if not isinstance(target, cst.Subscript):
        return
    space, key = held(interp, target.value, frame)
    if space is not None and isinstance(space.get(key), Mask):
        space[key] = Tensor(ref=TensorRef(key) if isinstance(key, str) else None, labels=True)


def write_cells(interp, target: cst.Subscript, value: AV, frame) -> None:
    """``mask[i, n:] = 1`` / ``mask[i, :n] = True`` with ``n`` a length, into a constant mask:
    a padding mask (per sample, from the lengths); any other write makes the cells unknown.
    Into attention scores, ``scores[mask] = -inf`` and ``scores[:, rows, cols] = -inf`` (from
    ``triu_indices``) are a masked fill."""
    space, key = held(interp, target.value, frame)
    if space is not None and isinstance(space.get(key), Tensor) and space[key].bare and (
            isinstance(value, Mask) or isinstance(value, Const) and value.is_neg_large()):
        # `att[..., r, c] = -inf`: scores masked in place, no longer bare (a bias written is not a mask)
        space[key] = replace(space[key], bare=False)
    if _fill_scores(interp, target, value, frame):
        return
    if isinstance(target.value, cst.Name) and key not in space:
        space = _global_table(interp, key, frame) or space
    if space is not None and isinstance(space.get(key), DictV) and len(target.slice) == 1 and \
            isinstance(target.slice[0].slice, cst.Index):
        # `cache[size] = mask`: what the dict holds under that key, or under keys not known
        k = interp.eval(target.slice[0].slice.value, frame)
        items = dict(space[key].items)
        k = k.value if isinstance(k, Const) and isinstance(k.value, str) else ANY_KEY
        items[k] = join(items[k], value) if k is ANY_KEY and k in items else value
        space[key] = DictV(items, registry=space[key].registry or interp.decorating)
        return
    m = space.get(key) if space is not None else None
    if not isinstance(m, Mask):
        return
    if isinstance(value, Mask) and all(_whole_axis(interp, el, frame) for el in target.slice) and \
            Dt.UNKNOWN not in (m.dtype, value.dtype):
        # `mask[:, past_len:] = seq_ids[:, None] < seq_ids[None, :]` with no past: every cell is
        # written, in the mask's own dtype (a float tril written into a bool buffer is bool)
        if value.dtype is not m.dtype:
            value = algebra.convert(Ctx(interp, frame, target), value, m.dtype, f"as {m.dtype.value}")
            if not isinstance(value, Mask):
                return forget_cells(interp, target.value, frame, written=target)
        space[key] = replace(value.step(target, frame.module, f"written whole by `{frame.module.code_of(target)}`"),
                             rank=m.rank if m.rank is not None else value.rank,
                             dim0=m.dim0 if m.rank is not None else value.dim0)
        return
    side = _ids_written(interp, m, value, target, frame)
    if side:
        # `ids = torch.zeros(B, L, dtype=torch.long); ids[i, :len(x)] = torch.tensor(x)`: token ids
        # padded by hand on the right (pad id 0), or on the left (`ids[i, L - len(x):] = ...`), not a mask
        space[key] = Tensor(padded_ids=side, ref=TensorRef(key) if isinstance(key, str) else None)
        return
    written = algebra.fill_cell(m, value)
    region = None
    elems = target.slice
    indices = [interp.eval(el.slice.value, frame) for el in elems if isinstance(el.slice, cst.Index)] \
        if written is not None and m.region is Region.ALL and written is not m.inside and len(elems) >= 2 else []
    if len(indices) == len(elems) and not any(isinstance(i, (Const, Mask)) for i in indices) and \
            any(isinstance(i, Tensor) and i.index_axis for i in indices):
        # `kept[torch.arange(B)[:, None], top_idx] = True`: the positions a tensor of indices selects
        # (as `kept.scatter_(1, top_idx, True)`), a keep set of no known shape
        space[key] = m.step(target, frame.module, f"`{frame.module.code_of(target)}` written: the positions the "
                            "indices select", region=Region.KEEP_MIX, inside=written, outside=m.inside,
                            causal_source=False)
        return
    tri = _tri_index_pair(interp, elems, frame)
    if tri is not None and written is not None and m.region is Region.ALL and written is not m.inside:
        # `table[rows, cols] = True` with `rows, cols = torch.triu_indices(n, n)`: that triangle
        space[key] = m.step(target, frame.module, f"`{frame.module.code_of(target)}` written",
                            region=tri.region, inside=written, outside=m.inside, rank=2, dim0="L")
        return
    if written is not None and m.region is Region.ALL and len(elems) == 1 and isinstance(elems[0].slice, cst.Index):
        # `mask[tokens == pad] = 0.0` into a constant mask: the written value where the index is True
        index = interp.eval(elems[0].slice.value, frame)
        if isinstance(index, Mask) and index.dtype is Dt.BOOL and not index.assumed:
            where = index.true_set()
            if where not in (Region.UNKNOWN, Region.ALL, Region.NONE):
                space[key] = m.step(target, frame.module, f"`{frame.module.code_of(target)}` written",
                                    region=where, inside=written, outside=m.inside,
                                    rank=index.rank or m.rank, dim0=index.dim0, ref=index.ref, key_axis=index.key_axis,
                                    causal_source=index.causal_source)
                return
    if written is not None and m.region is Region.ALL and len(elems) == 2:
        region = _columns(interp, m, written, elems, frame)
        if region is not None:  # `mask[:, -1] = 0.0`: the same positions padded in every sample
            # (of a square buffer, `zeros(L, L)`, the rows are as likely queries: keys every query may see)
            space[key] = m.step(target, frame.module, f"`{frame.module.code_of(target)}` written in every "
                                f"{'row' if _square(m) else 'sample'}", region=region, inside=written,
                                outside=m.inside, rank=2, dim0=None if _square(m) else "N")
            return
    tokens_first = left = False
    if written is not None and m.region is Region.ALL and len(elems) == 2 and \
            isinstance(elems[0].slice, cst.Slice) != isinstance(elems[1].slice, cst.Slice):
        # `mask[i, n:] = True` per sample; `mask[n:, i] = True` for an (S, N) mask
        tokens_first = isinstance(elems[0].slice, cst.Slice)
        sl = elems[0].slice if tokens_first else elems[1].slice
        bound = _bound(sl)
        row = elems[1].slice if tokens_first else elems[0].slice
        if bound is not None:
            ending = _length_from_the_end(interp, bound, frame)
            if ending == "pad":
                # `[i, L - pad_len:]`: the last pad_len positions, a right-padded sample's padding
                region = Region.PAD if sl.lower is not None else Region.REAL
            elif ending:
                # `[i, L - n:]` / `[i, -n:]` are a left-padded sample's tokens, `[i, :L - n]` its padding
                region = Region.REAL if sl.lower is not None else Region.PAD
                left = True
            elif _is_length(interp.eval(bound, frame), frame.module.code_of(bound)) or \
                    not _square(m) and _row_loop_bound(interp, row, bound, frame):
                region = Region.PAD if sl.lower is not None else Region.REAL  # [:n] real, [n:] padding
            elif _literal_row(interp, row, bound, frame):
                # one sample of a smoke test: zeros written into ones pad it, on either side
                # (`am[1, :3] = 0` is left padding); ones into zeros read as lengths would
                region = _smoke_padding(m, written, sl)
    if region is None and written is not None and m.region is Region.ALL and len(elems) == 3 and m.rank == 3 and \
            cell_truth(written) is True and cell_truth(m.inside) is False and \
            isinstance(key, str) and names.VALID_MASK_NAME.search(key.rsplit(".", 1)[-1]) and \
            isinstance(elems[0].slice, cst.Index) and \
            not isinstance(interp.eval(elems[0].slice.value, frame), Mask) and \
            all(isinstance(e.slice, cst.Slice) and e.slice.lower is None and e.slice.upper is not None
                for e in elems[1:]):
        # `valid[i, :h, :w] = True` into a (N, H, W) mask of zeros named for valid pixels: each
        # image's real pixels, a box at the top left of a padded canvas (DETR's NestedTensor mask,
        # inverted).  Only by that name: a box written True can as well be what is hidden
        space[key] = m.step(target, frame.module, f"`{frame.module.code_of(target)}` written per image",
                            region=Region.REAL, inside=written, outside=m.inside, dim0="N")
        return
    if region is None and written is not None and m.region is Region.ALL and len(elems) >= 3:
        sl = elems[-1].slice
        bound = _bound(sl)
        if bound is not None and all(_literal_row(interp, e.slice, bound, frame) for e in elems[:-1]):
            # `res_mask[0, 2, 7:] = False` in a smoke test: one row of a (N, R, L) mask padded at its end
            space[key] = m.step(target, frame.module, f"`{frame.module.code_of(target)}` written in one row",
                                region=_smoke_padding(m, written, sl), inside=written, outside=m.inside,
                                rank=m.rank or len(elems))
            return
    if region is None and written is not None and m.region is Region.ALL and written is not m.inside:
        if m.rank == 2 and cell_truth(written) is True and len(elems) == 2 and not frame.uncertain and \
                not any(isinstance(e.slice, cst.Slice) for e in elems) and \
                all(isinstance(interp.eval(e.slice.value, frame), (Tensor, Unknown)) for e in elems):
            # `node_mask[batch, idx] = True` into a (B, N) mask of zeros, once, outside any loop: a
            # padded batch built from a packed one (PyG's to_dense_batch); the cells written are
            # the real elements (written row by row in a loop, index tensors build other masks)
            space[key] = m.step(target, frame.module, f"`{frame.module.code_of(target)}` written at each element",
                                region=Region.REAL, inside=written, outside=m.inside, rank=2, dim0="N")
            return
        band = _row_relative(elems, frame)
        if band is not None:  # `ret[i, :ending] = True` in a loop over the rows (WeNet's chunk mask)
            space[key] = m.step(target, frame.module, f"`{frame.module.code_of(target)}` written row by row",
                                region=band, inside=written, outside=m.inside, rank=2)
            return
    if region is None:
        if written is not None and m.region is Region.ALL and m.inside is m.outside and written is not m.inside:
            # `adj[b, src, dst] = 1.0` into zeros: a 0/1 mask whose positions are not known
            space[key] = m.step(target, frame.module, f"`{frame.module.code_of(target)}` written",
                                region=Region.UNKNOWN, inside=written, outside=m.inside, causal_source=False)
            return
        if m.is_binary_float() and written in (Cell.ONE, Cell.ZERO) and m.region is not Region.ALL:
            # `keep[..., 0] = 1.0` into a 0/1 float keep mask (a sink column opened): still 0/1, and
            # a keep mask that keeps some more (or hides some more: a block mask likewise)
            grows = (written is m.inside) if m.inside is not m.outside else False
            space[key] = m.step(target, frame.module, f"`{frame.module.code_of(target)}` written",
                                region=m.region if grows and m.region in (Region.KEEP_MIX, Region.BLOCK_MIX)
                                else Region.UNKNOWN, causal_source=False)
            return
        forget_cells(interp, target.value, frame, written=target)
        return
    space[key] = m.step(target, frame.module, f"`{frame.module.code_of(target)}` written per sample",
                        region=region, inside=written, outside=m.inside, rank=2,
                        dim0="S" if tokens_first else "N", ref=_laid_like(m, tokens_first), left=left)


def _whole_axis(interp, el, frame) -> bool:
    """A subscript element that takes a whole axis: ``:``, ``0:``, ``start:`` with ``start`` 0 here."""
    sl = el.slice
    if not isinstance(sl, cst.Slice) or sl.upper is not None or sl.step is not None:
        return False
    return sl.lower is None or algebra.as_int(interp.eval(sl.lower, frame)) == 0


def _tri_index_pair(interp, elems, frame):
    """The triangle a ``[rows, cols]`` index of ``torch.triu_indices`` / ``tril_indices`` lists, or None."""
    if len(elems) != 2 or not all(isinstance(e.slice, cst.Index) for e in elems):
        return None
    return _triangle([interp.eval(e.slice.value, frame) for e in elems])


def _triangle(parts) -> Optional[Mask]:
    """The triangle that index values ``(rows, cols)`` of one ``torch.triu_indices`` /
    ``tril_indices`` call list, or None for any other index."""
    if len(parts) == 2 and all(isinstance(v, TriIndexV) for v in parts) and [v.part for v in parts] == [0, 1] \
            and parts[0].mask == parts[1].mask:
        return parts[0].mask
    return None


def _ids_written(interp, m: Mask, value: AV, target: cst.Subscript, frame):
    """Token rows written into an int tensor of zeros (or of one pad id): ``[i, :n] = row`` (True),
    ``[i, L - n:] = row`` ("left"); False when it is not that."""
    elems = target.slice
    if m.dtype is not Dt.INT or m.region is not Region.ALL or m.rank not in (None, 2) or len(elems) != 2:
        return False
    if not isinstance(value, (Tensor, Unknown)) or (isinstance(value, Tensor) and (value.scores or value.probs)):
        return False
    row, cols = elems[0].slice, elems[1].slice
    if not (isinstance(row, cst.Index) and isinstance(cols, cst.Slice) and cols.step is None):
        return False
    if cols.upper is None and cols.lower is not None:
        return "left" if _length_from_the_end(interp, cols.lower, frame) is True else False  # `[i, L - len(seq):]`
    if cols.lower is not None or cols.upper is None:
        return False
    return _is_length_node(interp, cols.upper, frame)  # `:len(seq)` or `:n` with n a length


def _is_length_node(interp, node, frame) -> bool:
    return (isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "len") or \
        _is_length(interp.eval(node, frame), frame.module.code_of(node))


def _length_from_the_end(interp, node, frame):
    """``L - len(x)`` / ``L - n`` / ``-len(x)`` with n a length: where a left-padded sample starts
    (True); ``L - pad_len``, n the count of pads: where a right-padded sample's padding starts
    ("pad"); else False."""
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        n = node.expression
    elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Subtract):
        n = node.right
    else:
        return False
    if isinstance(n, (cst.Name, cst.Attribute)) and names.PAD_COUNT.search(frame.module.code_of(n)):
        return "pad"  # `-num_pads`, `L - pad_len`: counted from the end, the padding
    return _is_length_node(interp, n, frame)


def _fill_scores(interp, target: cst.Subscript, value: AV, frame) -> bool:
    from masklint.analysis.ctx import Ctx
    from masklint.analysis.sinks import masked_fill_on_scores

    base = interp.eval(target.value, frame)
    if not (isinstance(base, Tensor) and base.scores):
        return False
    elems = list(target.slice)

    def picks(el):  # an index that selects positions (not a slice, not an ellipsis)
        return isinstance(el.slice, cst.Index) and not isinstance(el.slice.value, cst.Ellipsis)

    k = sum(1 for el in elems if picks(el))
    if not k or not all(picks(el) for el in elems[len(elems) - k:]):
        return False  # the positions must index the last (query, key) dimensions: `s[..., r, c]`, `s[:, m]`
    index = [(interp.eval(el.slice.value, frame), el.slice.value) for el in elems if picks(el)]
    mask, node = _triangle([v for v, _ in index]), target  # `s[:, rows, cols] = -inf`
    if mask is None and len(index) == 1 and isinstance(index[0][0], Mask) and index[0][0].dtype is Dt.BOOL:
        mask, node = index[0][0], index[0][1]  # `s[mask] = -inf`
    if mask is None:
        return False
    masked_fill_on_scores(Ctx(interp, frame, target), mask, node, value, target, scores=base)
    return True


REWRITTEN = "cells rewritten by"


def forget_cells(interp, target, frame, written=None) -> None:
    """A write the analysis does not model: the mask keeps its layout, not its cells (the
    evidence says which write, so a causal mask edited by hand is known to be one no longer).
    Writing into a view (``mask[i, :n].fill_(True)``) writes the mask under it; only a mask built
    constant loses its cells that way (a causal mask with a prefix or a sink opened by a fill keeps
    its polarity, whichever of its own values the fill writes)."""
    view = isinstance(target, cst.Subscript)
    while isinstance(target, cst.Subscript):
        written = written if written is not None else target
        target = target.value
    space, key = held(interp, target, frame)
    m = space.get(key) if space is not None else None
    if not isinstance(m, Mask) or (view and m.region is not Region.ALL):
        return
    if written is not None:
        m = m.step(written, frame.module, f"{REWRITTEN} `{frame.module.code_of(written)}`")
    space[key] = replace(m, region=Region.UNKNOWN, inside=Cell.OTHER, outside=Cell.OTHER, causal_source=False)

def rows_written(interp, loop: cst.For, frame) -> None:
    """A mask built constant and written inside the loop through a view: in place on a slice of
    it (``allowed[i, :, :n].fill_(True)``), or through the loop variable holding its rows (``for
    i, row in enumerate(mask): row[a:b, a:b] = 1``).  Written on every turn but the first, its
    cells are known on no path after the loop (whose paths are joined with the one that never
    ran).  A mask with a structure keeps it: a prefix, a window or a sink opened in a causal mask
    leaves its polarity as it was."""
    constant = {k for k, v in frame.env.items() if isinstance(v, Mask) and v.region is Region.ALL}
    if not constant:
        return
    cache = frame.module.__dict__.setdefault("_loop_writes", {})  # per module: node ids stay valid
    if id(loop) not in cache:
        cache[id(loop)] = _loop_writes(loop.body)
    written, on_views = cache[id(loop)]
    for node in on_views:
        if node.value in constant:
            forget_cells(interp, node, frame)
    for base, row in _row_pairs(loop.iter, loop.target):
        if isinstance(base, cst.Name) and isinstance(row, cst.Name) and isinstance(frame.env.get(base.value), Mask) \
                and frame.env[base.value].region is Region.ALL:  # (not forgotten above already)
            node = next((n for n in written if isinstance(n, cst.Name) and n.value == row.value), None)
            if node is not None:
                forget_cells(interp, base, frame, written=node)


def _row_pairs(it, target) -> list:
    """(the iterated expression, the loop variable that holds its rows): ``for row in mask``,
    ``enumerate(mask)``, ``zip(mask, lengths)`` (nested: ``enumerate(zip(mask, lengths))``), with
    ``mask.unbind(0)`` read as ``mask``."""
    if isinstance(it, cst.Call) and isinstance(it.func, cst.Attribute) and it.func.attr.value == "unbind" and \
            all(isinstance(a.value, cst.Integer) and a.value.value == "0" for a in it.args):
        it = it.func.value
    if not isinstance(it, cst.Call):
        return [(it, target)]
    if not (isinstance(it.func, cst.Name) and it.func.value in ("enumerate", "zip") and isinstance(target, cst.Tuple)):
        return []
    args = [a.value for a in it.args]
    targets = [e.value for e in target.elements]
    if it.func.value == "enumerate":
        return _row_pairs(args[0], targets[1]) if args and len(targets) == 2 else []
    return [p for a, t in zip(args, targets) for p in _row_pairs(a, t)] if len(args) == len(targets) else []


def _loop_writes(body) -> tuple:
    """What a block writes into, by root name: (every root written: subscript assignments, ``+=``,
    in-place methods on a name or its views; the roots of in-place methods on a slice,
    ``m[i, :n].fill_(True)``)."""
    written, on_views = [], []

    def root(node):
        while isinstance(node, (cst.Subscript, cst.Attribute)):
            node = node.value
        return node

    class Writes(cst.CSTVisitor):
        def visit_AssignTarget(self, node) -> None:
            if isinstance(node.target, cst.Subscript):
                written.append(root(node.target))

        def visit_AugAssign(self, node) -> None:
            if isinstance(node.target, cst.Subscript):
                written.append(root(node.target))

        def visit_Call(self, node) -> None:
            f = node.func
            if isinstance(f, cst.Attribute) and f.attr.value.endswith("_") and not f.attr.value.endswith("__"):
                written.append(root(f.value))
                if isinstance(f.value, cst.Subscript):
                    base = f.value
                    while isinstance(base, cst.Subscript):
                        base = base.value
                    if isinstance(base, cst.Name):
                        on_views.append(base)

    walk(body, Writes())
    return written, on_views


def grow(interp, fv, args, frame) -> None:
    """``layers.append(nn.MultiheadAttention(...))`` on an nn.ModuleList or a list: the
    container now (also) holds the new element."""
    new = [a[0] for a in positional(args)]
    if fv.name == "insert":
        new = new[1:]
    if fv.name == "extend":
        new = [element_of(v) for v in new]
    recv = fv.recv
    if isinstance(recv, ModuleListV):
        item = recv.item
        for v in new:
            item = join(item, v)
        updated = ModuleListV(item)
    else:
        updated = TupleV(recv.items + tuple(new))
    if isinstance(fv.recv_node, (cst.Name, cst.Attribute)):
        interp.bind(fv.recv_node, updated, frame)


def _laid_like(m: Mask, tokens_first: bool):
    """The token tensor a per-sample padding mask is laid out against, from the sizes it was
    built with (``torch.zeros(src.size(0), src.size(1))``): unswapped where its dims are the
    tensor's own."""
    if len(m.sized) != 2 or m.sized[0].ref.root != m.sized[1].ref.root:
        return m.ref
    d0, d1 = m.sized[0].root_dim(), m.sized[1].root_dim()
    if {d0, d1} != {0, 1}:
        return m.ref
    return TensorRef(m.sized[0].ref.root, swapped=d0 == 1)


def _columns(interp, m: Mask, written: Cell, elems, frame):
    """``mask[:, -1] = 0.0``, ``mask[:, 5:] = True``: positions written out, in every sample.
    Zeros written into ones pad them, wherever they are; otherwise the end of the sequence is
    padding and its start real tokens."""
    rows, cols = elems[0].slice, elems[1].slice
    if not (isinstance(rows, cst.Slice) and rows.lower is None and rows.upper is None and rows.step is None):
        return None
    pads = _zeros_into_ones(m, written)
    if isinstance(cols, cst.Index):
        v = interp.eval(cols.value, frame)
        if not (isinstance(v, Const) and type(v.value) is int):
            return None
        tail = v.value < 0
    elif isinstance(cols, cst.Slice) and cols.step is None and (cols.lower is None) != (cols.upper is None):
        v = interp.eval(cols.lower if cols.lower is not None else cols.upper, frame)
        if not (isinstance(v, Const) and type(v.value) is int):
            return None
        tail = cols.lower is not None
    else:
        return None
    return Region.PAD if pads or tail else Region.REAL


def _square(m: Mask) -> bool:
    """Was the buffer made with two equal sizes (``torch.zeros(6, 6)``, ``torch.ones(L, L)``)?"""
    made = m.evidence[0] if m.evidence else None
    node = made.node if made is not None else None
    if not isinstance(node, cst.Call):
        return False
    sizes = [a.value for a in node.args if a.keyword is None]
    if len(sizes) == 1 and isinstance(sizes[0], (cst.Tuple, cst.List)):
        sizes = [e.value for e in sizes[0].elements]
    return len(sizes) == 2 and made.module.code_of(sizes[0]) == made.module.code_of(sizes[1])


def _zeros_into_ones(m: Mask, written: Cell) -> bool:
    """Zeros (False) written into a mask of ones (True): the written positions are padding,
    whichever end they are at."""
    return m.inside in (Cell.ONE, Cell.TRUE) and written in (Cell.ZERO, Cell.FALSE)


def _row_relative(elems, frame):
    """The cells ``mask[i, :E]`` or ``mask[i, E:]`` write for every row ``i``, when ``E`` is
    written in terms of ``i``: ``i`` / ``i + 1`` give the triangles; any other bound that grows
    with the row (``min((i // chunk + 1) * chunk, size)``: a chunk-causal mask) is read as a
    causal mask with some look-ahead (its past and diagonal on the ``:E`` side)."""
    if len(elems) != 2 or not isinstance(elems[0].slice, cst.Index) or not isinstance(elems[1].slice, cst.Slice):
        return None
    row, sl = elems[0].slice.value, elems[1].slice
    if not isinstance(row, cst.Name) or sl.step is not None:
        return None
    lower = None if sl.lower is None or (isinstance(sl.lower, cst.Integer) and sl.lower.value == "0") else sl.lower
    if (lower is None) == (sl.upper is None):
        return None
    bound = sl.upper if lower is None else lower
    if isinstance(bound, cst.Name) and bound.value != row.value:  # `ending = min((i // c + 1) * c, n)` above
        values = _assigned(frame, bound.value)
        bound = values[0] if len(values) == 1 else bound
    offset = _offset_from(bound, row.value)
    if offset is None:
        if not any(isinstance(n, cst.Name) and n.value == row.value for n in _names_in(bound)):
            return None
        return Region.KEEP_MIX if lower is None else Region.BLOCK_MIX
    if offset not in (0, 1):
        return None
    if lower is None:
        return Region.LOWER if offset == 1 else Region.SUB  # [:i + 1]: j <= i; [:i]: j < i
    return Region.SUPER if offset == 1 else Region.UPPER  # [i + 1:]: j > i; [i:]: j >= i


def _assigned(frame, name: str) -> list:
    """The expressions assigned to the plain name ``name`` in the running function (or the
    module's top level)."""
    body = frame.fn.node if frame.fn is not None else frame.module.tree
    cache = frame.module.__dict__.setdefault("_assigned_names", {})  # per module: node ids stay valid
    if id(body) not in cache:
        found: dict = {}
        for n in _names_in(body):
            if isinstance(n, cst.Assign) and len(n.targets) == 1 and isinstance(n.targets[0].target, cst.Name):
                found.setdefault(n.targets[0].target.value, []).append(n.value)
        cache[id(body)] = found
    return list(cache[id(body)].get(name, ()))


def _offset_from(expr, name: str):
    """``k`` when ``expr`` is ``name`` or ``name + k`` / ``k + name`` (k an integer), else None."""
    if isinstance(expr, cst.Name) and expr.value == name:
        return 0
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
        for a, b in ((expr.left, expr.right), (expr.right, expr.left)):
            if isinstance(a, cst.Name) and a.value == name and isinstance(b, cst.Integer):
                return int(b.value)
    return None


def _names_in(expr):
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)


def _bound(sl):
    """The one bound of ``[:n]`` / ``[n:]`` (no step), else None."""
    if not isinstance(sl, cst.Slice) or sl.step is not None:
        return None
    return sl.lower if sl.upper is None else (sl.upper if sl.lower is None else None)


def _smoke_padding(m: Mask, written: Cell, sl) -> Region:
    """What one sample's write in a smoke test marks: zeros into ones pad it, on either side; a
    write from a position on (``[n:]``) pads the end; ones into zeros up to ``n`` are its tokens."""
    return Region.PAD if _zeros_into_ones(m, written) or sl.lower is not None else Region.REAL


def _literal_row(interp, row, bound, frame) -> bool:
    """``mask[1, 5:] = 0`` in a smoke test: one sample, padded from a position written out."""
    if not isinstance(row, cst.Index):
        return False
    values = interp.eval(row.value, frame), interp.eval(bound, frame)
    return all(isinstance(v, Const) and type(v.value) is int for v in values)


def _row_loop_bound(interp, row, bound, frame) -> bool:
    """``for i, w in enumerate(widths): n = ...; mask[i, :n] = True``: the row is a loop's sample
    index and the bound a number the loop computes per sample (not a constant): a length, whatever
    it is called."""
    if not (isinstance(row, cst.Index) and isinstance(row.value, cst.Name) and frame.fn is not None):
        return False
    if isinstance(interp.eval(bound, frame), Const):
        return False
    index = row.value.value
    if any(isinstance(n, cst.Name) and n.value == index for n in _names_in(bound)):
        return False  # `future[t, t + 1:]`: a position relative to the row, not a length
    for loop in _for_loops(frame.fn):
        target, it = loop.target, loop.iter
        first = target.elements[0].value if isinstance(target, cst.Tuple) and target.elements else target
        if not (isinstance(first, cst.Name) and first.value == index and _over_samples(frame.module, it)):
            continue
        if any(n is row for n in _names_in(loop.body)):
            return True  # (the write is in that loop)
    return False


def _over_samples(module, it) -> bool:
    """``enumerate(widths)``, ``range(len(batch))``, ``range(x.size(0))``, ``range(B)``: a loop over
    the samples of a batch; not ``range(tgt_len)`` (positions: a row per query, a wait-k mask)."""
    if not (isinstance(it, cst.Call) and isinstance(it.func, cst.Name) and it.args):
        return False
    if it.func.value == "enumerate":
        return True
    if it.func.value != "range" or len(it.args) != 1:
        return False
    text = module.code_of(it.args[0].value).replace(" ", "")
    return text.startswith("len(") or text.endswith((".size(0)", ".shape[0]")) or bool(names.BATCH_COUNT.search(text))


def _for_loops(fn) -> list:
    """The ``for`` statements of a function's body, read once."""
    loops = fn.__dict__.get("_for_loops")
    if loops is None:
        loops = fn.__dict__["_for_loops"] = []

        class _Loops(cst.CSTVisitor):
            def visit_For(self, node):
                loops.append(node)

        walk(fn.node.body, _Loops())
    return loops


def _is_length(v: AV, text: str) -> bool:
    """A per-sample length: a lengths tensor, an element of one, or a name that says so."""
    return (isinstance(v, Tensor) and v.lengths) or bool(names.LENISH.search(text.split("[")[0].split(".")[-1])) \
        or bool(names.SIZE_OF_ONE.match(text.replace(" ", "")))
