"""Every guess masklint makes from how code is *written* (identifiers and expression text).

Names are hints that hold until the code shows otherwise: the analysis prefers what values do
(``tests/test_names.py`` holds the table of names that must and must not match).  Nothing else in
masklint matches identifiers with regular expressions.
"""
from __future__ import annotations

import re

# --- tensors ---------------------------------------------------------------------------------
#: a pad id / pad index: ``ids == pad_id``, ``tokens.eq(self.padding_idx)``
PAD_NAME = re.compile(r"pad", re.I)
#: the name an expression starts with (`cache[0]` -> `cache`)
LEADING_NAME = re.compile(r"[A-Za-z_]\w*")
#: the id of a missing value or absent slot, compared like a padding id (`x_cat != NA`: the observed cells)
MISSING_ID = re.compile(r"(^|[._])(NA|NAN_ID|MISSING|MISSING_(ID|IDX|TOKEN)|NULL_(ID|IDX|TOKEN)|na_(id|idx|token)|"
                        r"missing_(id|idx|token))$")
#: an empty slot's id, compared with ids (`facet_id == EMPTY`); a board's EMPTY cell is not padding
EMPTY_ID = re.compile(r"(^|[._])(EMPTY|EMPTY_(ID|IDX|SLOT)|UNUSED|empty_(id|idx|slot))$")
#: ids compared with -1 or an EMPTY constant, the usual "no id here" (`facet_id == -1`, `seq_id != -1`):
#: the padded slots (labels compared with -1 are an ignore index, not padding)
SENTINEL_IDS = re.compile(r"^(?!.*(label|target|tgt|tag|class|answer|y_))(\w*_)?(ids?|idx|index)$")
#: the parameter a model's forward takes a collated batch dict in
BATCH_NAME = re.compile(r"^(batch|mini_?batch|mb|inputs|data|sample|samples|example|examples|features|collated)$")
#: a forward pre-hook writing a mask or the causal flag into the call's keyword arguments
KWARGS_MASK_WRITE = re.compile(r"""kwargs\[["'](\w*mask\w*|is_causal)["']\]\s*=|kwargs\.update\([^)]*(mask|is_causal)""")
#: token id tensors, compared with 0 for padding: ``input_ids == 0``, ``src.eq(0)``
TOKENISH = re.compile(r"(^|[._])(ids?|input_ids|tokens?|toks|src|tgt|trg|source|target|inputs?|seqs?|sequences?|text|words?|x"
                      r"|atoms?|atom_types|residues?|items?|notes|events|codes)$")
#: per-sample lengths: ``arange(S) < lengths[:, None]``
LENISH = re.compile(r"(^|_)(len|lens|lengths?|seq_lens?|src_lens?|tgt_lens?|x_lens?|lengths_)$|lengths?$|_lens?$"
                    r"|^(n|num)_(?!(heads|layers|dims|experts|classes|labels|groups|blocks)$)[a-z]+s$"
                    r"|^(n|num)_(real|valid|present|observed|active|kept)$")
#: a parameter holding a key padding mask, True = padding (the torch convention its name says)
PADDING_MASK_PARAM = re.compile(r"(^|_)(pad|padding)(_mask)?$|key_padding_mask$")
#: a graph's adjacency by its name: True where two nodes are joined (an edge), the pairs a graph
#: attention lets attend
ADJACENCY_NAME = re.compile(r"^(adj|adjacency|adj_mask|adjacency_mask|adj_matrix|adjacency_matrix|bonded|bond_mask|"
                            r"connected|connectivity)$")
#: what a parameter named for a graph's adjacency is taken to hold (a guess rules may trust:
#: unlike ``attention_mask``, the name has one meaning)
ADJACENCY = "a graph's adjacency, True = an edge"


def trusted_guess(m) -> bool:
    """A mask guessed from a name with one meaning (a graph's adjacency), or a float mask whose
    docstring says what 1.0 and 0.0 mean, which rules may read like one the code built.  (A
    documented bool padding mask stays a guess: docstrings copied between models drift from the
    code, as in transformers' Grounding DINO.)"""
    return bool(m.assumed and m.evidence and (ADJACENCY in m.evidence[0].text or (
        DOCUMENTED in m.evidence[0].text and m.evidence[0].text.endswith("(float)"))))


