import random

import torch
from torch.utils.data import DataLoader

from .data import CONNECTORS, SessionDataset, collate_sessions
from .model import ChargerFaultModel


def fake_records(n_chargers=16, seed=0):
    rng = random.Random(seed)
    recs, labels = [], []
    for _ in range(n_chargers):
        faulty = rng.random() < 0.3
        sessions = [{"connector": rng.choice(CONNECTORS[1:]), "kwh": rng.uniform(2, 80), "minutes": rng.uniform(5, 120),
                     "peak_kw": rng.uniform(7, 60 if faulty else 150), "end_code": int(faulty and rng.random() < 0.5)}
                    for _ in range(rng.randint(3, 30))]
        recs.append(sessions)
        labels.append(int(faulty))
    return recs, labels


def run(epochs=2):
    ds = SessionDataset(*fake_records())
    dl = DataLoader(ds, batch_size=4, shuffle=True, collate_fn=collate_sessions)
    model = ChargerFaultModel()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        for batch in dl:
            logit = model(batch["connector"], batch["numeric"], batch["padding_mask"])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logit, batch["label"])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return loss.item()


if __name__ == "__main__":
    print(run())
