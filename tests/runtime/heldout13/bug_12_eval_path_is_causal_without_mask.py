# EXPECT: bug
"""Decoder-only LM on nn.TransformerEncoderLayer.  Training passes an explicit
causal mask; a "fast inference" branch passes only is_causal=True.  In eval
with no_grad the layer takes its fused fast path, which ignores the hint:
inference attention is unmasked."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TinyLM(nn.Module):
    def __init__(self, vocab=57, d=32, nhead=4, n_layers=2, dropout=0.1):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(32, d)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d, nhead, 4 * d, dropout, batch_first=True)
            for _ in range(n_layers))
        self.lm_head = nn.Linear(d, vocab)

    def forward(self, ids):
        T = ids.size(1)
        h = self.embed(ids) + self.pos(torch.arange(T))
        if self.training:
            mask = nn.Transformer.generate_square_subsequent_mask(T)
            for layer in self.layers:
                h = layer(h, src_mask=mask, is_causal=True)
        else:
            # inference: let the kernel do the causal masking
            for layer in self.layers:
                h = layer(h, is_causal=True)  # BUG-SITE
        return self.lm_head(h)


def run():
    torch.manual_seed(12)
    ids = torch.randint(0, 57, (3, 10))
    model = TinyLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model.train()
    logits = model(ids[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 57), ids[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    g = model.embed.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(ids[:, :-1]).log_softmax(-1)
    return [loss.detach(), g, ev]
