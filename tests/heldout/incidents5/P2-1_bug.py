"""Small causal sequence model for sensor forecasting (functional training helpers)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_params(d_model=32, nhead=4, n_in=6):
    return {
        "inp": nn.Linear(n_in, d_model),
        "attn": nn.MultiheadAttention(d_model, nhead),
        "ff": nn.Sequential(nn.Linear(d_model, 64), nn.ReLU(), nn.Linear(64, d_model)),
        "out": nn.Linear(d_model, 1),
        "norm": nn.LayerNorm(d_model),
    }


def forward(params, x):
    # x: (seq, batch, n_in)
    seq_len = x.shape[0]
    attn_mask = torch.tril(torch.ones(seq_len, seq_len))  # BUG
    h = params["inp"](x)
    a, _ = params["attn"](h, h, h, attn_mask=attn_mask)  # BUG
    h = params["norm"](h + a)
    h = h + params["ff"](h)
    return params["out"](h).squeeze(-1)


def loss_fn(params, x, y):
    return F.mse_loss(forward(params, x), y)


def train(params, data, steps=3, lr=1e-3):
    modules = nn.ModuleDict(params)
    opt = torch.optim.Adam(modules.parameters(), lr=lr)
    for step in range(steps):
        x, y = data()
        loss = loss_fn(params, x, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


def random_batch(seq=8, batch=4, n_in=6):
    x = torch.randn(seq, batch, n_in)
    # target: next-step value of the first channel
    y = torch.roll(x[..., 0], shifts=-1, dims=0)
    return x, y


if __name__ == "__main__":
    torch.manual_seed(0)
    params = make_params()
    print("loss", train(params, random_batch))
    x, _ = random_batch()
    with torch.no_grad():
        full = forward(params, x)
        part = forward(params, x[:4])
    print("causal:", torch.allclose(full[:4], part, atol=1e-5))
