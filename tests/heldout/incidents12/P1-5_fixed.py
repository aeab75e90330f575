import torch
from torch import nn


class _PatchEmbedding(nn.Module):
    def __init__(self, n_chans, patch_size, emb_size):
        super().__init__()
        self.patch_size = patch_size
        self.projection = nn.Linear(n_chans * patch_size, emb_size)

    def forward(self, x):
        batch_size, n_chans, n_times = x.shape
        n_patches = n_times // self.patch_size
        x = x[:, :, : n_patches * self.patch_size]
        x = x.reshape(batch_size, n_chans, n_patches, self.patch_size).permute(0, 2, 1, 3)
        return self.projection(x.reshape(batch_size, n_patches, -1))


class _TransformerEncoderBlock(nn.Module):
    def __init__(self, emb_size, att_heads, att_drop):
        super().__init__()
        self.norm1 = nn.LayerNorm(emb_size)
        self.attention = nn.MultiheadAttention(emb_size, att_heads, dropout=att_drop, batch_first=True)
        self.norm2 = nn.LayerNorm(emb_size)
        self.feed_forward = nn.Sequential(nn.Linear(emb_size, 2 * emb_size), nn.GELU(), nn.Linear(2 * emb_size, emb_size))

    def forward(self, x, mask=None):
        res = x
        x = self.norm1(x)
        x, _ = self.attention(x, x, x, key_padding_mask=~mask, need_weights=False)
        x = x + res
        return x + self.feed_forward(self.norm2(x))


class EEGWindowTransformer(nn.Module):
    def __init__(self, n_chans=4, n_outputs=3, patch_size=25, emb_size=32, att_heads=4, att_depth=2, att_drop=0.0):
        super().__init__()
        self.patch_size = patch_size
        self.patch_embedding = _PatchEmbedding(n_chans, patch_size, emb_size)
        self.blocks = nn.ModuleList([_TransformerEncoderBlock(emb_size, att_heads, att_drop) for _ in range(att_depth)])
        self.final_layer = nn.Linear(emb_size, n_outputs)

    def get_valid_mask(self, n_valid_times, n_patches):
        n_valid_patches = n_valid_times // self.patch_size
        return torch.arange(n_patches)[None, :] < n_valid_patches[:, None]

    def forward(self, x, n_valid_times):
        x = self.patch_embedding(x)
        mask = self.get_valid_mask(n_valid_times, x.shape[1])
        for block in self.blocks:
            x = block(x, mask)
        x = (x * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        return self.final_layer(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = EEGWindowTransformer().eval()
    signals = torch.randn(3, 4, 200)
    n_valid_times = torch.tensor([200, 150, 100])
    for i, n in enumerate(n_valid_times.tolist()):
        signals[i, :, n:] = 0.0
    noisy = signals.clone()
    for i, n in enumerate(n_valid_times.tolist()):
        noisy[i, :, n:] = torch.randn(4, 200 - n)
    with torch.no_grad():
        out, out2 = model(signals, n_valid_times), model(noisy, n_valid_times)
    nan = int(torch.isnan(out).sum())
    d = (out - out2).nan_to_num(0.0).abs().max().item()
    print(f"eval: NaN logits = {nan}; logit change when only padded samples change = {d:.4f}")
