import torch

PAD, BOS, EOS = 0, 1, 2
MAX_SRC = 16           # source padded to MAX_SRC
MAX_TGT = MAX_SRC + 1  # target carries BOS ... EOS, so decoder input/output are MAX_SRC wide


def pad_to(ids, width):
    ids = ids[:width]
    return ids + [PAD] * (width - len(ids))


def collate_pairs(pairs):
    src = torch.tensor([pad_to(s, MAX_SRC) for s, _ in pairs])
    tgt = torch.tensor([pad_to([BOS] + t + [EOS], MAX_TGT) for _, t in pairs])
    return src, tgt


def toy_pairs(n, vocab=200, seed=0):
    g = torch.Generator().manual_seed(seed)
    pairs = []
    for _ in range(n):
        ls = int(torch.randint(3, MAX_SRC, (1,), generator=g))
        lt = int(torch.randint(3, MAX_SRC - 1, (1,), generator=g))
        pairs.append((torch.randint(3, vocab, (ls,), generator=g).tolist(),
                      torch.randint(3, vocab, (lt,), generator=g).tolist()))
    return pairs
