"""Inference wrapper that converts the whole model and its masks to half precision."""
import torch
import torch.nn as nn


class CausalMHA(nn.Module):
    def __init__(self, dim=32, heads=4, max_len=64):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.register_buffer("future", torch.triu(torch.ones(max_len, max_len), diagonal=1))

    def forward(self, x):
        T = x.size(1)
        mask = self.future[:T, :T].to(dtype=x.dtype)
        y, _ = self.attn(
            x, x, x,
            attn_mask=mask,  # expect: ML202
            need_weights=False,
        )
        return y


def load_for_inference(model: nn.Module, device: str = "cpu", half: bool = True):
    model = model.to(device).eval()
    return model.half() if half else model


if __name__ == "__main__":
    torch.manual_seed(0)
    m = load_for_inference(CausalMHA(), half=False)
    x = torch.randn(1, 5, 32)
    x2 = x.clone(); x2[:, -1] = torch.randn(32)
    with torch.no_grad():
        print("t=0 sees t=4:", (m(x)[:, 0] - m(x2)[:, 0]).abs().max().item() > 1e-5)
