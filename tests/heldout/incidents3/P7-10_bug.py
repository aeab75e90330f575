import torch
import torch.nn as nn
import torch.nn.functional as F


def to_4d_additive_mask(attention_mask_2d: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """(B, S) 1/0 -> (B, 1, S, S) additive mask: 0 = visible, finfo.min = hidden (causal + padding)."""
    bsz, seq_len = attention_mask_2d.shape
    min_value = torch.finfo(dtype).min
    causal = torch.triu(torch.full((seq_len, seq_len), min_value, dtype=dtype, device=attention_mask_2d.device), 1)
    inverted = (1.0 - attention_mask_2d[:, None, None, :].to(dtype)) * min_value  # BUG
    return causal[None, None] + inverted  # BUG


class EagerSelfAttention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, additive_mask):
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) * q.size(-1) ** -0.5 + additive_mask
        weights = F.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        return self.proj((weights @ v).transpose(1, 2).reshape(b, s, d))


class ChatLM(nn.Module):
    def __init__(self, vocab=1000, dim=64, heads=4, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(EagerSelfAttention(dim, heads) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.lm_head = nn.Linear(dim, vocab)

    def forward(self, input_ids, attention_mask):
        h = self.embed(input_ids)
        mask = to_4d_additive_mask(attention_mask, h.dtype)
        for attn, norm in zip(self.layers, self.norms):
            h = h + attn(norm(h), mask)
        return self.lm_head(h)


def training_step(model, batch, optimizer):
    # batches are LEFT-padded so that generation and training share the same layout
    logits = model(batch["input_ids"], batch["attention_mask"])
    labels = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, -100)
    loss = F.cross_entropy(logits[:, :-1].flatten(0, 1), labels[:, 1:].flatten(), ignore_index=-100)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
