"""Pack several short chat transcripts into one row of constant length."""
import torch


def pack(transcripts, row_len, pad_id=0):
    """Greedy packing. Returns ids (rows, row_len) and doc ids (-1 on padding)."""
    rows, docs = [], []
    cur, cur_doc, doc = [], [], 0
    for t in transcripts:
        t = t[:row_len]
        if len(cur) + len(t) > row_len:
            rows.append(cur)
            docs.append(cur_doc)
            cur, cur_doc = [], []
        cur = cur + t
        cur_doc = cur_doc + [doc] * len(t)
        doc += 1
    rows.append(cur)
    docs.append(cur_doc)
    ids = torch.full((len(rows), row_len), pad_id)
    doc_ids = torch.full((len(rows), row_len), -1)
    for i, (r, d) in enumerate(zip(rows, docs)):
        ids[i, :len(r)] = torch.tensor(r)
        doc_ids[i, :len(d)] = torch.tensor(d)
    return ids, doc_ids


def make_mask_mod(doc_ids):
    def separate_or_future(b, h, q_idx, kv_idx):
        return (doc_ids[b, q_idx] != doc_ids[b, kv_idx]) | (kv_idx > q_idx)
    return separate_or_future


def loss_weights(doc_ids):
    return (doc_ids >= 0).float()
