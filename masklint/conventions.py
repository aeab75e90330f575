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
from typing import Dict, Iterable, Optional, Tuple


class Polarity(str, Enum):
    BLOCK = "block"  # True = not attended
    KEEP = "keep"  # True = attended


class Role(str, Enum):
    """What a mask parameter is for."""

    ATTN = "attn"  # (L, S)-style attention mask: causal or general structure
    KEY_PADDING = "key_padding"  # (N, S) key padding mask
    MEMORY = "memory"  # decoder cross-attention (L, S) mask


class Dtype(str, Enum):
    BOOL = "bool"
    FLOAT = "float"  # additive in torch, binary keep in Keras
    INT = "int"


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
    applies_to: str  # the mask parameter this flag describes
    ignored_without_mask_in_eval: bool = False  # MHA family: eval fast path runs unmasked
    forbids_mask: bool = False  # SDPA: attn_mask together with is_causal is an error/silent AND


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
_KPM_SHAPES = (("N", "S"),)


def _blk(name, pos, role, side="self", shapes=None):
    if shapes is None:
        shapes = _KPM_SHAPES if role is Role.KEY_PADDING else _ATTN_SHAPES
    return MaskParam(name, pos, role, Polarity.BLOCK, _TORCH_MASK, True, shapes, side)


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
            (("L", "S"), ("N", "H", "L", "S"), ("N", 1, "L", "S"), ("N", 1, 1, "S")),
        ),
    ),
    causal_flags=(CausalFlag("is_causal", 5, "attn_mask", forbids_mask=True),),
    self_attention="if_same",
    extra_positional={4: "dropout_p", 6: "scale"},
)

FLEX_ATTENTION = Api(
    key="flex_attention",
    display="flex_attention",
    qualnames=("torch.nn.attention.flex_attention.flex_attention",),
    kind="function",
    inputs=("query", "key", "value"),
    params=(),  # masks reach flex through block_mask (built from a mask_mod)
    self_attention="if_same",
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
            (("N", "L", "S"), ("L", "S")),
        ),
    ),
    causal_flags=(CausalFlag("use_causal_mask", None, "attention_mask"),),
    self_attention="if_same",
    framework="keras",
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
)
MANUAL_WHERE = Api(
    key="where_scores",
    display="torch.where(mask, scores, -inf)",
    qualnames=("torch.where",),
    kind="function",
    inputs=(),
    params=(MaskParam("condition", 0, Role.ATTN, Polarity.KEEP, (B,), True, ()),),
)

MANUAL_ADD = Api(
    key="add_scores",
    display="scores + mask",
    qualnames=(),
    kind="method",
    inputs=(),
    params=(MaskParam("mask", 0, Role.ATTN, Polarity.BLOCK, (F_,), True, ()),),
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
)

#: every API by key, the manual-attention pseudo-APIs included
BY_KEY: Dict[str, Api] = {a.key: a for a in APIS + (MANUAL_MASKED_FILL, MANUAL_WHERE, MANUAL_ADD)}

#: qualified name -> Api, for call resolution
BY_QUALNAME: Dict[str, Api] = {q: a for a in APIS for q in a.qualnames}

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


def apis_for(qualname: str) -> Optional[Api]:
    return BY_QUALNAME.get(qualname)


def mask_params(api: Api) -> Iterable[MaskParam]:
    return api.params
