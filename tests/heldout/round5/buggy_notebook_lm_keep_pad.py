# %% [markdown]
# # Character-level LM on tiny shakespeare (exported from notebook)

# %%
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
PAD = 0
text = "first citizen: before we proceed any further, hear me speak."
vocab = ["<pad>"] + sorted(set(text))
stoi = {c: i for i, c in enumerate(vocab)}

# %%
def encode_lines(lines, block=24):
    rows = [[stoi[c] for c in ln[:block]] for ln in lines]
    T = max(map(len, rows))
    return torch.tensor([r + [PAD] * (T - len(r)) for r in rows])

tokens = encode_lines([text[:24], text[24:40], text[40:]])
tokens.shape

# %%
d_model, n_head = 64, 4
emb = nn.Embedding(len(vocab), d_model, padding_idx=PAD)
pos = nn.Parameter(torch.zeros(1, 64, d_model))
layer = nn.TransformerEncoderLayer(d_model, n_head, 4 * d_model, dropout=0.1, batch_first=True, norm_first=True)
encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
lm_head = nn.Linear(d_model, len(vocab))
params = list(emb.parameters()) + [pos] + list(encoder.parameters()) + list(lm_head.parameters())
opt = torch.optim.AdamW(params, lr=3e-4)

# %%
inp, tgt = tokens[:, :-1], tokens[:, 1:]
T = inp.size(1)
causal = nn.Transformer.generate_square_subsequent_mask(T, dtype=torch.bool)
not_pad = inp != PAD

# %%
for step in range(3):
    h = emb(inp) + pos[:, :T]
    h = encoder(
        h,
        mask=causal,
        src_key_padding_mask=not_pad,  # expect: ML101
        is_causal=True,
    )
    logits = lm_head(h)
    loss = F.cross_entropy(logits.reshape(-1, len(vocab)), tgt.reshape(-1), ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, loss.item())
