"""Line-level handwriting OCR: a convolutional patch encoder and a character decoder."""
import torch
import torch.nn.functional as F
from torch import nn

PAD, BOS, EOS = 0, 1, 2


class CharDecoderLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.q_img = nn.Linear(dim, dim)
        self.kv_img = nn.Linear(dim, 2 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm1 = nn.LayerNorm(dim)
        self.norm2 = nn.LayerNorm(dim)

    def split(self, t):
        b, n, d = t.shape
        return t.view(b, n, self.heads, d // self.heads).transpose(1, 2)

    def forward(self, x, feats, chars):
        n = chars.size(1)
        look_ahead = (1 - torch.tril(torch.ones(n, n, device=x.device))).bool()
        hide = look_ahead[None, None] | (chars == PAD)[:, None, None, :]
        q, k, v = self.qkv(self.norm1(x)).chunk(3, dim=-1)
        a = F.scaled_dot_product_attention(self.split(q), self.split(k), self.split(v),
                                           attn_mask=hide)  # expect: ML102
        x = x + self.proj(a.transpose(1, 2).flatten(2))
        qi = self.split(self.q_img(self.norm2(x)))
        ki, vi = (self.split(t) for t in self.kv_img(feats).chunk(2, dim=-1))
        c = F.scaled_dot_product_attention(qi, ki, vi)
        return x + c.transpose(1, 2).flatten(2)


class LineRecognizer(nn.Module):
    def __init__(self, n_chars=80, dim=64, heads=4, layers=2):
        super().__init__()
        self.patch = nn.Conv2d(1, dim, kernel_size=(32, 4), stride=(32, 4))
        self.emb = nn.Embedding(n_chars, dim, padding_idx=PAD)
        self.layers = nn.ModuleList(CharDecoderLayer(dim, heads) for _ in range(layers))
        self.out = nn.Linear(dim, n_chars)

    def forward(self, image, chars):
        feats = self.patch(image).flatten(2).transpose(1, 2)
        x = self.emb(chars)
        for layer in self.layers:
            x = layer(x, feats, chars)
        return self.out(x)


def greedy_transcribe(image, max_len=12):
    model = LineRecognizer().eval()
    chars = torch.full((image.size(0), 1), BOS)
    with torch.no_grad():
        for _ in range(max_len):
            nxt = model(image, chars)[:, -1].argmax(-1, keepdim=True)
            chars = torch.cat([chars, nxt], dim=1)
    return chars


if __name__ == "__main__":
    torch.manual_seed(0)
    lines = torch.rand(2, 1, 32, 128)
    print(greedy_transcribe(lines))
