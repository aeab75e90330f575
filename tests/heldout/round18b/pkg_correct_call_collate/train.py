import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader

from .collate import make_collate
from .router import TicketRouter

TICKETS = [
    ("I was charged twice this month", "billing"),
    ("where is my parcel", "shipping"),
    ("cannot reset my password after the update", "account"),
    ("fan is loud", "hardware"),
]


def main():
    torch.manual_seed(0)
    loader = DataLoader(TICKETS, batch_size=4, collate_fn=make_collate({}))
    model = TicketRouter()
    for batch in loader:
        logits = model(batch["input_ids"], batch["key_padding_mask"])
        loss = F.cross_entropy(logits, batch["team"])
        loss.backward()
        print("loss", round(loss.item(), 5))


if __name__ == "__main__":
    main()
