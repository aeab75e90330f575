"""RoBERTa encoder in the style of torchtext's models (torchtext/models/roberta/modules.py):
a padding mask is broadcast into a boolean attention mask and added inside a custom attention."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiheadSelfAttention(nn.Module):
    def __init__(self, embed_dim, num_heads, dropout=0.0):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.in_proj = nn.Linear(embed_dim, 3 * embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.dropout = dropout

    def forward(self, query, attn_mask=None):
        # query: (S, N, E) seq-first; attn_mask: (N * num_heads, S, S), True = masked
        S, N, E = query.shape
        q, k, v = self.in_proj(query).chunk(3, dim=-1)
        q, k, v = (t.contiguous().view(S, N * self.num_heads, self.head_dim).transpose(0, 1) for t in (q, k, v))
        attn_output_weights = torch.bmm(q * self.head_dim ** -0.5, k.transpose(1, 2))
        if attn_mask is not None:
            if attn_mask.dtype == torch.bool:
                new_attn_mask = torch.zeros_like(attn_mask, dtype=query.dtype)
                new_attn_mask.masked_fill_(attn_mask, -1e8 if query.dtype == torch.float32 else -1e4)
                attn_mask = new_attn_mask
            attn_output_weights += attn_mask
        attn_output_weights = F.dropout(F.softmax(attn_output_weights, dim=-1), p=self.dropout, training=self.training)
        out = torch.bmm(attn_output_weights, v).transpose(0, 1).contiguous().view(S, N, E)
        return self.out_proj(out)


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embedding_dim, num_attention_heads, ffn_dimension):
        super().__init__()
        self.attention = MultiheadSelfAttention(embedding_dim, num_attention_heads)
        self.attention_layer_norm = nn.LayerNorm(embedding_dim)
        self.residual_mlp = nn.Sequential(nn.Linear(embedding_dim, ffn_dimension), nn.GELU(), nn.Linear(ffn_dimension, embedding_dim))
        self.final_layer_norm = nn.LayerNorm(embedding_dim)

    def forward(self, x, attn_mask):
        x = self.attention_layer_norm(x + self.attention(x, attn_mask))
        return self.final_layer_norm(x + self.residual_mlp(x))


class RobertaEncoder(nn.Module):
    def __init__(self, vocab_size=200, embedding_dim=32, heads=4, layers=2, padding_idx=1):
        super().__init__()
        self.padding_idx, self.heads = padding_idx, heads
        self.token_embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx)
        self.positional_embedding = nn.Embedding(64, embedding_dim)
        self.layers = nn.ModuleList([TransformerEncoderLayer(embedding_dim, heads, 64) for _ in range(layers)])

    def forward(self, tokens):
        padding_mask = tokens.eq(self.padding_idx)
        x = self.token_embedding(tokens) + self.positional_embedding(torch.arange(tokens.shape[1]))
        x = x.transpose(0, 1)
        N, S = tokens.shape
        attn_mask = padding_mask[:, None, :].expand(N, S, S).repeat_interleave(self.heads, dim=0)
        for layer in self.layers:
            x = layer(x, attn_mask)
        return x.transpose(0, 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    encoder = RobertaEncoder()
    head = nn.Linear(32, 2)
    opt = torch.optim.AdamW(list(encoder.parameters()) + list(head.parameters()), lr=1e-4)
    tokens = torch.tensor([[0, 45, 67, 89, 2, 1, 1], [0, 12, 13, 14, 15, 16, 2]])
    features = encoder(tokens)
    loss = F.cross_entropy(head(features[:, 0]), torch.tensor([1, 0]))
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("loss", loss.item())
