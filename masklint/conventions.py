"""The one table of attention-mask conventions, shared by the static linter and the runtime hook.

Nothing else in masklint hard-codes what ``True`` means for an API: rules and runtime
validators look the API and parameter up here.  This module must not import torch.

Vocabulary
----------
Polarity of a boolean mask parameter:
  ``BLOCK``  True = the position is NOT attended (nn.MultiheadAttention and nn.Transformer*).
  ``KEEP``   True = the position IS attended (F.scaled_dot_product_attention, flex, Keras).
Float masks are *additive* in every torch API (0 = attend, -inf = blocked), except that the
encoder-layer eval fast path reads them as boolean (see ``fast_path_float_as_bool``).

Shapes are written with N (batch), H (heads), L (queries) and S (keys), in the layout
the API reads with ``batch_first=True`` or where layout does not apply.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Dict, Optional, Tuple


class Polarity(str, Enum):
    BLOCK = "block"  # True = not attended
    KEEP = "keep"  # True = attended


class Role(str, Enum):
    """What a mask parameter is for."""

    ATTN = "attn"  # (L, S)-style attention mask: causal or general structure
    KEY_PADDING = "key_padding"  # (N, S) key padding mask
    MEMORY = "memory"  # decoder cross-attention (L, S) mask
    HEAD = "head"  # a per-head multiplicative mask (head_mask: 1.0 = keep the head)


class Dtype(str, Enum):
    BOOL = "bool"
    FLOAT = "float"  # additive in torch, binary keep in Keras
    INT = "int"


class Layout(str, Enum):
    """Where the batch and sequence dimensions of the query / key inputs are."""

    BATCH_FIRST_CTOR = "batch_first_ctor"  # (N, L, E) with batch_first=True, else (L, N, E)
    SEQ_FIRST = "seq_first"  # always (L, N, E) (F.multi_head_attention_forward)
    HEADS = "heads"  # (N, H, L, E): masks broadcast against (N, H, L, S) (SDPA, flex)
    SEQ_SECOND = "seq_second"  # (N, L, H, E) (flash_attn, xformers)
    BATCHED = "batched"  # (N, L, E) (Keras)


class Heads3D(str, Enum):
    """How the API reads a 3-D attention mask."""

    STACKED = "stacked"  # (N*H, L, S), row b*num_heads + h (MHA, nn.Transformer*)
    BROADCAST = "broadcast"  # broadcast from the right against (N, H, L, S): per head, not per sample
    BATCHED = "batched"  # (N, L, S) per sample (Keras)
    NONE = "none"  # no 3-D masks


class Stack(str, Enum):
    """What an API module is, as a whole model part (for the causal and cross-attention rules)."""

    ATTENTION = "attention"  # one attention
    ENCODER = "encoder"  # bidirectional self-attention over the source
    DECODER = "decoder"  # self-attention over the target + cross-attention to a memory
    ENCODER_DECODER = "encoder_decoder"  # both (nn.Transformer)
    MASK_BUILDER = "mask_builder"  # builds a mask from a function (flex create_block_mask)
    MANUAL = "manual"  # hand-written attention on scores (masked_fill, where, +)


@dataclass(frozen=True)
class MaskParam:
    name: str
    position: Optional[int]  # positional index in the call (self excluded); None = keyword-only
    role: Role
    polarity: Polarity
    dtypes: Tuple[Dtype, ...]  # dtypes the API accepts
    float_is_additive: bool = True  # False: a float mask is read as 0/1 keep (Keras)
    shapes: Tuple[Tuple[str, ...], ...] = ()  # accepted shapes (batch_first layout)
    side: str = "self"  # which sequence the mask belongs to: "src", "tgt", "memory", "self"


@dataclass(frozen=True)
class CausalFlag:
    name: str
    position: Optional[int]
    applies_to: str  # the mask parameter this flag describes ("" for APIs that take no mask tensor)
    ignored_without_mask_in_eval: bool = False  # MHA family: eval fast path runs unmasked
    forbids_mask: bool = False  # SDPA: attn_mask together with is_causal is an error/silent AND
    window: bool = False  # a (left, right) window: causal when right == 0 (flash_attn window_size)
    # the flag itself applies a causal mask, aligned "top_left" (SDPA: query i sees keys j <= i) or
    # "bottom_right" (flash_attn: the last query sees every key); "" = only a hint about the mask
    aligned: str = ""


@dataclass(frozen=True)
class Api:
    key: str  # short stable id used by rules and runtime
    display: str  # how messages name it
    qualnames: Tuple[str, ...]  # fully qualified names that reach it (class or function)
    kind: str  # "module" (instantiate, then call) or "function"
    params: Tuple[MaskParam, ...]
    causal_flags: Tuple[CausalFlag, ...] = ()
    batch_first_ctor: bool = False  # constructor takes batch_first (default False)
    batch_first_position: Optional[int] = None  # its positional index in the constructor
    # positional parameters of the call that are sequences, in order, e.g. ("query","key","value")
    inputs: Tuple[str, ...] = ()
    self_attention: str = ""  # "always", "if_same" (q is k is v) or "" (never / cross)
    fast_path_float_as_bool: bool = False  # eval fast path reads float masks as bool
    framework: str = "torch"
    notes: str = ""
    layout: Layout = Layout.BATCH_FIRST_CTOR
    heads_3d: Heads3D = Heads3D.NONE
    stack: Stack = Stack.ATTENTION
    batch_first_from: str = ""  # constructor argument whose batch_first this module inherits
    causal_target: str = ""  # the mask parameter that makes the (self-)attention causal
    # (side, query input, key input) for each kind of attention the call runs
    sides: Tuple[Tuple[str, str, str], ...] = (("self", "query", "key"),)
    returns: str = "tensor"  # "tensor", "tuple" ((output, weights)) or "none"
    # (owner, attribute) pairs the runtime wraps, owner as an importable dotted path
    runtime: Tuple[Tuple[str, str], ...] = ()
    # parameters with defaults, for builtins that have no inspectable signature
    signature: Tuple[Tuple[str, object], ...] = ()
    reads: str = ""  # for hand-written attention: how the expression reads its mask
    # (package prefix, class name): any qualified name under the prefix ending in the name
    tails: Tuple[Tuple[str, str], ...] = ()
    applied: str = ""  # hand-written products: what the mask multiplies ("probabilities" or "scores")
    score_mod: Tuple[str, int] = ("", -1)  # (name, position) of a callable that edits each score (flex)
    # submodules by attribute: (attribute, API key, is a list of them) (nn.Transformer.encoder ...)
    submodules: Tuple[Tuple[str, str, bool], ...] = ()

    def param(self, name: str) -> Optional[MaskParam]:
        for p in self.params:
            if p.name == name:
                return p
        return None

    def param_at(self, position: int) -> Optional[MaskParam]:
        for p in self.params:
            if p.position == position:
                return p
        return None

    @property
    def stacks_heads(self) -> bool:
        """A 3-D mask is (N*num_heads, L, S): the torch module family (MHA, nn.Transformer*)."""
        return self.heads_3d is Heads3D.STACKED

    @property
    def has_decoder(self) -> bool:
        return self.stack in (Stack.DECODER, Stack.ENCODER_DECODER)

    @property
    def has_encoder(self) -> bool:
        return self.stack in (Stack.ENCODER, Stack.ENCODER_DECODER)

    @property
    def manual(self) -> bool:
        return self.stack is Stack.MANUAL

    @property
    def layers(self) -> str:
        """The attribute holding a stack of layers (nn.TransformerEncoder.layers), or ""."""
        return next((name for name, _, many in self.submodules if many), "")

    def submodule(self, attr: str):
        """(API key, is a list) of the submodule at ``attr``, if the API has one there."""
        for name, key, many in self.submodules:
            if name == attr:
                return key, many
        return None

    def side(self, name: str):
        for side in self.sides:
            if side[0] == name:
                return side
        return None

    def flag(self, name: str) -> Optional[CausalFlag]:
        for f in self.causal_flags:
            if f.name == name:
                return f
        return None

    def positional_names(self) -> Dict[int, str]:
        """Every positional slot we know of (inputs, masks, flags) by index."""
        out: Dict[int, str] = {i: n for i, n in enumerate(self.inputs)}
        for p in self.params:
            if p.position is not None:
                out[p.position] = p.name
        for f in self.causal_flags:
            if f.position is not None:
                out[f.position] = f.name
        out.update(self.extra_positional)
        return out

    extra_positional: Dict[int, str] = field(default_factory=dict, hash=False, compare=False)


B, F_, I = Dtype.BOOL, Dtype.FLOAT, Dtype.INT
_TORCH_MASK = (B, F_)
_ATTN_SHAPES = (("L", "S"), ("N*H", "L", "S"))
_KPM_SHAPES = (("N", "S"), ("S",))  # (S,) for unbatched inputs


def _blk(name, pos, role, side="self", shapes=None):
    if shapes is None:
        shapes = _KPM_SHAPES if role is Role.KEY_PADDING else _ATTN_SHAPES
    return MaskParam(name, pos, role, Polarity.BLOCK, _TORCH_MASK, True, shapes, side)


_SEQ_SIDE = (("self", "query", "key"),)

MHA = Api(
    key="mha",
    display="nn.MultiheadAttention",
    qualnames=(
        "torch.nn.MultiheadAttention",
        "torch.nn.modules.activation.MultiheadAttention",
        "torch.nn.modules.MultiheadAttention",
    ),
    kind="module",
    inputs=("query", "key", "value"),
    params=(
        _blk("key_padding_mask", 3, Role.KEY_PADDING),
        _blk("attn_mask", 5, Role.ATTN),
    ),
    causal_flags=(CausalFlag("is_causal", 7, "attn_mask", ignored_without_mask_in_eval=True),),
    batch_first_ctor=True,
    batch_first_position=8,
    self_attention="if_same",
    extra_positional={4: "need_weights", 6: "average_attn_weights"},
    heads_3d=Heads3D.STACKED,
    causal_target="attn_mask",
    returns="tuple",
    runtime=(("torch.nn.MultiheadAttention", "forward"),),
    tails=(("torch.nn", "MultiheadAttention"),),
)

MHA_FUNCTIONAL = Api(
    key="mha_functional",
    display="F.multi_head_attention_forward",
    qualnames=("torch.nn.functional.multi_head_attention_forward",),
    kind="function",
    inputs=("query", "key", "value"),
    params=(
        # positions after query,key,value,embed_dim_to_check,num_heads,in_proj_weight,in_proj_bias,
        # bias_k,bias_v,add_zero_attn,dropout_p,out_proj_weight,out_proj_bias,training
        _blk("key_padding_mask", 14, Role.KEY_PADDING),
        _blk("attn_mask", 16, Role.ATTN),
    ),
    causal_flags=(CausalFlag("is_causal", None, "attn_mask"),),
    self_attention="if_same",
    notes="query/key/value are always (L, N, E): this functional form has no batch_first.",
    layout=Layout.SEQ_FIRST,
    heads_3d=Heads3D.STACKED,
    causal_target="attn_mask",
    returns="tuple",
    runtime=(("torch.nn.functional", "multi_head_attention_forward"),),
    extra_positional={3: "embed_dim_to_check", 4: "num_heads", 5: "in_proj_weight", 6: "in_proj_bias", 7: "bias_k",
                      8: "bias_v", 9: "add_zero_attn", 10: "dropout_p", 11: "out_proj_weight", 12: "out_proj_bias",
                      13: "training", 15: "need_weights"},
)

ENCODER_LAYER = Api(
    key="encoder_layer",
    display="nn.TransformerEncoderLayer",
    qualnames=(
        "torch.nn.TransformerEncoderLayer",
        "torch.nn.modules.transformer.TransformerEncoderLayer",
    ),
    kind="module",
    inputs=("src",),
    params=(
        _blk("src_mask", 1, Role.ATTN, "src"),
        _blk("src_key_padding_mask", 2, Role.KEY_PADDING, "src"),
    ),
    causal_flags=(CausalFlag("is_causal", 3, "src_mask", ignored_without_mask_in_eval=True),),
    batch_first_ctor=True,
    batch_first_position=6,
    self_attention="always",
    fast_path_float_as_bool=True,
    heads_3d=Heads3D.STACKED,
    stack=Stack.ENCODER,
    causal_target="src_mask",
    sides=(("src", "src", "src"),),
    runtime=(("torch.nn.TransformerEncoderLayer", "forward"),),
    submodules=(("self_attn", "mha", False),),
    tails=(("torch.nn", "TransformerEncoderLayer"),),
)

ENCODER = Api(
    key="encoder",
    display="nn.TransformerEncoder",
    qualnames=("torch.nn.TransformerEncoder", "torch.nn.modules.transformer.TransformerEncoder"),
    kind="module",
    inputs=("src",),
    params=(
        _blk("mask", 1, Role.ATTN, "src"),
        _blk("src_key_padding_mask", 2, Role.KEY_PADDING, "src"),
    ),
    causal_flags=(CausalFlag("is_causal", 3, "mask", ignored_without_mask_in_eval=True),),
    batch_first_ctor=False,  # batch_first comes from the encoder_layer argument
    self_attention="always",
    fast_path_float_as_bool=True,
    heads_3d=Heads3D.STACKED,
    stack=Stack.ENCODER,
    batch_first_from="encoder_layer",
    causal_target="mask",
    sides=(("src", "src", "src"),),
    runtime=(("torch.nn.TransformerEncoder", "forward"),),
    submodules=(("layers", "encoder_layer", True),),
    tails=(("torch.nn", "TransformerEncoder"),),
)

_DECODER_PARAMS = (
    _blk("tgt_mask", 2, Role.ATTN, "tgt"),
    _blk("memory_mask", 3, Role.MEMORY, "memory"),
    _blk("tgt_key_padding_mask", 4, Role.KEY_PADDING, "tgt"),
    _blk("memory_key_padding_mask", 5, Role.KEY_PADDING, "memory"),
)
_DECODER_FLAGS = (
    CausalFlag("tgt_is_causal", 6, "tgt_mask", ignored_without_mask_in_eval=True),
    CausalFlag("memory_is_causal", 7, "memory_mask"),
)
_DECODER_SIDES = (("tgt", "tgt", "tgt"), ("memory", "tgt", "memory"))

DECODER_LAYER = Api(
    key="decoder_layer",
    display="nn.TransformerDecoderLayer",
    qualnames=(
        "torch.nn.TransformerDecoderLayer",
        "torch.nn.modules.transformer.TransformerDecoderLayer",
    ),
    kind="module",
    inputs=("tgt", "memory"),
    params=_DECODER_PARAMS,
    causal_flags=_DECODER_FLAGS,
    batch_first_ctor=True,
    batch_first_position=6,
    self_attention="always",
    heads_3d=Heads3D.STACKED,
    stack=Stack.DECODER,
    causal_target="tgt_mask",
    sides=_DECODER_SIDES,
    runtime=(("torch.nn.TransformerDecoderLayer", "forward"),),
    submodules=(("self_attn", "mha", False), ("multihead_attn", "mha", False)),
    tails=(("torch.nn", "TransformerDecoderLayer"),),
)

DECODER = Api(
    key="decoder",
    display="nn.TransformerDecoder",
    qualnames=("torch.nn.TransformerDecoder", "torch.nn.modules.transformer.TransformerDecoder"),
    kind="module",
    inputs=("tgt", "memory"),
    params=_DECODER_PARAMS,
    causal_flags=_DECODER_FLAGS,
    batch_first_ctor=False,  # from the decoder_layer argument
    self_attention="always",
    heads_3d=Heads3D.STACKED,
    stack=Stack.DECODER,
    batch_first_from="decoder_layer",
    causal_target="tgt_mask",
    sides=_DECODER_SIDES,
    runtime=(("torch.nn.TransformerDecoder", "forward"),),
    submodules=(("layers", "decoder_layer", True),),
    tails=(("torch.nn", "TransformerDecoder"),),
)

TRANSFORMER = Api(
    key="transformer",
    display="nn.Transformer",
    qualnames=("torch.nn.Transformer", "torch.nn.modules.transformer.Transformer"),
    kind="module",
    inputs=("src", "tgt"),
    params=(
        _blk("src_mask", 2, Role.ATTN, "src"),
        _blk("tgt_mask", 3, Role.ATTN, "tgt"),
        _blk("memory_mask", 4, Role.MEMORY, "memory"),
        _blk("src_key_padding_mask", 5, Role.KEY_PADDING, "src"),
        _blk("tgt_key_padding_mask", 6, Role.KEY_PADDING, "tgt"),
        _blk("memory_key_padding_mask", 7, Role.KEY_PADDING, "memory"),
    ),
    causal_flags=(
        CausalFlag("src_is_causal", 8, "src_mask", ignored_without_mask_in_eval=True),
        CausalFlag("tgt_is_causal", 9, "tgt_mask", ignored_without_mask_in_eval=True),
        CausalFlag("memory_is_causal", 10, "memory_mask"),
    ),
    batch_first_ctor=True,
    batch_first_position=10,
    self_attention="always",
    fast_path_float_as_bool=True,
    heads_3d=Heads3D.STACKED,
    stack=Stack.ENCODER_DECODER,
    causal_target="tgt_mask",
    sides=(("src", "src", "src"), ("tgt", "tgt", "tgt"), ("memory", "tgt", "src")),
    runtime=(("torch.nn.Transformer", "forward"),),
    submodules=(("encoder", "encoder", False), ("decoder", "decoder", False)),
    tails=(("torch.nn", "Transformer"),),
)

SDPA = Api(
    key="sdpa",
    display="F.scaled_dot_product_attention",
    qualnames=(
        "torch.nn.functional.scaled_dot_product_attention",
        "torch._C._nn.scaled_dot_product_attention",
        "torch.ops.aten.scaled_dot_product_attention",
    ),
    kind="function",
    inputs=("query", "key", "value"),
    params=(
        MaskParam(
            "attn_mask",
            3,
            Role.ATTN,
            Polarity.KEEP,
            _TORCH_MASK,
            True,
            # anything that broadcasts to (N, H, L, S); a 3-D mask is read per head
            (("L", "S"), (1, "L", "S"), ("H", "L", "S"), ("N", "H", "L", "S"), ("N", 1, "L", "S"),
             ("N", 1, 1, "S")),
        ),
    ),
    causal_flags=(CausalFlag("is_causal", 5, "attn_mask", forbids_mask=True, aligned="top_left"),),
    self_attention="if_same",
    extra_positional={4: "dropout_p", 6: "scale", 7: "enable_gqa"},
    layout=Layout.HEADS,
    heads_3d=Heads3D.BROADCAST,
    causal_target="attn_mask",
    runtime=(("torch.nn.functional", "scaled_dot_product_attention"),),
    signature=(("query", ...), ("key", ...), ("value", ...), ("attn_mask", None), ("dropout_p", 0.0),
               ("is_causal", False), ("scale", None), ("enable_gqa", False)),
)

FLEX_ATTENTION = Api(
    key="flex_attention",
    display="flex_attention",
    qualnames=("torch.nn.attention.flex_attention.flex_attention",),
    kind="function",
    inputs=("query", "key", "value"),
    params=(),  # masks reach flex through block_mask (built from a mask_mod)
    score_mod=("score_mod", 3),  # and through values a score_mod adds to each score
    self_attention="if_same",
    layout=Layout.HEADS,
    runtime=(("torch.nn.attention.flex_attention", "flex_attention"),),
)

# mask_mod consumers: the mask_mod argument returns True where attention is allowed.
FLEX_MASK_BUILDERS = Api(
    key="flex_mask_mod",
    display="FlexAttention mask_mod",
    qualnames=(
        "torch.nn.attention.flex_attention.create_block_mask",
        "torch.nn.attention.flex_attention.create_mask",
    ),
    kind="function",
    inputs=(),
    params=(MaskParam("mask_mod", 0, Role.ATTN, Polarity.KEEP, (B,), False, ()),),
    stack=Stack.MASK_BUILDER,
    returns="none",
)

KERAS_MHA = Api(
    key="keras_mha",
    display="keras.layers.MultiHeadAttention",
    qualnames=(
        "tensorflow.keras.layers.MultiHeadAttention",
        "tf.keras.layers.MultiHeadAttention",
        "keras.layers.MultiHeadAttention",
        "tensorflow.keras.layers.experimental.MultiHeadAttention",
    ),
    kind="module",
    inputs=("query", "value", "key"),
    params=(
        MaskParam(
            "attention_mask",
            None,  # tf.keras 2 has it at 3, Keras 3 at 6: only the keyword is unambiguous
            Role.ATTN,
            Polarity.KEEP,
            (B, F_, I),
            False,  # Keras casts the mask to bool: 1 = attend
            # documented (B, T, S); a 4-D mask broadcasts against the (B, H, T, S) scores as well
            (("N", "L", "S"), ("L", "S"), ("N", 1, 1, "S"), ("N", 1, "L", "S"), ("N", "H", "L", "S")),
        ),
    ),
    causal_flags=(CausalFlag("use_causal_mask", None, "attention_mask"),),
    self_attention="if_same",
    framework="keras",
    layout=Layout.BATCHED,
    heads_3d=Heads3D.BATCHED,
    causal_target="attention_mask",
    tails=(("keras", "MultiHeadAttention"), ("tensorflow", "MultiHeadAttention"), ("tf", "MultiHeadAttention"),
           ("tf_keras", "MultiHeadAttention")),
)

# Keras 3's functional attention (JAX-like): (B, T, N, H) inputs, a bool mask True = attend, and
# is_causal applied on top of the mask.
KERAS_DPA = Api(
    key="keras_dpa",
    display="keras.ops.dot_product_attention",
    qualnames=("keras.ops.dot_product_attention", "keras.ops.nn.dot_product_attention"),
    kind="function",
    inputs=("query", "key", "value"),
    params=(
        MaskParam("mask", 4, Role.ATTN, Polarity.KEEP, (B,), False,
                  (("L", "S"), ("N", 1, "L", "S"), ("N", "H", "L", "S"), ("N", 1, 1, "S"))),
    ),
    causal_flags=(CausalFlag("is_causal", 6, "mask"),),
    self_attention="if_same",
    extra_positional={3: "bias", 5: "scale"},
    framework="keras",
    layout=Layout.SEQ_SECOND,
    causal_target="mask",
)

# PaddlePaddle reads bool masks like SDPA (True = attend), not like torch's nn.MultiheadAttention;
# int masks as 0 = hidden, float masks are added.  Ports of torch code keep torch's True = padding.
PADDLE_MHA = Api(
    key="paddle_mha",
    display="paddle.nn.MultiHeadAttention",
    qualnames=("paddle.nn.MultiHeadAttention", "paddle.nn.layer.transformer.MultiHeadAttention"),
    kind="module",
    inputs=("query", "key", "value"),
    params=(
        MaskParam("attn_mask", 3, Role.ATTN, Polarity.KEEP, (B, F_, I), True,
                  (("L", "S"), ("N", 1, "L", "S"), ("N", "H", "L", "S"), ("N", 1, 1, "S"))),
    ),
    self_attention="if_same",
    framework="paddle",
    layout=Layout.BATCHED,
    heads_3d=Heads3D.BROADCAST,
    causal_target="attn_mask",
    tails=(("paddle", "MultiHeadAttention"),),
)

# --- flash-attn: no mask tensor, only flags (static support; the runtime needs a GPU) --------
_FLASH_NOTES = "flash_attn does not install without CUDA: masklint checks these calls statically only."

FLASH_ATTN = Api(
    key="flash_attn",
    display="flash_attn_func",
    qualnames=(
        "flash_attn.flash_attn_func",
        "flash_attn.flash_attn_interface.flash_attn_func",
    ),
    kind="function",
    inputs=("q", "k", "v"),
    params=(),
    causal_flags=(CausalFlag("causal", 5, "", aligned="bottom_right"), CausalFlag("window_size", 6, "", window=True)),
    self_attention="if_same",
    extra_positional={3: "dropout_p", 4: "softmax_scale"},
    layout=Layout.SEQ_SECOND,
    sides=(("self", "q", "k"),),
    notes=_FLASH_NOTES,
)

FLASH_ATTN_QKVPACKED = Api(
    key="flash_attn_qkvpacked",
    display="flash_attn_qkvpacked_func",
    qualnames=(
        "flash_attn.flash_attn_qkvpacked_func",
        "flash_attn.flash_attn_interface.flash_attn_qkvpacked_func",
    ),
    kind="function",
    inputs=("qkv",),
    params=(),
    causal_flags=(CausalFlag("causal", 3, "", aligned="bottom_right"), CausalFlag("window_size", 4, "", window=True)),
    self_attention="always",
    extra_positional={1: "dropout_p", 2: "softmax_scale"},
    layout=Layout.SEQ_SECOND,
    sides=(("self", "qkv", "qkv"),),
    notes=_FLASH_NOTES,
)

FLASH_ATTN_VARLEN = Api(
    key="flash_attn_varlen",
    display="flash_attn_varlen_func",
    qualnames=(
        "flash_attn.flash_attn_varlen_func",
        "flash_attn.flash_attn_interface.flash_attn_varlen_func",
    ),
    kind="function",
    inputs=("q", "k", "v"),
    params=(),
    causal_flags=(CausalFlag("causal", 9, "", aligned="bottom_right"),
                  CausalFlag("window_size", 10, "", window=True)),
    self_attention="if_same",
    extra_positional={3: "cu_seqlens_q", 4: "cu_seqlens_k", 5: "max_seqlen_q", 6: "max_seqlen_k",
                      7: "dropout_p", 8: "softmax_scale"},
    layout=Layout.SEQ_SECOND,
    sides=(("self", "q", "k"),),
    notes=_FLASH_NOTES + " Sequences are packed: (total_tokens, H, D) with cu_seqlens offsets.",
)

# flash-attn 3 (hopper, ``flash_attn_interface``) reorders the positional parameters (no dropout_p):
# only the keywords are bound; a positional flag makes the call's causality unknown.
FLASH_ATTN3 = Api(
    key="flash_attn3",
    display="flash_attn_interface.flash_attn_func",
    qualnames=("flash_attn_interface.flash_attn_func", "flash_attn_interface.flash_attn_varlen_func"),
    kind="function",
    inputs=("q", "k", "v"),
    params=(),
    causal_flags=(CausalFlag("causal", None, "", aligned="bottom_right"),
                  CausalFlag("window_size", None, "", window=True)),
    self_attention="if_same",
    layout=Layout.SEQ_SECOND,
    sides=(("self", "q", "k"),),
    notes=_FLASH_NOTES,
)

# --- xformers: attn_bias is an additive float tensor or an AttentionBias object ---------------
XFORMERS_MEA = Api(
    key="xformers_mea",
    display="xformers.ops.memory_efficient_attention",
    qualnames=(
        "xformers.ops.memory_efficient_attention",
        "xformers.ops.fmha.memory_efficient_attention",
        "xformers.ops.fmha.memory_efficient_attention_forward",
        "xformers.ops.memory_efficient_attention_forward",
    ),
    kind="function",
    inputs=("query", "key", "value"),
    params=(
        # a tensor bias is added to the scores (0 = attend, -inf = blocked); bool tensors are not accepted
        MaskParam("attn_bias", 3, Role.ATTN, Polarity.BLOCK, (F_,), True,
                  (("L", "S"), ("N", "H", "L", "S"), ("N", 1, "L", "S"))),
    ),
    self_attention="if_same",
    extra_positional={4: "p", 5: "scale"},
    layout=Layout.SEQ_SECOND,
    heads_3d=Heads3D.BROADCAST,
    causal_target="attn_bias",
    notes="xformers needs CUDA: masklint checks these calls statically only.",
)

# --- Hugging Face attention interface: (module, query, key, value, attention_mask, ...) -------
_HF_MASK = MaskParam("attention_mask", 4, Role.ATTN, Polarity.KEEP, _TORCH_MASK, True,
                     (("N", 1, "L", "S"), ("N", "H", "L", "S")))

HF_SDPA_ATTENTION = Api(
    key="hf_sdpa_attention",
    display="transformers sdpa_attention_forward",
    qualnames=("transformers.integrations.sdpa_attention.sdpa_attention_forward",),
    kind="function",
    inputs=("module", "query", "key", "value"),
    params=(_HF_MASK,),
    causal_flags=(CausalFlag("is_causal", None, "attention_mask"),),
    self_attention="",  # the module decides; query/key are already projected per head
    extra_positional={5: "dropout", 6: "scaling"},
    layout=Layout.HEADS,
    heads_3d=Heads3D.BROADCAST,
    causal_target="attention_mask",
    returns="tuple",
    sides=(("self", "query", "key"),),
    notes="attention_mask: a 4-D bool keep mask or an additive float mask, as built by masking_utils.",
)

HF_FLASH_ATTENTION = Api(
    key="hf_flash_attention",
    display="transformers flash_attention_forward",
    qualnames=("transformers.integrations.flash_attention.flash_attention_forward",),
    kind="function",
    inputs=("module", "query", "key", "value"),
    params=(MaskParam("attention_mask", 4, Role.KEY_PADDING, Polarity.KEEP, (B, I), False, (("N", "S"),)),),
    self_attention="",
    extra_positional={5: "dropout", 6: "scaling", 7: "sliding_window", 8: "softcap"},
    layout=Layout.HEADS,
    returns="tuple",
    sides=(("self", "query", "key"),),
    notes="attention_mask: the 2-D (N, S) padding mask, 1 = real token; causality comes from module.is_causal.",
)

HF_FLEX_ATTENTION = Api(
    key="hf_flex_attention",
    display="transformers flex_attention_forward",
    qualnames=("transformers.integrations.flex_attention.flex_attention_forward",),
    kind="function",
    inputs=("module", "query", "key", "value"),
    params=(),  # a BlockMask built by masking_utils
    self_attention="",
    layout=Layout.HEADS,
    sides=(("self", "query", "key"),),
)

# Manual attention: ``scores.masked_fill(mask, -inf)`` blocks where the mask is True;
# ``torch.where(mask, scores, -inf)`` keeps where it is True.  Not an API, but the same table.
MANUAL_MASKED_FILL = Api(
    key="masked_fill_scores",
    display="scores.masked_fill(mask, -inf)",
    qualnames=(),
    kind="method",
    inputs=(),
    params=(MaskParam("mask", 0, Role.ATTN, Polarity.BLOCK, (B,), True, ()),),
    stack=Stack.MANUAL,
    reads="(True = hidden)",
    # the runtime checks the calls that fill attention scores with a large negative
    runtime=(("torch.Tensor", "masked_fill"), ("torch.Tensor", "masked_fill_")),
)
MANUAL_WHERE = Api(
    key="where_scores",
    display="torch.where(mask, scores, -inf)",
    qualnames=(),
    kind="function",
    inputs=(),
    params=(MaskParam("condition", 0, Role.ATTN, Polarity.KEEP, (B,), True, ()),),
    stack=Stack.MANUAL,
    reads="(True = kept)",
    runtime=(("torch", "where"),),
)

MANUAL_ADD = Api(
    key="add_scores",
    display="scores + mask",
    qualnames=(),
    kind="method",
    inputs=(),
    params=(MaskParam("mask", 0, Role.ATTN, Polarity.BLOCK, (F_,), True, ()),),
    stack=Stack.MANUAL,
    reads="(added: 0 keeps, a large negative hides)",
    # the runtime checks the adds of a float mask with large negatives to attention scores
    runtime=(("torch.Tensor", "__add__"), ("torch.Tensor", "__iadd__"), ("torch.Tensor", "add"),
             ("torch.Tensor", "add_"), ("torch", "add")),
)

# ``scores * mask`` before the softmax: a 0 score is exp(0), not a hidden position.
MANUAL_MUL = Api(
    key="mul_scores",
    display="scores * mask",
    qualnames=(),
    kind="method",
    inputs=(),
    params=(MaskParam("mask", 0, Role.ATTN, Polarity.KEEP, (B, F_, I), False, ()),),
    stack=Stack.MANUAL,
    applied="scores",
    reads="(multiplied into the scores)",
)

# ``softmax(q @ k^T)`` with nothing applied to the scores: hand-written attention with no mask.
MANUAL_SOFTMAX = Api(
    key="softmax_scores",
    display="softmax(q @ k^T)",
    qualnames=(),
    kind="function",
    inputs=(),
    params=(MaskParam("mask", 0, Role.ATTN, Polarity.BLOCK, (B, F_), True, ()),),
    stack=Stack.MANUAL,
    reads="(no mask applied to the scores)",
)

# Hugging Face's head_mask: multiplied into the attention probabilities, 1.0 = keep the head.
_HEAD_MASK = MaskParam("head_mask", 0, Role.HEAD, Polarity.KEEP, (F_, B), False,
                       (("H",), ("N", "H", 1, 1), (1, "H", 1, 1)), "self")
HEAD_MASK_PROBS = Api(
    key="head_mask_probs",
    display="probs * head_mask",
    qualnames=(),
    kind="method",
    inputs=(),
    params=(_HEAD_MASK,),
    stack=Stack.MANUAL,
    applied="probabilities",
)
HEAD_MASK_SCORES = Api(
    key="head_mask_scores",
    display="scores * head_mask",
    qualnames=(),
    kind="method",
    inputs=(),
    params=(_HEAD_MASK,),
    stack=Stack.MANUAL,
    applied="scores",
)

APIS: Tuple[Api, ...] = (
    MHA,
    MHA_FUNCTIONAL,
    ENCODER_LAYER,
    ENCODER,
    DECODER_LAYER,
    DECODER,
    TRANSFORMER,
    SDPA,
    FLEX_ATTENTION,
    FLEX_MASK_BUILDERS,
    KERAS_MHA,
    KERAS_DPA,
    PADDLE_MHA,
    FLASH_ATTN,
    FLASH_ATTN_QKVPACKED,
    FLASH_ATTN_VARLEN,
    FLASH_ATTN3,
    XFORMERS_MEA,
    HF_SDPA_ATTENTION,
    HF_FLASH_ATTENTION,
    HF_FLEX_ATTENTION,
)

#: every API by key, the manual-attention pseudo-APIs included
BY_KEY: Dict[str, Api] = {a.key: a for a in APIS + (MANUAL_MASKED_FILL, MANUAL_WHERE, MANUAL_ADD, MANUAL_MUL, MANUAL_SOFTMAX, HEAD_MASK_PROBS,
                                                    HEAD_MASK_SCORES)}

#: qualified name -> Api, for call resolution
BY_QUALNAME: Dict[str, Api] = {q: a for a in APIS for q in a.qualnames}


def api_for(qualname: str) -> Optional[Api]:
    """The API a qualified name reaches: an exact name, or a class re-exported under its package
    (``torch.nn.modules.activation.MultiheadAttention``, ``keras.src.layers.MultiHeadAttention``)."""
    api = BY_QUALNAME.get(qualname)
    if api is not None:
        return api
    tail = qualname.rsplit(".", 1)[-1]
    for a in APIS:
        for prefix, name in a.tails:
            if tail == name and (qualname == prefix or qualname.startswith(prefix + ".")):
                return a
    return None


# Hugging Face attention masks: a *source*, not a sink. 1 = real token, int64.
HF_ATTENTION_MASK_NAMES = ("attention_mask", "encoder_attention_mask", "decoder_attention_mask")
HF_MASK_POLARITY = Polarity.KEEP
HF_MASK_DTYPE = Dtype.INT

# Mask-producing library helpers (sources): qualified name -> (dtype, what True / -inf marks)
GENERATE_SQUARE_SUBSEQUENT_MASK = (
    "torch.nn.Transformer.generate_square_subsequent_mask",
    "torch.nn.modules.transformer.Transformer.generate_square_subsequent_mask",
    "torch.nn.modules.transformer._generate_square_subsequent_mask",
)

# Largest finite magnitude of float16: a finite mask constant beyond this overflows in fp16.
FP16_MAX = 65504.0


# --------------------------------------------------------------------------- mask sources
@dataclass(frozen=True)
class MaskSource:
    """A library function or class that builds a mask whose convention is documented.

    ``encoding``: "bool_keep" (True = attend), "additive" (0 = attend, -inf / finfo.min = blocked)
    or "configured" (bool, additive, a BlockMask or None, chosen by the library's configuration:
    only the structure is known).  ``hides``: "future" (j > i), "padding", "future+padding" or
    "other" (e.g. other documents).  ``names`` match the last components of a qualified name under
    ``package`` (``xformers.ops.fmha.attn_bias.LowerTriangularMask`` and
    ``xformers.ops.LowerTriangularMask`` alike)."""

    package: str
    names: Tuple[str, ...]
    display: str
    encoding: str
    hides: str
    rank: Optional[int] = None
    dim0: Optional[str] = None


MASK_SOURCES: Tuple[MaskSource, ...] = (
    # torch.nn.attention.bias: CausalBias objects SDPA reads as a causal keep mask
    MaskSource("torch.nn.attention.bias", ("causal_lower_right",), "causal_lower_right", "bool_keep", "future", 2, "L"),
    MaskSource("torch.nn.attention.bias", ("causal_upper_left",), "causal_upper_left", "bool_keep", "future", 2, "L"),
    # xformers AttentionBias objects
    MaskSource("xformers", ("LowerTriangularMask",), "xformers LowerTriangularMask()", "additive", "future"),
    MaskSource("xformers", ("LowerTriangularMaskWithTensorBias",), "xformers LowerTriangularMaskWithTensorBias",
               "additive", "future"),
    MaskSource("xformers", ("BlockDiagonalCausalMask.from_seqlens", "BlockDiagonalCausalMask",
                            "BlockDiagonalCausalLocalAttentionMask.from_seqlens",
                            "BlockDiagonalCausalWithOffsetPaddedKeysMask.from_seqlens",
                            "BlockDiagonalCausalFromBottomRightMask.from_seqlens"),
               "xformers BlockDiagonalCausalMask", "additive", "future+padding"),
    MaskSource("xformers", ("BlockDiagonalMask.from_seqlens", "BlockDiagonalMask"), "xformers BlockDiagonalMask",
               "additive", "other"),
    # Hugging Face transformers 5.x masking_utils (the attention implementation picks the kind)
    MaskSource("transformers", ("masking_utils.create_causal_mask", "masking_utils.create_sliding_window_causal_mask",
                                "masking_utils.create_chunked_causal_mask", "masking_utils.create_masks_for_generate"),
               "transformers create_causal_mask", "configured", "future+padding"),
    MaskSource("transformers", ("masking_utils.create_bidirectional_mask",), "transformers create_bidirectional_mask",
               "configured", "padding", 4, "N"),
    # Hugging Face transformers 4.x modeling_attn_mask_utils
    MaskSource("transformers", ("modeling_attn_mask_utils._prepare_4d_causal_attention_mask",),
               "_prepare_4d_causal_attention_mask", "additive", "future+padding", 4, "N"),
    MaskSource("transformers", ("modeling_attn_mask_utils._prepare_4d_causal_attention_mask_for_sdpa",),
               "_prepare_4d_causal_attention_mask_for_sdpa", "configured", "future+padding", 4, "N"),
    MaskSource("transformers", ("modeling_attn_mask_utils._prepare_4d_attention_mask",
                                "modeling_attn_mask_utils._prepare_4d_attention_mask_for_sdpa",
                                "modeling_attn_mask_utils._expand_mask"),
               "_prepare_4d_attention_mask", "additive", "padding", 4, "N"),
    MaskSource("transformers", ("AttentionMaskConverter._make_causal_mask", "AttentionMaskConverter.to_causal_4d",
                                "modeling_attn_mask_utils._make_causal_mask"),
               "AttentionMaskConverter causal mask", "additive", "future", 4, "N"),
)


def mask_source(qualname: str) -> Optional[MaskSource]:
    """The documented mask builder a qualified name reaches, if any."""
    for src in MASK_SOURCES:
        if qualname != src.package and not qualname.startswith(src.package + "."):
            continue
        for name in src.names:
            if qualname.endswith("." + name):
                return src
    return None
