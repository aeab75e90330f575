# %% [markdown]
# # Character-level GPT on a toy corpus (exported from a Jupyter notebook)

# %%
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1337)
text = "to be, or not to be, that is the question: whether 'tis nobler in the mind to suffer " * 20
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text])
block_size, n_embd, n_head = 32, 64, 4

# %%
def get_batch(bs=8):
    ix = torch.randint(len(data) - block_size - 1, (bs,))
    x = torch.stack([data[i:i + block_size] for i in ix])
    y = torch.stack([data[i + 1:i + block_size + 1] for i in ix])
    return x, y

# %%
class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(n_embd, dim=2)
        q, k, v = (t.view(B, T, n_head, C // n_head).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=0.0)  # expect: ML401
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.sa, self.ln1, self.ln2 = Head(), nn.LayerNorm(n_embd), nn.LayerNorm(n_embd)
        self.ffwd = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.ReLU(), nn.Linear(4 * n_embd, n_embd))

    def forward(self, x):
        x = x + self.sa(self.ln1(x))
        return x + self.ffwd(self.ln2(x))


class CharGPT(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, n_embd)
        self.pos = nn.Embedding(block_size, n_embd)
        self.blocks = nn.Sequential(Block(), Block())
        self.head = nn.Linear(n_embd, vocab_size)

    def forward(self, idx, targets=None):
        x = self.tok(idx) + self.pos(torch.arange(idx.size(1)))
        logits = self.head(self.blocks(x))
        loss = None if targets is None else F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
        return logits, loss

    @torch.no_grad()
    def generate(self, idx, n):
        for _ in range(n):
            logits, _ = self(idx[:, -block_size:])
            idx = torch.cat([idx, torch.multinomial(logits[:, -1].softmax(-1), 1)], dim=1)
        return idx

# %%
model = CharGPT(len(chars))
opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
for step in range(30):
    xb, yb = get_batch()
    _, loss = model(xb, yb)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
print("final loss", loss.item())

# %%
out = model.generate(torch.zeros((1, 1), dtype=torch.long), 40)
print("".join(chars[i] for i in out[0].tolist()))

# %%
if __name__ == "__main__":
    xb, _ = get_batch(2)
    print(model(xb)[0].shape)
