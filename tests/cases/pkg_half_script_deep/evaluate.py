import torch

from .model import Tagger


def accuracy(model, ids, tags):
    with torch.autocast("cuda", dtype=torch.float16):
        pred = model(ids).argmax(-1)  # expect: ML205
    real = ids != 0
    return (pred[real] == tags[real]).float().mean().item()


def main():
    model = Tagger().cuda().eval()
    ids = torch.randint(1, 1000, (8, 32), device="cuda")
    ids[:, 20:] = 0
    print(accuracy(model, ids, torch.randint(0, 9, (8, 32), device="cuda")))


if __name__ == "__main__":
    main()
