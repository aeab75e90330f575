import torch
import torch.nn as nn


class MaskedPatchEncoder(nn.Module):
    """Pretraining encoder that randomly drops tokens through the key padding mask."""

    def __init__(self, d_model=32, nhead=4, layers=2, drop_prob=0.6):
        super().__init__()
        self.drop_prob = drop_prob
        self.cls = nn.Parameter(torch.randn(1, 1, d_model))
        layer = nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.proj = nn.Linear(d_model, 8)

    def random_token_drop(self, batch, length, generator):
        drop = torch.rand(batch, length, generator=generator) < self.drop_prob
        return drop

    def forward(self, patches, generator):
        b, l, _ = patches.shape
        x = torch.cat([self.cls.expand(b, -1, -1), patches], dim=1)
        drop = self.random_token_drop(b, l, generator)
        key_padding_mask = torch.cat([torch.ones(b, 1, dtype=torch.bool), drop], dim=1)  # BUG
        h = self.encoder(x, src_key_padding_mask=key_padding_mask)
        return self.proj(h[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(3)
    model = MaskedPatchEncoder().eval()
    patches = torch.randn(16, 4, 32)
    with torch.no_grad():
        emb = model(patches, g)
    nan_samples = int(torch.isnan(emb).any(-1).sum())
    print(f"samples with NaN embeddings (eval) = {nan_samples}/16")
