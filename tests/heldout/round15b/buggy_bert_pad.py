import math

import torch
from torch import nn
import torch.nn.functional as F


class BertSelfAttention(nn.Module):
    def __init__(self, hidden_size, num_attention_heads, attention_probs_dropout_prob=0.0):
        super().__init__()
        self.num_heads = num_attention_heads
        self.head_dim = hidden_size // num_attention_heads
        self.query = nn.Linear(hidden_size, hidden_size)
        self.key = nn.Linear(hidden_size, hidden_size)
        self.value = nn.Linear(hidden_size, hidden_size)
        self.dropout_p = attention_probs_dropout_prob

    def transpose_for_scores(self, x):
        new_shape = x.size()[:-1] + (self.num_heads, self.head_dim)
        return x.view(new_shape).permute(0, 2, 1, 3)

    def forward(self, hidden_states, attention_mask=None):
        q = self.transpose_for_scores(self.query(hidden_states))
        k = self.transpose_for_scores(self.key(hidden_states))
        v = self.transpose_for_scores(self.value(hidden_states))
        ctx = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=attention_mask,  # expect: ML102
            dropout_p=self.dropout_p if self.training else 0.0,
        )
        return ctx.permute(0, 2, 1, 3).flatten(2)


class BertLayer(nn.Module):
    def __init__(self, hidden_size=32, heads=4, intermediate=64):
        super().__init__()
        self.attention = BertSelfAttention(hidden_size, heads)
        self.attn_out = nn.Linear(hidden_size, hidden_size)
        self.ln1 = nn.LayerNorm(hidden_size)
        self.inter = nn.Linear(hidden_size, intermediate)
        self.output = nn.Linear(intermediate, hidden_size)
        self.ln2 = nn.LayerNorm(hidden_size)

    def forward(self, hidden_states, attention_mask):
        h = self.ln1(hidden_states + self.attn_out(self.attention(hidden_states, attention_mask)))
        return self.ln2(h + self.output(F.gelu(self.inter(h))))


class MiniBert(nn.Module):
    def __init__(self, vocab_size=100, hidden_size=32, layers=2, pad_token_id=0, max_pos=64):
        super().__init__()
        self.pad_token_id = pad_token_id
        self.word = nn.Embedding(vocab_size, hidden_size, padding_idx=pad_token_id)
        self.position = nn.Embedding(max_pos, hidden_size)
        self.layers = nn.ModuleList([BertLayer(hidden_size) for _ in range(layers)])

    def forward(self, input_ids):
        mask = (input_ids == self.pad_token_id).unsqueeze(1).unsqueeze(2)
        h = self.word(input_ids) + self.position(torch.arange(input_ids.size(1)))
        for layer in self.layers:
            h = layer(h, mask)
        return h


if __name__ == "__main__":
    torch.manual_seed(0)
    bert = MiniBert()
    ids = torch.tensor([[101, 7, 8, 9, 102, 0, 0], [101, 11, 12, 13, 14, 15, 102]]) % 100
    out = bert(ids)
    print(out.shape, out[:, 0].norm(dim=-1))
