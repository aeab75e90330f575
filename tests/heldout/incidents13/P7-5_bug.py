import torch
import torch.nn.functional as F
from torch import nn


def sdpa_mask(attention_mask, q_len, kv_len, sliding_window=None):
    """Boolean (B, 1, q_len, kv_len) mask in SDPA polarity built from a 2-D padding mask."""
    q_idx = torch.arange(kv_len - q_len, kv_len)[:, None]
    kv_idx = torch.arange(kv_len)[None, :]
    allowed = kv_idx <= q_idx
    if sliding_window is not None:
        allowed = allowed & (q_idx - kv_idx < sliding_window)
    return allowed[None, None] & attention_mask[:, None, None, :].bool()


def patch_fully_masked_rows(mask):
    """Give every query at least its own position so no row is left with nothing to attend."""
    empty = ~mask.any(dim=-1, keepdim=True)
    eye = torch.eye(mask.shape[-2], mask.shape[-1], dtype=torch.bool)[None, None]
    return mask | (empty & eye)


class Gemma4Attention(nn.Module):
    def __init__(self, hidden=32, heads=4, sliding_window=None):
        super().__init__()
        self.heads, self.head_dim, self.sliding_window = heads, hidden // heads, sliding_window
        self.qkv = nn.Linear(hidden, 3 * hidden, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)

    def forward(self, x, padding_mask):
        b, s, _ = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        mask = sdpa_mask(padding_mask, s, s, self.sliding_window)  # BUG
        self.rows_without_keys = int((~mask.any(-1)).sum())
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.o_proj(out.transpose(1, 2).reshape(b, s, -1))


class FastGemma4(nn.Module):
    def __init__(self, vocab=64, hidden=32):
        super().__init__()
        self.embed = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList([Gemma4Attention(hidden, sliding_window=4), Gemma4Attention(hidden)])
        self.lm_head = nn.Linear(hidden, vocab, bias=False)

    def forward(self, ids, padding_mask):
        h = self.embed(ids)
        for layer in self.layers:
            h = h + layer(h, padding_mask)
        return self.lm_head(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = FastGemma4().to(torch.float16).eval()
    ids = torch.tensor([[0, 0, 0, 0, 12, 13], [7, 8, 9, 10, 11, 12]])
    padding = torch.tensor([[0, 0, 0, 0, 1, 1], [1, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        logits = model(ids, padding)
    rows = sum(layer.rows_without_keys for layer in model.layers)
    print(f"fp16: query rows with no attendable key = {rows}; NaN logits on CPU = {int(torch.isnan(logits).sum())}")
