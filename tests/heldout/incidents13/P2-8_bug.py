import math

import torch
import torch.nn.functional as F
from torch import nn


def prepare_4d_causal_attention_mask_for_sdpa(attention_mask, input_shape, sliding_window=None):
    """Returns a boolean (bsz, 1, q_len, kv_len) keep-mask, or None when plain causal suffices."""
    bsz, q_len = input_shape
    if attention_mask is not None and bool(attention_mask.all()) and sliding_window is None:
        return None
    causal = torch.ones(q_len, q_len, dtype=torch.bool).tril()
    if sliding_window is not None:
        causal = causal & ~torch.ones(q_len, q_len, dtype=torch.bool).tril(-sliding_window)
    pad = attention_mask[:, None, None, :]  # BUG
    return causal[None, None] & pad


class FastGemmaAttention(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.qkv = nn.Linear(hidden, 3 * hidden, bias=False)
        self.o = nn.Linear(hidden, hidden, bias=False)

    def forward(self, x, mask):
        b, s, _ = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=mask is None)
        return self.o(out.transpose(1, 2).reshape(b, s, -1))


class FastGemmaModel(nn.Module):
    def __init__(self, vocab=50, hidden=32, layers=2, sliding_window=4):
        super().__init__()
        self.embed = nn.Embedding(vocab, hidden)
        self.attn = nn.ModuleList([FastGemmaAttention(hidden) for _ in range(layers)])
        self.sliding_window = sliding_window
        self.lm_head = nn.Linear(hidden, vocab, bias=False)

    def forward(self, input_ids, attention_mask):
        h = self.embed(input_ids) * math.sqrt(self.embed.embedding_dim)
        for i, layer in enumerate(self.attn):
            window = self.sliding_window if i % 2 == 0 else None
            mask = prepare_4d_causal_attention_mask_for_sdpa(attention_mask, input_ids.shape, window)
            h = h + layer(h, mask)
        return self.lm_head(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = FastGemmaModel().eval()
    input_ids = torch.tensor([[0, 0, 11, 12, 13, 14], [21, 22, 23, 24, 25, 26]])
    attention_mask = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    try:
        with torch.no_grad():
            logits = model(input_ids, attention_mask)
            solo = model(input_ids[:1, 2:], attention_mask[:1, 2:])
        print(f"ok; left-padded row vs unpadded run max diff = {(logits[0, 2:] - solo[0]).abs().max().item():.4f}")
    except RuntimeError as err:
        print(f"RuntimeError: {str(err).strip()[:140]}")