#: the size of one sequence, in a write per sample (`pad[:c.shape[0], i] = False`, `m[i, len(seq):] = 1`)
SIZE_OF_ONE = re.compile(r"^(len\(\w+\)|\w+\.shape\[0\]|\w+\.size\(0\)|\w+\.numel\(\))$")
#: how a mask read from its parameter's docstring names its source (sources._read_docs)
DOCUMENTED = ", documented: "
#: a bool mask of the real elements by its name (True = valid / observed / present)
VALID_MASK_NAME = re.compile(r"(^|_)(valid|is_valid|observed|present)(_mask)?$|^(valid|keep|real)_mask$")
#: an output projection onto the vocabulary (an LM head)
VOCAB = re.compile(r"vocab|token|n_class|ntoken|num_embeddings|n_vocab|(^|_)(words?|chars?)$", re.I)
#: target-side tensors of a seq2seq model
TARGET = re.compile(r"^(tgt|trg|target|dec|decoder)(_|$)|_(tgt|trg|target)$")
#: a target-named tensor that is another sequence than the one being decoded (`prev_tgt`: the
#: previous sentence, encoded as a context)
OTHER_TARGET = re.compile(r"^(prev|previous|last|past|ctx|context|history|hist)_")
#: what a decoder is fed while trained: `targets`, `decoder_inputs`, `x_dec`, `dec_in`
DECODER_INPUT = re.compile(r"^targets?$|^decoder_inputs?$|(^|_)dec(_in|_inp|_input)?$")
#: dicts of model inputs that may already hold an extended (4-D additive) attention_mask
MODEL_INPUTS = re.compile(r"kwargs|kw$|inputs_dict|model_inputs")

# --- head counts -----------------------------------------------------------------------------
_HEAD = re.compile(r"head", re.I)
#: an entry script's main block
ENTRY_SCRIPT = re.compile(r"^if\s+__name__\s*==\s*['\"]__main__['\"]", re.M)
#: a count of samples (`range(B)`, `range(bsz)`, `range(batch_size)`)
BATCH_COUNT = re.compile(r"^(B|N|bs|bsz|batch|batch_size|n_batch|nbatch|num_samples|n_samples)$")
#: the annotated transformer's `self.h`, `nh`: a count of heads where a count is read (repeat, a product)
_HEAD_LETTER = re.compile(r"((self|cfg|config|args)\.)?(h|H|nh|n_h)")
_BATCHISH = re.compile(r"bsz|batch|\bB\b|\bN\b|\bbs\b|\*")
#: ``x.unsqueeze(0)`` / ``x[None]``: a new leading dimension
_LEADING_NEW_DIM = re.compile(r"unsqueeze\(0\)$|\[None\]$|\[None, ")


#: what a comprehension over samples iterates (`for r in rows`, `in zip(batch, lengths)`)
PER_SAMPLE_ITER = re.compile(r"(^|[._(\s])(rows|batch\w*|samples?|examples?|records?|items|seqs|sequences|docs?|"
                             r"documents|sentences|utterances|graphs|images|clips|episodes|passes|lengths|lens)\b")
_BATCH_SIZE = re.compile(r"^(?:\w+\.)*(?:bsz|bs|B|N|batch|batch_size|n_batch|num_batch|batchsize)$")


def is_batch_size(text: str) -> bool:
    """``batch``, ``bsz``, ``self.batch_size``, ``B``: the size of a batch (its rows are samples)."""
    return bool(_BATCH_SIZE.match(text))


def is_head_count(text: str) -> bool:
    """``num_heads``, ``self.n_head``, ``cfg.heads``: a number of heads, not a batch size."""
    return bool(_HEAD.search(text) or _HEAD_LETTER.fullmatch(text)) and not _BATCHISH.search(text)


def adds_leading_dim(text: str) -> bool:
    return bool(_LEADING_NEW_DIM.search(text))


