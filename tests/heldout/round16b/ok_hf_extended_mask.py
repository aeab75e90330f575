import torch
from torch import nn
import torch.nn.functional as F


def eager_attention_forward(module, query, key, value, attention_mask, scaling, dropout=0.0):
    attn_weights = torch.matmul(query, key.transpose(2, 3)) * scaling
    if attention_mask is not None:
        attn_weights = attn_weights + attention_mask
    attn_weights = F.softmax(attn_weights, dim=-1, dtype=torch.float32).to(query.dtype)
    attn_weights = F.dropout(attn_weights, p=dropout, training=module.training)
    return torch.matmul(attn_weights, value).transpose(1, 2).contiguous()


def sdpa_attention_forward(module, query, key, value, attention_mask, scaling, dropout=0.0):
    out = F.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask, scale=scaling,
                                         dropout_p=dropout if module.training else 0.0)
    return out.transpose(1, 2).contiguous()


ALL_ATTENTION_FUNCTIONS = {"eager": eager_attention_forward, "sdpa": sdpa_attention_forward}


class RobertaSelfAttention(nn.Module):
    def __init__(self, hidden, heads, attn_implementation="sdpa"):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.attn_implementation = attn_implementation
        self.query, self.key, self.value = nn.Linear(hidden, hidden), nn.Linear(hidden, hidden), nn.Linear(hidden, hidden)

    def forward(self, hidden_states, attention_mask=None):
        b, n, _ = hidden_states.shape
        shape = (b, n, self.heads, self.head_dim)
        q, k, v = (p(hidden_states).view(shape).transpose(1, 2) for p in (self.query, self.key, self.value))
        fn = ALL_ATTENTION_FUNCTIONS[self.attn_implementation]
        return fn(self, q, k, v, attention_mask, self.head_dim ** -0.5).reshape(b, n, -1)


class RobertaEncoder(nn.Module):
    def __init__(self, vocab=1000, hidden=64, heads=4, layers=2, attn_implementation="sdpa"):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden, padding_idx=1)
        self.layers = nn.ModuleList(RobertaSelfAttention(hidden, heads, attn_implementation) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(layers))

    def get_extended_attention_mask(self, attention_mask, dtype):
        extended = attention_mask[:, None, None, :].to(dtype)
        return (1.0 - extended) * torch.finfo(dtype).min

    def forward(self, input_ids, attention_mask):
        h = self.emb(input_ids)
        attention_mask = self.get_extended_attention_mask(attention_mask, h.dtype)
        for layer, norm in zip(self.layers, self.norms):
            h = norm(h + layer(h, attention_mask=attention_mask))
        return h


if __name__ == "__main__":
    ids = torch.tensor([[0, 5, 6, 2, 1, 1], [0, 7, 8, 9, 10, 2]])
    print(RobertaEncoder()(ids, (ids != 1).long()).shape)
