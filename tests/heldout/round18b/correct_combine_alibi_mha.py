"""ALiBi causal decoder for weather-station text bulletins, with per-sample padding."""
import torch
import torch.nn as nn


def get_slopes(n):
    base = 2 ** (-(2 ** -(torch.log2(torch.tensor(float(n))) - 3)))
    return base ** torch.arange(1, n + 1)


class BulletinLayer(nn.Module):
    def __init__(self, d_model, n_heads, max_len=128):
        super().__init__()
        self.n_heads = n_heads
        self.self_attn = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.ffn = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))
        pos = torch.arange(max_len)
        rel = (pos[None, :] - pos[:, None]).clamp(max=0).float()
        alibi = get_slopes(n_heads)[:, None, None] * rel
        future = torch.full((max_len, max_len), float("-inf")).triu(diagonal=1)
        self.register_buffer("bias", alibi + future, persistent=False)

    def forward(self, x, pad):
        N, L, _ = x.shape
        bias = self.bias[:, :L, :L]
        if pad is None:
            attn_mask = bias.repeat(N, 1, 1)
        else:
            pad_bias = torch.zeros(N, 1, 1, L, device=x.device).masked_fill(pad[:, None, None, :], float("-inf"))
            attn_mask = (bias.unsqueeze(0) + pad_bias).reshape(N * self.n_heads, L, L)
        h = self.norm1(x)
        x = x + self.self_attn(h, h, h, attn_mask=attn_mask, need_weights=False)[0]
        return x + self.ffn(self.norm2(x))


class BulletinLM(nn.Module):
    def __init__(self, vocab=512, d_model=32, n_heads=4, n_layers=2, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.tok = nn.Embedding(vocab, d_model, padding_idx=pad_id)
        self.layers = nn.ModuleList(BulletinLayer(d_model, n_heads) for _ in range(n_layers))
        self.lm_head = nn.Linear(d_model, vocab)

    def forward(self, ids):
        pad = ids == self.pad_id
        x = self.tok(ids)
        for layer in self.layers:
            x = layer(x, pad if pad.any() else None)
        return self.lm_head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = BulletinLM().train()
    ids = torch.randint(1, 512, (3, 12))
    ids[2, 9:] = 0
    out = lm(ids)
    print(tuple(out.shape), "nan", bool(out.isnan().any()), round(out[:2].abs().mean().item(), 5))