#: a per-head multiplicative mask (Hugging Face's head_mask: 1.0 = keep the head)
#: an element of a ``torch.cat`` along the sequence that is a key/value cache (past tokens)
KV_CACHE = re.compile(r"(^|[._\[])(past|cache|cached|prev|previous|layer_past|kv_cache|k_cache|v_cache)"
                      r"(_|\b|\[|$)|cache_[kv]\b|(^|_)(past|prev)_?(k|v|key|value|keys|values)s?\b", re.I)

#: a local variable that holds a mask by its name (`attention_mask = ...`, `pad_mask = ...`)
#: a local that holds an attention or padding mask by its name (not `mask`, `loss_mask`, an image's)
ATTENTION_MASK_LOCAL = re.compile(r"(^|_)(attention|attn|padding|pad|key_padding|src|tgt|memory|encoder_attention|"
                                  r"self_attn|cross_attn)_mask$")
#: a test that picks an attention implementation or backend (`if self.impl == "sdpa":`, `if _use_sdpa:`)
IMPL_TEST = re.compile(r"impl|sdpa|flash|backend|xformers|fused|use_(?:sdpa|flash|fused|xformers|triton)", re.I)
MASK_VARIABLE = re.compile(r"(^|_)(attention|attn|padding|pad|key_padding|src|tgt|input)_mask$|^mask$")

#: a function parameter that holds the model (`def train_epoch(model, loader, optimizer)`)
MODEL_PARAM = re.compile(r"^(model|net|network|transformer)$")

#: the keys of cross-attention: another sequence's states (an encoder's output, a memory, a context)
OTHER_SEQUENCE = re.compile(r"(^|_)(enc|encoder|memory|mem|context|ctx|src|source|cross|condition|cond)(_|s?$)", re.I)

#: an enclosing `if` on a tensor's rank (`mask.ndim == 2`, `mask.dim() == 4`): code for several mask forms
RANK_TEST = re.compile(r"\.ndim\b|\.dim\(\)|len\([^)]*\.shape\)")

#: an enclosing `if` that compares numbers (`if S == L:`, `if q_len > 1:`): lengths may be checked there
NUMERIC_GUARD = re.compile(r"^[^'\"]*(==|!=|<=|>=|<|>)[^'\"]*$")

#: a head mask in code (`head_mask`, `head_mask.view(1, -1, 1, 1)`, `layer_head_mask[:, None]`)
HEAD_MASK_CODE = re.compile(r"head_mask\b")

#: code that normalises scores over the keys (hand-written attention applies one of these)
NORMALISERS = re.compile(r"softmax|sparsemax|entmax|scaled_dot_product|\.exp\(")

#: ``(feats != 0)`` / ``feats.eq(0)``: a per-element test against zero, reduced over features by
#: ``.any(-1)`` / ``.all(-1)`` into a per-frame padding mask
ZERO_TEST = re.compile(r"^\(?(?P<x>[A-Za-z_][\w.]*)(\s*(?P<op>==|!=)\s*|\.(?P<method>eq|ne)\()0(\.0)?\)?$")

#: a tril / triu diagonal that is the key length minus the query length (plus one): ``j - i + 1``,
#: ``1 + kv_len - q_len``, ``k.size(-2) - q.size(-2)``
_LEN = r"[A-Za-z_][\w.]*(?:\([^()]*\))?(?:\[[^\]]*\])?"
LENGTH_DIFF_DIAGONAL = re.compile(rf"^(?P<one1>1\s*\+\s*)?{_LEN}\s*-\s*{_LEN}(?P<one2>\s*\+\s*1)?$")

#: evidence of a step that makes a mask bool: ``.bool()``, ``dtype=torch.bool``, a comparison
MAKES_BOOL = re.compile(r"\.bool\(\)|torch\.bool|==|!=|[<>]|\.to\(.*bool")

