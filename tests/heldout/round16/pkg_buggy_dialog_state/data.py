import torch


class DialogCollator:
    """Flattens (system, user) turns into one id sequence, HF-style outputs."""

    def __init__(self, sep_id=2, pad_id=0, max_len=64):
        self.sep_id, self.pad_id, self.max_len = sep_id, pad_id, max_len

    def __call__(self, dialogs):
        seqs = []
        for turns in dialogs:
            ids = []
            for sys_ids, usr_ids in turns:
                ids += sys_ids + [self.sep_id] + usr_ids + [self.sep_id]
            seqs.append(ids[-self.max_len:])
        n = max(len(s) for s in seqs)
        input_ids = torch.full((len(seqs), n), self.pad_id, dtype=torch.long)
        attention_mask = torch.zeros(len(seqs), n, dtype=torch.long)
        for i, s in enumerate(seqs):
            input_ids[i, : len(s)] = torch.tensor(s)
            attention_mask[i, : len(s)] = 1
        return {"input_ids": input_ids, "attention_mask": attention_mask}
