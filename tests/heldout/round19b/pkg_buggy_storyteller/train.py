import torch

from .config import ModelConfig
from .model import Storyteller


def get_batch(data: torch.Tensor, block_size: int, batch_size: int):
    ix = torch.randint(len(data) - block_size - 1, (batch_size,))
    x = torch.stack([data[i:i + block_size] for i in ix])
    y = torch.stack([data[i + 1:i + 1 + block_size] for i in ix])
    return x, y


def train(data: torch.Tensor, steps: int = 100, batch_size: int = 8, lr: float = 3e-4):
    cfg = ModelConfig(vocab_size=int(data.max()) + 1, block_size=64)
    model = Storyteller(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    model.train()
    for step in range(steps):
        x, y = get_batch(data, cfg.block_size, batch_size)
        _, loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return model
