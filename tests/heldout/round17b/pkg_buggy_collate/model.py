"""Transformer encoder over comment tokens, [CLS] pooling."""
import torch
from torch import nn


class CommentClassifier(nn.Module):
    def __init__(self, vocab_size, n_labels=5, dim=64, heads=4, layers=2, max_len=64):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, dim, padding_idx=0)
        self.pos = nn.Embedding(max_len, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.head = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, n_labels))

    def forward(self, tokens, pad_mask):
        x = self.tok(tokens) + self.pos(torch.arange(tokens.size(1), device=tokens.device))
        h = self.encoder(x, src_key_padding_mask=pad_mask)
        return self.head(h[:, 0])

    @torch.no_grad()
    def predict(self, tokens, pad_mask):
        self.eval()
        return self.forward(tokens, pad_mask).argmax(-1)


def count_parameters(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def describe(model):
    enc = model.encoder.layers[0]
    return {
        "params": count_parameters(model),
        "layers": len(model.encoder.layers),
        "heads": enc.self_attn.num_heads,
        "dim": enc.self_attn.embed_dim,
    }
