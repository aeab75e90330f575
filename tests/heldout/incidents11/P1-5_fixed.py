import torch
import torch.nn as nn


class _PatchEmbedding(nn.Module):
    def __init__(self, n_channels, n_filters_time=8, filter_time_length=5, pool_time_length=4, pool_time_stride=4, drop_prob=0.0):
        super().__init__()
        self.shallownet = nn.Sequential(
            nn.Conv2d(1, n_filters_time, (1, filter_time_length), (1, 1)),
            nn.Conv2d(n_filters_time, n_filters_time, (n_channels, 1), (1, 1)),
            nn.BatchNorm2d(n_filters_time),
            nn.ELU(),
            nn.AvgPool2d((1, pool_time_length), (1, pool_time_stride)),
            nn.Dropout(drop_prob),
        )
        self.projection = nn.Conv2d(n_filters_time, n_filters_time, (1, 1), stride=(1, 1))

    def forward(self, x):
        x = self.projection(self.shallownet(x))
        return x.flatten(2).transpose(1, 2)


class _MultiHeadAttention(nn.Module):
    def __init__(self, emb_size, num_heads, dropout):
        super().__init__()
        self.emb_size = emb_size
        self.num_heads = num_heads
        self.mha = nn.MultiheadAttention(emb_size, num_heads, dropout=dropout, batch_first=True)

    def forward(self, x, mask=None):
        return self.mha(x, x, x, attn_mask=mask, need_weights=False)[0]


class _ResidualAdd(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x, **kwargs):
        return x + self.fn(x, **kwargs)


class _TransformerEncoderBlock(nn.Module):
    def __init__(self, emb_size, att_heads, att_drop, forward_expansion=2):
        super().__init__()
        self.norm1 = nn.LayerNorm(emb_size)
        self.attention = _MultiHeadAttention(emb_size, att_heads, att_drop)
        self.feed_forward = nn.Sequential(
            nn.LayerNorm(emb_size),
            nn.Linear(emb_size, forward_expansion * emb_size),
            nn.GELU(),
            nn.Linear(forward_expansion * emb_size, emb_size),
        )

    def forward(self, x, mask=None):
        x = x + self.attention(self.norm1(x), mask)
        return x + self.feed_forward(x)


class EEGConformerLike(nn.Module):
    def __init__(self, n_chans, n_outputs, n_filters_time=8, att_depth=2, att_heads=2, att_drop_prob=0.0):
        super().__init__()
        self.patch_embedding = _PatchEmbedding(n_chans, n_filters_time)
        self.blocks = nn.ModuleList([_TransformerEncoderBlock(n_filters_time, att_heads, att_drop_prob) for _ in range(att_depth)])
        self.final_layer = nn.Linear(n_filters_time, n_outputs)

    @staticmethod
    def local_window_mask(n_tokens, radius, device=None):
        idx = torch.arange(n_tokens, device=device)
        return (idx[None, :] - idx[:, None]).abs() <= radius

    def forward(self, x, window_radius=None):
        x = self.patch_embedding(x.unsqueeze(1))
        mask = None
        if window_radius is not None:
            keep = self.local_window_mask(x.shape[1], window_radius, device=x.device)
            mask = ~keep
        for block in self.blocks:
            x = block(x, mask=mask)
        return self.final_layer(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = EEGConformerLike(n_chans=3, n_outputs=2).eval()
    eeg = torch.randn(2, 3, 44)
    with torch.no_grad():
        tokens = model.patch_embedding(eeg.unsqueeze(1))
        base = model(eeg, window_radius=1)
        far = eeg.clone()
        far[..., -8:] += 3.0
        moved = model(far, window_radius=1)
    n = tokens.shape[1]
    d = (base[:, 0] - moved[:, 0]).abs().max().item()
    print(f"token 0 change when tokens far outside its window change (n={n}): {d:.3e}")
