import torch
import torch.nn.functional as F

S, N, E, H = 200, 6, 64, 8
PAD = 0

torch.manual_seed(0)
in_proj_weight = torch.randn(3 * E, E) * E ** -0.5
in_proj_bias = torch.zeros(3 * E)
out_proj_weight = torch.randn(E, E) * E ** -0.5
out_proj_bias = torch.zeros(E)
embedding = torch.randn(1000, E)


def pad_sequences(seqs, max_len):
    grid = torch.full((max_len, len(seqs)), PAD, dtype=torch.long)
    for j, s in enumerate(seqs):
        grid[: len(s), j] = torch.as_tensor(s)
    return grid


def encode(tokens):
    x = embedding[tokens]
    key_padding_mask = tokens == PAD  # BUG
    out, weights = F.multi_head_attention_forward(
        x, x, x, E, H,
        in_proj_weight, in_proj_bias,
        None, None, False, 0.0,
        out_proj_weight, out_proj_bias,
        training=False,
        key_padding_mask=key_padding_mask,  # BUG
        need_weights=True,
    )
    return out, weights


if __name__ == "__main__":
    lengths = torch.randint(50, S + 1, (N,)).tolist()
    seqs = [torch.randint(1, 1000, (n,)) for n in lengths]
    tokens = pad_sequences(seqs, S)
    out, weights = encode(tokens)
    pad_attention = weights[..., S - 1].mean().item()
    print("output:", tuple(out.shape), "mean weight on last (pad) key:", pad_attention)
