import torch
import torch.nn as nn
import torch.nn.functional as F


class TicketRouter(nn.Module):
    def __init__(self, vocab_size=300, d=32, heads=4, n_teams=4):
        super().__init__()
        self.heads = heads
        self.embed = nn.Embedding(vocab_size, d, padding_idx=0)
        self.self_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm = nn.LayerNorm(d)
        self.team_queries = nn.Parameter(torch.randn(n_teams, d))
        self.kv = nn.Linear(d, 2 * d)

    def forward(self, input_ids, key_padding_mask):
        x = self.embed(input_ids)
        x = self.norm(x + self.self_attn(x, x, x, key_padding_mask=key_padding_mask)[0])
        B, S, D = x.shape
        k, v = self.kv(x).view(B, S, 2, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        q = self.team_queries.view(1, -1, self.heads, D // self.heads).transpose(1, 2).expand(B, -1, -1, -1)
        pooled = F.scaled_dot_product_attention(q, k, v, attn_mask=~key_padding_mask[:, None, None, :])
        return (pooled.transpose(1, 2).reshape(B, -1, D) * self.team_queries).sum(-1)
