from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class DecoderConfig:
    vocab_size: int = 96
    d_model: int = 32
    n_heads: int = 4
    n_layers: int = 2
    max_seq_len: int = 64
    causal: bool = True
    dropout: float = 0.0
    extra: dict = field(default_factory=dict)


class DecoderBlock(nn.Module):
    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.cfg = cfg
        self.ln_attn = nn.LayerNorm(cfg.d_model)
        self.self_attn = nn.MultiheadAttention(cfg.d_model, cfg.n_heads, dropout=cfg.dropout,
                                               batch_first=True)
        self.ln_mlp = nn.LayerNorm(cfg.d_model)
        self.mlp = nn.Sequential(nn.Linear(cfg.d_model, 4 * cfg.d_model), nn.GELU(),
                                 nn.Linear(4 * cfg.d_model, cfg.d_model))

    def forward(self, x):
        h = self.ln_attn(x)
        attn_out, _ = self.self_attn(h, h, h, need_weights=False, is_causal=self.cfg.causal)  # expect: ML402
        x = x + attn_out
        return x + self.mlp(self.ln_mlp(x))


class Decoder(nn.Module):
    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.pos = nn.Embedding(cfg.max_seq_len, cfg.d_model)
        self.blocks = nn.ModuleList(DecoderBlock(cfg) for _ in range(cfg.n_layers))
        self.norm = nn.LayerNorm(cfg.d_model)
        self.head = nn.Linear(cfg.d_model, cfg.vocab_size, bias=False)

    def forward(self, ids):
        x = self.embed(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.norm(x))

    @torch.no_grad()
    def score(self, ids):
        logp = self(ids[:, :-1]).log_softmax(-1)
        return logp.gather(-1, ids[:, 1:, None]).squeeze(-1).sum(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Decoder(DecoderConfig())
    ids = torch.randint(0, 96, (2, 12))
    model.eval()
    print("eval log-likelihood:", model.score(ids).tolist())
    model.train()
    try:
        logits = model(ids[:, :-1])
        loss = F.cross_entropy(logits.transpose(1, 2), ids[:, 1:])
        print("train loss:", loss.item())
    except RuntimeError as exc:
        print("train step failed:", exc)