# --- extended masks --------------------------------------------------------------------------
#: ``mask[:, None, None, :]``: how a raw (N, S) tokenizer mask is extended for (N, H, L, S)
KEY_EXPAND = re.compile(r"^\[:,\s*None,\s*None,\s*:\]$|^\[:,\s*None,\s*None\]$|^\.(view|reshape)\(N, 1, 1, S\)$"
                        r"|^einops\('(?P<b>\w+) (?P<j>\w+) -> (?P=b) \S+ \S+ (?P=j)'\)$")  # rearrange(m, "b j -> b 1 1 j")
#: the same extension written with unsqueeze: ``mask.unsqueeze(1).unsqueeze(2)`` (consecutive steps)
KEY_UNSQUEEZE = re.compile(r"\.unsqueeze\(1\)\.unsqueeze\([12]\)|\.unsqueeze\(\[1, ?2\]\)")

# --- precision -------------------------------------------------------------------------------
#: code that runs in half precision somewhere in the module
HALF_PRECISION = re.compile(r"\.half\(\)|float16|torch\.half\b|autocast|GradScaler|\bfp16\b|amp\.")
#: autocast to bfloat16, whose range is float32's: not half precision for the constants' sake
BF16_AUTOCAST = re.compile(r"autocast\([^()]*bfloat16[^()]*\)")
#: a branch that picks values per dtype (``-1e4 if x.dtype == torch.float16 else -1e9``)
DTYPE_TEST = re.compile(r"float16|\bhalf\b|fp16|dtype|is_autocast|bfloat16")

# --- models ----------------------------------------------------------------------------------
#: class names of autoregressive models
AUTOREGRESSIVE_CLASS = re.compile(
    # (causal inference names the other causal: `CausalRelationExtractor`, `CausalEffectModel`)
    r"GPT|(?<!Non)(?<!non)(?<!Bi)(?<!A)Causal(?!ity|Relation|Inference|Effect|Graph|Discovery|Impact|Analy|Forest|Tree"
    r"|Estimat|Mediat|Link|Event|Chain|Factor)|LanguageModel|Autoregressive|NextToken"
    r"|(?<![A-Za-z])LM(?![a-z])|[a-z]LM$|CharModel"
)
#: a docstring that calls its model a (causal) language model, and one sentence that says otherwise
DOCUMENTED_LM = re.compile(
    r"(?<![-\w])(?:[Ll]anguage [Mm]odel(?:ing|s)?|[Aa]utoregressive|[Nn]ext[- ](?:token|word|character) "
    r"predict\w*|[Cc]ausal (?:[Ll]anguage [Mm]odel\w*|LM|decoder|transformer)|[Dd]ecoder-only)\b(?! \w*encoder)")
NOT_CAUSAL_LM = re.compile(r"\b(?:non|not|unlike|bidirectional|masked|cloze|external|n-gram|rescor\w*|encoder-only"
                           r"|both (?:ways|directions))\b", re.I)
#: class names of models that are bidirectional by design
BIDIRECTIONAL_CLASS = re.compile(
    r"Masked|MLM|Bert|BERT|Classif|ViT|Vision|Detr|DETR|Encoder(?!.*LM)|Diffusion|DiT|MaskGIT|CTC|UNet|Denois"
)
#: methods that generate token by token
GENERATION_METHOD = re.compile(r"generate|sample|greedy|beam_search|autoregress|decode_step|rollout|continue_|improvise")
#: module names of tensor libraries (`torch.cat(...)`, `F.softmax(...)`): their calls are not the model
TENSOR_LIBRARIES = frozenset({"torch", "F", "nn", "np", "numpy", "math", "jnp", "tf"})
#: calls that pick the next token from a prediction
TOKEN_PICKS = frozenset({"argmax", "multinomial", "topk", "sample", "categorical"})
#: next-token losses
LM_LOSS = re.compile(r"cross_entropy|CrossEntropyLoss|nll_loss|NLLLoss")


