# %% [markdown]
# Character-level LM on a toy corpus with nn.TransformerEncoder.

# %%
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
corpus = "the quick brown fox jumps over the lazy dog " * 4
vocab = sorted(set(corpus))
encode = lambda s: torch.tensor([vocab.index(c) for c in s])
data = encode(corpus)
BATCH, CTX, DIM, HEADS = 4, 12, 32, 4

# %%
emb = nn.Embedding(len(vocab), DIM)
pos = nn.Parameter(torch.randn(CTX, DIM) * 0.02)
enc = nn.TransformerEncoder(
    nn.TransformerEncoderLayer(DIM, HEADS, 2 * DIM, dropout=0.0, batch_first=True),
    num_layers=2, enable_nested_tensor=False,
)
head = nn.Linear(DIM, len(vocab))
params = [*emb.parameters(), pos, *enc.parameters(), *head.parameters()]


def lm_logits(x):
    h = emb(x) + pos[: x.size(1)]
    h = enc(h, mask=nn.Transformer.generate_square_subsequent_mask(x.size(0)))  # expect: ML303
    return head(h)


def get_batch():
    ix = torch.randint(0, len(data) - CTX - 1, (BATCH,))
    x = torch.stack([data[i : i + CTX] for i in ix])
    y = torch.stack([data[i + 1 : i + CTX + 1] for i in ix])
    return x, y


# %%
if __name__ == "__main__":
    opt = torch.optim.AdamW(params, lr=3e-3)
    try:
        for step in range(3):
            xb, yb = get_batch()
            loss = F.cross_entropy(lm_logits(xb).flatten(0, 1), yb.flatten())
            opt.zero_grad(); loss.backward(); opt.step()
            print(step, loss.item())
    except RuntimeError as err:
        print("training failed:", err)
