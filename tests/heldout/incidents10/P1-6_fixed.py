"""Sequence encoder using nn.MultiheadAttention with a length-derived mask
(fastNLP-style seq_len_to_mask helper)."""
import torch
import torch.nn as nn


def seq_len_to_mask(seq_len, max_len=None):
    """Return a (B, max_len) bool mask, True for positions inside the sequence."""
    max_len = int(max_len) if max_len else int(seq_len.max())
    broad = torch.arange(max_len, device=seq_len.device).expand(seq_len.size(0), -1)
    return broad.lt(seq_len.unsqueeze(1))


class SelfAttnEncoder(nn.Module):
    def __init__(self, d_model=16, nhead=2):
        super().__init__()
        self.mha = nn.MultiheadAttention(d_model, nhead)

    def forward(self, x, seq_len):
        # x: (T, B, E)
        mask = seq_len_to_mask(seq_len, x.size(0))
        out, weights = self.mha(x, x, x, key_padding_mask=mask.eq(False))
        return out, weights


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = SelfAttnEncoder()
    x = torch.randn(5, 2, 16)
    lens = torch.tensor([5, 3])
    out, w = enc(x, lens)
    x2 = x.clone(); x2[3:, 1] = torch.randn(2, 16) * 5
    out2, _ = enc(x2, lens)
    print("NaN rows:", bool(out.isnan().any()), "| real-token change from pad content:",
          (out[:3, 1] - out2[:3, 1]).abs().max().item())
