# %% [markdown]
# # Tiny poetry model
# Fit a character model on one stanza and check it in eval mode.

# %%
import torch
import torch.nn as nn
import torch.nn.functional as F

stanza = "shall i compare thee to a summers day thou art more lovely and more temperate"
vocab = sorted(set(stanza))
ix = {c: i for i, c in enumerate(vocab)}

# %%
class VerseModel(nn.Module):
    def __init__(self, vocab_size, d=32, nhead=4):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, d)
        self.pos = nn.Parameter(torch.zeros(1, 128, d))
        self.body = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, nhead, 64, 0.0, batch_first=True), 2, enable_nested_tensor=False)
        self.head = nn.Linear(d, vocab_size)

    def forward(self, idx, is_causal=False):
        T = idx.size(1)
        mask = nn.Transformer.generate_square_subsequent_mask(T) if is_causal else None
        return self.head(self.body(self.emb(idx) + self.pos[:, :T], mask=mask, is_causal=is_causal))

# %%
torch.manual_seed(0)
data = torch.tensor([[ix[c] for c in stanza]])
model = VerseModel(len(vocab))
loss = F.cross_entropy(model(data[:, :-1], is_causal=True)[0], data[0, 1:])
print("train", round(loss.item(), 5))

# %%
model.eval()
with torch.no_grad():
    logits = model(data[:, :-1], is_causal=True)
print("eval", round(F.cross_entropy(logits[0], data[0, 1:]).item(), 5))
