"""Native-resolution ViT pooling head (NaViT-style patch packing).

Images of different aspect ratios give different numbers of patches; batches are
padded to the longest and the attention pooling must ignore the padding.
"""
import torch
import torch.nn as nn


class PatchEmbed(nn.Module):
    def __init__(self, patch=16, dim=192):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(3 * patch * patch, dim)

    def forward(self, images):
        seqs = []
        for img in images:  # list of (3, H, W) with H, W multiples of the patch size
            p = img.unfold(1, self.patch, self.patch).unfold(2, self.patch, self.patch)
            seqs.append(self.proj(p.permute(1, 2, 0, 3, 4).reshape(-1, 3 * self.patch * self.patch)))
        n = torch.tensor([s.size(0) for s in seqs])
        x = nn.utils.rnn.pad_sequence(seqs, batch_first=True)
        is_pad = torch.arange(x.size(1))[None, :] >= n[:, None]
        return x, is_pad


class AttentionPool(nn.Module):
    def __init__(self, dim, heads, n_classes):
        super().__init__()
        self.query = nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.mha = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.fc = nn.Linear(dim, n_classes)

    def forward(self, tokens, is_pad):
        q = self.query.expand(tokens.size(0), -1, -1)
        pooled, _ = self.mha(q, tokens, tokens,
                             key_padding_mask=is_pad.float())  # expect: ML201
        return self.fc(pooled.squeeze(1))


class NaViTClassifier(nn.Module):
    def __init__(self, dim=192, heads=3, n_classes=100):
        super().__init__()
        self.embed = PatchEmbed(dim=dim)
        self.mix = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, dim), nn.GELU())
        self.pool = AttentionPool(dim, heads, n_classes)

    def forward(self, images):
        x, is_pad = self.embed(images)
        return self.pool(self.mix(x), is_pad)


if __name__ == "__main__":
    torch.manual_seed(0)
    imgs = [torch.randn(3, 224, 224), torch.randn(3, 128, 256), torch.randn(3, 96, 160)]
    model = NaViTClassifier()
    logits = model(imgs)
    print("logits", tuple(logits.shape), logits.argmax(-1).tolist())
