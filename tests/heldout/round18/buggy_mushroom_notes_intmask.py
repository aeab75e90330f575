"""Edibility-risk flagger for foraging field notes.

Foragers log free-text notes ("white gills, ring on stem, bulbous base in a
cup, under birch"). Notes are tokenised by a byte-level tokenizer that returns
``input_ids`` and ``attention_mask`` (1 = real token, 0 = padding), like the
Hugging Face tokenizers the team used earlier. The model flags look-alikes of
deadly species for review by the club's identifier.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

RISK = ("low", "check_spore_print", "possible_amanita", "possible_galerina", "possible_cortinarius")


def byte_tokenize(notes, max_len=96):
    rows = [list(n.encode("utf-8"))[:max_len] for n in notes]
    L = max(map(len, rows))
    input_ids = torch.zeros(len(rows), L, dtype=torch.long)
    attention_mask = torch.zeros(len(rows), L, dtype=torch.long)
    for i, r in enumerate(rows):
        input_ids[i, : len(r)] = torch.tensor(r) + 1
        attention_mask[i, : len(r)] = 1
    return {"input_ids": input_ids, "attention_mask": attention_mask}


class NoteSelfAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x, attention_mask=None):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        mask = None
        if attention_mask is not None and not bool(attention_mask.all()):
            mask = attention_mask[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # BUG: tokenizer's int64 attention_mask passed straight to SDPA
        return self.proj(y.transpose(1, 2).reshape(B, T, D))


class RiskFlagger(nn.Module):
    def __init__(self, d=48, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(257, d, padding_idx=0)
        self.pos = nn.Embedding(128, d)
        self.attn = nn.ModuleList(NoteSelfAttention(d, heads) for _ in range(depth))
        self.ln = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.head = nn.Linear(d, len(RISK))

    def forward(self, input_ids, attention_mask=None):
        x = self.emb(input_ids) + self.pos(torch.arange(input_ids.size(1)))
        for ln, attn in zip(self.ln, self.attn):
            x = x + attn(ln(x), attention_mask)
        if attention_mask is None:
            return self.head(x.mean(1))
        w = attention_mask.unsqueeze(-1).to(x.dtype)
        return self.head((x * w).sum(1) / w.sum(1))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RiskFlagger()
    enc = byte_tokenize(["white gills, ring on stem, bulbous base in a cup, under birch"])
    print(RISK[int(model(**enc).argmax())])
