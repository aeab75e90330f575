"""Ready-time predictor for a dry-cleaning chain's garment tickets.

Each ticket is a sequence of station events (tag, spot, solvent wash, press,
bag, rack). Serving batches are left-padded so the latest event sits in the
last column; the model runs in float16 on the shop's edge box.
"""
import torch
import torch.nn as nn

STATIONS = ("<pad>", "tag", "inspect", "spot", "solvent", "wetclean", "dry", "press", "repair", "bag", "rack")


def attention_bias(valid: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """valid: (B, T) bool, left padded. Additive (B, 1, T, T) bias, causal + key padding."""
    T = valid.size(1)
    causal = torch.ones(T, T, dtype=torch.bool, device=valid.device).tril()
    allowed = causal[None] & valid[:, None, :]
    allowed = allowed | torch.eye(T, dtype=torch.bool, device=valid.device)[None]   # padded rows see themselves
    bias = torch.zeros(allowed.shape, dtype=dtype, device=valid.device)
    return bias.masked_fill(~allowed, torch.finfo(dtype).min)[:, None]


class Attn(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, bias):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        s = (q @ k.transpose(-1, -2)) * (D // self.h) ** -0.5 + bias
        return self.o((s.softmax(-1) @ v).transpose(1, 2).reshape(B, T, D))


class TicketReadyModel(nn.Module):
    def __init__(self, d=32, h=4, depth=2):
        super().__init__()
        self.station = nn.Embedding(len(STATIONS), d, padding_idx=0)
        self.dt = nn.Linear(1, d)
        self.attn = nn.ModuleList(Attn(d, h) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.out = nn.Linear(d, 1)

    def forward(self, stations, hours_in_shop):
        valid = stations != 0
        x = self.station(stations) + self.dt(hours_in_shop.unsqueeze(-1).to(self.dt.weight.dtype))
        bias = attention_bias(valid, x.dtype)
        for norm, attn in zip(self.norm, self.attn):
            x = x + attn(norm(x), bias)
        return nn.functional.softplus(self.out(x[:, -1])).squeeze(-1)


@torch.no_grad()
def serve(model, stations, hours, half=True):
    model = model.eval()
    if half:
        model, hours = model.half(), hours.half()
    return model(stations, hours).float()


if __name__ == "__main__":
    torch.manual_seed(0)
    stations = torch.tensor([[0, 0, 0, 1, 2, 4, 6], [1, 2, 3, 4, 6, 7, 9], [0, 0, 0, 0, 0, 1, 2]])
    hours = torch.cumsum(torch.rand(3, 7) * 3, dim=1)
    model = TicketReadyModel()
    print(serve(model, stations, hours, half=False), serve(model, stations, hours, half=True))
