"""Natural language -> regular expression synthesis."""
import torch.nn as nn

from . import masking
from .layers import DecoderLayer


class RegexSynthesizer(nn.Module):
    def __init__(self, vocab=600, dim=64, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.desc_enc = nn.GRU(dim, dim // 2, batch_first=True, bidirectional=True)
        self.layers = nn.ModuleList(DecoderLayer(dim, heads) for _ in range(depth))
        self.lm = nn.Linear(dim, vocab)

    def forward(self, desc_ids, regex_ids):
        desc, _ = self.desc_enc(self.emb(desc_ids))
        self_blocked = masking.future_mask(regex_ids.size(1), regex_ids.device)
        desc_blocked = masking.description_padding(desc_ids)[:, None, None, :]
        x = self.emb(regex_ids)
        for layer in self.layers:
            x = layer(x, desc, self_blocked, desc_blocked)
        return self.lm(x)
