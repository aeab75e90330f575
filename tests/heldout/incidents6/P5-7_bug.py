"""SFT loop for a small decoder-only LM; answers are supervised through a loss mask."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class LMConfig:
    vocab_size: int = 120
    dim: int = 32
    n_heads: int = 4
    n_layers: int = 2
    pad_token_id: int = 0
    padding_side: str = "left"


class Attention(nn.Module):
    def __init__(self, cfg: LMConfig):
        super().__init__()
        self.n_heads = cfg.n_heads
        self.wqkv = nn.Linear(cfg.dim, 3 * cfg.dim, bias=False)
        self.wo = nn.Linear(cfg.dim, cfg.dim, bias=False)

    def forward(self, x, attention_mask=None):
        B, T, D = x.shape
        q, k, v = self.wqkv(x).view(B, T, 3, self.n_heads, D // self.n_heads).permute(2, 0, 3, 1, 4)
        if attention_mask is None:
            out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            causal = torch.tril(torch.ones(T, T, dtype=torch.bool, device=x.device))
            mask = causal[None, None] & attention_mask.bool()[:, None, None, :]
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.wo(out.transpose(1, 2).reshape(B, T, D))


class MiniLM(nn.Module):
    def __init__(self, cfg: LMConfig):
        super().__init__()
        self.tok = nn.Embedding(cfg.vocab_size, cfg.dim)
        self.layers = nn.ModuleList([Attention(cfg) for _ in range(cfg.n_layers)])
        self.norm = nn.LayerNorm(cfg.dim)
        self.out = nn.Linear(cfg.dim, cfg.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        h = self.tok(input_ids)
        for layer in self.layers:
            h = h + layer(h, attention_mask)
        return self.out(self.norm(h))


def sft_collate(samples, cfg: LMConfig):
    max_len = max(len(ids) for ids, _ in samples)
    input_ids = torch.full((len(samples), max_len), cfg.pad_token_id)
    loss_mask = torch.zeros(len(samples), max_len)
    attention_mask = torch.zeros(len(samples), max_len, dtype=torch.long)
    for i, (ids, answer_start) in enumerate(samples):
        off = max_len - len(ids) if cfg.padding_side == "left" else 0
        input_ids[i, off:off + len(ids)] = torch.tensor(ids)
        attention_mask[i, off:off + len(ids)] = 1
        loss_mask[i, off + answer_start:off + len(ids)] = 1
    return input_ids, attention_mask, loss_mask


def train_epoch(model, loader, optimizer):
    model.train()
    for input_ids, attention_mask, loss_mask in loader:
        X, Y, m = input_ids[:, :-1], input_ids[:, 1:], loss_mask[:, 1:]
        logits = model(X)  # BUG
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), Y.reshape(-1), reduction="none")
        loss = (loss * m.reshape(-1)).sum() / m.sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = LMConfig()
    model = MiniLM(cfg)
    samples = [([5, 6, 7, 8, 9, 10, 11], 4), ([12, 13, 14], 1)]
    loader = [sft_collate(samples, cfg)]
    print(train_epoch(model, loader, torch.optim.AdamW(model.parameters(), lr=1e-3)))
