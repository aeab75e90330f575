# %% [markdown]
# ## Tiny Shakespeare-style character model (nn.TransformerEncoder as a causal decoder)

# %%
import torch
import torch.nn as nn
from torch.nn import functional as F

torch.manual_seed(42)
corpus = ("First Citizen: Before we proceed any further, hear me speak. All: Speak, speak. "
          "First Citizen: You are all resolved rather to die than to famish? ") * 3
vocab = sorted(set(corpus))
encode = lambda s: [vocab.index(c) for c in s]
decode = lambda ids: "".join(vocab[i] for i in ids)
data = torch.tensor(encode(corpus))

# %%
CONTEXT, BATCH, EMBED, HEADS, LAYERS = 24, 6, 48, 4, 2


def batch():
    starts = torch.randint(0, len(data) - CONTEXT - 1, (BATCH,))
    xb = torch.stack([data[s:s + CONTEXT] for s in starts])
    yb = torch.stack([data[s + 1:s + CONTEXT + 1] for s in starts])
    return xb, yb


# %%
class CharModel(nn.Module):
    def __init__(self, n_vocab):
        super().__init__()
        self.tok = nn.Embedding(n_vocab, EMBED)
        self.pos = nn.Embedding(CONTEXT, EMBED)
        block = nn.TransformerEncoderLayer(EMBED, HEADS, 4 * EMBED, dropout=0.1, batch_first=True)
        self.stack = nn.TransformerEncoder(block, LAYERS, enable_nested_tensor=False)
        self.head = nn.Linear(EMBED, n_vocab)

    def forward(self, idx):
        T = idx.shape[1]
        h = self.tok(idx) + self.pos(torch.arange(T, device=idx.device))
        causal = nn.Transformer.generate_square_subsequent_mask(T, device=idx.device)
        h = self.stack(h, mask=causal, is_causal=True)
        return self.head(h)


# %%
xb, yb = batch()
logits = CharModel(len(vocab))(xb)
print("untrained loss", F.cross_entropy(logits.transpose(1, 2), yb).item())

# %%
m = CharModel(len(vocab))
optimizer = torch.optim.AdamW(m.parameters(), lr=2e-3)
for it in range(20):
    xb, yb = batch()
    loss = F.cross_entropy(m(xb).transpose(1, 2), yb)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print("loss after 20 steps", round(loss.item(), 3))

# %%
m.eval()
ctx = torch.tensor([encode("First ")])
with torch.no_grad():
    for _ in range(30):
        probs = F.softmax(m(ctx[:, -CONTEXT:])[:, -1], dim=-1)
        ctx = torch.cat([ctx, torch.multinomial(probs, 1)], dim=1)
print(decode(ctx[0].tolist()))
