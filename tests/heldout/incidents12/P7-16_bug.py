import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiheadSelfAttention(nn.Module):
    def __init__(self, embed_dim, num_heads, scaling=None, dropout=0.0):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.scaling = scaling or self.head_dim ** -0.5
        self.input_projection = nn.Linear(embed_dim, 3 * embed_dim)
        self.output_projection = nn.Linear(embed_dim, embed_dim)
        self.dropout = dropout

    def forward(self, query, key_padding_mask):
        target_length, batch_size, embed_dim = query.size()
        mask_batch_size, source_length = key_padding_mask.size()
        q, k, v = self.input_projection(query).chunk(3, dim=-1)
        q = self.scaling * q
        q = q.contiguous().view(-1, batch_size * self.num_heads, self.head_dim).transpose(0, 1)
        k = k.contiguous().view(-1, batch_size * self.num_heads, self.head_dim).transpose(0, 1)
        v = v.contiguous().view(-1, batch_size * self.num_heads, self.head_dim).transpose(0, 1)
        attn_weights = torch.bmm(q, k.transpose(1, 2)).view(batch_size, self.num_heads, target_length, source_length)
        attn_mask = key_padding_mask.view(batch_size, 1, 1, source_length).to(attn_weights.dtype)  # BUG
        attn_weights = attn_weights + attn_mask
        attn_weights = F.softmax(attn_weights.view(batch_size * self.num_heads, target_length, source_length), dim=-1)
        attn_weights = F.dropout(attn_weights, p=self.dropout, training=self.training)
        attn = torch.bmm(attn_weights, v)
        attn = attn.transpose(0, 1).contiguous().view(target_length, batch_size, self.head_dim * self.num_heads)
        return self.output_projection(attn)


class RobertaEncoderLayer(nn.Module):
    def __init__(self, embedding_dim=32, num_attention_heads=4, ffn_dimension=64):
        super().__init__()
        self.attention = MultiheadSelfAttention(embedding_dim, num_attention_heads)
        self.attention_layer_norm = nn.LayerNorm(embedding_dim)
        self.residual_mlp = nn.Sequential(nn.Linear(embedding_dim, ffn_dimension), nn.GELU(), nn.Linear(ffn_dimension, embedding_dim))
        self.final_layer_norm = nn.LayerNorm(embedding_dim)

    def forward(self, input, key_padding_mask):
        x = self.attention_layer_norm(input + self.attention(input, key_padding_mask))
        return self.final_layer_norm(x + self.residual_mlp(x))


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = RobertaEncoderLayer().eval()
    tokens = torch.tensor([[0, 31414, 232, 2, 1, 1], [0, 4, 99, 12, 7, 2]])
    key_padding_mask = tokens.eq(1)
    x = torch.randn(6, 2, 32)
    noisy = x.clone()
    noisy[4:, 0] = torch.randn(2, 32)
    with torch.no_grad():
        d = (layer(x, key_padding_mask)[:4, 0] - layer(noisy, key_padding_mask)[:4, 0]).abs().max().item()
    print(f"real-token change when padded positions change = {d:.4f}")
