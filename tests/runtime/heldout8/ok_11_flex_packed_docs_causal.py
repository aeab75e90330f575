# EXPECT: clean
"""Packed-sequence pre-training with FlexAttention document masking
(attention-gym style: same document AND causal). The training step on CPU
materialises the mask_mod with create_mask() for SDPA (no flex backward on
CPU); evaluation calls flex_attention with a BlockMask.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, create_mask, flex_attention

EOS = 1


def document_ids(tokens):
    starts = torch.zeros_like(tokens)
    starts[:, 1:] = (tokens[:, :-1] == EOS).long()
    return starts.cumsum(dim=1)


def generate_doc_causal_mask_mod(doc_ids):
    def doc_causal(b, h, q_idx, kv_idx):
        same_doc = doc_ids[b, q_idx] == doc_ids[b, kv_idx]
        causal = q_idx >= kv_idx
        return same_doc & causal

    return doc_causal


class Attention(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.p = p

    def forward(self, x, mask):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, C // self.h).unbind(2)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))
        if isinstance(mask, torch.Tensor):
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.p if self.training else 0.0)
        else:
            y = flex_attention(q, k, v, block_mask=mask)
        return self.o(y.transpose(1, 2).reshape(B, T, C))


class Block(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.n1 = nn.LayerNorm(d)
        self.attn = Attention(d, h, p)
        self.n2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d), nn.Dropout(p))

    def forward(self, x, mask):
        x = x + self.attn(self.n1(x), mask)
        return x + self.mlp(self.n2(x))


class PackedLM(nn.Module):
    def __init__(self, vocab=50, d=32, h=2, layers=2, max_len=32, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        self.blocks = nn.ModuleList([Block(d, h, p) for _ in range(layers)])
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, tokens):
        B, T = tokens.shape
        doc = document_ids(tokens)
        # position within the document
        idx = torch.arange(T).expand(B, T)
        is_start = torch.ones_like(doc, dtype=torch.bool)
        is_start[:, 1:] = doc[:, 1:] != doc[:, :-1]
        pos = idx - torch.where(is_start, idx, torch.zeros_like(idx)).cummax(dim=1).values
        mask_mod = generate_doc_causal_mask_mod(doc)
        if torch.is_grad_enabled():
            mask = create_mask(mask_mod, B, 1, T, T, device="cpu")
        else:
            mask = create_block_mask(mask_mod, B, None, T, T, device="cpu")
        x = self.emb(tokens) + self.pos(pos)
        for blk in self.blocks:
            x = blk(x, mask)
        return self.head(self.norm(x))


def pack(docs, seq_len):
    rows, cur = [], []
    for d in docs:
        cur.extend(d.tolist() + [EOS])
        if len(cur) >= seq_len + 1:
            rows.append(cur[:seq_len + 1])
            cur = cur[seq_len + 1:]
    return torch.tensor(rows)


def run():
    torch.manual_seed(0)
    vocab = 50
    docs = [torch.randint(2, vocab, (int(n),)) for n in torch.randint(3, 9, (12,))]
    packed = pack(docs, 16)
    inputs, targets = packed[:, :-1], packed[:, 1:]
    model = PackedLM(vocab)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)

    model.train()
    logits = model(inputs)
    loss = F.cross_entropy(logits.reshape(-1, vocab), targets.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        eval_logits = model(inputs)
    return [loss.detach(), *grads, eval_logits]
