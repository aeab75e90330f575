import torch
import torch.nn as nn

from .batching import INTENTS, PAD_ID


class IntentClassifier(nn.Module):
    def __init__(self, vocab_size, d_model=64, nhead=4, num_layers=2, dropout=0.1):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=PAD_ID)
        self.pos = nn.Embedding(64, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers)
        self.head = nn.Linear(d_model, len(INTENTS))

    def forward(self, input_ids, attention_mask, labels=None):
        pos = torch.arange(input_ids.size(1), device=input_ids.device)
        x = self.embed(input_ids) + self.pos(pos)
        h = self.encoder(x, src_key_padding_mask=attention_mask.eq(0))
        w = attention_mask.unsqueeze(-1).to(h.dtype)
        logits = self.head((h * w).sum(1) / w.sum(1))
        if labels is None:
            return logits
        return logits, nn.functional.cross_entropy(logits, labels)
