# EXPECT: clean
"""Imitates fairseq's TransformerEncoder (encoder_padding_mask = src_tokens.eq(
padding_idx) built batch-major, then x.transpose(0, 1) to T x B x C and
nn.MultiheadAttention with batch_first=False). Here batch size equals the padded
length (B == T == 6), so a transposed mask would not raise; this one is right."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class SinusoidalPositionalEmbedding(nn.Module):
    def __init__(self, dim, padding_idx, init_size=32):
        super().__init__()
        self.padding_idx = padding_idx
        half = dim // 2
        emb = math.log(10000) / (half - 1)
        emb = torch.exp(torch.arange(half, dtype=torch.float) * -emb)
        emb = torch.arange(init_size, dtype=torch.float).unsqueeze(1) * emb.unsqueeze(0)
        self.register_buffer("weights", torch.cat([torch.sin(emb), torch.cos(emb)], dim=1), persistent=False)

    def forward(self, tokens):
        mask = tokens.ne(self.padding_idx).int()
        positions = (torch.cumsum(mask, dim=1) * mask).long() + self.padding_idx
        return self.weights[positions]


class EncoderLayer(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, heads, dropout=dropout)
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, 2 * d)
        self.fc2 = nn.Linear(2 * d, d)
        self.final_layer_norm = nn.LayerNorm(d)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, encoder_padding_mask):
        residual = x
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask, need_weights=False)
        x = self.self_attn_layer_norm(residual + self.dropout(x))
        residual = x
        x = self.fc2(self.dropout(F.relu(self.fc1(x))))
        return self.final_layer_norm(residual + self.dropout(x))


class TransformerEncoder(nn.Module):
    def __init__(self, vocab=30, d=32, heads=4, layers=2, padding_idx=1, dropout=0.1):
        super().__init__()
        self.padding_idx = padding_idx
        self.embed_tokens = nn.Embedding(vocab, d, padding_idx=padding_idx)
        self.embed_positions = SinusoidalPositionalEmbedding(d, padding_idx)
        self.layers = nn.ModuleList([EncoderLayer(d, heads, dropout) for _ in range(layers)])
        self.dropout = nn.Dropout(dropout)
        self.embed_scale = math.sqrt(d)

    def forward(self, src_tokens):
        encoder_padding_mask = src_tokens.eq(self.padding_idx)  # B x T
        x = self.embed_scale * self.embed_tokens(src_tokens) + self.embed_positions(src_tokens)
        x = self.dropout(x)
        x = x * (1 - encoder_padding_mask.unsqueeze(-1).type_as(x))
        x = x.transpose(0, 1)  # B x T x C -> T x B x C
        for layer in self.layers:
            x = layer(x, encoder_padding_mask)
        return x, encoder_padding_mask


class SentencePairClassifier(nn.Module):
    def __init__(self, num_classes=3):
        super().__init__()
        self.encoder = TransformerEncoder()
        self.classifier = nn.Linear(32, num_classes)

    def forward(self, src_tokens):
        x, pad = self.encoder(src_tokens)
        x = x.transpose(0, 1)
        keep = (~pad).unsqueeze(-1).type_as(x)
        return self.classifier((x * keep).sum(1) / keep.sum(1))


def collate_tokens(values, pad_idx=1, left_pad=False):
    size = max(v.size(0) for v in values)
    res = values[0].new_full((len(values), size), pad_idx)
    for i, v in enumerate(values):
        if left_pad:
            res[i, size - len(v):] = v
        else:
            res[i, : len(v)] = v
    return res


def run():
    torch.manual_seed(0)
    model = SentencePairClassifier()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(139)
    src = collate_tokens([torch.randint(2, 30, (n,), generator=g) for n in (6, 2, 4, 5, 3, 6)])  # 6 x 6
    target = torch.tensor([0, 1, 2, 2, 1, 0])

    model.train()
    loss = F.cross_entropy(model(src), target)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        src2 = collate_tokens([torch.randint(2, 30, (n,), generator=g) for n in (3, 6, 1, 4, 6, 2)])
        probs = model(src2).softmax(-1)
    return [loss.detach(), *grads, probs]
