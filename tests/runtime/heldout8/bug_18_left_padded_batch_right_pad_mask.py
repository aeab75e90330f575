# EXPECT: bug batch is left-padded (for batched generation) but the key padding mask is built from lengths assuming right padding (arange < length); real tokens at the end are masked and left padding is attended (SDPA, causal + padding)
"""GPT-2-style LM whose data collator was switched to left padding so that
batched generation appends to the right; the model still derives its padding
mask from per-sample lengths.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


def build_attention_mask(lengths, seq_len):
    """(B, 1, T, T) boolean mask, True = may attend: causal and not padding."""
    key_is_real = torch.arange(seq_len)[None, :] < lengths[:, None]
    causal = torch.ones(seq_len, seq_len, dtype=torch.bool).tril()
    return causal[None, None] & key_is_real[:, None, None, :]


class GPT2Attention(nn.Module):
    def __init__(self, n_embd, n_head, attn_pdrop, resid_pdrop):
        super().__init__()
        self.n_head = n_head
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        self.attn_pdrop = attn_pdrop
        self.resid_dropout = nn.Dropout(resid_pdrop)

    def forward(self, x, attention_mask):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, -1).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask, dropout_p=self.attn_pdrop if self.training else 0.0)  # BUG-SITE
        return self.resid_dropout(self.c_proj(y.transpose(1, 2).reshape(B, T, C)))


class GPT2Block(nn.Module):
    def __init__(self, n_embd, n_head, p):
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd)
        self.attn = GPT2Attention(n_embd, n_head, p, p)
        self.ln_2 = nn.LayerNorm(n_embd)
        self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.GELU(approximate="tanh"), nn.Linear(4 * n_embd, n_embd), nn.Dropout(p))

    def forward(self, x, attention_mask):
        x = x + self.attn(self.ln_1(x), attention_mask)
        return x + self.mlp(self.ln_2(x))


class GPT2LMHeadModel(nn.Module):
    def __init__(self, vocab_size=50, n_positions=32, n_embd=32, n_layer=2, n_head=4, p=0.1):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.wpe = nn.Embedding(n_positions, n_embd)
        self.drop = nn.Dropout(p)
        self.h = nn.ModuleList([GPT2Block(n_embd, n_head, p) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)

    def forward(self, input_ids, lengths):
        B, T = input_ids.shape
        # positions count real tokens only (left padding)
        real = input_ids != PAD
        position_ids = (real.long().cumsum(-1) - 1).clamp(min=0)
        attention_mask = build_attention_mask(lengths, T)
        x = self.drop(self.wte(input_ids) + self.wpe(position_ids))
        for block in self.h:
            x = block(x, attention_mask)
        return self.lm_head(self.ln_f(x))


def collate_left(seqs):
    T = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), T), PAD, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, T - len(s):] = s
    return ids, torch.tensor([len(s) for s in seqs])


def run():
    torch.manual_seed(0)
    model = GPT2LMHeadModel()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    seqs = [torch.randint(1, 50, (n,)) for n in (12, 7, 9, 5)]
    input_ids, lengths = collate_left(seqs)
    labels = input_ids.masked_fill(input_ids == PAD, -100)

    model.train()
    logits = model(input_ids, lengths)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 50), labels[:, 1:].reshape(-1), ignore_index=-100)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        eval_logits = model(input_ids, lengths)
        next_tokens = eval_logits[:, -1].argmax(-1)
    return [loss.detach(), *grads, eval_logits[:, -1], next_tokens]
