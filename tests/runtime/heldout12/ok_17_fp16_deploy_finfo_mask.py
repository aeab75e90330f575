# EXPECT: ok
"""Review-sentiment encoder trained in fp32 and served in fp16 (model.half())."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


class SentimentEncoder(nn.Module):
    def __init__(self, vocab=40, d=32, heads=4, p=0.1):
        super().__init__()
        self.heads, self.p = heads, p
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.ln = nn.LayerNorm(d)
        self.drop = nn.Dropout(p)
        self.cls = nn.Linear(d, 2)

    def forward(self, ids):
        B, T = ids.shape
        x = self.emb(ids)
        keep = (ids != PAD).to(x.dtype)
        # the fill value follows the activation dtype, so it stays finite in fp16
        bias = torch.zeros_like(keep).masked_fill(keep == 0, torch.finfo(x.dtype).min)[:, None, None, :]
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias, dropout_p=self.p if self.training else 0.0)
        x = self.ln(x + self.drop(self.o(y.transpose(1, 2).reshape(B, T, -1))))
        pooled = (x * keep[..., None]).sum(1) / keep.sum(1, keepdim=True)
        return self.cls(pooled)


def run():
    torch.manual_seed(0)
    model = SentimentEncoder()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    ids = torch.randint(1, 40, (3, 8))
    ids[0, 5:] = PAD
    y = torch.tensor([1, 0, 1])

    model.train()
    loss = F.cross_entropy(model(ids), y)
    opt.zero_grad()
    loss.backward()
    opt.step()

    served = model.half().eval()
    with torch.no_grad():
        logits = served(ids).float()
    return [loss.detach(), logits]
