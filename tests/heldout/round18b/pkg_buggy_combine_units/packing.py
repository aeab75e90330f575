import torch

N_UNITS = 100
FILL = N_UNITS


def pack_utterances(utterances, row_len):
    """Greedy first-fit packing; returns unit ids and the utterance index of every slot."""
    rows, segs = [[]], [[]]
    for utt in utterances:
        utt = list(utt)[:row_len]
        if len(rows[-1]) + len(utt) > row_len:
            rows.append([])
            segs.append([])
        segs[-1].extend([len(set(segs[-1]))] * len(utt))
        rows[-1].extend(utt)
    ids = torch.full((len(rows), row_len), FILL, dtype=torch.long)
    seg = torch.full((len(rows), row_len), -1, dtype=torch.long)
    for r, (row, s) in enumerate(zip(rows, segs)):
        ids[r, : len(row)] = torch.tensor(row, dtype=torch.long)
        seg[r, : len(s)] = torch.tensor(s, dtype=torch.long)
    return ids, seg
