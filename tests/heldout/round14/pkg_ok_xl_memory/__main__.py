import torch

from . import SegmentRecurrentLM, XLConfig


def main() -> None:
    torch.manual_seed(0)
    model = SegmentRecurrentLM(XLConfig())
    stream = torch.randint(0, 1000, (3, 37))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss = model.stream_loss(stream)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("segment-recurrent loss", round(loss.item(), 4))


if __name__ == "__main__":
    main()
