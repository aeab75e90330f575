import torch
from torch.utils.data import DataLoader

from .data import collate_batch


def train_epoch(model, dataset, optimizer, batch_size: int = 16):
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=True, collate_fn=collate_batch)
    model.train()
    total = 0.0
    for batch in loader:
        _, loss = model(**batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total / max(1, len(loader))


@torch.no_grad()
def evaluate(model, dataset, batch_size: int = 32):
    loader = DataLoader(dataset, batch_size=batch_size, collate_fn=collate_batch)
    model.eval()
    correct = seen = 0
    for batch in loader:
        labels = batch.pop("labels")
        pred = model(**batch).argmax(-1)
        correct += (pred == labels).sum().item()
        seen += labels.numel()
    return correct / max(1, seen)
