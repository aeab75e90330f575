"""Local (sliding-window) causal attention with FlexAttention, Mistral-style."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

WINDOW = 256


def sliding_window_causal(b, h, q_idx, kv_idx):
    causal = q_idx >= kv_idx
    in_window = q_idx - kv_idx >= WINDOW
    return causal & in_window


class LocalAttention(nn.Module):
    def __init__(self, dim=512, n_heads=8, n_kv_heads=2):
        super().__init__()
        self.n_heads, self.n_kv = n_heads, n_kv_heads
        self.hd = dim // n_heads
        self.wq = nn.Linear(dim, n_heads * self.hd, bias=False)
        self.wk = nn.Linear(dim, n_kv_heads * self.hd, bias=False)
        self.wv = nn.Linear(dim, n_kv_heads * self.hd, bias=False)
        self.wo = nn.Linear(n_heads * self.hd, dim, bias=False)

    def forward(self, x, block_mask):
        B, T, _ = x.shape
        q = self.wq(x).view(B, T, self.n_heads, self.hd).transpose(1, 2)
        k = self.wk(x).view(B, T, self.n_kv, self.hd).transpose(1, 2)
        v = self.wv(x).view(B, T, self.n_kv, self.hd).transpose(1, 2)
        out = flex_attention(q, k, v, block_mask=block_mask, enable_gqa=True)
        return self.wo(out.transpose(1, 2).reshape(B, T, -1))


class LocalLM(nn.Module):
    def __init__(self, vocab=32000, dim=512, depth=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(LocalAttention(dim) for _ in range(depth))
        self.norms = nn.ModuleList(nn.RMSNorm(dim) for _ in range(depth))
        self.out = nn.Linear(dim, vocab, bias=False)

    def forward(self, ids):
        T = ids.size(1)
        block_mask = create_block_mask(
            sliding_window_causal,  # expect: ML102
            B=None, H=None, Q_LEN=T, KV_LEN=T, device=ids.device,
        )
        x = self.emb(ids)
        for attn, norm in zip(self.layers, self.norms):
            x = x + attn(norm(x), block_mask)
        return self.out(x)


if __name__ == "__main__":
    model = LocalLM(vocab=1000, dim=128, depth=2)
    ids = torch.randint(0, 1000, (1, 512))
    with torch.no_grad():
        logits = model(ids)
    loss = nn.functional.cross_entropy(logits[0, :-1], ids[0, 1:])
    print(loss.item())
