import torch
import torch.nn as nn
import torch.nn.functional as F


class SmilesVAEEncoder(nn.Module):
    def __init__(self, vocab_size=64, d_model=128, nhead=8, num_layers=3, latent_dim=56, max_len=120, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.tok = nn.Embedding(vocab_size, d_model, padding_idx=pad_id)
        self.pos = nn.Embedding(max_len, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=4 * d_model, dropout=0.1)  # BUG
        self.encoder = nn.TransformerEncoder(layer, num_layers)
        self.to_mu = nn.Linear(d_model, latent_dim)
        self.to_logvar = nn.Linear(d_model, latent_dim)

    def forward(self, input_ids, attention_mask):
        # input_ids: (B, S) token ids of the SMILES strings
        x = self.tok(input_ids) + self.pos(torch.arange(input_ids.size(1), device=input_ids.device))
        h = self.encoder(x)  # BUG
        w = attention_mask.unsqueeze(-1).to(h.dtype)
        pooled = (h * w).sum(1) / w.sum(1).clamp(min=1.0)
        return self.to_mu(pooled), self.to_logvar(pooled)


class PropertyHead(nn.Module):
    def __init__(self, latent_dim=56):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(latent_dim, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, z):
        return self.net(z).squeeze(-1)


def train_one_epoch(encoder, head, loader, optimizer, beta=0.01):
    encoder.train()
    head.train()
    for batch in loader:
        mu, logvar = encoder(batch["input_ids"], batch["attention_mask"])
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        kl = -0.5 * torch.mean(torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=-1))
        loss = F.mse_loss(head(z), batch["logp"]) + beta * kl
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
