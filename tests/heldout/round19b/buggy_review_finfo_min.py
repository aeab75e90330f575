"""Review-rating regressor with an eager attention path and an additive extended mask."""
import torch
import torch.nn as nn


def get_extended_attention_mask(attention_mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """(B, S) tokenizer mask (1 = token, 0 = padding) -> additive (B, 1, 1, S)."""
    ext = attention_mask[:, None, None, :].to(dtype)
    return ext * torch.finfo(dtype).min  # BUG: multiplies the keep mask, so real tokens get finfo.min and padding 0; needs (1.0 - ext) * finfo.min


class EagerSelfAttention(nn.Module):
    def __init__(self, hidden, heads, p=0.1):
        super().__init__()
        self.h = heads
        self.d = hidden // heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.dense = nn.Linear(hidden, hidden)
        self.dropout = nn.Dropout(p)

    def forward(self, hidden_states, extended_mask):
        B, S, _ = hidden_states.shape
        def heads(t):
            return t.view(B, S, self.h, self.d).permute(0, 2, 1, 3)
        q, k, v = heads(self.query(hidden_states)), heads(self.key(hidden_states)), heads(self.value(hidden_states))
        scores = torch.matmul(q, k.transpose(-1, -2)) / self.d ** 0.5 + extended_mask
        probs = self.dropout(nn.functional.softmax(scores, dim=-1))
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).reshape(B, S, -1)
        return self.dense(ctx)


class ReviewRater(nn.Module):
    def __init__(self, vocab_size=5000, hidden=64, heads=4, layers=2, p=0.1):
        super().__init__()
        self.word = nn.Embedding(vocab_size, hidden)
        self.position = nn.Embedding(512, hidden)
        self.ln_in = nn.LayerNorm(hidden)
        self.attn = nn.ModuleList(EagerSelfAttention(hidden, heads, p) for _ in range(layers))
        self.ln_attn = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(layers))
        self.ffn = nn.ModuleList(nn.Sequential(nn.Linear(hidden, 4 * hidden), nn.GELU(), nn.Linear(4 * hidden, hidden)) for _ in range(layers))
        self.ln_ffn = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(layers))
        self.regressor = nn.Linear(hidden, 1)

    def forward(self, input_ids, attention_mask):
        S = input_ids.size(1)
        h = self.ln_in(self.word(input_ids) + self.position(torch.arange(S, device=input_ids.device)))
        ext = get_extended_attention_mask(attention_mask, h.dtype)
        for attn, ln_a, ffn, ln_f in zip(self.attn, self.ln_attn, self.ffn, self.ln_ffn):
            h = ln_a(h + attn(h, ext))
            h = ln_f(h + ffn(h))
        return self.regressor(h[:, 0]).squeeze(-1)
