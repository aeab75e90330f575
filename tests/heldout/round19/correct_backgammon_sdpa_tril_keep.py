"""Backgammon move-token language model (checker moves as 'from/to' tokens)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from dataclasses import dataclass


@dataclass
class GammonConfig:
    vocab: int = 26 * 26 + 8
    dim: int = 64
    heads: int = 4
    layers: int = 2
    max_len: int = 128
    pad_id: int = 0


class SelfAttention(nn.Module):
    def __init__(self, cfg: GammonConfig):
        super().__init__()
        self.h = cfg.heads
        self.to_q = nn.Linear(cfg.dim, cfg.dim)
        self.to_kv = nn.Linear(cfg.dim, 2 * cfg.dim)
        self.to_out = nn.Linear(cfg.dim, cfg.dim)
        keep = torch.tril(torch.ones(cfg.max_len, cfg.max_len, dtype=torch.bool))
        self.register_buffer("keep", keep, persistent=False)

    def forward(self, x, key_keep):
        b, t, d = x.shape
        q = self.to_q(x).view(b, t, self.h, -1).transpose(1, 2)
        k, v = self.to_kv(x).view(b, t, 2, self.h, -1).permute(2, 0, 3, 1, 4)
        allowed = self.keep[:t, :t] & key_keep[:, None, None, :]
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
        return self.to_out(out.transpose(1, 2).flatten(2))


class GammonLM(nn.Module):
    def __init__(self, cfg=GammonConfig()):
        super().__init__()
        self.cfg = cfg
        self.tok = nn.Embedding(cfg.vocab, cfg.dim, padding_idx=cfg.pad_id)
        self.pos = nn.Embedding(cfg.max_len, cfg.dim)
        self.blocks = nn.ModuleList(nn.ModuleDict({"n1": nn.LayerNorm(cfg.dim), "att": SelfAttention(cfg), "n2": nn.LayerNorm(cfg.dim), "ff": nn.Sequential(nn.Linear(cfg.dim, 4 * cfg.dim), nn.GELU(), nn.Linear(4 * cfg.dim, cfg.dim))}) for _ in range(cfg.layers))
        self.head = nn.Linear(cfg.dim, cfg.vocab)

    def forward(self, ids):
        t = ids.size(1)
        key_keep = ids != self.cfg.pad_id
        x = self.tok(ids) + self.pos(torch.arange(t, device=ids.device))
        for blk in self.blocks:
            x = x + blk["att"](blk["n1"](x), key_keep)
            x = x + blk["ff"](blk["n2"](x))
        return self.head(x)


def step(model, ids, opt):
    logits = model(ids[:, :-1])
    loss = F.cross_entropy(logits.transpose(1, 2), ids[:, 1:], ignore_index=model.cfg.pad_id)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss.detach()


if __name__ == "__main__":
    lm = GammonLM()
    ids = torch.randint(1, lm.cfg.vocab, (4, 20))
    ids[2, 15:] = 0
    print(step(lm, ids, torch.optim.SGD(lm.parameters(), lr=0.1)))
