import argparse

import torch
import torch.nn as nn


def load_model(dim, heads, seed):
    torch.manual_seed(seed)
    embed = nn.Embedding(1000, dim)
    attn = nn.MultiheadAttention(dim, heads, batch_first=True)
    return embed, attn


def attention_maps(embed, attn, token_ids):
    x = embed(token_ids)
    _, weights = attn(x, x, x, need_weights=True, average_attn_weights=False, is_causal=True)  # BUG
    return weights


def render(weights, tokens):
    head = weights[0, 0]
    header = "      " + " ".join(f"{t:>5}" for t in tokens)
    lines = [header]
    for i, tok in enumerate(tokens):
        row = " ".join(f"{w:5.2f}" for w in head[i].tolist())
        lines.append(f"{tok:>5} {row}")
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="dump causal attention maps")
    parser.add_argument("--dim", type=int, default=32)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("tokens", nargs="*", type=int, default=[11, 42, 7, 99, 3, 250])
    args = parser.parse_args()

    embed, attn = load_model(args.dim, args.heads, args.seed)
    ids = torch.tensor([args.tokens])
    with torch.no_grad():
        weights = attention_maps(embed, attn, ids)
    print(render(weights, args.tokens))
    upper = torch.triu(weights[0], diagonal=1).sum().item()
    print(f"attention mass on future tokens: {upper:.4f}")
