"""Zero biases filled with a large negative where flags of no telling name are set (cloudy dates,
dropped sensors), in a model a function of the same file runs in half precision (.half(),
autocast float16): -1e9 and -1e10 do not fit float16."""
import torch
import torch.nn.functional as F
from torch import nn


class DateMixer(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, cloudy):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        bias = torch.zeros(b, 1, 1, t, dtype=q.dtype, device=q.device)
        bias.masked_fill_(cloudy[:, None, None, :], -1e9)  # expect: ML205
        return F.scaled_dot_product_attention(q, k, v, attn_mask=bias)


class SensorMixer(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, x, dropped):
        bias = x.new_zeros(x.size(0), x.size(1)).masked_fill(dropped, -1e10)  # expect: ML205
        return self.attn(x, x, x, key_padding_mask=bias)[0]


def predict(model, x, flags):
    model = model.half().eval()
    with torch.no_grad():
        return model(x.half(), flags)


def train_step(model, x, flags):
    with torch.autocast("cuda", dtype=torch.float16):
        return model(x, flags).float().pow(2).mean()
