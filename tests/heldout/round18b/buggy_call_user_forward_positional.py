"""Folk-tune generator over ABC-notation characters."""
import torch
import torch.nn as nn
import torch.nn.functional as F

ABC = " |:/ABCDEFGabcdefgz2345678,'^_=[]()-\nKLMX"


class TuneBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.norm = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ff = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, pos_bias=None, attn_mask=None):
        B, L, D = x.shape
        q, k, v = self.qkv(self.norm(x)).view(B, L, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-2, -1) * q.size(-1) ** -0.5
        if pos_bias is not None:
            scores = scores + pos_bias
        if attn_mask is not None:
            scores = scores.masked_fill(attn_mask, float("-inf"))
        y = (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, L, D)
        x = x + self.proj(y)
        return x + self.ff(x)


class TuneLM(nn.Module):
    def __init__(self, d=32, heads=4, depth=2, max_len=128):
        super().__init__()
        self.emb = nn.Embedding(len(ABC), d)
        self.pos = nn.Embedding(max_len, d)
        self.blocks = nn.ModuleList(TuneBlock(d, heads) for _ in range(depth))
        self.head = nn.Linear(d, len(ABC))

    def forward(self, idx):
        L = idx.size(1)
        future = torch.triu(torch.ones(L, L, dtype=torch.bool, device=idx.device), diagonal=1)
        x = self.emb(idx) + self.pos(torch.arange(L, device=idx.device))
        for blk in self.blocks:
            x = blk(x, future)  # BUG: future mask passed positionally lands in pos_bias (added as +1), attn_mask stays None
        return self.head(x)


def encode(text):
    return torch.tensor([ABC.index(c) for c in text if c in ABC])


if __name__ == "__main__":
    torch.manual_seed(0)
    tunes = torch.stack([encode("|:GABc dedB|dedB dedB|c2ec B2dB|"), encode("|:D2FA dAFA|D2FA B2AF|G2BG dGBG|")])
    model = TuneLM()
    logits = model(tunes[:, :-1])
    loss = F.cross_entropy(logits.transpose(1, 2), tunes[:, 1:])
    print("loss", round(loss.item(), 5))
