# EXPECT: bug the causal mask is torch.tril(torch.ones(T, T)) as float, which nn.MultiheadAttention adds to the logits (+1 on the past, +0 on the future), so nothing is masked and the language model sees future tokens.
"""Small character language model in the style of karpathy/minGPT, using nn.MultiheadAttention blocks."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, n_embd, n_head, attn_pdrop, resid_pdrop):
        super().__init__()
        self.ln1 = nn.LayerNorm(n_embd)
        self.ln2 = nn.LayerNorm(n_embd)
        self.attn = nn.MultiheadAttention(n_embd, n_head, dropout=attn_pdrop, batch_first=True)
        self.mlp = nn.Sequential(
            nn.Linear(n_embd, 4 * n_embd),
            nn.GELU(),
            nn.Linear(4 * n_embd, n_embd),
            nn.Dropout(resid_pdrop),
        )
        self.resid_drop = nn.Dropout(resid_pdrop)

    def forward(self, x, attn_mask):
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, attn_mask=attn_mask, need_weights=False)  # BUG-SITE
        x = x + self.resid_drop(a)
        x = x + self.mlp(self.ln2(x))
        return x


class CharGPT(nn.Module):
    def __init__(self, vocab_size=30, block_size=12, n_layer=2, n_head=4, n_embd=32, embd_pdrop=0.1, attn_pdrop=0.1, resid_pdrop=0.1):
        super().__init__()
        self.block_size = block_size
        self.tok_emb = nn.Embedding(vocab_size, n_embd)
        self.pos_emb = nn.Parameter(torch.zeros(1, block_size, n_embd))
        self.drop = nn.Dropout(embd_pdrop)
        self.blocks = nn.ModuleList([Block(n_embd, n_head, attn_pdrop, resid_pdrop) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd)
        self.head = nn.Linear(n_embd, vocab_size, bias=False)
        nn.init.normal_(self.pos_emb, std=0.02)

    def forward(self, idx, targets=None):
        b, t = idx.size()
        x = self.drop(self.tok_emb(idx) + self.pos_emb[:, :t, :])
        mask = torch.tril(torch.ones(t, t))
        for blk in self.blocks:
            x = blk(x, mask)
        logits = self.head(self.ln_f(x))
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1))
        return logits, loss

    @torch.no_grad()
    def sample(self, idx, steps):
        for _ in range(steps):
            idx_cond = idx[:, -self.block_size:]
            logits, _ = self(idx_cond)
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            idx = torch.cat([idx, nxt], dim=1)
        return idx, logits


def run():
    torch.manual_seed(0)
    model = CharGPT()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    data = torch.randint(0, 30, (3, 13))
    model.train()
    _, loss = model(data[:, :-1], data[:, 1:])
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    out, logits = model.sample(data[:, :4], 5)
    return [loss.detach(), *grads, out, logits]
