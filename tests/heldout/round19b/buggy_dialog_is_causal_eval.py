"""Response generator for a task-oriented dialogue system (decoder-only)."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


class TurnModel(nn.Module):
    def __init__(self, vocab=800, d_model=64, nhead=4, layers=2, max_len=256, dropout=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.speaker = nn.Embedding(2, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout, batch_first=True)
        self.stack = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.lm = nn.Linear(d_model, vocab)

    def forward(self, ids, speakers, mask: Optional[torch.Tensor] = None):
        T = ids.size(1)
        h = self.tok(ids) + self.pos(torch.arange(T, device=ids.device)) + self.speaker(speakers)
        h = self.stack(h, mask=mask, is_causal=True)
        return self.lm(h)

    def training_loss(self, ids, speakers):
        T = ids.size(1) - 1
        mask = nn.Transformer.generate_square_subsequent_mask(T, device=ids.device)
        logits = self(ids[:, :-1], speakers[:, :-1], mask)
        return F.cross_entropy(logits.reshape(-1, logits.size(-1)), ids[:, 1:].reshape(-1))

    @torch.no_grad()
    def respond(self, history, speakers, max_new=30, eos_id=2, bot=1):
        self.eval()
        ids, spk = history, speakers
        for _ in range(max_new):
            logits = self(ids, spk)  # BUG: no mask here: is_causal=True alone is ignored by the eval fast path, so the history is encoded bidirectionally
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            ids = torch.cat([ids, nxt], 1)
            spk = torch.cat([spk, torch.full_like(nxt, bot)], 1)
            if (nxt == eos_id).all():
                break
        return ids[:, history.size(1):]
