"""Greedy packing of variable-length documents into fixed-length rows."""
from typing import List, Sequence, Tuple

import torch


def pack_documents(
    docs: Sequence[Sequence[int]], row_len: int, pad_id: int = 0
) -> Tuple[torch.Tensor, torch.Tensor]:
    """Return (tokens, doc_ids), both (rows, row_len).

    doc_ids numbers the documents inside each row from 0; padding gets -1.
    """
    rows: List[List[int]] = []
    ids: List[List[int]] = []
    cur, cur_ids, next_id = [], [], 0
    for doc in docs:
        doc = list(doc)[:row_len]
        if len(cur) + len(doc) > row_len:
            rows.append(cur)
            ids.append(cur_ids)
            cur, cur_ids, next_id = [], [], 0
        cur.extend(doc)
        cur_ids.extend([next_id] * len(doc))
        next_id += 1
    if cur:
        rows.append(cur)
        ids.append(cur_ids)

    tokens = torch.full((len(rows), row_len), pad_id, dtype=torch.long)
    doc_ids = torch.full((len(rows), row_len), -1, dtype=torch.long)
    for r, (row, row_ids) in enumerate(zip(rows, ids)):
        tokens[r, : len(row)] = torch.tensor(row)
        doc_ids[r, : len(row_ids)] = torch.tensor(row_ids)
    return tokens, doc_ids
