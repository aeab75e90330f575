"""Decoder-only LM from encoder layers with an explicit causal mask and the is_causal hint."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LayerStackLM(nn.Module):
    def __init__(self, vocab=256, d_model=64, nhead=4, n_layers=2, max_len=64):
        super().__init__()
        self.tok = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.layers = nn.ModuleList(
            [nn.TransformerEncoderLayer(d_model, nhead, 128, 0.0, batch_first=True) for _ in range(n_layers)]
        )
        self.head = nn.Linear(d_model, vocab)

    def forward(self, ids):
        T = ids.size(1)
        h = self.tok(ids) + self.pos(torch.arange(T, device=ids.device))
        causal = nn.Transformer.generate_square_subsequent_mask(T, device=ids.device)
        for layer in self.layers:
            h = layer(h, src_mask=causal, is_causal=True)
        return self.head(h)


def lm_loss(model, ids):
    logits = model(ids[:, :-1])
    return F.cross_entropy(logits.flatten(0, 1), ids[:, 1:].flatten())
