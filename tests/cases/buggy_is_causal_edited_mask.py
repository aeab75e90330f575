"""is_causal=True with a causal mask edited by hand into a prefix-LM mask (pytorch#131254, P4-7)."""
import torch
import torch.nn as nn


def prefix_lm_mask(seq_len, prefix_len):
    mask = torch.triu(torch.ones(seq_len, seq_len, dtype=torch.bool), diagonal=1)
    mask[:prefix_len, :prefix_len] = False
    return mask


class PrefixLM(nn.Module):
    def __init__(self, vocab, d=32, nhead=4, prefix_len=4):
        super().__init__()
        self.prefix_len = prefix_len
        self.embed = nn.Embedding(vocab, d)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, nhead, batch_first=True), 2)

    def forward(self, tokens):
        mask = prefix_lm_mask(tokens.size(1), self.prefix_len)
        return self.encoder(self.embed(tokens), mask=mask, is_causal=True)  # expect: ML402
