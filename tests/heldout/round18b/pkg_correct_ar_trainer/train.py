import torch
import torch.nn.functional as F

from .decode import continue_drawing
from .net import PlotterNet
from .vocab import encode

PROGRAMS = [
    "G0 X1 Y1 M3 G1 X5 Y1 G1 X5 Y5 G1 X1 Y5 G1 X1 Y1 M5",
    "G0 X2 Y3 M3 G1 X9 Y3 G1 X9 Y8 G1 X2 Y8 G1 X2 Y3 M5",
]


def main():
    torch.manual_seed(0)
    data = encode(PROGRAMS)
    net = PlotterNet()
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    for _ in range(5):
        logits = net(data[:, :-1], causal=True)
        loss = F.cross_entropy(logits.transpose(1, 2), data[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("loss", round(loss.item(), 5), "next", continue_drawing(net, data[:, :5], 3).tolist())


if __name__ == "__main__":
    main()
