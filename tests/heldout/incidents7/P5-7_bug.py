"""Small multimodal-ready causal LM in the style of jingyaogong/minimind(-v): RMSNorm,
rotary embeddings, SDPA attention, and an SFT step with a loss mask over padded batches."""
from dataclasses import dataclass
import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class LMConfig:
    vocab_size: int = 128
    dim: int = 32
    n_heads: int = 4
    n_layers: int = 2
    max_seq_len: int = 32
    pad_id: int = 0


def precompute_pos_cis(dim, end, theta=10000.0):
    freqs = 1.0 / (theta ** (torch.arange(0, dim, 2)[: dim // 2].float() / dim))
    return torch.polar(torch.ones(end, dim // 2), torch.outer(torch.arange(end).float(), freqs))


def apply_rotary_emb(x, pos_cis):
    x_ = torch.view_as_complex(x.float().reshape(*x.shape[:-1], -1, 2))
    return torch.view_as_real(x_ * pos_cis[None, :, None, :]).flatten(3).type_as(x)


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.n_heads, self.head_dim = cfg.n_heads, cfg.dim // cfg.n_heads
        self.wq, self.wk, self.wv = (nn.Linear(cfg.dim, cfg.dim, bias=False) for _ in range(3))
        self.wo = nn.Linear(cfg.dim, cfg.dim, bias=False)

    def forward(self, x, pos_cis, attention_mask=None):
        bsz, seq_len, _ = x.shape
        xq = apply_rotary_emb(self.wq(x).view(bsz, seq_len, self.n_heads, self.head_dim), pos_cis)
        xk = apply_rotary_emb(self.wk(x).view(bsz, seq_len, self.n_heads, self.head_dim), pos_cis)
        xv = self.wv(x).view(bsz, seq_len, self.n_heads, self.head_dim)
        xq, xk, xv = xq.transpose(1, 2), xk.transpose(1, 2), xv.transpose(1, 2)
        output = F.scaled_dot_product_attention(xq, xk, xv, is_causal=True)  # BUG
        return self.wo(output.transpose(1, 2).reshape(bsz, seq_len, -1))


class MiniMindBlock(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.attention_norm, self.ffn_norm = nn.RMSNorm(cfg.dim), nn.RMSNorm(cfg.dim)
        self.attention = Attention(cfg)
        self.feed_forward = nn.Sequential(nn.Linear(cfg.dim, 4 * cfg.dim, bias=False), nn.SiLU(), nn.Linear(4 * cfg.dim, cfg.dim, bias=False))

    def forward(self, x, pos_cis, attention_mask=None):
        h = x + self.attention(self.attention_norm(x), pos_cis, attention_mask)
        return h + self.feed_forward(self.ffn_norm(h))


class MiniMindLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.tok_embeddings = nn.Embedding(cfg.vocab_size, cfg.dim)
        self.layers = nn.ModuleList([MiniMindBlock(cfg) for _ in range(cfg.n_layers)])
        self.norm = nn.RMSNorm(cfg.dim)
        self.output = nn.Linear(cfg.dim, cfg.vocab_size, bias=False)
        self.register_buffer("pos_cis", precompute_pos_cis(cfg.dim // cfg.n_heads, cfg.max_seq_len), persistent=False)

    def forward(self, input_ids, attention_mask=None):
        h = self.tok_embeddings(input_ids)
        pos_cis = self.pos_cis[: input_ids.shape[1]]
        for layer in self.layers:
            h = layer(h, pos_cis, attention_mask)
        return self.output(self.norm(h))


def sft_step(model, X, Y, loss_mask, attention_mask, optimizer):
    logits = model(X)  # BUG
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), Y.reshape(-1), reduction="none").view(Y.size())
    loss = (loss * loss_mask).sum() / loss_mask.sum()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = LMConfig()
    model = MiniMindLM(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=5e-4)
    ids = torch.tensor([[0, 0, 0, 5, 6, 7, 8, 9, 10], [11, 12, 13, 14, 15, 16, 17, 18, 19]])
    X, Y = ids[:, :-1], ids[:, 1:]
    attention_mask = (X != cfg.pad_id).long()
    loss_mask = (Y != cfg.pad_id).float()
    print("sft loss", sft_step(model, X, Y, loss_mask, attention_mask, opt))
