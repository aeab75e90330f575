"""Behaviour-cloning policy over interleaved observation/action tokens."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class InterleavedPolicy(nn.Module):
    def __init__(self, n_obs_bins=256, n_act_bins=256, dim=64, heads=4, layers=3, ctx=96):
        super().__init__()
        self.n_obs_bins = n_obs_bins
        self.tok = nn.Embedding(n_obs_bins + n_act_bins, dim)
        self.pos = nn.Embedding(ctx, dim)
        block = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.1, batch_first=True, norm_first=True)
        self.trunk = nn.TransformerEncoder(block, layers)
        self.act_head = nn.Linear(dim, n_act_bins)
        self.register_buffer("causal", nn.Transformer.generate_square_subsequent_mask(ctx), persistent=False)

    def forward(self, tokens):
        n = tokens.size(1)
        x = self.tok(tokens) + self.pos(torch.arange(n, device=tokens.device))
        h = self.trunk(x, mask=self.causal[:n, :n], is_causal=True)
        return self.act_head(h)

    def loss(self, tokens, is_action):
        logits = self(tokens[:, :-1])
        tgt = tokens[:, 1:] - self.n_obs_bins
        sel = is_action[:, 1:]
        return F.cross_entropy(logits[sel], tgt[sel])


if __name__ == "__main__":
    policy = InterleavedPolicy()
    tokens = torch.randint(0, 512, (2, 40))
    is_action = torch.zeros(2, 40, dtype=torch.bool)
    is_action[:, 1::4] = True
    tokens[is_action] = tokens[is_action].clamp(min=256)
    print(policy.loss(tokens, is_action).item())
