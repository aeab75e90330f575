import torch
import torch.nn as nn


def seq_len_to_mask(seq_len: torch.Tensor, max_len: int = None) -> torch.Tensor:
    """(batch,) lengths -> (batch, max_len) bool, True at valid (non-pad) positions."""
    max_len = int(max_len or seq_len.max())
    positions = torch.arange(max_len, device=seq_len.device).unsqueeze(0)
    return positions < seq_len.unsqueeze(1)


class AttentivePooler(nn.Module):
    def __init__(self, hidden: int, heads: int = 4):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(hidden, heads)  # seq-first (T, B, C)
        self.score = nn.Linear(hidden, 1)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor):
        # x: (T, B, C)
        mask = seq_len_to_mask(lengths, x.size(0))
        h, weights = self.self_attn(x, x, x, key_padding_mask=mask)  # BUG
        logits = self.score(h).squeeze(-1).t()  # (B, T)
        logits = logits.masked_fill(~mask, float("-inf"))
        alpha = logits.softmax(dim=-1)
        return torch.einsum("bt,tbc->bc", alpha, h), weights


if __name__ == "__main__":
    torch.manual_seed(0)
    T, B, C = 7, 3, 16
    feats = torch.randn(T, B, C)
    lengths = torch.tensor([7, 4, 2])
    pooler = AttentivePooler(C)
    pooled, attn = pooler(feats, lengths)
    print("pooled:", pooled.shape, "nan:", torch.isnan(pooled).any().item())
    print("weights on padded keys of sample 1:", attn[1, :, 4:].sum().item())
