"""EEG transformer decoder in the style of braindecode: a convolutional patch embedding
followed by nn.MultiheadAttention with a local (windowed) attention pattern."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def _local_window_mask(n_tokens, window, device=None):
    idx = torch.arange(n_tokens, device=device)
    return (idx[:, None] - idx[None, :]).abs() <= window


class _PatchEmbedding(nn.Module):
    def __init__(self, n_chans, emb_size, patch_len):
        super().__init__()
        self.proj = nn.Conv1d(n_chans, emb_size, kernel_size=patch_len, stride=patch_len)
        self.norm = nn.BatchNorm1d(emb_size)

    def forward(self, x):
        return F.elu(self.norm(self.proj(x))).transpose(1, 2)


class _LocalAttentionBlock(nn.Module):
    def __init__(self, emb_size, n_heads, window, drop_prob=0.1):
        super().__init__()
        self.window = window
        self.norm1 = nn.LayerNorm(emb_size)
        self.attention = nn.MultiheadAttention(emb_size, n_heads, dropout=drop_prob, batch_first=True)
        self.norm2 = nn.LayerNorm(emb_size)
        self.ff = nn.Sequential(nn.Linear(emb_size, 2 * emb_size), nn.GELU(), nn.Linear(2 * emb_size, emb_size))

    def forward(self, x):
        keep = _local_window_mask(x.shape[1], self.window, device=x.device)
        h = self.norm1(x)
        attn_out, _ = self.attention(h, h, h, attn_mask=~keep, need_weights=False)
        x = x + attn_out
        return x + self.ff(self.norm2(x))


class EEGLocalTransformer(nn.Module):
    def __init__(self, n_chans=8, n_outputs=4, n_times=256, emb_size=32, n_heads=4, depth=2, patch_len=16, window=2):
        super().__init__()
        self.patch_embedding = _PatchEmbedding(n_chans, emb_size, patch_len)
        self.blocks = nn.ModuleList([_LocalAttentionBlock(emb_size, n_heads, window) for _ in range(depth)])
        self.final_layer = nn.Linear(emb_size, n_outputs)

    def forward(self, x):
        h = self.patch_embedding(x)
        for blk in self.blocks:
            h = blk(h)
        return self.final_layer(h.mean(dim=1))


def train_one_epoch(model, batches, optimizer):
    model.train()
    total = 0.0
    for X, y in batches:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(X), y)
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total / len(batches)


if __name__ == "__main__":
    torch.manual_seed(20)
    model = EEGLocalTransformer()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    batches = [(torch.randn(6, 8, 256), torch.randint(0, 4, (6,))) for _ in range(2)]
    print("train loss", train_one_epoch(model, batches, opt))
    model.eval()
    with torch.no_grad():
        print(model(torch.randn(3, 8, 256)).shape)
