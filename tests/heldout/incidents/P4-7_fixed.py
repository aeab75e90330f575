import torch
import torch.nn as nn


def prefix_lm_mask(seq_len, prefix_len, device=None):
    """Bidirectional attention inside the prefix, causal afterwards. True = blocked."""
    mask = torch.triu(torch.ones(seq_len, seq_len, dtype=torch.bool, device=device), diagonal=1)
    mask[:prefix_len, :prefix_len] = False
    return mask


class PrefixLM(nn.Module):
    def __init__(self, vocab_size, d_model=8, nhead=2, num_layers=2, prefix_len=2):
        super().__init__()
        self.prefix_len = prefix_len
        self.embed = nn.Embedding(vocab_size, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=16, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.lm_head = nn.Linear(d_model, vocab_size)

    def forward(self, tokens):
        mask = prefix_lm_mask(tokens.size(1), self.prefix_len, tokens.device)
        x = self.encoder(self.embed(tokens), mask=mask, is_causal=False)
        return self.lm_head(x)


def run():
    model = PrefixLM(vocab_size=19)
    tokens = torch.randint(0, 19, (2, 5))
    return model(tokens)
