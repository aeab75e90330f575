import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiheadSelfAttention(nn.Module):
    def __init__(self, embed_dim, num_heads, scaling=None):
        super().__init__()
        self.embed_dim, self.num_heads = embed_dim, num_heads
        self.head_dim = embed_dim // num_heads
        self.scaling = scaling or self.head_dim ** -0.5
        self.input_projection = nn.Linear(embed_dim, 3 * embed_dim)
        self.output_projection = nn.Linear(embed_dim, embed_dim)

    def forward(self, query, key_padding_mask):
        target_length, batch_size, embed_dim = query.size()
        mask_batch_size, source_length = key_padding_mask.size()
        q, k, v = self.input_projection(query).chunk(3, dim=-1)
        q = self.scaling * q
        q = q.contiguous().view(-1, batch_size * self.num_heads, self.head_dim).transpose(0, 1)
        k = k.contiguous().view(-1, batch_size * self.num_heads, self.head_dim).transpose(0, 1)
        v = v.contiguous().view(-1, batch_size * self.num_heads, self.head_dim).transpose(0, 1)
        attn_weights = torch.bmm(q, k.transpose(1, 2))
        attn_weights = attn_weights.view(batch_size, self.num_heads, target_length, source_length)
        attn_mask = torch.zeros_like(key_padding_mask, dtype=attn_weights.dtype).masked_fill(key_padding_mask, -1e8 if attn_weights.dtype == torch.float32 else -1e4).view(batch_size, 1, 1, source_length)  # BUG
        attn_weights = attn_weights + attn_mask
        attn_weights = attn_weights.view(batch_size * self.num_heads, target_length, source_length)
        attn_weights = F.softmax(attn_weights, dim=-1, dtype=torch.float32).type_as(attn_weights)
        attn = torch.bmm(attn_weights, v).transpose(0, 1).contiguous().view(target_length, batch_size, embed_dim)
        return self.output_projection(attn)


class RobertaEncoderLayer(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.attention = MultiheadSelfAttention(dim, heads)
        self.ln = nn.LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, 64), nn.GELU(), nn.Linear(64, dim))
        self.final_ln = nn.LayerNorm(dim)

    def forward(self, x, padding_mask):
        x = self.ln(x + self.attention(x, padding_mask))
        return self.final_ln(x + self.ffn(x))


class RobertaModel(nn.Module):
    def __init__(self, vocab=50, dim=32, padding_idx=1):
        super().__init__()
        self.padding_idx = padding_idx
        self.token_embedding = nn.Embedding(vocab, dim, padding_idx=padding_idx)
        self.layers = nn.ModuleList([RobertaEncoderLayer(dim) for _ in range(2)])

    def forward(self, tokens):
        padding_mask = tokens.eq(self.padding_idx)
        x = self.token_embedding(tokens).transpose(0, 1)
        for layer in self.layers:
            x = layer(x, padding_mask)
        return x.transpose(0, 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RobertaModel().eval()
    tokens = torch.tensor([[0, 7, 8, 9, 2, 1, 1, 1], [0, 11, 12, 13, 14, 15, 16, 2]])
    with torch.no_grad():
        batched = model(tokens)[0, :5]
        alone = model(tokens[:1, :5])[0]
    print(f"real-token states: |padded batch - unpadded| = {(batched - alone).abs().max().item():.4f}")
