# %% [markdown]
# # Character-level model on chess PGN text
# Train a tiny model on PGN strings, then sample in eval mode.

# %%
import torch
import torch.nn as nn
import torch.nn.functional as F

chars = sorted(set("1. e4 e5 2. Nf3 Nc6 3. Bb5 a6 4. Ba4 Nf6 5. O-O Be7 6. Re1 b5 7. Bb3 d6 8. c3 O-O 9. h3"))
stoi = {c: i for i, c in enumerate(chars)}

# %%
class PGNModel(nn.Module):
    def __init__(self, vocab, d=32, nhead=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(128, d)
        layer = nn.TransformerEncoderLayer(d, nhead, 64, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.head = nn.Linear(d, vocab)

    def forward(self, idx, mask=None, is_causal=False):
        x = self.emb(idx) + self.pos(torch.arange(idx.size(1)))
        return self.head(self.encoder(x, mask=mask, is_causal=is_causal))

# %%
torch.manual_seed(0)
text = "1. e4 e5 2. Nf3 Nc6 3. Bb5 a6 4. Ba4 Nf6 5. O-O Be7"
data = torch.tensor([[stoi[c] for c in text]])
model = PGNModel(len(chars))
T = data.size(1) - 1
mask = nn.Transformer.generate_square_subsequent_mask(T)
logits = model(data[:, :-1], mask=mask, is_causal=True)
loss = F.cross_entropy(logits[0], data[0, 1:])
print("train loss", round(loss.item(), 5))

# %%
model.eval()
with torch.no_grad():
    probe = model(data[:, :-1], is_causal=True)  # BUG: is_causal=True without a mask: nn.TransformerEncoder ignores the hint in eval and attends the whole string
print("eval loss", round(F.cross_entropy(probe[0], data[0, 1:]).item(), 5))
