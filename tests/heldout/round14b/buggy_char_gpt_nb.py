# %% [markdown]
# # Character-level Transformer on a toy corpus
# Exported from a notebook. Uses the built-in `nn.TransformerEncoder` as a decoder-only stack.

# %%
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1337)
text = ("to be, or not to be, that is the question: whether 'tis nobler in the mind to suffer "
        "the slings and arrows of outrageous fortune, or to take arms against a sea of troubles ") * 4
chars = sorted(set(text))
vocab_size = len(chars)
stoi = {ch: i for i, ch in enumerate(chars)}
itos = {i: ch for ch, i in stoi.items()}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)

# %%
block_size = 32
batch_size = 8
n_embd, n_head, n_layer = 64, 4, 2


def get_batch():
    ix = torch.randint(len(data) - block_size, (batch_size,))
    x = torch.stack([data[i:i + block_size] for i in ix])
    y = torch.stack([data[i + 1:i + block_size + 1] for i in ix])
    return x, y


# %%
class CharTransformer(nn.Module):
    def __init__(self, vocab_size, n_embd=n_embd, n_head=n_head, n_layer=n_layer):
        super().__init__()
        self.token_embedding_table = nn.Embedding(vocab_size, n_embd)
        self.position_embedding_table = nn.Embedding(block_size, n_embd)
        layer = nn.TransformerEncoderLayer(n_embd, n_head, 4 * n_embd, dropout=0.1,
                                           batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, n_layer)
        self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size)

    def forward(self, idx):
        tok_emb = self.token_embedding_table(idx)
        pos_emb = self.position_embedding_table(torch.arange(idx.size(1), device=idx.device))
        x = tok_emb + pos_emb
        mask = nn.Transformer.generate_square_subsequent_mask(idx.size(0), device=idx.device)
        x = self.blocks(x, mask=mask, is_causal=True)  # expect: ML303
        return self.lm_head(self.ln_f(x))


# %%
xb, yb = get_batch()
try:
    logits = CharTransformer(vocab_size)(xb)
    loss = F.cross_entropy(logits.view(-1, vocab_size), yb.view(-1))
    print("initial loss", loss.item())
except RuntimeError as err:
    print("forward failed:", err)

# %% [markdown]
# Train for a few steps and sample.

# %%
model = CharTransformer(vocab_size)
opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
for step in range(3):
    xb, yb = get_batch()
    logits = model(xb)
    loss = F.cross_entropy(logits.view(-1, vocab_size), yb.view(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
print("loss after training", loss.item())


# %%
@torch.no_grad()
def sample(model, prompt="to be", max_new_tokens=20):
    model.eval()
    idx = torch.tensor([[stoi[c] for c in prompt]])
    for _ in range(max_new_tokens):
        logits = model(idx[:, -block_size:])
        nxt = torch.multinomial(F.softmax(logits[:, -1], dim=-1), 1)
        idx = torch.cat([idx, nxt], dim=1)
    return "".join(itos[i] for i in idx[0].tolist())


try:
    print(sample(model))
except RuntimeError as err:
    print("sampling failed:", err)
