import torch
import torch.nn.functional as F
from torch import nn


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int, bias: bool = False):
        super().__init__()
        self.d_model = d_model
        self.n_heads = n_heads
        self.d_head = d_model // n_heads
        self.layernorm_qkv = nn.Sequential(nn.LayerNorm(d_model), nn.Linear(d_model, d_model * 3, bias=bias))
        self.out_proj = nn.Linear(d_model, d_model, bias=bias)

    def forward(self, x, seq_id):
        # x: (B, L, D); seq_id: (B, L), True for residues, False for padding
        B, L, _ = x.shape
        q_BLD, k_BLD, v_BLD = torch.chunk(self.layernorm_qkv(x), 3, dim=-1)
        reshaper = lambda t: t.view(B, L, self.n_heads, self.d_head).transpose(1, 2)
        query_BHLD, key_BHLD, value_BHLD = map(reshaper, (q_BLD, k_BLD, v_BLD))

        if seq_id is not None:
            # Where True, enable participation in attention.
            mask_BHLL = seq_id[:, None, None, :].expand(-1, 1, L, -1)
            context_BHLD = F.scaled_dot_product_attention(query_BHLD, key_BHLD, value_BHLD, mask_BHLL)
        else:
            context_BHLD = F.scaled_dot_product_attention(query_BHLD, key_BHLD, value_BHLD)
        context_BLD = context_BHLD.transpose(1, 2).reshape(B, L, self.d_model)
        return self.out_proj(context_BLD)


class ProteinEncoder(nn.Module):
    def __init__(self, vocab_size=33, d_model=8, n_heads=2, pad_token=1):
        super().__init__()
        self.pad_token = pad_token
        self.embed = nn.Embedding(vocab_size, d_model)
        self.attn = MultiHeadAttention(d_model, n_heads)

    def forward(self, sequence_tokens):
        seq_id = sequence_tokens != self.pad_token
        x = self.embed(sequence_tokens)
        return x + self.attn(x, seq_id)


def run():
    model = ProteinEncoder()
    tokens = torch.tensor([[0, 5, 6, 7, 2], [0, 8, 2, 1, 1]])
    return model(tokens)
