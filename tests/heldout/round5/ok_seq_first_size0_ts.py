# %% Seq-first forecasting notebook: here dim 0 IS time, so size(0) is the right length
import torch
import torch.nn as nn

T, B, D = 36, 8, 32
layer = nn.TransformerEncoderLayer(D, 4, 64, dropout=0.0)  # batch_first=False
model = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
proj_in, proj_out = nn.Linear(3, D), nn.Linear(D, 1)

# %%
x = torch.randn(T, B, 3)
causal = nn.Transformer.generate_square_subsequent_mask(x.size(0))
h = model(proj_in(x), mask=causal)
pred = proj_out(h)

# %%
x2 = x.clone()
x2[30:] = torch.randn(6, B, 3)
h2 = model(proj_in(x2), mask=causal)
print("no leak:", torch.allclose(h[:30], h2[:30], atol=1e-5))

# %% training loop
opt = torch.optim.Adam([*model.parameters(), *proj_in.parameters(), *proj_out.parameters()], 1e-3)
for step in range(3):
    y = torch.randn(T, B, 1)
    pred = proj_out(model(proj_in(x), mask=causal))
    loss = nn.functional.mse_loss(pred[:-1], y[1:])
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 4))