# --- added for the held-out incident sets -------------------------------------------------------
#: a step that makes a mask float for sure (not a `zeros_like(x)` whose dtype is x's)
MADE_FLOAT = re.compile(r"float|half|\.double|torch\.eye|finfo|-?inf|\d\.\d|dtype=torch\.float")
#: `ids[:, None] == ids[None, :]`: the query side and the key side of a same-group comparison
SAME_QUERY_SIDE = re.compile(r"^(?P<x>.+?)(\[:,\s*None\]|\[:,\s*:,\s*None\]|\[\.\.\.,\s*None\]|\.unsqueeze\((-1|2)\))$")
SAME_KEY_SIDE = re.compile(r"^(?P<x>.+?)(\[None,\s*:\]|\[None\]|\[:,\s*None,\s*:\]|\[\.\.\.,\s*None,\s*:\]"
                           r"|\.unsqueeze\((0|1|-2)\))$")
#: `counts[:, None]` / `n.unsqueeze(1)` against positions: one number per sample, a length
#: a per-sample count of the padding on the left, or where each sequence starts: positions below it
#: are padding (`arange(S)[None, :] < launch_offsets[:, None]`)
LEFT_PAD_COUNT = re.compile(r"(^|_)(offsets?|starts?|start_(pos|idx|index)|begins?|first_real|"
                            r"pad_(counts?|lens?|lengths?|amounts?|sizes?)|n_pads?|num_pads?|left_pad\w*)$")
#: a width minus each sequence's length (`T - lengths`, `[width - len(p) for p in prompts]`): how
#: much padding goes before each sequence, a left-padding count
WIDTH_MINUS_LENGTH = re.compile(r"\w\)?\s*-\s*(len\(|(?!\w*(pad|prefix))\w*len(gth)?s?\b)")  # not `T - pad_len`
PER_SAMPLE = re.compile(r"\[:,\s*None\]$|\.unsqueeze\((1|-1)\)$|\.view\(-1, 1\)$")
#: `lengths[None, :]`: one number per sample laid across the columns
PER_COLUMN = re.compile(r"\[None,\s*:\]$|\.unsqueeze\(0\)$")
#: docstrings: "True where ...", "1 = ...", "1.0 for ...": what True means for a mask
DOC_POLARITY = re.compile(r"\b(True|1(?:\.0)?)(?![.\d])\s*(?:=|where|for|at|means|marks|if|when|on)\s*([^;:\n]*?)(?:[.;]\s|$|,)")
DOC_KEEP = re.compile(r"\bnot\s+(masked|padded|padding|pad)|\b(real|valid|keep|kept|attend|attended|visible|"
                      r"present|observed|non-pad\w*|actual)\b", re.I)
DOC_BLOCK = re.compile(r"\b(pad|padding|padded|masked|ignored?|invalid|hidden|blocked|excluded|future|"
                       r"not attend\w*)\b", re.I)
#: a docstring clause about padding (the only masks read from their docs)
DOC_PADDING = re.compile(r"pad|real|valid|token|time step|frame|element|sample|observed", re.I)
DOC_PER_SAMPLE = re.compile(r"\((batch|bsz|b|n|B|N)\b")
DOC_FLOAT = re.compile(r"\bfloat")
#: a tensor's shape in a docstring entry (`[B, H, L, S]`, `(batch, keys)`)
DOC_SHAPE = re.compile(r"[\[(]\s*\w+\s*,\s*\w+")
#: a tokenizer set to pad on the left (`tok.padding_side = "left"`, `padding_side="left"`)
LEFT_PADDING_SIDE = re.compile(r"""padding_side\s*=\s*["']left["']""")
#: a count of padding positions, not of tokens (`pad_len`, `n_pads`, `num_padding`)
PAD_COUNT = re.compile(r"pad", re.I)
#: calls that only make token ids a tensor of ids (`torch.LongTensor(ids)`, `torch.as_tensor(ids)`)
ID_WRAPPERS = re.compile(r"(^|\.)(LongTensor|IntTensor|as_tensor|tensor|from_numpy)$")
#: a docstring entry about which keys a query attends (a general attention mask, not padding)
DOC_ATTENTION = re.compile(r"\b(keep|drop|attend\w*)\b", re.I)
DOC_INT = re.compile(r"\b(int|long)")
#: a new entry of an Args section (``name: ...``, ``name (type): ...``, ``` ``name`` ```)
DOC_ENTRY = re.compile(r"^\s*(``)?\w+(``)?\s*(\([^)]*\))?\s*:")
#: steps that change a mask's rank (`unsqueeze`, `view`, `[None]`, `repeat`, einops)
RESHAPING = re.compile(r"unsqueeze|\.view|reshape|None|expand|repeat|flatten|squeeze|einops")
#: `ys == PAD`: a padding mask computed from the ids
PAD_COMPARE = re.compile(r"(==|!=|\b(eq|ne)\()\s*[\w.]*pad", re.I)


