# %% [markdown]
# Toy run: mean-pooled sentence vectors from nn.TransformerEncoder,
# then a left-to-right pass for next-word scoring.

# %%
import torch
import torch.nn as nn

torch.manual_seed(0)
PAD = 0
corpus = ["the cat sat on the mat", "dogs bark", "a quick brown fox jumps"]
vocab = {"<pad>": PAD}
for line in corpus:
    for w in line.split():
        vocab.setdefault(w, len(vocab))

max_len = max(len(line.split()) for line in corpus)
tokens = torch.full((len(corpus), max_len), PAD)
for i, line in enumerate(corpus):
    tokens[i, : len(line.split())] = torch.tensor([vocab[w] for w in line.split()])

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
hidden = enc(x, src_key_padding_mask=~keep)
sent_vec = (hidden * keep.unsqueeze(-1)).sum(1) / keep.sum(1, keepdim=True)
print("sentence vectors:", sent_vec.shape)

# %%
head = nn.Linear(d_model, len(vocab))
causal = ~torch.tril(torch.ones(max_len, max_len)).bool()
prefix_states = enc(x, mask=causal, src_key_padding_mask=tokens.eq(PAD))
next_logits = head(prefix_states[:, :-1])
loss = nn.functional.cross_entropy(
    next_logits.reshape(-1, len(vocab)), tokens[:, 1:].reshape(-1), ignore_index=PAD
)
print("next-word loss:", round(loss.item(), 3))
