import torch
from torch import nn


class _PatchEmbedding(nn.Module):
    """Temporal patching of a multichannel EEG window into tokens."""

    def __init__(self, n_chans, patch_len, emb_size):
        super().__init__()
        self.patch_len = patch_len
        self.proj = nn.Linear(n_chans * patch_len, emb_size)

    def forward(self, x):
        batch, n_chans, n_times = x.shape
        n_patches = n_times // self.patch_len
        x = x[..., : n_patches * self.patch_len].reshape(batch, n_chans, n_patches, self.patch_len)
        return self.proj(x.permute(0, 2, 1, 3).reshape(batch, n_patches, -1))


class _TransformerBlock(nn.Module):
    def __init__(self, emb_size, num_heads, drop_prob=0.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(emb_size)
        self.attention = nn.MultiheadAttention(emb_size, num_heads, dropout=drop_prob, batch_first=True)
        self.norm2 = nn.LayerNorm(emb_size)
        self.ff = nn.Sequential(nn.Linear(emb_size, 2 * emb_size), nn.GELU(), nn.Linear(2 * emb_size, emb_size))

    def forward(self, x, mask=None):
        # mask: (batch, n_patches), True where the patch holds recorded signal
        h = self.norm1(x)
        key_padding_mask = None if mask is None else ~mask  # BUG
        attn_out, _ = self.attention(h, h, h, key_padding_mask=key_padding_mask)
        x = x + attn_out
        return x + self.ff(self.norm2(x))


class EEGVarLenTransformer(nn.Module):
    def __init__(self, n_chans=4, n_outputs=2, patch_len=8, emb_size=16, num_heads=2, depth=2):
        super().__init__()
        self.patch_len = patch_len
        self.patch_embedding = _PatchEmbedding(n_chans, patch_len, emb_size)
        self.blocks = nn.ModuleList([_TransformerBlock(emb_size, num_heads) for _ in range(depth)])
        self.final_layer = nn.Linear(emb_size, n_outputs)

    def forward(self, x, n_valid_times=None):
        tokens = self.patch_embedding(x)
        mask = None
        if n_valid_times is not None:
            n_valid = n_valid_times // self.patch_len
            mask = torch.arange(tokens.shape[1])[None, :] < n_valid[:, None]
        for block in self.blocks:
            tokens = block(tokens, mask)
        if mask is None:
            pooled = tokens.mean(1)
        else:
            pooled = (tokens * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        return self.final_layer(pooled)


if __name__ == "__main__":
    torch.manual_seed(3)
    model = EEGVarLenTransformer()
    model.train()
    eeg = torch.randn(2, 4, 64)
    lengths = torch.tensor([64, 40])
    eeg[1, :, 40:] = 0.0
    out = model(eeg, lengths)
    nan_rows = torch.isnan(out).any(-1).sum().item()
    noisy = eeg.clone()
    noisy[1, :, 40:] = torch.randn(4, 24)
    gap = (model(noisy, lengths)[1] - out[1]).abs().max().item()
    print(f"samples with NaN logits = {nan_rows}/2; short-recording change when padded tail edited = {gap:.4f}")
