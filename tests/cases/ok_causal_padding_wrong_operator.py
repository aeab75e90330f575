"""Twin of buggy_causal_padding_wrong_operator: block masks ORed, keep masks ANDed; and a prefix LM
whose bidirectional part (`future & beyond the prefix`) is an AND of block masks on purpose."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


class EventLM(nn.Module):
    def __init__(self, n=36, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.embed = nn.Embedding(n, d, padding_idx=PAD)
        self.body = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, batch_first=True), 2)
        self.head = nn.Linear(d, n)

    def forward(self, tokens):
        T = tokens.size(1)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
        key_pad = tokens.eq(PAD)
        mask = causal.unsqueeze(0) | key_pad.unsqueeze(1)
        h = self.body(self.embed(tokens), mask=mask.repeat_interleave(self.heads, dim=0))
        logits = self.head(h)
        return F.cross_entropy(logits[:, :-1].flatten(0, 1), tokens[:, 1:].flatten(), ignore_index=PAD)


class TinyGPT(nn.Module):
    def __init__(self, n=100, d=32):
        super().__init__()
        self.emb, self.qkv, self.lm_head = nn.Embedding(n, d), nn.Linear(d, 3 * d), nn.Linear(d, n)

    def forward(self, ids, prefix_len):
        B, T = ids.shape
        future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
        beyond_prefix = torch.arange(T)[None, :] >= prefix_len[:, None]
        hidden = future[None] & beyond_prefix[:, None, :]
        q, k, v = self.qkv(self.emb(ids)).view(B, T, 3, 4, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=(~hidden)[:, None])
        return self.lm_head(y.transpose(1, 2).reshape(B, T, -1))

    @torch.no_grad()
    def generate(self, ids, prefix_len, steps=4):
        for _ in range(steps):
            ids = torch.cat([ids, self(ids, prefix_len)[:, -1:].argmax(-1)], dim=1)
        return ids
