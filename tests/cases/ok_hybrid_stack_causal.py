"""Twin of buggy_hybrid_stack_not_causal: the attention layers of the hybrid stack are causal."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, d, heads=4):
        super().__init__()
        self.h, self.qkv, self.o = heads, nn.Linear(d, 3 * d), nn.Linear(d, d)

    def forward(self, x):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.o(y.transpose(1, 2).reshape(B, L, D))


class ConvMixer(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.conv = nn.Conv1d(d, d, 3, padding=2, groups=d)

    def forward(self, x):
        return self.conv(x.transpose(1, 2))[..., : x.size(1)].transpose(1, 2)


class HybridLM(nn.Module):
    def __init__(self, vocab=256, d=64, n_layers=6, attn_every=3):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.mixers = nn.ModuleList(Attention(d) if (i + 1) % attn_every == 0 else ConvMixer(d) for i in range(n_layers))
        self.norms = nn.ModuleList(nn.RMSNorm(d) for _ in range(n_layers))
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        x = self.emb(ids)
        for i, (norm, mixer) in enumerate(zip(self.norms, self.mixers)):
            x = x + mixer(norm(x))
        logits = self.head(x)
        return F.cross_entropy(logits[:, :-1].flatten(0, 1), ids[:, 1:].flatten())
