import torch.nn as nn

from .masks import attention_bias


class EventForecaster(nn.Module):
    def __init__(self, n_types=12, d_model=32, nhead=4, num_layers=2):
        super().__init__()
        self.nhead = nhead
        self.emb = nn.Embedding(n_types, d_model)
        self.time = nn.Linear(1, d_model)
        self.attn = nn.ModuleList(nn.MultiheadAttention(d_model, nhead, batch_first=True)
                                  for _ in range(num_layers))
        self.norm = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(num_layers))
        self.next_type = nn.Linear(d_model, n_types)

    def forward(self, types, times, lengths):
        h = self.emb(types) + self.time(times[..., None])
        bias = attention_bias(lengths, types.size(1), self.nhead)
        for attn, norm in zip(self.attn, self.norm):
            x = norm(h)
            a, _ = attn(x, x, x, attn_mask=bias)
            h = h + a
        return self.next_type(h)
