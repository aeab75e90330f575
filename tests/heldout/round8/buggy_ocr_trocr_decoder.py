"""TrOCR-style printed/handwritten text-line recogniser: ViT patch encoder +
autoregressive character decoder built from nn.MultiheadAttention."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def subsequent_mask(size: int, device=None) -> torch.Tensor:
    """Boolean mask for the character decoder (True = position may not be used)."""
    return torch.triu(torch.ones(size, size, dtype=torch.bool, device=device), diagonal=0)


class ViTLineEncoder(nn.Module):
    def __init__(self, dim=64, patch=(16, 8)):
        super().__init__()
        self.patch = nn.Conv2d(1, dim, patch, stride=patch)
        self.pos = nn.Parameter(torch.zeros(1, 64, dim))
        layer = nn.TransformerEncoderLayer(dim, 4, 2 * dim, dropout=0.0, batch_first=True, norm_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)

    def forward(self, img):
        x = self.patch(img).flatten(2).transpose(1, 2)
        return self.enc(x + self.pos[:, : x.size(1)])


class CharDecoderLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ffn = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        self.ln = nn.ModuleList(nn.LayerNorm(dim) for _ in range(3))

    def forward(self, x, enc, causal):
        h = self.ln[0](x)
        x = x + self.self_attn(h, h, h, attn_mask=causal, need_weights=False)[0]
        h = self.ln[1](x)
        x = x + self.cross_attn(h, enc, enc, need_weights=False)[0]
        return x + self.ffn(self.ln[2](x))


class TrOCR(nn.Module):
    def __init__(self, charset=96, dim=64, heads=4, layers=2):
        super().__init__()
        self.encoder = ViTLineEncoder(dim)
        self.emb = nn.Embedding(charset, dim)
        self.pos = nn.Embedding(64, dim)
        self.layers = nn.ModuleList(CharDecoderLayer(dim, heads) for _ in range(layers))
        self.out = nn.Linear(dim, charset)

    def forward(self, img, chars):
        enc = self.encoder(img)
        T = chars.size(1)
        x = self.emb(chars) + self.pos(torch.arange(T, device=chars.device))
        causal = subsequent_mask(T, chars.device)
        for layer in self.layers:
            x = layer(
                x,
                enc,
                causal,  # expect: ML404
            )
        return self.out(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TrOCR()
    img = torch.randn(2, 1, 32, 128)
    chars = torch.randint(1, 96, (2, 9))
    logits = model(img, chars[:, :-1])
    loss = F.cross_entropy(logits.flatten(0, 1), chars[:, 1:].flatten())
    print("training-mode loss (fully-masked rows silently zeroed):", loss.item())
    model.eval()
    with torch.no_grad():
        logits = model(img, chars[:, :-1])
    print("eval-mode logits NaN per step:", torch.isnan(logits).any(-1)[0].tolist())
    assert torch.isnan(logits).any()
    print("FAILURE SHOWN: step 0 has no visible key (NaN at inference), no step sees itself")
