"""Clinical-notes language model (right-padded discharge summaries)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class RotaryCache(nn.Module):
    def __init__(self, head_dim, max_len=2048, base=10000.0):
        super().__init__()
        inv = 1.0 / (base ** (torch.arange(0, head_dim, 2).float() / head_dim))
        freqs = torch.outer(torch.arange(max_len).float(), inv)
        self.register_buffer("cos", freqs.cos(), persistent=False)
        self.register_buffer("sin", freqs.sin(), persistent=False)

    def forward(self, x):  # (B, H, T, D)
        T = x.size(-2)
        x1, x2 = x[..., ::2], x[..., 1::2]
        c, s = self.cos[:T], self.sin[:T]
        return torch.stack([x1 * c - x2 * s, x1 * s + x2 * c], dim=-1).flatten(-2)


class NoteAttention(nn.Module):
    def __init__(self, dim, n_heads, attn_dropout=0.1):
        super().__init__()
        self.n_heads = n_heads
        self.wqkv = nn.Linear(dim, 3 * dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)
        self.rope = RotaryCache(dim // n_heads)
        self.attn_dropout = attn_dropout

    def forward(self, x, key_keep):
        B, T, D = x.shape
        q, k, v = self.wqkv(x).view(B, T, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        q, k = self.rope(q), self.rope(k)
        out = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=key_keep[:, None, None, :],
            dropout_p=self.attn_dropout if self.training else 0.0,
            is_causal=True,  # expect: ML403
        )
        return self.wo(out.transpose(1, 2).reshape(B, T, D))


class NotesLM(nn.Module):
    def __init__(self, vocab=32000, dim=256, n_heads=8, depth=4):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.attn = nn.ModuleList(NoteAttention(dim, n_heads) for _ in range(depth))
        self.mlp = nn.ModuleList(nn.Sequential(nn.RMSNorm(dim), nn.Linear(dim, 3 * dim), nn.SiLU(), nn.Linear(3 * dim, dim))
                                 for _ in range(depth))
        self.norms = nn.ModuleList(nn.RMSNorm(dim) for _ in range(depth))
        self.out = nn.Linear(dim, vocab, bias=False)

    def forward(self, ids, attention_mask):
        keep = attention_mask.bool()
        x = self.tok(ids)
        for attn, norm, mlp in zip(self.attn, self.norms, self.mlp):
            x = x + attn(norm(x), keep)
            x = x + mlp(x)
        return self.out(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.randint(5, 32000, (4, 128))
    attention_mask = torch.ones_like(ids)
    attention_mask[1, 90:] = 0
    attention_mask[3, 40:] = 0
    model = NotesLM()
    try:
        logits = model(ids[:, :-1], attention_mask[:, :-1])
        labels = ids[:, 1:].masked_fill(attention_mask[:, 1:] == 0, -100)
        loss = F.cross_entropy(logits.reshape(-1, 32000), labels.reshape(-1), ignore_index=-100)
        loss.backward()
        print("train nll", round(loss.item(), 4))
    except RuntimeError as err:
        print("train step failed:", err)
