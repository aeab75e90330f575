"""Generalist robot policy: observation and action tokens interleaved in one
stream, trained to predict the next action token (Gato-style, tiny)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TokenizedPolicy(nn.Module):
    def __init__(self, n_obs_bins=256, n_act_bins=256, dim=64, heads=4, layers=3, ctx=96):
        super().__init__()
        self.n_obs_bins = n_obs_bins
        self.tok = nn.Embedding(n_obs_bins + n_act_bins + 1, dim)
        self.pos = nn.Embedding(ctx, dim)
        self.kind = nn.Embedding(2, dim)  # 0 = observation, 1 = action
        block = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.1, batch_first=True, norm_first=True)
        self.trunk = nn.TransformerEncoder(block, layers)
        self.act_head = nn.Linear(dim, n_act_bins)

    def forward(self, tokens, kinds, pad):
        pos = torch.arange(tokens.size(1), device=tokens.device)
        x = self.tok(tokens) + self.kind(kinds) + self.pos(pos)
        h = self.trunk(x, src_key_padding_mask=pad)  # expect: ML401
        return self.act_head(h)

    def loss(self, tokens, kinds, pad):
        logits = self(tokens[:, :-1], kinds[:, :-1], pad[:, :-1])
        target = tokens[:, 1:] - self.n_obs_bins
        is_action = (kinds[:, 1:] == 1) & ~pad[:, 1:]
        return F.cross_entropy(logits[is_action], target[is_action])

    @torch.no_grad()
    def act(self, tokens, kinds, n_dims=4):
        for _ in range(n_dims):
            pad = torch.zeros_like(tokens, dtype=torch.bool)
            nxt = self(tokens, kinds, pad)[:, -1].argmax(-1, keepdim=True) + self.n_obs_bins
            tokens = torch.cat([tokens, nxt], 1)
            kinds = torch.cat([kinds, torch.ones_like(nxt)], 1)
        return tokens[:, -n_dims:] - self.n_obs_bins
