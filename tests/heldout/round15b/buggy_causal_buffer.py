import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd, n_head, block_size):
        super().__init__()
        self.n_head = n_head
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        self.register_buffer("bias", torch.zeros(block_size, block_size), persistent=False)
        self.bias.masked_fill_(torch.ones(block_size, block_size, dtype=torch.bool).tril(), float("-inf"))

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(C, dim=2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=self.bias[:T, :T])  # expect: ML103
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class TinyGPT(nn.Module):
    def __init__(self, vocab_size=65, n_embd=32, n_head=4, n_layer=2, block_size=32):
        super().__init__()
        self.block_size = block_size
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.wpe = nn.Embedding(block_size, n_embd)
        self.h = nn.ModuleList()
        for _ in range(n_layer):
            self.h.append(nn.ModuleDict(dict(
                ln_1=nn.LayerNorm(n_embd), attn=CausalSelfAttention(n_embd, n_head, block_size),
                ln_2=nn.LayerNorm(n_embd), mlp=nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.GELU(),
                                                            nn.Linear(4 * n_embd, n_embd)))))
        self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)

    def forward(self, idx, targets=None):
        t = idx.size(1)
        x = self.wte(idx) + self.wpe(torch.arange(t, device=idx.device))
        for blk in self.h:
            x = x + blk.attn(blk.ln_1(x))
            x = x + blk.mlp(blk.ln_2(x))
        logits = self.lm_head(self.ln_f(x))
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
        return logits, loss


if __name__ == "__main__":
    torch.manual_seed(0)
    text = "to be or not to be that is the question"
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in text])
    model = TinyGPT(vocab_size=len(chars))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    x, y = data[:-1][None, :16], data[1:][None, :16]
    for it in range(5):
        _, loss = model(x, y)
        opt.zero_grad(); loss.backward(); opt.step()
    print("final loss", round(loss.item(), 3))