#: prefixes of a function that builds the mask a parameter is named after (`create_look_ahead_mask`)
BUILDER_PREFIXES = ("create_", "make_", "build_", "get_", "generate_", "_create_", "_make_", "_build_", "_get_", "")
#: mask names too common to link a parameter to a builder by them
GENERIC_MASK_NAMES = frozenset({"mask", "attn_mask", "attention_mask", "key_padding_mask"})

#: the lengths of a sequence (not a count: `num_beams`, `n_tokens` are not lengths)
MEMORY_LENGTHS = re.compile(r"(^|_)(lens|lengths|len|length)$")
#: a mask parameter meant for cross-attention (an encoder's or a memory's padding)
CROSS_MASK_NAME = re.compile(r"(^|_)(encoder|cross|memory|enc)_")

#: a value clamped from below (a sum of large negatives brought back to finfo.min)
CLAMP_BELOW = re.compile(r"\.clamp_?\(\s*min\s*=|torch\.clamp\([^)]*\bmin\s*=|clamp_min")

#: a model's outputs (logits, scores), not the token data a next-token slice is taken from
MODEL_OUTPUT_NAME = re.compile(r"logit|score|prob|weight|attn", re.I)

#: a call or method of the encoder side of an encoder-decoder
ENCODER_CALL = re.compile(r"(^|[._])(enc|encoder|encode|text_encoder|enc_attn|src_attn)(_|$|\b)", re.I)

#: a branch test that picks causal or bidirectional attention by configuration
CAUSAL_GUARD = re.compile(r"causal|is_decoder|autoregressive|unidirectional", re.I)
#: a parameter holding token ids: a model entry point that takes them takes the tokenizer's mask beside them
TOKEN_IDS_PARAM = re.compile(r"^(input_ids|ids|token_ids|tokens|src_tokens|src_ids|tgt_ids|src|tgt|decoder_input_ids)$")
#: the encoder states of cross-attention: a layer's `attention_mask` beside them is the model's own mask
ENCODER_STATES_PARAM = re.compile(r"^encoder_hidden_states$")
#: attention scores by their name (`scores`, `sim`, `energy`, `dots`, `att`), or a function that
#: normalises them (`masked_softmax`, `attend`): what a mask multiplied in is wrong for
SCORES_NAME = re.compile(r"(^|_)(scores?|sim|similarity|energy|energies|dots|att|attn|attention|qk|compat)(_|$)"
                         r"|softmax|attend", re.I)
#: a model method that runs its encoder side, bidirectional by design (Whisper's `embed_audio`,
#: CLIP's `encode_image`, `get_image_features`, `encoder_forward`, a pooled `embed_sentence`); it counts
#: only beside a decoder
ENCODER_METHOD = re.compile(r"(^|_)(enc|encode|encoder|audio|speech|acoustic|image|images|vision|visual|pixels?|embed|embedding|embeddings|pool|pooled)(_|$)",
                            re.I)
#: attention that sees a few frames ahead on purpose (streaming encoders, chunked speech models)
LOOKAHEAD_DESIGN = re.compile(r"stream|look_?ahead|chunk|audio|speech|acoustic|conformer|frame", re.I)
#: a branch for one new token (a decode step against a cache): `if q_len == 1:`, `if x.size(1) == 1:`
SINGLE_STEP = re.compile(r"(len|size|shape|seq|\bT\b|\bL\b|step|tok)[^=<>!]*==\s*1\b"
                         r"|(?:\b(?:T|L|S|q_len|seq_len|seqlen|tgt_len|query_len|n_tokens|num_tokens)|"
                         r"\.size\((?:1|-2)\)|\.shape\[(?:1|-2)\])\s*(?:(?:!=|>|<=)\s*1|(?:<|>=)\s*2)\b")
