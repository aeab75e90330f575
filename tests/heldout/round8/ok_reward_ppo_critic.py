"""PPO critic / token-level value model for RLHF.  Rollouts are LEFT padded
(prompt right-aligned, response appended), values are predicted for every
response token and the loss is masked to response tokens.  The attention mask
is built as an additive float bias from a boolean keep mask with torch.where,
so allowed positions get 0.0 and blocked ones -inf; pad query rows are allowed
to see themselves so no row is empty."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def causal_padding_bias(attention_mask: torch.Tensor, dtype=torch.float32) -> torch.Tensor:
    B, L = attention_mask.shape
    keep = torch.ones(L, L, dtype=torch.bool, device=attention_mask.device).tril()[None]
    keep = keep & attention_mask.bool()[:, None, :]
    keep = keep | torch.eye(L, dtype=torch.bool, device=attention_mask.device)[None]
    zero = torch.zeros((), dtype=dtype)
    return torch.where(keep, zero, torch.tensor(float("-inf"), dtype=dtype))[:, None]


class CriticBlock(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.o = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, bias):
        B, L, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, L, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        x = x + self.o(F.scaled_dot_product_attention(q, k, v, attn_mask=bias).transpose(1, 2).reshape(B, L, D))
        return x + self.mlp(self.ln2(x))


class Critic(nn.Module):
    def __init__(self, vocab=300, d=64, h=4, n=2):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, d), nn.Embedding(256, d)
        self.blocks = nn.ModuleList(CriticBlock(d, h) for _ in range(n))
        self.value_head = nn.Linear(d, 1)

    def forward(self, input_ids, attention_mask):
        pos = (attention_mask.cumsum(-1) - 1).clamp(min=0)
        x = self.tok(input_ids) + self.pos(pos)
        bias = causal_padding_bias(attention_mask, x.dtype)
        for blk in self.blocks:
            x = blk(x, bias)
        return self.value_head(x).squeeze(-1)


def value_loss(values, returns, response_mask):
    return ((values - returns) ** 2 * response_mask).sum() / response_mask.sum()


if __name__ == "__main__":
    torch.manual_seed(0)
    critic = Critic().eval()
    seqs = [torch.randint(1, 300, (14,)), torch.randint(1, 300, (8,))]
    L = 14
    ids = torch.zeros(2, L, dtype=torch.long)
    am = torch.zeros(2, L, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, L - len(s):], am[i, L - len(s):] = s, 1
    with torch.no_grad():
        v = critic(ids, am)
        solo = critic(seqs[1][None], torch.ones(1, 8, dtype=torch.long))
        ids2 = ids.clone()
        ids2[0, 10:] = 5
        v2 = critic(ids2, am)
    resp = torch.zeros(2, L)
    resp[:, -4:] = 1
    loss = value_loss(v, torch.randn(2, L), resp)
    assert torch.allclose(v[1, L - 8:], solo[0], atol=1e-5)
    assert torch.allclose(v[0, :10], v2[0, :10], atol=1e-5)
    assert torch.isfinite(loss) and not torch.isnan(v).any()
    print("OK: torch.where keep -> (0, -inf) bias; left padding and causality respected")
