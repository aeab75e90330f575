# EXPECT: bug eager attention calls scores.masked_fill(mask, finfo.min) with the 1 = keep attention_mask (not mask == 0), so real tokens are blocked and padding is attended
"""DistilBERT-style extractive QA head with a hand-written eager
MultiHeadSelfAttention (q_lin/k_lin/v_lin/out_lin, masked_fill + softmax).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Config:
    vocab_size = 70
    dim = 32
    n_heads = 4
    hidden_dim = 64
    n_layers = 2
    max_position_embeddings = 40
    dropout = 0.1
    attention_dropout = 0.1


class MultiHeadSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.n_heads = config.n_heads
        self.dim = config.dim
        self.dropout = nn.Dropout(p=config.attention_dropout)
        self.q_lin = nn.Linear(config.dim, config.dim)
        self.k_lin = nn.Linear(config.dim, config.dim)
        self.v_lin = nn.Linear(config.dim, config.dim)
        self.out_lin = nn.Linear(config.dim, config.dim)

    def forward(self, query, key, value, mask):
        bs, q_length, dim = query.size()
        k_length = key.size(1)
        dim_per_head = self.dim // self.n_heads
        mask_reshp = (bs, 1, 1, k_length)

        def shape(x):
            return x.view(bs, -1, self.n_heads, dim_per_head).transpose(1, 2)

        def unshape(x):
            return x.transpose(1, 2).contiguous().view(bs, -1, self.n_heads * dim_per_head)

        q = shape(self.q_lin(query)) / math.sqrt(dim_per_head)
        k = shape(self.k_lin(key))
        v = shape(self.v_lin(value))
        scores = torch.matmul(q, k.transpose(2, 3))
        mask = mask.view(mask_reshp).expand_as(scores).bool()
        scores = scores.masked_fill(mask, torch.tensor(torch.finfo(scores.dtype).min))  # BUG-SITE
        weights = self.dropout(nn.functional.softmax(scores, dim=-1))
        context = unshape(torch.matmul(weights, v))
        return self.out_lin(context)


class TransformerBlock(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.attention = MultiHeadSelfAttention(config)
        self.sa_layer_norm = nn.LayerNorm(config.dim, eps=1e-12)
        self.ffn = nn.Sequential(nn.Linear(config.dim, config.hidden_dim), nn.GELU(),
                                 nn.Linear(config.hidden_dim, config.dim), nn.Dropout(config.dropout))
        self.output_layer_norm = nn.LayerNorm(config.dim, eps=1e-12)

    def forward(self, x, attn_mask):
        sa_output = self.sa_layer_norm(self.attention(x, x, x, attn_mask) + x)
        return self.output_layer_norm(self.ffn(sa_output) + sa_output)


class DistilBertForQuestionAnswering(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.word_embeddings = nn.Embedding(config.vocab_size, config.dim, padding_idx=0)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.dim)
        self.emb_norm = nn.LayerNorm(config.dim, eps=1e-12)
        self.emb_dropout = nn.Dropout(config.dropout)
        self.layer = nn.ModuleList([TransformerBlock(config) for _ in range(config.n_layers)])
        self.qa_outputs = nn.Linear(config.dim, 2)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, input_ids, attention_mask, start_positions=None, end_positions=None):
        pos = torch.arange(input_ids.size(1))[None]
        h = self.emb_dropout(self.emb_norm(self.word_embeddings(input_ids) + self.position_embeddings(pos)))
        for blk in self.layer:
            h = blk(h, attention_mask)
        logits = self.qa_outputs(self.dropout(h))
        start_logits, end_logits = logits.split(1, dim=-1)
        start_logits = start_logits.squeeze(-1).masked_fill(attention_mask == 0, -1e4)
        end_logits = end_logits.squeeze(-1).masked_fill(attention_mask == 0, -1e4)
        loss = None
        if start_positions is not None:
            loss = (F.cross_entropy(start_logits, start_positions) + F.cross_entropy(end_logits, end_positions)) / 2
        return start_logits, end_logits, loss


def make_batch(lengths, vocab_size):
    T = max(lengths)
    ids = torch.zeros(len(lengths), T, dtype=torch.long)
    mask = torch.zeros(len(lengths), T, dtype=torch.long)
    for i, n in enumerate(lengths):
        ids[i, :n] = torch.randint(1, vocab_size, (n,))
        mask[i, :n] = 1
    return ids, mask


def run():
    torch.manual_seed(0)
    config = Config()
    model = DistilBertForQuestionAnswering(config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    ids, mask = make_batch([14, 9, 11], config.vocab_size)
    start = torch.tensor([3, 5, 2])
    end = torch.tensor([6, 7, 4])

    model.train()
    _, _, loss = model(ids, mask, start, end)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        s, e, _ = model(ids, mask)
    return [loss.detach(), *grads, s, e]
