import torch


def pack_patterns(patterns, row_len):
    """Greedy first-fit packing of crease patterns into rows of `row_len` creases.

    patterns: list of (n_creases, 5) tensors (x1, y1, x2, y2, angle).
    Returns creases (rows, row_len, 5), blocked (rows, row_len, row_len) bool with True
    between creases of different patterns, and the pattern lengths of every row.
    """
    rows, lengths = [], []
    for p in sorted(patterns, key=len, reverse=True):
        for r, used in enumerate(lengths):
            if sum(used) + len(p) <= row_len:
                rows[r].append(p)
                used.append(len(p))
                break
        else:
            rows.append([p])
            lengths.append([len(p)])
    creases, blocked = [], []
    for row, used in zip(rows, lengths):
        fill = row_len - sum(used)
        creases.append(torch.cat(row + [torch.zeros(fill, 5)]))
        blocks = [torch.ones(n, n) for n in used] + ([torch.ones(fill, fill)] if fill else [])
        blocked.append(torch.block_diag(*blocks) == 0)
    return torch.stack(creases), torch.stack(blocked), lengths
