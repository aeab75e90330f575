import torch
import torch.nn as nn


class TokenDropAugment:
    """Randomly hides input tokens from attention during training (a regulariser)."""

    def __init__(self, p=0.5, generator=None):
        self.p = p
        self.generator = generator

    def __call__(self, batch_size, seq_len):
        kpm = (torch.rand(batch_size, seq_len, generator=self.generator) < self.p) & (torch.arange(seq_len) > 0)
        return kpm


class EventEncoder(nn.Module):
    def __init__(self, n_features=6, d_model=16, nhead=2):
        super().__init__()
        self.inp = nn.Linear(n_features, d_model)
        self.attn = nn.MultiheadAttention(d_model, nhead)
        self.norm = nn.LayerNorm(d_model)
        self.cls = nn.Linear(d_model, 2)

    def forward(self, x, key_padding_mask=None):
        h = self.inp(x).transpose(0, 1)
        a, _ = self.attn(h, h, h, key_padding_mask=key_padding_mask)
        h = self.norm(h + a)
        return self.cls(h.mean(0))


if __name__ == "__main__":
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(3)
    model = EventEncoder().train()
    augment = TokenDropAugment(p=0.7, generator=gen)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    nan_steps = 0
    for step in range(20):
        x = torch.randn(8, 4, 6)
        y = torch.randint(0, 2, (8,))
        logits = model(x, key_padding_mask=augment(8, 4))
        loss = nn.functional.cross_entropy(logits, y)
        nan_steps += int(torch.isnan(loss).item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"training steps with NaN loss: {nan_steps} of 20; NaN parameters after training: {any(torch.isnan(p).any().item() for p in model.parameters())}")
