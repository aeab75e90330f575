# EXPECT: clean
"""Imitates torchtune / attention-gym document masking for packed sequences:
a mask_mod closing over per-token document ids (same document AND causal). On
CPU the training step uses the dense mask from create_mask with SDPA (flex has
no CPU backward); evaluation uses flex_attention with a BlockMask from
create_block_mask built from the very same mask_mod."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, create_mask, flex_attention


def generate_doc_mask_mod(document_ids):
    def doc_causal(b, h, q_idx, kv_idx):
        same_doc = document_ids[b, q_idx] == document_ids[b, kv_idx]
        return same_doc & (q_idx >= kv_idx)

    return doc_causal


class Attention(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.heads, self.dropout = heads, dropout
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.out = nn.Linear(d, d, bias=False)

    def forward(self, x, mask):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if isinstance(mask, torch.Tensor):
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0)
        else:
            y = flex_attention(q, k, v, block_mask=mask)
        return self.out(y.transpose(1, 2).reshape(B, T, D))


class Block(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.n1 = nn.LayerNorm(d)
        self.attn = Attention(d, heads, dropout)
        self.n2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 3 * d), nn.GELU(), nn.Linear(3 * d, d))
        self.drop = nn.Dropout(dropout)

    def forward(self, x, mask):
        x = x + self.drop(self.attn(self.n1(x), mask))
        return x + self.drop(self.mlp(self.n2(x)))


class PackedLM(nn.Module):
    def __init__(self, vocab=40, d=32, heads=4, layers=2, max_len=16, dropout=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        self.blocks = nn.ModuleList([Block(d, heads, dropout) for _ in range(layers)])
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, tokens, document_ids, input_pos):
        B, T = tokens.shape
        mask_mod = generate_doc_mask_mod(document_ids)
        if torch.is_grad_enabled():
            mask = create_mask(mask_mod, B, None, T, T, device="cpu")
        else:
            mask = create_block_mask(mask_mod, B, None, T, T, device="cpu")
        x = self.tok(tokens) + self.pos(input_pos)
        for blk in self.blocks:
            x = blk(x, mask)
        return self.head(self.norm(x))


def pack(doc_rows, seq_len):
    """doc_rows: list (per row) of lists of token tensors. Leftover slots form a padding document."""
    B = len(doc_rows)
    tokens = torch.zeros(B, seq_len, dtype=torch.long)
    doc_ids = torch.zeros(B, seq_len, dtype=torch.long)
    input_pos = torch.zeros(B, seq_len, dtype=torch.long)
    labels = torch.full((B, seq_len), -100, dtype=torch.long)
    for b, docs in enumerate(doc_rows):
        s = 0
        for d_i, d in enumerate(docs):
            n = len(d)
            tokens[b, s : s + n] = d
            doc_ids[b, s : s + n] = d_i
            input_pos[b, s : s + n] = torch.arange(n)
            labels[b, s : s + n - 1] = d[1:]
            s += n
        doc_ids[b, s:] = len(docs)
        input_pos[b, s:] = torch.arange(seq_len - s)
    return tokens, doc_ids, input_pos, labels


def random_rows(g, layout):
    return [[torch.randint(1, 40, (n,), generator=g) for n in row] for row in layout]


def run():
    torch.manual_seed(0)
    model = PackedLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(109)
    tokens, doc_ids, input_pos, labels = pack(random_rows(g, [[5, 7, 4], [9, 6], [3, 3, 8]]), 16)

    model.train()
    logits = model(tokens, doc_ids, input_pos)
    loss = F.cross_entropy(logits.reshape(-1, 40), labels.reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        t2, d2, p2, l2 = pack(random_rows(g, [[6, 10], [4, 4, 4]]), 16)
        logp = model(t2, d2, p2).log_softmax(-1)
        token_logp = logp.gather(-1, l2.clamp(min=0).unsqueeze(-1)).squeeze(-1) * l2.ne(-100)
    return [loss.detach(), *grads, token_logp]
