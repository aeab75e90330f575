"""The same decoder with a mask of ones made when none is given, so the causal helper always runs."""
import torch
import torch.nn as nn


def prepare_causal_attention_mask(attention_mask, q_len, dtype):
    k_pos = torch.arange(q_len)
    blocked = (k_pos[None, :] > k_pos[:, None])[None, None] | (attention_mask[:, None, None, :] == 0)
    return torch.zeros(blocked.shape, dtype=dtype).masked_fill(blocked, torch.finfo(dtype).min)


class Decoder(nn.Module):
    def __init__(self, vocab=100, d=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.head = nn.Linear(d, vocab)

    def forward(self, input_ids, attention_mask=None):
        h = self.emb(input_ids)
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        attention_mask = prepare_causal_attention_mask(attention_mask, input_ids.size(1), h.dtype)
        scores = h @ h.transpose(-1, -2)
        if attention_mask is not None:
            scores = scores + attention_mask[:, 0]
        return self.head(scores.softmax(-1) @ h)
