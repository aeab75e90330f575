# EXPECT: ok
"""Dialogue encoder: utterances packed in one row, tokens attend within their utterance. Batch
size equals the head count (4); the (B, L, L) mask gets its head axis before SDPA."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class UtteranceAttention(nn.Module):
    def __init__(self, d, heads, p):
        super().__init__()
        self.heads = heads
        self.in_proj = nn.Linear(d, 3 * d)
        self.out_proj = nn.Linear(d, d)
        self.p = p

    def forward(self, x, same_utt):
        b, n, d = x.shape
        q, k, v = self.in_proj(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        mask = same_utt.unsqueeze(1)                       # (B, 1, L, L): broadcast over heads
        o = F.scaled_dot_product_attention(q, k, v, mask, self.p if self.training else 0.0)
        return self.out_proj(o.permute(0, 2, 1, 3).reshape(b, n, d))


class DialogueEncoder(nn.Module):
    def __init__(self, vocab=60, d=32, heads=4, depth=2, p=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.spk = nn.Embedding(2, d)
        self.blocks = nn.ModuleList([UtteranceAttention(d, heads, p) for _ in range(depth)])
        self.norms = nn.ModuleList([nn.LayerNorm(d) for _ in range(depth)])
        self.drop = nn.Dropout(p)
        self.tagger = nn.Linear(d, 5)

    def forward(self, tokens, segment_ids):
        x = self.drop(self.tok(tokens) + self.spk(segment_ids % 2))
        same_utt = torch.eq(segment_ids[:, :, None], segment_ids[:, None, :])
        for blk, norm in zip(self.blocks, self.norms):
            x = x + blk(norm(x), same_utt)
        return self.tagger(x)


def run():
    torch.manual_seed(0)
    model = DialogueEncoder()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    seg = torch.tensor([[0, 0, 0, 1, 1, 1, 1, 2, 2, 2],
                        [0, 0, 1, 1, 1, 1, 1, 1, 2, 2],
                        [0, 0, 0, 0, 0, 1, 1, 2, 3, 3],
                        [0, 1, 1, 1, 2, 2, 2, 2, 2, 3]])
    tokens = torch.randint(0, 60, seg.shape)
    tags = torch.randint(0, 5, seg.shape)
    model.train()
    loss = F.cross_entropy(model(tokens, seg).reshape(-1, 5), tags.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(tokens, seg)
    return [loss.detach(), ev]
