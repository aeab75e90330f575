"""Prefix-LM masks for nn.MultiheadAttention (True = blocked, MHA convention)."""
import torch
from torch import nn


def prefix_lm_block_mask(tokens, prefix_len, pad_id, num_heads):
    B, T = tokens.shape
    future = (1 - torch.tril(torch.ones(T, T, device=tokens.device))).bool()
    in_prefix = torch.arange(T, device=tokens.device).expand(B, T) < prefix_len.unsqueeze(1)
    blocked = future.unsqueeze(0) & ~in_prefix.unsqueeze(1)
    blocked = torch.maximum(blocked, (tokens == pad_id).unsqueeze(1))
    # MultiheadAttention wants (B*H, T, T) with batch-major ordering
    return blocked.repeat_interleave(num_heads, dim=0)


class PrefixLMLayer(nn.Module):
    def __init__(self, d_model=256, nhead=8, dim_ff=1024, dropout=0.1):
        super().__init__()
        self.nhead = nhead
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d_model, dim_ff), nn.ReLU(), nn.Dropout(dropout),
                                nn.Linear(dim_ff, d_model))
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, x, block_mask):
        h = self.norm1(x)
        h, _ = self.self_attn(h, h, h, attn_mask=block_mask, need_weights=False)
        x = x + h
        return x + self.ff(self.norm2(x))


class PrefixLM(nn.Module):
    def __init__(self, vocab_size, pad_id=0, d_model=256, nhead=8, num_layers=3):
        super().__init__()
        self.pad_id = pad_id
        self.nhead = nhead
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=pad_id)
        self.pos = nn.Parameter(torch.zeros(1, 512, d_model))
        self.layers = nn.ModuleList(PrefixLMLayer(d_model, nhead) for _ in range(num_layers))
        self.proj = nn.Linear(d_model, vocab_size)

    def forward(self, tokens, prefix_len):
        mask = prefix_lm_block_mask(tokens, prefix_len, self.pad_id, self.nhead)
        x = self.embed(tokens) + self.pos[:, : tokens.size(1)]
        for layer in self.layers:
            x = layer(x, mask)
        return self.proj(x)


if __name__ == "__main__":
    toks = torch.tensor([[5, 6, 7, 8, 9, 0], [4, 3, 2, 0, 0, 0]])
    plen = torch.tensor([3, 1])
    model = PrefixLM(vocab_size=16)
    print(model(toks, plen).isfinite().all())
