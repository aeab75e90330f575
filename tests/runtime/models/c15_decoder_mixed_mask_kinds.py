"""Correct (deprecated style only): float -inf causal tgt_mask next to a bool tgt_key_padding_mask (tutorial habit).
Torch warns but computes the right thing; ML204 is opt-in, so a default run must stay quiet."""
import torch
import torch.nn as nn

KIND = "correct"


class PeptideDecoder(nn.Module):
    def __init__(self, vocab=28, d_model=16, nhead=2, layers=2):
        super().__init__()
        self.aa = nn.Embedding(vocab, d_model, padding_idx=0)
        layer = nn.TransformerDecoderLayer(d_model, nhead, 32, dropout=0.0, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, layers)

    def forward(self, tokens, memory):
        tgt_pad = tokens == 0
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(tokens.size(1), device=tokens.device)
        return self.decoder(self.aa(tokens), memory, tgt_mask=tgt_mask, tgt_key_padding_mask=tgt_pad)


def _setup():
    torch.manual_seed(0)
    tokens = torch.tensor([[3, 4, 5, 6, 7, 8], [9, 10, 11, 12, 0, 0]])
    return PeptideDecoder().train(), tokens, torch.randn(2, 4, 16)


def run():
    m, t, mem = _setup()
    return (m(t, mem),)


def verify():
    m, t, mem = _setup()
    a = m(t, mem)
    t2 = t.clone()
    t2[0, 5] = 1  # future token of sample 0
    with torch.no_grad():
        m.aa.weight[0] += 1.0  # pad embedding
    b = m(t2, mem)
    d = max((a[0, :5] - b[0, :5]).abs().max().item(), (a[1, :4] - b[1, :4]).abs().max().item())
    return d == 0.0 and not torch.isnan(a).any(), f"past/real outputs moved by {d}"
