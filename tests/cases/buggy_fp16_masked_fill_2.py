"""Hand-rolled multi-head attention for an on-device intent model, served in fp16."""
import math

import torch
import torch.nn as nn


class MultiHeadedAttention(nn.Module):
    def __init__(self, h=4, d_model=64):
        super().__init__()
        self.d_k = d_model // h
        self.h = h
        self.linears = nn.ModuleList([nn.Linear(d_model, d_model) for _ in range(4)])

    def forward(self, query, key, value, mask):
        nbatches = query.size(0)
        query, key, value = [
            lin(x).view(nbatches, -1, self.h, self.d_k).transpose(1, 2)
            for lin, x in zip(self.linears, (query, key, value))
        ]
        scores = torch.matmul(query, key.transpose(-2, -1)) / math.sqrt(self.d_k)
        scores = scores.masked_fill(mask.unsqueeze(1) == 0, -1e9)  # expect: ML205
        p_attn = scores.softmax(dim=-1)
        x = torch.matmul(p_attn, value).transpose(1, 2).contiguous().view(nbatches, -1, self.h * self.d_k)
        return self.linears[-1](x)


class IntentModel(nn.Module):
    def __init__(self, vocab=1000, d_model=64, n_intents=10):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model)
        self.attn = MultiHeadedAttention(4, d_model)
        self.cls = nn.Linear(d_model, n_intents)

    def forward(self, ids, attention_mask):
        x = self.emb(ids)
        x = x + self.attn(x, x, x, attention_mask[:, None, :])
        return self.cls(x[:, 0])


def load_for_serving(path, device="cuda"):
    model = IntentModel()
    model.load_state_dict(torch.load(path, map_location="cpu"))
    return model.half().to(device).eval()
