# EXPECT: clean
"""fairseq-style TransformerEncoder: tokens are (B, T), encoder_padding_mask is
computed as src_tokens.eq(padding_idx) in (B, T) layout before x is
transposed to (T, B, C) for seq-first nn.MultiheadAttention. Batch size and
length happen to be equal (6 x 6).
"""
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
        self.dropout_module = nn.Dropout(dropout)

    def forward(self, x, encoder_padding_mask):
        residual = x
        x = self.self_attn_layer_norm(x)
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask, need_weights=False)
        x = residual + self.dropout_module(x)
        residual = x
        x = self.final_layer_norm(x)
        x = self.fc2(self.dropout_module(F.relu(self.fc1(x))))
        return residual + self.dropout_module(x)


class TransformerEncoder(nn.Module):
    def __init__(self, vocab, embed_dim=32, heads=4, ffn_dim=64, layers=2, dropout=0.1, padding_idx=1, max_positions=32):
        super().__init__()
        self.padding_idx = padding_idx
        self.embed_tokens = nn.Embedding(vocab, embed_dim, padding_idx=padding_idx)
        self.embed_positions = nn.Embedding(max_positions + padding_idx + 1, embed_dim, padding_idx=padding_idx)
        self.embed_scale = math.sqrt(embed_dim)
        self.dropout_module = nn.Dropout(dropout)
        self.layers = nn.ModuleList([TransformerEncoderLayer(embed_dim, heads, ffn_dim, dropout, dropout) for _ in range(layers)])
        self.layer_norm = nn.LayerNorm(embed_dim)

    def forward(self, src_tokens):
        encoder_padding_mask = src_tokens.eq(self.padding_idx)  # B x T
        positions = (torch.cumsum(~encoder_padding_mask, dim=1) * ~encoder_padding_mask) + self.padding_idx
        x = self.embed_scale * self.embed_tokens(src_tokens) + self.embed_positions(positions)
        x = self.dropout_module(x)
        x = x * (1 - encoder_padding_mask.unsqueeze(-1).type_as(x))
        x = x.transpose(0, 1)  # B x T x C -> T x B x C
        for layer in self.layers:
            x = layer(x, encoder_padding_mask)
        x = self.layer_norm(x)
        return x, encoder_padding_mask


class SentenceClassifier(nn.Module):
    def __init__(self, vocab=40, num_classes=4):
        super().__init__()
        self.encoder = TransformerEncoder(vocab)
        self.dense = nn.Linear(32, 32)
        self.dropout = nn.Dropout(0.1)
        self.out_proj = nn.Linear(32, num_classes)

    def forward(self, src_tokens):
        x, pad = self.encoder(src_tokens)  # T x B x C
        keep = (~pad).t().unsqueeze(-1).type_as(x)
        pooled = (x * keep).sum(0) / keep.sum(0)
        return self.out_proj(self.dropout(torch.tanh(self.dense(self.dropout(pooled)))))


def collate(lengths, T, vocab=40, pad=1):
    src = torch.full((len(lengths), T), pad, dtype=torch.long)
    for b, n in enumerate(lengths):
        src[b, :n] = torch.randint(2, vocab, (n,))
    return src


def run():
    torch.manual_seed(0)
    model = SentenceClassifier()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.98))
    src = collate([6, 4, 5, 3, 6, 2], T=6)
    target = torch.tensor([0, 3, 1, 2, 2, 0])

    model.train()
    logits = model(src)
    loss = F.cross_entropy(logits, target, label_smoothing=0.1)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        eval_logits = model(collate([5, 6, 2, 4, 3, 6], T=6))
    return [loss.detach(), *grads, eval_logits]
