# %%
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
corpus = "pack my box with five dozen liquor jugs " * 4
chars = sorted(set(corpus))
data = torch.tensor([chars.index(c) for c in corpus])
BATCH, CTX, DIM = 4, 12, 32

# %%
emb = nn.Embedding(len(chars), DIM)
pos = nn.Parameter(torch.randn(CTX, DIM) * 0.02)
enc = nn.TransformerEncoder(
    nn.TransformerEncoderLayer(DIM, 4, 2 * DIM, dropout=0.0, batch_first=True),
    num_layers=2, enable_nested_tensor=False,
)
head = nn.Linear(DIM, len(chars))


def lm_logits(x):
    h = emb(x) + pos[: x.size(1)]
    h = enc(h, mask=nn.Transformer.generate_square_subsequent_mask(x.size(1)), is_causal=True)
    return head(h)


# %%
if __name__ == "__main__":
    opt = torch.optim.AdamW([*emb.parameters(), pos, *enc.parameters(), *head.parameters()], lr=3e-3)
    for step in range(3):
        ix = torch.randint(0, len(data) - CTX - 1, (BATCH,))
        xb = torch.stack([data[i : i + CTX] for i in ix])
        yb = torch.stack([data[i + 1 : i + CTX + 1] for i in ix])
        loss = F.cross_entropy(lm_logits(xb).flatten(0, 1), yb.flatten())
        opt.zero_grad(); loss.backward(); opt.step()
        print(step, loss.item())
