import torch

from .collate import OrderCollator
from .eta_model import DeliveryETA

ORDERS = [
    {"events": [("[ORDER]", 0), ("dough_stretched", 2), ("topped", 4), ("oven_in", 5), ("oven_out", 12), ("boxed", 13), ("left_store", 15)], "eta_min": 31.0},
    {"events": [("[ORDER]", 0), ("oven_in", 6), ("oven_out", 13), ("driver_assigned", 20)], "eta_min": 42.0},
    {"events": [("[ORDER]", 0), ("topped", 3), ("oven_in", 4)], "eta_min": 25.0},
]


def main(steps=5):
    batch = OrderCollator()(ORDERS)
    model = DeliveryETA()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(steps):
        pred = model(batch["input_ids"], batch["minutes"], batch["attention_mask"])
        loss = torch.nn.functional.l1_loss(pred, batch["eta"])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


if __name__ == "__main__":
    print(main())
