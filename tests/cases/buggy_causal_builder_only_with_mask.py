"""A decoder whose causal mask comes out of a helper called only when an attention_mask is given
(catalogue P4-10, HunYuan): without a mask, generation and training attend to the future."""
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
        if attention_mask is not None:  # expect: ML401
            attention_mask = prepare_causal_attention_mask(attention_mask, input_ids.size(1), h.dtype)
        scores = h @ h.transpose(-1, -2)
        if attention_mask is not None:
            scores = scores + attention_mask[:, 0]
        return self.head(scores.softmax(-1) @ h)
