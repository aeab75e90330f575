"""PPO critic / value head on a causal LM trunk. Responses are right-padded; one bool keep
mask (causal AND real-key) goes to SDPA, and values are read at each real token."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CriticBlock(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, keep):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return x + self.o(y.transpose(1, 2).reshape(B, T, D))


class Critic(nn.Module):
    def __init__(self, vocab=100, d=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.block = CriticBlock(d)
        self.v_head = nn.Linear(d, 1)

    def forward(self, ids, attention_mask):
        T = ids.size(1)
        causal = torch.ones(T, T, dtype=torch.bool).tril()
        keep = causal[None, None] & attention_mask.bool()[:, None, None, :]
        h = self.block(self.emb(ids), keep)
        return self.v_head(h).squeeze(-1) * attention_mask


if __name__ == "__main__":
    torch.manual_seed(0)
    critic = Critic()
    ids = torch.randint(1, 100, (2, 8))
    am = torch.ones(2, 8, dtype=torch.long)
    am[0, 5:] = 0
    v = critic(ids, am)
    ids2 = ids.clone()
    ids2[0, 5:] = 1
    ids2[1, 6:] = 2
    v2 = critic(ids2, am)
    assert torch.allclose(v[0, :5], v2[0, :5], atol=1e-6), "padding leaked"
    assert torch.allclose(v[1, :6], v2[1, :6], atol=1e-6), "future leaked"
    assert not torch.isnan(v).any()
    print("OK: values are causal and padding-invariant")
