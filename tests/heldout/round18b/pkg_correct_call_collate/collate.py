import torch

PAD_ID = 0
TEAMS = ["billing", "shipping", "account", "hardware"]


def tokenize(text, vocab):
    return [vocab.setdefault(w, len(vocab) + 1) for w in text.lower().replace("?", "").split()]


def make_collate(vocab, max_len=16):
    def collate(examples):
        ids = [tokenize(t, vocab)[:max_len] for t, _ in examples]
        width = max(len(x) for x in ids)
        input_ids = torch.full((len(ids), width), PAD_ID, dtype=torch.long)
        for i, x in enumerate(ids):
            input_ids[i, : len(x)] = torch.tensor(x)
        return {
            "input_ids": input_ids,
            "key_padding_mask": input_ids == PAD_ID,
            "team": torch.tensor([TEAMS.index(team) for _, team in examples]),
        }

    return collate
