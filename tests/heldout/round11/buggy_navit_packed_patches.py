"""ViT over images of native resolution: patch sequences of different lengths are padded together."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def patchify_batch(images, patch):
    seqs = []
    for im in images:
        c, h, w = im.shape
        p = im.unfold(1, patch, patch).unfold(2, patch, patch)
        seqs.append(p.permute(1, 2, 0, 3, 4).reshape(-1, c * patch * patch))
    n_max = max(s.size(0) for s in seqs)
    tokens = torch.stack([F.pad(s, (0, 0, 0, n_max - s.size(0))) for s in seqs])
    lengths = torch.tensor([s.size(0) for s in seqs])
    is_pad = torch.arange(n_max)[None, :] >= lengths[:, None]
    return tokens, is_pad


class NativeResViT(nn.Module):
    def __init__(self, patch=16, dim=192, heads=3, depth=4, n_classes=100):
        super().__init__()
        self.patch = patch
        self.embed = nn.Linear(3 * patch * patch, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, 0.0, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth)
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, n_classes)

    def forward(self, images):
        tokens, is_pad = patchify_batch(images, self.patch)
        x = self.encoder(self.embed(tokens))  # expect: ML504
        keep = (~is_pad).unsqueeze(-1).to(x.dtype)
        pooled = (self.norm(x) * keep).sum(1) / keep.sum(1)
        return self.head(pooled)


if __name__ == "__main__":
    images = [torch.randn(3, 224, 160), torch.randn(3, 96, 128), torch.randn(3, 128, 128)]
    logits = NativeResViT()(images)
    print(logits.shape)
