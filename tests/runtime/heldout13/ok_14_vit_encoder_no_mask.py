# EXPECT: ok
"""Vision Transformer classifier: [CLS] + 16 patch tokens through
nn.TransformerEncoder with no mask at all (bidirectional, every image has the
same number of patches, so nothing to pad)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PatchEmbed(nn.Module):
    def __init__(self, patch=4, ch=3, d=32):
        super().__init__()
        self.proj = nn.Conv2d(ch, d, patch, patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class ViT(nn.Module):
    def __init__(self, d=32, depth=2, heads=4, n_cls=10, p=0.1):
        super().__init__()
        self.patch = PatchEmbed(d=d)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d))
        self.pos_embed = nn.Parameter(torch.randn(1, 17, d) * 0.02)
        self.blocks = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 4 * d, p, activation="gelu", batch_first=True,
                                       norm_first=True), depth, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, n_cls)

    def forward(self, x):
        x = self.patch(x)
        x = torch.cat([self.cls_token.expand(x.size(0), -1, -1), x], dim=1) + self.pos_embed
        x = self.blocks(x)
        return self.head(self.norm(x[:, 0]))


def run():
    torch.manual_seed(114)
    imgs = torch.randn(5, 3, 16, 16)
    labels = torch.randint(0, 10, (5,))
    model = ViT()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model.train()
    loss = F.cross_entropy(model(imgs), labels)
    opt.zero_grad()
    loss.backward()
    g = model.cls_token.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(imgs)
    return [loss.detach(), g, ev]
