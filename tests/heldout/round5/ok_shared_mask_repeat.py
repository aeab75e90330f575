"""Audio captioning decoder: one causal mask shared by every sample, tiled with .repeat to the
(N*H, L, L) shape expected by a 3-D attn_mask. Identical slices make the tile order irrelevant."""
import torch
import torch.nn as nn


class CaptionSelfAttn(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.heads = heads
        self.mha = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x):
        B, T, _ = x.shape
        causal = torch.ones(T, T, dtype=torch.bool, device=x.device).triu(1)
        causal3d = causal.unsqueeze(0).repeat(B * self.heads, 1, 1)
        return self.mha(x, x, x, attn_mask=causal3d, need_weights=False)[0]


class AudioCaptioner(nn.Module):
    def __init__(self, vocab=400, d=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.self_attn = CaptionSelfAttn(d)
        self.head = nn.Linear(d, vocab)

    def forward(self, words):
        x = self.emb(words)
        return self.head(x + self.self_attn(x))


if __name__ == "__main__":
    torch.manual_seed(0)
    m = CaptionSelfAttn().eval()
    x = torch.randn(3, 7, 64)
    with torch.no_grad():
        y = m(x)
        x2 = x.clone(); x2[:, 5:] = torch.randn(3, 2, 64)
    print("causal:", torch.allclose(y[:, :5], m(x2)[:, :5], atol=1e-5))
