"""Train with mixed precision, then export a float16 copy for the edge gateway."""
import copy

import torch

from .model import TurbineAnomalyModel, synthetic_scada


def train(epochs=2, device=None):
    device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
    model = TurbineAnomalyModel().to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    signals, minute, dropped = (t.to(device) for t in synthetic_scada())
    for _ in range(epochs):
        with torch.autocast(device_type=device.type, dtype=torch.float16):
            recon = model(signals, minute, dropped)
            loss = ((recon.float() - signals) ** 2)[~dropped].mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model, loss.item()


def export_half(model):
    edge = copy.deepcopy(model).half().eval()
    return edge


def score_on_gateway(edge, signals, minute, dropped):
    with torch.no_grad():
        return edge.anomaly_score(signals.half(), minute, dropped)


if __name__ == "__main__":
    torch.manual_seed(0)
    model, final = train()
    edge = export_half(model)
    print(final, score_on_gateway(edge, *synthetic_scada(seed=1)).shape)
