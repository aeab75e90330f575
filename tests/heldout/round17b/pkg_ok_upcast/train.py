"""Mixed-precision training and a float16 copy for the substation gateway."""
import copy

import torch
from torch import nn

from .model import FeederFaultLocator, synthetic_events


def train(epochs=3, device="cpu"):
    device = torch.device(device)
    model = FeederFaultLocator().to(device)
    opt = torch.optim.AdamW(model.parameters(), 1e-3)
    phasors, coords, offline, section = synthetic_events()
    for _ in range(epochs):
        with torch.autocast(device_type=device.type, dtype=torch.float16):
            logits = model(phasors, coords, offline)
        loss = nn.functional.cross_entropy(logits.float(), section)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model, loss.item()


def to_gateway(model):
    return copy.deepcopy(model).half().eval()


@torch.no_grad()
def locate(gateway_model, phasors, coords, offline):
    return gateway_model(phasors.half(), coords.half(), offline).argmax(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model, final = train()
    p, c, o, s = synthetic_events(seed=1)
    print(final, locate(to_gateway(model), p, c, o)[:8])
