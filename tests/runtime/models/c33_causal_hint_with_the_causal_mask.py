"""Correct: is_causal=True as a hint next to the causal mask itself (padding in the key padding
mask), on nn.TransformerEncoder and nn.MultiheadAttention, in training and in eval."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "correct"


class LM(nn.Module):
    def __init__(self, vocab=30, d=16, heads=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        layer = nn.TransformerEncoderLayer(d, heads, 32, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 1, enable_nested_tensor=False)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        T = ids.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(T)
        h = self.encoder(self.emb(ids), mask=causal, is_causal=True)
        block = torch.triu(torch.ones(T, T, dtype=torch.bool), 1)
        h = h + self.attn(h, h, h, attn_mask=block, is_causal=True, need_weights=False)[0]
        return self.head(h)


def run():
    torch.manual_seed(0)
    ids = torch.tensor([[1, 2, 3, 4, 5], [6, 7, 8, 9, 2]])
    m = LM().train()
    logits = m(ids)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 30), ids[:, 1:].reshape(-1))
    loss.backward()
    with torch.no_grad():
        out = m.eval()(ids)
    return loss.detach(), out
