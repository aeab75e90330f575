from typing import List, Tuple

import torch

EOD = 0


def pack_documents(docs: List[List[int]], row_len: int, rows: int) -> Tuple[torch.Tensor, torch.Tensor]:
    """Greedy packing. Returns tokens (rows, row_len) and document ids (rows, row_len)."""
    tokens = torch.full((rows, row_len), EOD)
    doc_ids = torch.full((rows, row_len), -1)
    r, c = 0, 0
    for i, d in enumerate(docs):
        d = d + [EOD]
        while d and r < rows:
            take = min(len(d), row_len - c)
            tokens[r, c: c + take] = torch.tensor(d[:take])
            doc_ids[r, c: c + take] = i
            d, c = d[take:], c + take
            if c == row_len:
                r, c = r + 1, 0
    return tokens, doc_ids
