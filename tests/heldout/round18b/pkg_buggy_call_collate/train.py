import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader

from .data import ReviewDataset, collate_reviews
from .model import ReviewClassifier

REVIEWS = [
    ("great battery life and a bright screen", 5),
    ("stopped working after two days", 1),
    ("ok", 3),
    ("the strap broke but support replaced it quickly", 4),
]


def main():
    torch.manual_seed(0)
    ds = ReviewDataset(REVIEWS, {})
    loader = DataLoader(ds, batch_size=4, shuffle=False, collate_fn=collate_reviews)
    model = ReviewClassifier()
    model.train()
    for batch in loader:
        logits = model(batch["input_ids"], batch["padding_mask"])  # BUG: collate's padding_mask is ids != PAD (True = real token); the encoder blocks True
        loss = F.cross_entropy(logits, batch["labels"])
        print("loss", round(loss.item(), 5), "p", [round(p, 4) for p in logits.softmax(-1)[:, 1].tolist()])


if __name__ == "__main__":
    main()
