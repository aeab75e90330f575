# EXPECT: clean
"""lit-gpt-style CausalSelfAttention: a cached boolean tril mask (True = may
attend) is sliced, combined with a right-padding key mask and passed to SDPA.
Instruction-tuning batch with right padding and loss on response tokens.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


def build_mask_cache(max_seq_length):
    ones = torch.ones((max_seq_length, max_seq_length), dtype=torch.bool)
    return torch.tril(ones).unsqueeze(0).unsqueeze(0)


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd, n_head, dropout):
        super().__init__()
        self.attn = nn.Linear(n_embd, 3 * n_embd, bias=False)
        self.proj = nn.Linear(n_embd, n_embd, bias=False)
        self.n_head = n_head
        self.dropout = dropout

    def forward(self, x, mask):
        B, T, C = x.size()
        q, k, v = self.attn(x).split(C, dim=2)
        q = q.view(B, T, self.n_head, -1).transpose(1, 2)
        k = k.view(B, T, self.n_head, -1).transpose(1, 2)
        v = v.view(B, T, self.n_head, -1).transpose(1, 2)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0)
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


class Block(nn.Module):
    def __init__(self, n_embd, n_head, dropout):
        super().__init__()
        self.norm_1 = nn.LayerNorm(n_embd)
        self.attn = CausalSelfAttention(n_embd, n_head, dropout)
        self.norm_2 = nn.LayerNorm(n_embd)
        self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.GELU(), nn.Linear(4 * n_embd, n_embd))
        self.drop = nn.Dropout(dropout)

    def forward(self, x, mask):
        x = x + self.drop(self.attn(self.norm_1(x), mask))
        return x + self.drop(self.mlp(self.norm_2(x)))


class GPT(nn.Module):
    def __init__(self, vocab_size=50, n_embd=32, n_head=4, n_layer=2, block_size=32, dropout=0.1):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.wpe = nn.Embedding(block_size, n_embd)
        self.h = nn.ModuleList([Block(n_embd, n_head, dropout) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.register_buffer("mask_cache", build_mask_cache(block_size), persistent=False)

    def forward(self, idx, attention_mask):
        B, T = idx.size()
        mask = self.mask_cache[:, :, :T, :T] & attention_mask.bool()[:, None, None, :]
        x = self.wte(idx) + self.wpe(torch.arange(T))
        for block in self.h:
            x = block(x, mask)
        return self.lm_head(self.ln_f(x))


def collate(examples, vocab=50):
    T = max(p + r for p, r in examples)
    ids = torch.full((len(examples), T), PAD, dtype=torch.long)
    attn = torch.zeros(len(examples), T, dtype=torch.long)
    labels = torch.full((len(examples), T), -100, dtype=torch.long)
    for i, (p, r) in enumerate(examples):
        seq = torch.randint(1, vocab, (p + r,))
        ids[i, :p + r] = seq
        attn[i, :p + r] = 1
        labels[i, p:p + r] = seq[p:]
    return ids, attn, labels


def run():
    torch.manual_seed(0)
    model = GPT()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    ids, attn, labels = collate([(4, 8), (3, 3), (5, 5)])

    model.train()
    logits = model(ids, attn)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 50), labels[:, 1:].reshape(-1), ignore_index=-100)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        eval_logits = model(ids, attn)
    return [loss.detach(), *grads, eval_logits]
