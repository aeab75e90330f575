"""Buggy: next-token language model built on nn.TransformerEncoder called without a causal mask. P4-1/P4-2."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class TransformerLanguageModel(nn.Module):
    """GPT-style next-token predictor."""

    def __init__(self, vocab_size=40, d_model=16, nhead=2, num_layers=2):
        super().__init__()
        self.tok_emb = nn.Embedding(vocab_size, d_model)
        self.pos_emb = nn.Embedding(64, d_model)
        self.blocks = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, 32, dropout=0.1, batch_first=True), num_layers)
        self.lm_head = nn.Linear(d_model, vocab_size)

    def forward(self, idx, targets=None):
        T = idx.size(1)
        x = self.tok_emb(idx) + self.pos_emb(torch.arange(T))
        x = self.blocks(x)  # expect: ML401
        logits = self.lm_head(x)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1))
        return logits, loss

    @torch.no_grad()
    def generate(self, idx, max_new_tokens):
        for _ in range(max_new_tokens):
            logits, _ = self(idx)
            idx = torch.cat([idx, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
        return idx


def _setup():
    torch.manual_seed(0)
    data = torch.randint(0, 40, (2, 8))
    return TransformerLanguageModel().train(), data[:, :-1], data[:, 1:]


def run():
    m, x, y = _setup()
    torch.manual_seed(11)
    logits, loss = m(x, y)
    return logits, loss


def verify():
    m, x, y = _setup()
    x2 = x.clone()
    x2[:, -1] = (x2[:, -1] + 1) % 40
    torch.manual_seed(11)
    a, _ = m(x, y)
    torch.manual_seed(11)
    b, _ = m(x2, y)
    d = (a[:, 0] - b[:, 0]).abs().max().item()
    return d > 1e-4, f"logits at position 0 moved by {d:.3g} when the last input token changed"
