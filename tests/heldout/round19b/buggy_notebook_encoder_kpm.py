# %% [markdown]
# Quick experiment: sentence embeddings from a small nn.TransformerEncoder
# on a padded toy batch, then a causal variant for next-word scoring.

# %%
import torch
import torch.nn as nn

torch.manual_seed(0)
PAD = 0
sentences = [
    "the cat sat on the mat",
    "dogs bark",
    "a quick brown fox jumps",
]
vocab = {"<pad>": PAD}
for s in sentences:
    for w in s.split():
        vocab.setdefault(w, len(vocab))

max_len = max(len(s.split()) for s in sentences)
tokens = torch.full((len(sentences), max_len), PAD)
for i, s in enumerate(sentences):
    ids = [vocab[w] for w in s.split()]
    tokens[i, : len(ids)] = torch.tensor(ids)

# %%
d_model = 32
emb = nn.Embedding(len(vocab), d_model, padding_idx=PAD)
pos = nn.Embedding(max_len, d_model)
enc = nn.TransformerEncoder(
    nn.TransformerEncoderLayer(d_model, nhead=4, dim_feedforward=64, dropout=0.0, batch_first=True),
    num_layers=2,
    enable_nested_tensor=False,
)
x = emb(tokens) + pos(torch.arange(max_len))

# %%
keep = tokens != PAD
hidden = enc(x, src_key_padding_mask=keep)  # BUG: keep mask (True = real word) passed where True means padding
sent_vec = (hidden * keep.unsqueeze(-1)).sum(1) / keep.sum(1, keepdim=True)
print("sentence vectors:", sent_vec.shape)

# %% [markdown]
# Causal pass: score each next word from its prefix.

# %%
head = nn.Linear(d_model, len(vocab))
causal = torch.tril(torch.ones(max_len, max_len)).bool()
prefix_states = enc(x, mask=causal, src_key_padding_mask=tokens == PAD)  # BUG: tril keep mask as attn mask, True blocks the past and exposes the future
next_logits = head(prefix_states[:, :-1])
loss = nn.functional.cross_entropy(
    next_logits.reshape(-1, len(vocab)), tokens[:, 1:].reshape(-1), ignore_index=PAD
)
print("next-word loss:", round(loss.item(), 3))
