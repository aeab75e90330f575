import torch
import torch.nn as nn


class AudioEncoder(nn.Module):
    """Conformer-style frame encoder; kept in the default (time, batch, feature) layout."""

    def __init__(self, n_feats=16, d_model=32, nhead=4):
        super().__init__()
        self.proj = nn.Linear(n_feats, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0)
        self.encoder = nn.TransformerEncoder(layer, 1, enable_nested_tensor=False)

    def forward(self, feats):
        return self.encoder(self.proj(feats).transpose(0, 1))


class CaptionDecoderBlock(nn.Module):
    def __init__(self, d_model=32, nhead=4):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.norm1, self.norm2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)

    def forward(self, x, memory):
        L = x.shape[1]
        causal = torch.triu(torch.ones(L, L, dtype=torch.bool), 1)
        x = self.norm1(x + self.self_attn(x, x, x, attn_mask=causal)[0])
        return self.norm2(x + self.cross_attn(x, memory, memory)[0])


class AudioCaptioner(nn.Module):
    def __init__(self, vocab=40, d_model=32):
        super().__init__()
        self.audio = AudioEncoder(d_model=d_model)
        self.tok = nn.Embedding(vocab, d_model)
        self.block = CaptionDecoderBlock(d_model)
        self.head = nn.Linear(d_model, vocab)

    def forward(self, feats, captions):
        memory = self.audio(feats).transpose(0, 1)  # BUG
        return self.head(self.block(self.tok(captions), memory))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = AudioCaptioner().eval()
    feats = torch.randn(3, 3, 16)
    captions = torch.randint(0, 40, (3, 5))
    with torch.no_grad():
        base = model(feats, captions)
        other = feats.clone()
        other[2] = torch.randn(3, 16)
        cross = (model(other, captions)[0] - base[0]).abs().max().item()
    print(f"clip 0 caption logits change when clip 2 of the batch is replaced = {cross:.4f}")
