import torch
import torch.nn.functional as F
from torch import nn


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int, bias: bool = False, qk_layernorm: bool = True):
        super().__init__()

        self.d_model = d_model
        self.n_heads = n_heads

        self.d_head = self.d_model // self.n_heads
        self.layernorm_qkv = nn.Sequential(
            nn.LayerNorm(d_model), nn.Linear(d_model, d_model * 3, bias=bias)
        )
        self.out_proj = nn.Linear(d_model, d_model, bias=bias)

        if qk_layernorm:
            self.q_ln = nn.LayerNorm(d_model, bias=bias)
            self.k_ln = nn.LayerNorm(d_model, bias=bias)
        else:
            self.q_ln = nn.Identity()
            self.k_ln = nn.Identity()

    def forward(self, x, seq_id):
        qkv_BLD3 = self.layernorm_qkv(x)
        query_BLD, key_BLD, value_BLD = torch.chunk(qkv_BLD3, 3, dim=-1)
        query_BLD, key_BLD = (
            self.q_ln(query_BLD).to(query_BLD.dtype),
            self.k_ln(key_BLD).to(query_BLD.dtype),
        )

        def reshaper(t):
            # "b s (h d) -> b h s d"
            return t.unflatten(-1, (self.n_heads, self.d_head)).transpose(1, 2)

        query_BHLD, key_BHLD, value_BHLD = map(reshaper, (query_BLD, key_BLD, value_BLD))

        if seq_id is not None:
            # Where True, enable participation in attention.
            mask_BLL = seq_id.unsqueeze(-1) == seq_id.unsqueeze(-2)  # BUG
            mask_BHLL = mask_BLL.unsqueeze(1)
        else:
            mask_BHLL = None

        context_BHLD = F.scaled_dot_product_attention(query_BHLD, key_BHLD, value_BHLD, mask_BHLL)
        context_BLD = context_BHLD.transpose(1, 2).flatten(-2)  # "b h s d -> b s (h d)"
        return self.out_proj(context_BLD)


class ESMC(nn.Module):
    def __init__(self, d_model=16, n_heads=2, n_layers=2, vocab_size=33, pad_token_id=1):
        super().__init__()
        self.pad_token_id = pad_token_id
        self.embed = nn.Embedding(vocab_size, d_model)
        self.blocks = nn.ModuleList([MultiHeadAttention(d_model, n_heads) for _ in range(n_layers)])

    def forward(self, sequence_tokens):
        sequence_id = sequence_tokens != self.pad_token_id
        x = self.embed(sequence_tokens)
        for block in self.blocks:
            x = x + block(x, sequence_id)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ESMC().eval()
    tokens = torch.tensor([[0, 5, 9, 12, 7, 2], [0, 6, 8, 2, 1, 1]])
    with torch.no_grad():
        x = model.embed(tokens)
        seq_id = tokens != model.pad_token_id
        x2 = x.clone()
        x2[1, 5] = torch.randn(16)
        attn = model.blocks[0]
        pad_state_change = (attn(x, seq_id) - attn(x2, seq_id))[1, 4].abs().max().item()
        real_change = (attn(x, seq_id) - attn(x2, seq_id))[1, :4].abs().max().item()
    print(f"pad state at pos 4 changes with the other pad's content: {pad_state_change:.4f} (real tokens: {real_change:.4f})")
