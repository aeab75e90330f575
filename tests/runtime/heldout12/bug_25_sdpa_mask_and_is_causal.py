# EXPECT: bug
"""Bidirectional intent classifier (encoder only) built on F.scaled_dot_product_attention."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, VOCAB, N_INTENTS = 0, 30, 4


class EncoderBlock(nn.Module):
    def __init__(self, d=32, heads=4, p=0.1):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 64), nn.GELU(), nn.Linear(64, d))
        self.drop = nn.Dropout(p)

    def forward(self, x, key_keep):
        B, T, D = x.shape
        q, k, v = self.qkv(self.n1(x)).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=key_keep, is_causal=True)  # BUG-SITE
        x = x + self.drop(self.o(y.transpose(1, 2).reshape(B, T, D)))
        return x + self.drop(self.ff(self.n2(x)))


class IntentClassifier(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, d, padding_idx=PAD)
        self.pos = nn.Embedding(16, d)
        self.blocks = nn.ModuleList([EncoderBlock(d), EncoderBlock(d)])
        self.head = nn.Linear(d, N_INTENTS)

    def forward(self, ids):
        x = self.emb(ids) + self.pos(torch.arange(ids.size(1)))
        key_keep = (ids != PAD)[:, None, None, :]
        for blk in self.blocks:
            x = blk(x, key_keep)
        return self.head(x[:, 0])  # first token acts as [CLS]


def run():
    torch.manual_seed(0)
    model = IntentClassifier()
    opt = torch.optim.AdamW(model.parameters(), lr=5e-3)
    ids = torch.randint(1, VOCAB, (3, 7))
    ids[1, 4:] = PAD
    y = torch.tensor([2, 0, 3])

    model.train()
    loss = F.cross_entropy(model(ids), y)
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        logits = model(ids)
    return [loss.detach(), logits]
