import torch
from torch import nn

from .data import PAD_ID, QUEUES


class TicketRouter(nn.Module):
    def __init__(self, vocab_size, d_model=64, nhead=4, num_layers=2, dropout=0.1):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=PAD_ID)
        self.pos = nn.Parameter(torch.randn(1, 128, d_model) * 0.02)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, dropout, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, len(QUEUES))

    def forward(self, input_ids, attention_mask, labels=None):
        x = self.embed(input_ids) + self.pos[:, : input_ids.size(1)]
        h = self.encoder(x, src_key_padding_mask=attention_mask.bool())  # expect: ML101
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        logits = self.head((h * m).sum(1) / m.sum(1))
        loss = nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return {"logits": logits, "loss": loss}
