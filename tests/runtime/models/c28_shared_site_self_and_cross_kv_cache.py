"""Correct: one attention function serves causal self-attention (is_causal on the prompt, one token
at a time with a KV cache) and unmasked cross-attention over audio frames, as in Whisper: the
cross-attention call with several queries and many keys is not a dropped causal mask; and chunks
of a bottom-right causal_lower_right bias with a cache."""
import torch
import torch.nn.functional as F
from torch.nn.attention.bias import causal_lower_right

KIND = "correct"


def attend(q, k, v, causal):
    return F.scaled_dot_product_attention(q, k, v, is_causal=causal and q.size(2) > 1)


def run():
    torch.manual_seed(0)
    audio = torch.randn(1, 2, 20, 8)
    tokens = torch.randn(1, 2, 3, 8)
    out = [attend(tokens, tokens, tokens, True), attend(tokens, audio, audio, False)]
    cache = tokens
    for step in range(3):
        new = torch.randn(1, 2, 1, 8)
        cache = torch.cat([cache, new], 2)
        out.append(attend(new, cache, cache, True))
        out.append(attend(new, audio, audio, False))
    chunk = torch.randn(1, 2, 2, 8)
    keys = torch.cat([cache, chunk], 2)
    out.append(F.scaled_dot_product_attention(chunk, keys, keys, attn_mask=causal_lower_right(2, keys.size(2))))
    return tuple(out)
