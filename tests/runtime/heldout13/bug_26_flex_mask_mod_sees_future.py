# EXPECT: bug
"""Linear probe on a frozen causal backbone that runs FlexAttention.  The
mask_mod compares the indices the wrong way round (q_idx <= kv_idx): True
means attend in flex, so each query sees itself and the *future*."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def causal_mask_mod(b, h, q_idx, kv_idx):
    return q_idx <= kv_idx


class FrozenBackbone(nn.Module):
    def __init__(self, vocab=64, d=32, heads=4, layers=2):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, d)
        self.qkv = nn.ModuleList(nn.Linear(d, 3 * d) for _ in range(layers))
        self.out = nn.ModuleList(nn.Linear(d, d) for _ in range(layers))
        self.requires_grad_(False)

    @torch.no_grad()
    def forward(self, ids):
        B, T = ids.shape
        block_mask = create_block_mask(causal_mask_mod, None, None, T, T, device="cpu")
        x = self.emb(ids)
        for qkv, out in zip(self.qkv, self.out):
            q, k, v = qkv(F.layer_norm(x, x.shape[-1:])).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            y = flex_attention(q, k, v, block_mask=block_mask)  # BUG-SITE
            x = x + out(y.transpose(1, 2).reshape(B, T, -1))
        return x


class Probe(nn.Module):
    def __init__(self, backbone, d=32, n_cls=64, p=0.2):
        super().__init__()
        self.backbone = backbone
        self.drop = nn.Dropout(p)
        self.fc = nn.Linear(d, n_cls)

    def forward(self, ids):
        return self.fc(self.drop(self.backbone(ids)))


def run():
    torch.manual_seed(26)
    model = Probe(FrozenBackbone())
    opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.1)
    ids = torch.randint(0, 64, (3, 12))
    model.train()
    logits = model(ids[:, :-1])  # predict the next token from each prefix
    loss = F.cross_entropy(logits.reshape(-1, 64), ids[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    g = model.fc.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(ids[:, :-1])
    return [loss.detach(), g, ev]
