"""Packed-sequence causal LM: several documents are concatenated into one row.

Attention has to be causal *and* stay inside the current document.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def document_ids(tokens: torch.Tensor, eos_id: int) -> torch.Tensor:
    """Index of the document each position belongs to (EOS closes a document)."""
    is_eos = (tokens == eos_id).long()
    return torch.cumsum(is_eos, dim=1) - is_eos


class PackedBlock(nn.Module):
    def __init__(self, d_model: int = 256, n_heads: int = 8, dropout: float = 0.1):
        super().__init__()
        self.n_heads = n_heads
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, n_heads, dropout=dropout, batch_first=True)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(
            nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model)
        )

    def forward(self, x: torch.Tensor, doc_ids: torch.Tensor) -> torch.Tensor:
        B, T, _ = x.shape
        causal = torch.tril(torch.ones(T, T, dtype=torch.bool, device=x.device))
        same_doc = doc_ids[:, :, None] == doc_ids[:, None, :]          # (B, T, T)
        allowed = causal.unsqueeze(0) & same_doc                        # (B, T, T)
        allowed = allowed.repeat_interleave(self.n_heads, dim=0)        # (B*H, T, T)

        h = self.ln1(x)
        a, _ = self.attn(
            h, h, h,
            attn_mask=allowed,  # expect: ML101
            need_weights=False,
        )
        x = x + a
        return x + self.mlp(self.ln2(x))


class PackedLM(nn.Module):
    def __init__(self, vocab: int, eos_id: int, d_model: int = 256, n_layers: int = 4):
        super().__init__()
        self.eos_id = eos_id
        self.tok = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(2048, d_model)
        self.blocks = nn.ModuleList(PackedBlock(d_model) for _ in range(n_layers))
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab, bias=False)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        doc = document_ids(tokens, self.eos_id)
        pos = torch.arange(tokens.size(1), device=tokens.device)
        x = self.tok(tokens) + self.pos(pos)
        for blk in self.blocks:
            x = blk(x, doc)
        return self.head(self.ln_f(x))


def train_step(model: PackedLM, batch: torch.Tensor, opt: torch.optim.Optimizer) -> float:
    inputs, targets = batch[:, :-1], batch[:, 1:]
    logits = model(inputs)
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss.item()
