"""Masked-frame pretraining for a sensor-sequence encoder with nn.TransformerEncoder
(batch_first): frames are randomly hidden from attention as augmentation (cf. pytorch issue 26098)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SensorEncoder(nn.Module):
    def __init__(self, n_features=6, d_model=32, nhead=4, layers=2):
        super().__init__()
        self.proj = nn.Linear(n_features, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.recon = nn.Linear(d_model, n_features)

    def forward(self, x, hidden_frames):
        h = self.encoder(self.proj(x), src_key_padding_mask=hidden_frames)
        return self.recon(h)


def sample_hidden_frames(batch, frames, p=0.6, generator=None):
    hidden = torch.rand(batch, frames, generator=generator) < p  # BUG
    return hidden


def pretrain_step(model, x, optimizer, gen):
    model.train()
    hidden = sample_hidden_frames(*x.shape[:2], generator=gen)
    recon = model(x, hidden)
    loss = F.mse_loss(recon[~hidden], x[~hidden])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


@torch.no_grad()
def validate(model, x, gen):
    model.eval()
    hidden = sample_hidden_frames(*x.shape[:2], generator=gen)
    recon = model(x, hidden)
    return F.mse_loss(recon, x).item()


if __name__ == "__main__":
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(3)
    model = SensorEncoder()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(16, 4, 6)
    print("train mse", pretrain_step(model, x, opt, gen))
    print("val mse", validate(model, x, gen))
