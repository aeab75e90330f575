# EXPECT: bug
"""Linear probe on a frozen causal log-event encoder that runs FlexAttention (CPU, eager)."""
import warnings
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

warnings.filterwarnings("ignore", message=".*flex_attention called without torch.compile.*")


def causal(b, h, q_idx, kv_idx):
    return q_idx > kv_idx


class FrozenEventEncoder(nn.Module):
    def __init__(self, n_events=16, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(n_events, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.requires_grad_(False)

    def forward(self, events):
        B, T = events.shape
        x = self.emb(events)
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        block_mask = create_block_mask(causal, None, None, T, T, device="cpu")
        y = flex_attention(q, k, v, block_mask=block_mask)  # BUG-SITE
        return x + self.out(y.transpose(1, 2).reshape(B, T, -1))


class AnomalyProbe(nn.Module):
    def __init__(self, d=32, p=0.2):
        super().__init__()
        self.encoder = FrozenEventEncoder(d=d)
        self.drop = nn.Dropout(p)
        self.head = nn.Linear(d, 2)

    def forward(self, events):
        return self.head(self.drop(self.encoder(events)))  # per-step "next event is anomalous"


def run():
    torch.manual_seed(0)
    model = AnomalyProbe()
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-2)
    events = torch.randint(0, 16, (3, 8))
    labels = torch.randint(0, 2, (3, 8))

    model.train()
    loss = F.cross_entropy(model(events).reshape(-1, 2), labels.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        logits = model(events)
    return [loss.detach(), logits]
