"""Trajectory transformer for offline RL on discretised tokens (seq-first and batch-first)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TrajectoryGPT(nn.Module):
    def __init__(self, vocab=100, transition_dim=25, hidden=256, heads=4, layers=4, max_len=250):
        super().__init__()
        self.transition_dim = transition_dim
        self.tok = nn.Embedding(vocab * transition_dim + 1, hidden)
        self.pos = nn.Parameter(torch.zeros(1, max_len, hidden))
        layer = nn.TransformerEncoderLayer(hidden, heads, 4 * hidden, 0.1, batch_first=True)
        self.blocks = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.head = nn.Linear(hidden, vocab)
        self.vocab = vocab

    def forward(self, idx, valid):
        # idx: (B, T) discretised tokens; valid: (B, T) bool, True for real steps (right padded)
        B, T = idx.shape
        offsets = (torch.arange(T, device=idx.device) % self.transition_dim) * self.vocab
        x = self.tok(idx + offsets) + self.pos[:, :T]
        causal = nn.Transformer.generate_square_subsequent_mask(x.size(1), device=x.device, dtype=torch.bool)
        h = self.blocks(x, mask=causal, src_key_padding_mask=~valid, is_causal=True)
        return self.head(h)


class SeqFirstValueModel(nn.Module):
    """Same idea with seq-first layers: the sequence length is dim 0."""

    def __init__(self, obs_dim=17, hidden=128, heads=4, layers=2):
        super().__init__()
        self.inp = nn.Linear(obs_dim, hidden)
        layer = nn.TransformerEncoderLayer(hidden, heads, 4 * hidden, 0.0)
        self.enc = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.v = nn.Linear(hidden, 1)

    def forward(self, obs):                        # obs: (T, B, obs_dim)
        x = self.inp(obs)
        mask = nn.Transformer.generate_square_subsequent_mask(x.size(0), device=x.device)
        return self.v(self.enc(x, mask=mask)).squeeze(-1)


if __name__ == "__main__":
    m = TrajectoryGPT()
    idx = torch.randint(0, 100, (2, 50))
    valid = torch.ones(2, 50, dtype=torch.bool)
    valid[1, 40:] = False
    logits = m(idx[:, :-1], valid[:, :-1])
    loss = F.cross_entropy(logits.transpose(1, 2), idx[:, 1:], reduction="none")
    print((loss * valid[:, 1:]).sum() / valid[:, 1:].sum())
    print(SeqFirstValueModel()(torch.randn(30, 4, 17)).shape)
