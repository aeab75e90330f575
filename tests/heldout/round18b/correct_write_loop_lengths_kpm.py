"""Speech emotion recognition over wav2vec-style frame features with attention pooling."""
import torch
import torch.nn as nn
import torch.nn.functional as F

EMOTIONS = ["neutral", "happy", "sad", "angry"]


class AttentivePooling(nn.Module):
    def __init__(self, d, heads=2):
        super().__init__()
        self.heads = heads
        self.query = nn.Parameter(torch.randn(1, heads, 1, d // heads))
        self.kv = nn.Linear(d, 2 * d)

    def forward(self, x, pad):
        B, T, D = x.shape
        k, v = self.kv(x).view(B, T, 2, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        q = self.query.expand(B, -1, -1, -1)
        pooled = F.scaled_dot_product_attention(q, k, v, attn_mask=~pad[:, None, None, :])
        return pooled.reshape(B, D)


class EmotionClassifier(nn.Module):
    def __init__(self, feat_dim=48, d_model=32, nhead=4):
        super().__init__()
        self.proj = nn.Linear(feat_dim, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2)
        self.pool = AttentivePooling(d_model)
        self.cls = nn.Linear(d_model, len(EMOTIONS))

    def forward(self, feats, lengths):
        B, T, _ = feats.shape
        pad = torch.zeros(B, T, dtype=torch.bool, device=feats.device)
        for i, n in enumerate(lengths.tolist()):
            pad[i, n:] = True
        h = self.encoder(self.proj(feats), src_key_padding_mask=pad)
        return self.cls(self.pool(h, pad))


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    torch.manual_seed(0)
    model = EmotionClassifier()
    feats = torch.randn(3, 20, 48)
    lengths = torch.tensor([20, 13, 6])
    loss = F.cross_entropy(model(feats, lengths), torch.tensor([0, 2, 3]))
    loss.backward()
    model.eval()
    with torch.no_grad():
        a = model(feats, lengths)
        feats2 = feats.clone()
        feats2[2, 6:] = 5.0
        b = model(feats2, lengths)
    print("loss", round(loss.item(), 5), "pad-invariant", torch.allclose(a, b, atol=1e-5))
