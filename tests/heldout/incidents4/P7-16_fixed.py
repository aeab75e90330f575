import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiheadSelfAttention(nn.Module):
    def __init__(self, embed_dim, num_heads, dropout=0.1):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.in_proj = nn.Linear(embed_dim, 3 * embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.dropout = dropout

    def forward(self, query, attn_mask=None):
        s, b, e = query.shape
        q, k, v = self.in_proj(query).view(s, b * self.num_heads, 3 * self.head_dim).transpose(0, 1).chunk(3, dim=-1)
        scores = torch.bmm(q, k.transpose(1, 2)) * self.head_dim ** -0.5
        if attn_mask is not None:
            scores = scores.view(b, self.num_heads, s, s) + attn_mask
            scores = scores.view(b * self.num_heads, s, s)
        attn = F.dropout(F.softmax(scores, dim=-1), p=self.dropout, training=self.training)
        return self.out_proj(torch.bmm(attn, v).transpose(0, 1).reshape(s, b, e))


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embedding_dim, num_attention_heads, ffn_dimension):
        super().__init__()
        self.attention = MultiheadSelfAttention(embedding_dim, num_attention_heads)
        self.attention_layer_norm = nn.LayerNorm(embedding_dim)
        self.ffn = nn.Sequential(nn.Linear(embedding_dim, ffn_dimension), nn.GELU(), nn.Linear(ffn_dimension, embedding_dim))
        self.final_layer_norm = nn.LayerNorm(embedding_dim)

    def forward(self, x, attn_mask):
        x = self.attention_layer_norm(x + self.attention(x, attn_mask=attn_mask))
        return self.final_layer_norm(x + self.ffn(x))


class TransformerEncoder(nn.Module):
    def __init__(self, vocab_size, embedding_dim=64, num_heads=4, ffn_dimension=128, num_layers=2, padding_idx=1):
        super().__init__()
        self.padding_idx = padding_idx
        self.token_embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx)
        self.positional = nn.Embedding(514, embedding_dim)
        self.layers = nn.ModuleList([TransformerEncoderLayer(embedding_dim, num_heads, ffn_dimension) for _ in range(num_layers)])

    def _attention_mask(self, padding_mask, dtype):
        fill = -1e8 if dtype == torch.float32 else -1e4
        mask = torch.zeros(padding_mask.shape, dtype=dtype, device=padding_mask.device)
        return mask.masked_fill(padding_mask, fill)[:, None, None, :]

    def forward(self, tokens):
        padding_mask = tokens.eq(self.padding_idx)
        positions = torch.cumsum(~padding_mask, dim=1) * ~padding_mask + self.padding_idx
        x = self.token_embedding(tokens) + self.positional(positions)
        attn_mask = self._attention_mask(padding_mask, x.dtype)
        x = x.transpose(0, 1)
        for layer in self.layers:
            x = layer(x, attn_mask)
        return x.transpose(0, 1)


class RobertaModel(nn.Module):
    def __init__(self, encoder, num_classes=2):
        super().__init__()
        self.encoder = encoder
        self.head = nn.Linear(encoder.token_embedding.embedding_dim, num_classes)

    def forward(self, tokens):
        return self.head(self.encoder(tokens)[:, 0])
