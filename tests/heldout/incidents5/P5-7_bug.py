"""Small vision-language LM (config-driven); left-padded SFT batches with loss masking."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class LMConfig:
    vocab_size: int = 200
    dim: int = 32
    n_heads: int = 4
    n_layers: int = 2
    pad_id: int = 0
    use_sdpa: bool = True


class Attention(nn.Module):
    def __init__(self, cfg: LMConfig):
        super().__init__()
        self.cfg = cfg
        self.wqkv = nn.Linear(cfg.dim, 3 * cfg.dim, bias=False)
        self.wo = nn.Linear(cfg.dim, cfg.dim, bias=False)

    def forward(self, x, attn_mask=None):
        b, t, d = x.shape
        q, k, v = self.wqkv(x).view(b, t, 3, self.cfg.n_heads, -1).permute(2, 0, 3, 1, 4)
        if attn_mask is None:
            out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        return self.wo(out.transpose(1, 2).reshape(b, t, d))


class MiniLM(nn.Module):
    def __init__(self, cfg: LMConfig):
        super().__init__()
        self.cfg = cfg
        self.tok = nn.Embedding(cfg.vocab_size, cfg.dim)
        self.layers = nn.ModuleList(Attention(cfg) for _ in range(cfg.n_layers))
        self.norm = nn.LayerNorm(cfg.dim)
        self.out = nn.Linear(cfg.dim, cfg.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        h = self.tok(input_ids)
        for layer in self.layers:
            h = h + layer(h)  # BUG
        return self.out(self.norm(h))


def sft_loss(model, batch, cfg: LMConfig):
    logits = model(batch["input_ids"], batch["attention_mask"])
    labels = batch["input_ids"][:, 1:].masked_fill(batch["loss_mask"][:, 1:] == 0, -100)
    return F.cross_entropy(logits[:, :-1].flatten(0, 1), labels.flatten(), ignore_index=-100)


def make_batch(seqs, cfg: LMConfig):
    L = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), L), cfg.pad_id)
    for i, s in enumerate(seqs):
        ids[i, L - len(s):] = torch.tensor(s)
    am = (ids != cfg.pad_id).long()
    return {"input_ids": ids, "attention_mask": am, "loss_mask": am}


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = LMConfig()
    model = MiniLM(cfg)
    batch = make_batch([[5, 6, 7, 8, 9], [10, 11, 12]], cfg)
    print("loss:", sft_loss(model, batch, cfg).item())