#: a causal flag on its own: `causal`, `is_causal`, `self.causal`, `use_causal_mask`
CAUSAL_FLAG = re.compile(r"^(self\.|config\.|cfg\.)?(is_|use_)?causal(_mask|_attention)?$")
#: code that builds a causal structure: `tril`, `triu`, `self._causal(...)`, `_causal_mask(...)`
CAUSAL_BUILD = re.compile(r"causal|tril|triu|subsequent|look_?ahead")

#: a helper that tests its argument against None (`exists(mask)`)
NONE_TEST_HELPER = re.compile(r"^(exists|is_not_none|not_none|defined|present)$")


#: a Hugging Face head mask (`head_mask`, `cross_attn_head_mask`), not `look_ahead_mask`
HEAD_MASK = re.compile(r"(^|_)head_mask$")


def is_mask_param(name: str) -> bool:
    """A parameter that carries an attention or padding mask by its name (not a head mask)."""
    return "mask" in name and not HEAD_MASK.search(name)


def mentions(name: str, text: str) -> bool:
    """Does ``text`` (a docstring line) name ``name`` as a word?"""
    return re.search(rf"\b{re.escape(name)}\b", text) is not None


def reads_embedding_weight(text: str, attr: str) -> bool:
    """Logits through the token embedding's own weight (a tied head): ``h @ self.wte.weight.t()``,
    ``F.linear(h, self.wte.weight)``, ``torch.matmul(h, self.wte.weight.T)``."""
    a = re.escape(attr)
    return re.search(rf"(@\s*self\.{a}\.weight\b|(linear|matmul)\([^()]*,\s*self\.{a}\.weight\b)", text) is not None


#: a variable named for an (L, S) attention mask, not a padding mask: `attn_mask`, `chunk_mask`,
#: `causal_mask`, `look_ahead_mask` (not `src_mask` / `tgt_mask` / `memory_mask`: some code names
#: padding so)
ATTENTION_MASK_VAR = re.compile(r"^(self\.)?(attn|causal|chunk|future|look_?ahead|subsequent|square|band|window|local|"
                                r"sliding)_?(attn_)?mask$", re.I)


def doc_entry_of(name: str, line: str) -> bool:
    """Is ``line`` the docstring entry of parameter ``name`` (``name: ...``, ``name (type): ...``)?"""
    return re.match(rf"\s*`*{re.escape(name)}`*\s*(\([^)]*\))?\s*:", line) is not None


_QUERY_DIM = re.compile(r"(\.unsqueeze\((1|-2)\)|\[:,\s*None(,\s*:)?\])$")


def adds_query_dim(code: str) -> bool:
    """Does ``code`` end by adding a size-1 query axis to an (N, S) mask (``.unsqueeze(1)``,
    ``[:, None, :]``)?"""
    return bool(_QUERY_DIM.search(code.replace(" ", "")))


# --- this session's readings of code (see their users) ---------------------------------------
#: a conversion step in a mask's evidence that fixes its dtype (`.to(x.dtype)`, `.float()`), not
#: a move to a device
DTYPE_CONVERSION = re.compile(r"\.(?:to|type)\([^)]*(?:dtype|torch\.\w+|float|half|bool|long|int)|"
                              r"\.(?:float|double|half|bfloat16|bool|long|int|byte)\(")
#: token ids by their name, for the dtype `*_like(x)` inherits (not `x`, `src`: often activations)
IDS_NAME = re.compile(r"(^|_)(ids|tokens?|codes|events)$")
#: the axes of an einops pattern side: `b`, `(h b)`
EINOPS_AXES = re.compile(r"\([^)]*\)|[^\s()]+")
#: an einops axis named for attention heads
EINOPS_HEAD_AXIS = re.compile(r"^(?:h|nh|heads?|n_?heads?|num_?heads?)$")
#: an `if` test that may read a mask's dtype
DTYPE_WORDS = re.compile(r"\.dtype\b|is_floating_point")
#: a test of the queries' length against the keys' (`q.shape[2] != k.shape[2]`, `q_len != kv_len`)
LENGTHS_COMPARED = re.compile(r"(?:shape\[-?[12]\]|size\(-?[12]\)|\bq_len|\bquery_len)\s*[!=]=\s*"
                              r"(?:[\w.]+(?:shape\[-?[12]\]|size\(-?[12]\))|\w*(?:kv|k|key)_len\w*)")
