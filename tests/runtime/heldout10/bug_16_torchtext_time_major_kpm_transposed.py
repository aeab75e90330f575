# EXPECT: bug with time-major (T, B) batches the padding mask tokens.eq(pad) has shape (T, B) and is passed as key_padding_mask, which nn.MultiheadAttention expects as (B, S); because T == B here it runs silently with the mask transposed.
"""Time-major encoder classifier in the style of fairseq's TransformerEncoder fed by torchtext legacy BucketIterator batches (tokens shaped (T, B))."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embed_dim, heads, ffn_dim, dropout, attention_dropout):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, heads, dropout=attention_dropout)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1 = nn.Linear(embed_dim, ffn_dim)
        self.fc2 = nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)
        self.dropout = dropout

    def forward(self, x, encoder_padding_mask):
        residual = x
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask, need_weights=False)  # BUG-SITE
        x = F.dropout(x, p=self.dropout, training=self.training)
        x = self.self_attn_layer_norm(residual + x)
        residual = x
        x = F.relu(self.fc1(x))
        x = F.dropout(self.fc2(x), p=self.dropout, training=self.training)
        return self.final_layer_norm(residual + x)


class TransformerEncoder(nn.Module):
    def __init__(self, vocab=60, embed_dim=32, heads=4, ffn_dim=64, layers=2, dropout=0.1, padding_idx=1, num_classes=3, max_positions=32):
        super().__init__()
        self.padding_idx = padding_idx
        self.embed_tokens = nn.Embedding(vocab, embed_dim, padding_idx=padding_idx)
        self.embed_positions = nn.Embedding(max_positions, embed_dim)
        self.embed_scale = math.sqrt(embed_dim)
        self.dropout = dropout
        self.layers = nn.ModuleList([TransformerEncoderLayer(embed_dim, heads, ffn_dim, dropout, 0.1) for _ in range(layers)])
        self.classifier = nn.Linear(embed_dim, num_classes)

    def forward(self, src_tokens):
        T, B = src_tokens.shape
        positions = torch.arange(T).unsqueeze(1).expand(T, B)
        x = self.embed_scale * self.embed_tokens(src_tokens) + self.embed_positions(positions)
        x = F.dropout(x, p=self.dropout, training=self.training)
        encoder_padding_mask = src_tokens.eq(self.padding_idx)
        for layer in self.layers:
            x = layer(x, encoder_padding_mask)
        valid = (~src_tokens.eq(self.padding_idx)).unsqueeze(-1).to(x.dtype)
        sent = (x * valid).sum(0) / valid.sum(0)
        return self.classifier(sent)


def bucket_batch(lengths, T, pad=1, vocab=60):
    toks = torch.full((T, len(lengths)), pad)
    for j, n in enumerate(lengths):
        toks[:n, j] = torch.randint(2, vocab, (n,))
    return toks


def run():
    torch.manual_seed(0)
    model = TransformerEncoder()
    opt = torch.optim.Adam(model.parameters(), lr=5e-4)
    src = bucket_batch([6, 5, 5, 3, 2, 2], T=6)
    labels = torch.tensor([0, 1, 2, 0, 1, 2])
    model.train()
    loss = F.cross_entropy(model(src), labels)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        src2 = bucket_batch([5, 5, 4, 2, 2], T=5)
        logits = model(src2)
    return [loss.detach(), *grads, logits]
