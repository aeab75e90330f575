import torch
import torch.nn.functional as F

from . import PointCloudClassifier


def main() -> None:
    torch.manual_seed(0)
    model = PointCloudClassifier()
    clouds = torch.randn(4, 64, 3) * torch.tensor([1.0, 0.5, 0.2])
    labels = torch.randint(0, 40, (4,))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss = F.cross_entropy(model(clouds), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("loss", round(loss.item(), 4))
    model.eval()
    with torch.no_grad():
        print("pred", model(clouds).argmax(-1).tolist())


if __name__ == "__main__":
    main()
