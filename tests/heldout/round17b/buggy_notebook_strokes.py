# %% [markdown]
# # Pen-stroke continuation
# Predict the next pen offset (dx, dy, pen_up) from the strokes drawn so far.

# %%
import torch
from torch import nn

torch.manual_seed(0)

# %%
def synthetic_strokes(n, length):
    t = torch.linspace(0, 6.28, length)
    radius = 1 + 0.3 * torch.rand(n, 1)
    xy = torch.stack([radius * torch.cos(t), radius * torch.sin(t)], dim=-1)
    offsets = xy.diff(dim=1, prepend=xy[:, :1])
    pen_up = (torch.rand(n, length, 1) < 0.05).float()
    return torch.cat([offsets, pen_up], dim=-1)


strokes = synthetic_strokes(32, 41)
train_set, val_set = strokes[:24], strokes[24:]

# %%
d_model = 32
proj_in = nn.Linear(3, d_model)
layer = nn.TransformerEncoderLayer(d_model, 4, 64, dropout=0.0, batch_first=True)
proj_out = nn.Linear(d_model, 3)
params = [*proj_in.parameters(), *layer.parameters(), *proj_out.parameters()]
opt = torch.optim.Adam(params, lr=2e-3)

# %% training
steps = train_set.size(1) - 1
seen = torch.tril(torch.ones(steps, steps)).bool()
for it in range(30):
    h = layer(proj_in(train_set[:, :-1]), src_mask=seen)  # expect: ML101
    loss = nn.functional.mse_loss(proj_out(h), train_set[:, 1:])
    opt.zero_grad()
    loss.backward()
    opt.step()
loss.item()

# %% validation
layer.eval()
with torch.no_grad():
    h_val = layer(proj_in(val_set[:, :-1]), is_causal=True)  # expect: ML402
    val_loss = nn.functional.mse_loss(proj_out(h_val), val_set[:, 1:])
val_loss.item()

# %% sample a continuation
with torch.no_grad():
    drawn = val_set[:1, :10]
    for _ in range(20):
        order = nn.Transformer.generate_square_subsequent_mask(drawn.size(1))
        nxt = proj_out(layer(proj_in(drawn), src_mask=order, is_causal=True))[:, -1:]
        drawn = torch.cat([drawn, nxt], dim=1)
drawn.shape
