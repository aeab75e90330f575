import torch
import torch.nn as nn


class MaskedFrameModel(nn.Module):
    """Pretraining by hiding random frames from the encoder's attention."""

    def __init__(self, feat_dim=16, d_model=32, nhead=4, num_layers=2, mask_prob=0.5):
        super().__init__()
        self.mask_prob = mask_prob
        self.proj = nn.Linear(feat_dim, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.1)
        self.encoder = nn.TransformerEncoder(layer, num_layers)
        self.recon = nn.Linear(d_model, feat_dim)

    def forward(self, frames):
        # frames: (S, N, F)
        S, N, _ = frames.shape
        src_key_padding_mask = torch.rand(N, S) < self.mask_prob
        src_key_padding_mask[src_key_padding_mask.all(dim=1), 0] = False
        hidden = self.encoder(self.proj(frames), src_key_padding_mask=src_key_padding_mask)
        return self.recon(hidden), src_key_padding_mask


if __name__ == "__main__":
    torch.manual_seed(3)
    model = MaskedFrameModel(mask_prob=0.7)
    frames = torch.randn(3, 64, 16)
    recon, hidden_mask = model(frames)
    loss = ((recon - frames) ** 2).mean()
    print(recon.shape, torch.isnan(loss).item())
