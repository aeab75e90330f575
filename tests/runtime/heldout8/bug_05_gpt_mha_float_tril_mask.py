# EXPECT: bug float torch.tril(ones) keep-mask (0/1) passed as attn_mask to nn.MultiheadAttention; float masks are additive, so no causal masking in a next-token LM
"""Small decoder-only LM built from nn.MultiheadAttention blocks (pre-LN),
trained with next-token cross-entropy on a toy corpus.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DecoderBlock(nn.Module):
    def __init__(self, d_model, n_head, dropout):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, n_head, dropout=dropout, batch_first=True)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(
            nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model), nn.Dropout(dropout)
        )
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        T = x.size(1)
        # lower triangle (incl. diagonal) = allowed
        causal = torch.tril(torch.ones(T, T, device=x.device))
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, attn_mask=causal, need_weights=False)  # BUG-SITE
        x = x + self.drop(a)
        x = x + self.mlp(self.ln2(x))
        return x


class TinyLM(nn.Module):
    def __init__(self, vocab_size=40, d_model=32, n_head=2, n_layer=2, max_len=32, dropout=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList([DecoderBlock(d_model, n_head, dropout) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, idx):
        T = idx.size(1)
        x = self.drop(self.tok(idx) + self.pos(torch.arange(T, device=idx.device)))
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.ln_f(x))


def run():
    torch.manual_seed(0)
    vocab = 40
    model = TinyLM(vocab_size=vocab)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    corpus = torch.randint(0, vocab, (3, 13))
    inp, tgt = corpus[:, :-1], corpus[:, 1:]

    model.train()
    logits = model(inp)
    loss = F.cross_entropy(logits.reshape(-1, vocab), tgt.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        eval_logits = model(inp)
        next_token = eval_logits[:, -1].argmax(-1)
    return [loss.detach(), *grads, eval_logits, next_token]