#: a query sliced to its last position (`tgt[-1:]`, `x[:, -1:]`)
LAST_POSITION = re.compile(r"\[(?:[^\]]*,\s*)?-1:\s*[,\]]")


def mentions_word(word: str, text: str) -> bool:
    """Does ``text`` hold ``word`` as a whole identifier?"""
    return re.search(rf"\b{re.escape(word)}\b", text) is not None


def word_at(word: str, text: str) -> int:
    """Where ``word`` first stands as a whole identifier in ``text`` (0 when it does not)."""
    m = re.search(rf"\b{re.escape(word)}\b", text)
    return m.start() if m else 0


def assigned_last_position(name: str, text: str) -> bool:
    """Is ``name`` assigned a last-position slice in ``text`` (`last = tgt[-1:, :, :]`)?"""
    return re.search(rf"(?<![\w.]){re.escape(name)}\s*=\s*[\w.]+\[(?:[^\]]*,\s*)?-1:\s*[,\]]", text) is not None


def assigned_not_none(name: str, text: str) -> bool:
    """Does ``text`` assign ``name`` something other than None (`pad = (1 - m).bool()`)?"""
    return re.search(rf"(?<![\w.]){re.escape(name)}\s*=(?!=)\s*(?!None\b)", text) is not None


#: a tensor named for a mask or a bias (`blocked`, `pair_bias`, `attn_mask`), not features
MASKY_NAME = re.compile(r"mask|bias|block|allow|visib|keep|pad|valid", re.I)
#: classes of Keras code (a layer or model subclass, Keras's attention)
KERAS_CODE = re.compile(r"\b(?:layers\.Layer|keras\.Model|keras\.layers\.Layer|layers\.MultiHeadAttention)\b")


#: names of a query, a key and a value unpacked together (`q, k, v = qkv(x).unbind(2)`)
QKV_PART = re.compile(r"^_?(x?q|x?k|x?v|query|key|value|queries|keys|values)(_\w+)?$")


def counts_with(text: str, name: str) -> bool:
    """Does code ``text`` count with ``name`` (``cnt += 1``, ``for cnt, (h, w) in enumerate(...)``)?"""
    n = re.escape(name)
    return re.search(rf"(?<![\w.]){n}[ \t]*\+=", text) is not None or \
        re.search(rf"\bfor[ \t(]+{n}[ \t]*,[^\n]*\bin[ \t]+enumerate\(", text) is not None


def read_outside_imports(text: str, name: str) -> bool:
    """Does code ``text`` mention ``name`` on a line that is not an import statement?"""
    return any(not line.lstrip().startswith(("from ", "import "))
               for line in re.findall(rf"^.*(?<![\w.]){re.escape(name)}\b.*$", text, re.M))


#: a decorated definition or its decorator that names attention (`@register_attention("sdpa")`,
#: `class FusedAttention`): a registration worth running when a table is read (timm's thousand
#: `@register_model` functions are not)
REGISTERED_ATTENTION = re.compile(r"attn|attention|mha|sdpa|flash|mask", re.I)


def defines_class(text: str, name: str) -> bool:
    """Does module ``text`` define a class ``name`` at its top level?"""
    return bool(re.search(rf"^class[ \t]+{re.escape(name)}\b", text, re.M))

#: ``b.attn.register_forward_pre_hook(hook, with_kwargs=True)``: a hook that may hand the calls of
#: that attribute their masks (its name, group 1), so what a call shows is not all it gets
KWARGS_HOOK = re.compile(r"\.(\w+)\.register_forward_pre_hook\((?:[^()]|\([^()]*\))*with_kwargs\s*=\s*True")
