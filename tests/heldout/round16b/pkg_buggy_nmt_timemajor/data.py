import torch

PAD = 1


def collate(samples, pad_idx=PAD):
    max_len = max(len(s["source"]) for s in samples)
    tokens = torch.full((len(samples), max_len), pad_idx, dtype=torch.long)
    for i, s in enumerate(samples):
        tokens[i, : len(s["source"])] = s["source"]
    src_tokens = tokens.t().contiguous()
    return {
        "net_input": {"src_tokens": src_tokens, "src_padding_mask": src_tokens.eq(pad_idx)},
        "target": torch.tensor([s["label"] for s in samples]),
        "ntokens": int(tokens.ne(pad_idx).sum()),
    }
