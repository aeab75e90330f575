"""Set encoder trained with random key dropout (a regulariser: each key is hidden with prob p)."""
import torch
import torch.nn as nn


class KeyDropoutSetEncoder(nn.Module):
    def __init__(self, in_dim=8, d_model=16, nhead=2, key_drop=0.5):
        super().__init__()
        self.key_drop = key_drop
        self.proj = nn.Linear(in_dim, d_model)
        self.attn = nn.MultiheadAttention(d_model, nhead)
        self.out = nn.Linear(d_model, 1)

    def random_key_mask(self, batch, n):
        drop = torch.rand(batch, n) < self.key_drop
        return drop & ~drop.all(dim=1, keepdim=True)

    def forward(self, elements):
        # elements: (set_size, batch, in_dim)
        x = self.proj(elements)
        kpm = self.random_key_mask(x.size(1), x.size(0)) if self.training else None
        h, _ = self.attn(x, x, x, key_padding_mask=kpm)
        return self.out(h.mean(0)).squeeze(-1)


def train_epoch(model, batches, lr=1e-2):
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    model.train()
    losses = []
    for elements, target in batches:
        loss = nn.functional.mse_loss(model(elements), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses
