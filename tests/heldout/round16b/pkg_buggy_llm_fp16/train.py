import torch

from .model import GPT


def evaluate(model, data, batch_size=4, block=32):
    model.eval().half()
    losses = []
    with torch.no_grad():
        for i in range(0, data.size(0) - batch_size * block - 1, block * batch_size):
            x = torch.stack([data[j: j + block] for j in range(i, i + batch_size * block, block)])
            y = torch.stack([data[j + 1: j + block + 1] for j in range(i, i + batch_size * block, block)])
            losses.append(model(x, y)[1].item())
    return sum(losses) / len(losses)


if __name__ == "__main__":
    data = torch.randint(0, 512, (2000,))
    print(evaluate(GPT(), data))
