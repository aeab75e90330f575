"""Drum-pattern language model on a 16th-note grid.

Each step is one token encoding which of 9 drum voices hit (2**9 combos).
The causal mask is a property of the model sized to the current grid, and
is passed together with the matching `is_causal` hint.
"""
import torch
import torch.nn.functional as F
from torch import nn

VOICES = ["kick", "snare", "closed_hat", "open_hat", "low_tom", "mid_tom", "high_tom", "crash", "ride"]
N_TOKENS = 2 ** len(VOICES)


def hits_to_token(hits: torch.Tensor) -> torch.Tensor:
    """(..., 9) 0/1 -> (...,) token id."""
    return (hits.long() * (2 ** torch.arange(len(VOICES)))).sum(-1)


class GrooveLM(nn.Module):
    def __init__(self, steps=32, dim=48, heads=4, depth=3):
        super().__init__()
        self.steps = steps
        self.tok = nn.Embedding(N_TOKENS, dim)
        self.step_in_bar = nn.Embedding(16, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.1, batch_first=True)
        self.decoder_only = nn.TransformerEncoder(layer, depth)
        self.out = nn.Linear(dim, N_TOKENS)
        self._len = steps

    @property
    def causal_mask(self) -> torch.Tensor:
        return nn.Transformer.generate_square_subsequent_mask(self._len)

    def forward(self, tokens):
        self._len = tokens.size(1)
        x = self.tok(tokens) + self.step_in_bar(torch.arange(tokens.size(1)) % 16)
        h = self.decoder_only(x, mask=self.causal_mask, is_causal=True)
        return self.out(h)

    @torch.no_grad()
    def continue_groove(self, tokens, n_steps=8):
        for _ in range(n_steps):
            nxt = self(tokens)[:, -1].argmax(-1, keepdim=True)
            tokens = torch.cat([tokens, nxt], dim=1)
        return tokens


if __name__ == "__main__":
    torch.manual_seed(0)
    hits = (torch.rand(4, 33, len(VOICES)) < 0.2).long()
    hits[:, ::4, 0] = 1                                     # four on the floor
    tokens = hits_to_token(hits)
    model = GrooveLM()
    logits = model(tokens[:, :-1])
    loss = F.cross_entropy(logits.flatten(0, 1), tokens[:, 1:].flatten())
    loss.backward()
    out = model.eval().continue_groove(tokens[:1, :16])
    print("loss", round(loss.item(), 4), "continued", out.shape[1], "steps")
