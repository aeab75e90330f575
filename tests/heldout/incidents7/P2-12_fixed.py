"""Dynamic sparse attention in the style of HKUSTDial/flash-sparse-attention: a top-k
keep mask and a learned bias are applied through a FlexAttention score_mod."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import flex_attention


def build_topk_keep_mask(bias, window):
    # keep the `window` highest-bias keys per query, always keeping the diagonal
    topk = bias.topk(window, dim=-1).indices
    keep = torch.zeros_like(bias, dtype=torch.bool).scatter_(-1, topk, True)
    eye = torch.eye(bias.shape[-1], dtype=torch.bool, device=bias.device)
    return keep | eye


def flex_sparse_attention_forward(query, key, value, attn_mask, attn_bias, is_causal=True, scale=None):
    def score_mod(score, batch_idx, head_idx, q_idx, kv_idx):
        score = score + attn_bias[batch_idx, head_idx, q_idx, kv_idx]
        keep = attn_mask[batch_idx, head_idx, q_idx, kv_idx]
        if is_causal:
            keep = keep & (q_idx >= kv_idx)
        return torch.where(keep, score, -float("inf"))

    return flex_attention(query, key, value, score_mod=score_mod, scale=scale)


class DynamicMaskAttention(nn.Module):
    def __init__(self, hidden_size=32, num_heads=4, window=4):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.window = window
        self.qkv = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.dt_proj = nn.Linear(hidden_size, num_heads)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, x):
        b, s, _ = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        dt = F.softplus(self.dt_proj(x)).transpose(1, 2)
        attn_bias = dt[:, :, None, :].expand(b, self.num_heads, s, s).contiguous()
        attn_mask = build_topk_keep_mask(attn_bias, self.window)
        out = flex_sparse_attention_forward(q, k, v, attn_mask, attn_bias, is_causal=True)
        return self.o_proj(out.transpose(1, 2).reshape(b, s, -1))


class TinyDMALM(nn.Module):
    def __init__(self, vocab=64, hidden=32, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList([DynamicMaskAttention(hidden) for _ in range(layers)])
        self.norm = nn.LayerNorm(hidden)
        self.lm_head = nn.Linear(hidden, vocab)

    def forward(self, ids):
        h = self.embed(ids)
        for layer in self.layers:
            h = h + layer(h)
        return self.lm_head(self.norm(h))


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore", message="flex_attention called without torch.compile")
    torch.manual_seed(0)
    model = TinyDMALM().eval()
    ids = torch.randint(0, 64, (2, 16))
    with torch.no_grad():
        logits = model(ids[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, 64), ids[:, 1:].reshape(-1))
    print("eval loss", loss.item())
