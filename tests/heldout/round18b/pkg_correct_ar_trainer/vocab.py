import torch

COMMANDS = ["<s>", "G0", "G1", "M3", "M5"] + [f"X{i}" for i in range(20)] + [f"Y{i}" for i in range(20)]
STOI = {c: i for i, c in enumerate(COMMANDS)}


def encode(lines):
    return torch.tensor([[STOI["<s>"]] + [STOI[t] for t in line.split()] for line in lines])
