import torch
import torch.nn as nn

from .masks import left_padding_mask


class PromptScorer(nn.Module):
    """Decoder-only scorer for left-padded prompt batches."""

    def __init__(self, vocab=80, d_model=32, nhead=4, num_layers=2):
        super().__init__()
        self.nhead = nhead
        self.tok = nn.Embedding(vocab, d_model)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True)
            for _ in range(num_layers)
        )
        self.lm_head = nn.Linear(d_model, vocab)

    def forward(self, input_ids, attention_mask):
        positions = (attention_mask.cumsum(-1) - 1).clamp(min=0)
        h = self.tok(input_ids) + self.position_features(positions, self.tok.embedding_dim)
        pad_mask = left_padding_mask(attention_mask, self.nhead)
        for layer in self.layers:
            h = layer(h, src_mask=pad_mask, is_causal=True)  # expect: ML402
        return self.lm_head(h)

    @staticmethod
    def position_features(positions, h_dim):
        freqs = torch.exp(-torch.arange(0, h_dim, 2) / h_dim * 9.2)
        ang = positions[..., None].float() * freqs
        return torch.cat([ang.sin(), ang.cos()], dim=-1)
