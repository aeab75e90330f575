import functools

import torch
import torch.nn.functional as F
from torch import nn


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int, bias: bool = False, qk_layernorm: bool = True):
        super().__init__()
        self.d_model = d_model
        self.n_heads = n_heads
        self.d_head = d_model // n_heads
        self.layernorm_qkv = nn.Sequential(nn.LayerNorm(d_model), nn.Linear(d_model, d_model * 3, bias=bias))
        self.out_proj = nn.Linear(d_model, d_model, bias=bias)
        self.q_ln = nn.LayerNorm(d_model, bias=bias) if qk_layernorm else nn.Identity()
        self.k_ln = nn.LayerNorm(d_model, bias=bias) if qk_layernorm else nn.Identity()

    def forward(self, x, seq_id):
        qkv_BLD3 = self.layernorm_qkv(x)
        query_BLD, key_BLD, value_BLD = torch.chunk(qkv_BLD3, 3, dim=-1)
        query_BLD, key_BLD = self.q_ln(query_BLD).to(query_BLD.dtype), self.k_ln(key_BLD).to(query_BLD.dtype)

        reshaper = functools.partial(lambda t, h: t.view(t.shape[0], t.shape[1], h, -1).transpose(1, 2), h=self.n_heads)
        query_BHLD, key_BHLD, value_BHLD = map(reshaper, (query_BLD, key_BLD, value_BLD))

        if seq_id is not None:
            mask_BLL = seq_id.unsqueeze(-1) == seq_id.unsqueeze(-2)  # BUG
            mask_BHLL = mask_BLL.unsqueeze(1)
            context_BHLD = F.scaled_dot_product_attention(query_BHLD, key_BHLD, value_BHLD, mask_BHLL)  # BUG
        else:
            context_BHLD = F.scaled_dot_product_attention(query_BHLD, key_BHLD, value_BHLD)
        context_BLD = context_BHLD.transpose(1, 2).reshape(x.shape[0], x.shape[1], self.d_model)
        return self.out_proj(context_BLD)


class ESMCLike(nn.Module):
    def __init__(self, vocab=64, d_model=64, n_heads=4, n_layers=2, pad_token_id=1):
        super().__init__()
        self.pad_token_id = pad_token_id
        self.embed = nn.Embedding(vocab, d_model)
        self.blocks = nn.ModuleList(MultiHeadAttention(d_model, n_heads) for _ in range(n_layers))

    def forward(self, sequence_tokens):
        sequence_id = sequence_tokens != self.pad_token_id
        x = self.embed(sequence_tokens)
        for blk in self.blocks:
            x = x + blk(x, sequence_id)
        return x


if __name__ == "__main__":
    model = ESMCLike()
    tokens = torch.randint(4, 64, (2, 6))
    tokens[1, -3:] = 1
    print(model(tokens).shape)
