# %% [markdown]
# # Typing cadence
# Model the next inter-key interval (ms) from the keys typed so far.

# %%
import torch
from torch import nn

torch.manual_seed(0)
N_KEYS, D = 60, 32

# %%
keys = torch.randint(0, N_KEYS, (64, 33))
intervals = 80 + 40 * torch.rand(64, 33)
train_keys, val_keys = keys[:48], keys[48:]
train_iv, val_iv = intervals[:48], intervals[48:]

# %%
key_emb = nn.Embedding(N_KEYS, D)
iv_proj = nn.Linear(1, D)
encoder = nn.TransformerEncoder(
    nn.TransformerEncoderLayer(D, 4, 64, dropout=0.0, batch_first=True), num_layers=2,
    enable_nested_tensor=False)
head = nn.Linear(D, 1)
params = [*key_emb.parameters(), *iv_proj.parameters(), *encoder.parameters(), *head.parameters()]
opt = torch.optim.Adam(params, 1e-3)


def embed(k, iv):
    return key_emb(k) + iv_proj(iv.unsqueeze(-1) / 100.0)


# %% training
n = train_keys.size(1) - 1
causal = nn.Transformer.generate_square_subsequent_mask(n)
for it in range(20):
    h = encoder(embed(train_keys[:, :-1], train_iv[:, :-1]), mask=causal, is_causal=True)
    loss = nn.functional.l1_loss(head(h).squeeze(-1), train_iv[:, 1:])
    opt.zero_grad()
    loss.backward()
    opt.step()
loss.item()

# %% validation in eval mode
encoder.eval()
with torch.no_grad():
    h_val = encoder(embed(val_keys[:, :-1], val_iv[:, :-1]), mask=causal, is_causal=True)
    val_loss = nn.functional.l1_loss(head(h_val).squeeze(-1), val_iv[:, 1:])
val_loss.item()
