"""Image captioning as a prefix LM: image patches form a bidirectional prefix, caption tokens are causal (SimVLM/PaliGemma-style)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def prefix_lm_mask(n_prefix, total, device=None):
    """(total, total) bool, True = may attend."""
    i = torch.arange(total, device=device)
    causal = i[None, :] <= i[:, None]
    in_prefix = (i < n_prefix)[None, :].expand(total, -1)
    return causal | in_prefix


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h = heads
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, allowed):
        B, T, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
        x = x + self.proj(a.transpose(1, 2).reshape(B, T, D))
        return x + self.mlp(self.ln2(x))


class PrefixCaptioner(nn.Module):
    def __init__(self, vocab=1000, d=64, heads=4, depth=2, patch=8, img=32, max_text=20):
        super().__init__()
        self.n_patches = (img // patch) ** 2
        self.patchify = nn.Conv2d(3, d, patch, patch)
        self.img_pos = nn.Parameter(torch.zeros(1, self.n_patches, d))
        self.tok = nn.Embedding(vocab, d)
        self.txt_pos = nn.Parameter(torch.zeros(1, max_text, d))
        self.blocks = nn.ModuleList(Block(d, heads) for _ in range(depth))
        self.head = nn.Linear(d, vocab)

    def forward(self, images, caption_in):
        img = self.patchify(images).flatten(2).transpose(1, 2) + self.img_pos
        txt = self.tok(caption_in) + self.txt_pos[:, : caption_in.size(1)]
        x = torch.cat([img, txt], dim=1)
        allowed = prefix_lm_mask(self.n_patches, x.size(1), x.device)
        for blk in self.blocks:
            x = blk(x, allowed)
        return self.head(x[:, self.n_patches:])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PrefixCaptioner()
    images = torch.randn(2, 3, 32, 32)
    captions = torch.randint(0, 1000, (2, 12))
    logits = model(images, captions[:, :-1])
    loss = F.cross_entropy(logits.transpose(1, 2), captions[:, 1:])
    loss.backward()
    # changing a later caption token must not change earlier predictions
    with torch.no_grad():
        alt = captions.clone()
        alt[:, 8] = 999
        same = torch.allclose(model(images, captions[:, :-1])[:, :8], model(images, alt[:, :-1])[:, :8], atol=1e-5)
    print(logits.shape, loss.item(), same)
