# EXPECT: bug
"""Small image-text matching model mixing three attention styles:
nn.MultiheadAttention (text -> image patches), F.scaled_dot_product_attention (causal text),
and an einsum attention-pooling head over the text tokens.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, PAD = 30, 0


def text_padding(ids):
    return ids == PAD


class AttnPool(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.query = nn.Parameter(torch.randn(d) * 0.1)
        self.key = nn.Linear(d, d)

    def forward(self, x, pad):
        logits = torch.einsum("d,btd->bt", self.query, self.key(x)) / x.size(-1) ** 0.5
        weights = (logits + pad).softmax(-1)  # BUG-SITE
        return torch.einsum("bt,btd->bd", weights, x)


class ImageTextMatcher(nn.Module):
    def __init__(self, d=32, heads=4, p=0.1):
        super().__init__()
        self.h, self.p = heads, p
        self.patch = nn.Linear(12, d)
        self.tok = nn.Embedding(VOCAB, d, padding_idx=PAD)
        self.pos = nn.Embedding(16, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.cross = nn.MultiheadAttention(d, heads, dropout=p, batch_first=True)
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.pool = AttnPool(d)
        self.img_proj = nn.Linear(d, d)
        self.drop = nn.Dropout(p)

    def forward(self, patches, patch_pad, ids):
        B, T = ids.shape
        img = self.patch(patches)
        x = self.tok(ids) + self.pos(torch.arange(T))
        q, k, v = self.qkv(self.n1(x)).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True, dropout_p=self.p if self.training else 0.0)
        x = x + self.drop(self.o(y.transpose(1, 2).reshape(B, T, -1)))
        c, _ = self.cross(self.n2(x), img, img, key_padding_mask=patch_pad, need_weights=False)
        x = x + self.drop(c)
        text_vec = self.pool(x, text_padding(ids))
        w = (~patch_pad).unsqueeze(-1).float()
        img_vec = self.img_proj((img * w).sum(1) / w.sum(1))
        return F.normalize(text_vec, dim=-1), F.normalize(img_vec, dim=-1)


def run():
    torch.manual_seed(0)
    model = ImageTextMatcher()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    patches = torch.randn(3, 6, 12)
    patch_pad = torch.zeros(3, 6, dtype=torch.bool)
    patch_pad[1, 4:] = True
    ids = torch.randint(1, VOCAB, (3, 7))
    ids[0, 5:] = PAD

    model.train()
    t, i = model(patches, patch_pad, ids)
    logits = t @ i.t() / 0.1
    loss = (F.cross_entropy(logits, torch.arange(3)) + F.cross_entropy(logits.t(), torch.arange(3))) / 2
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        t, i = model(patches, patch_pad, ids)
    return [loss.detach(), t @ i.t()]
