import torch
import torch.nn as nn
import torch.nn.functional as F


class SeqFirstSelfAttention(nn.Module):
    """Self-attention over seq-first token tensors (S, N), calling the functional MHA directly."""

    def __init__(self, vocab_size=50, embed_dim=8, num_heads=2, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.num_heads = num_heads
        self.embed = nn.Embedding(vocab_size, embed_dim, padding_idx=pad_idx)
        self.in_proj_weight = nn.Parameter(torch.randn(3 * embed_dim, embed_dim) * embed_dim ** -0.5)
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * embed_dim))
        self.out_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, tokens):
        x = self.embed(tokens)  # (S, N, E)
        key_padding_mask = tokens == self.pad_idx  # BUG
        out, weights = F.multi_head_attention_forward(
            x, x, x,
            embed_dim_to_check=x.size(-1),
            num_heads=self.num_heads,
            in_proj_weight=self.in_proj_weight,
            in_proj_bias=self.in_proj_bias,
            bias_k=None,
            bias_v=None,
            add_zero_attn=False,
            dropout_p=0.0,
            out_proj_weight=self.out_proj.weight,
            out_proj_bias=self.out_proj.bias,
            training=self.training,
            key_padding_mask=key_padding_mask,
            need_weights=True,
        )
        return out, weights


def collate(sequences, pad_idx=0):
    max_len = max(len(s) for s in sequences)
    batch = torch.full((max_len, len(sequences)), pad_idx, dtype=torch.long)
    for j, s in enumerate(sequences):
        batch[: len(s), j] = torch.tensor(s)
    return batch


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SeqFirstSelfAttention().eval()
    tokens = collate([[5, 6, 7, 8, 9, 10, 11], [12, 13, 14], [15, 16, 17, 18, 19]])
    try:
        out, weights = model(tokens)
        pad = (tokens == 0).t()[:, None, :]
        print(f"ok: attention weight on padding = {(weights * pad).sum(-1).max().item():.3f}")
    except (AssertionError, RuntimeError) as exc:
        print(f"{type(exc).__name__}: {exc}")
