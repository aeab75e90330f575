import torch

from .model import VerseNet


@torch.no_grad()
def compose(model: VerseNet, prompt: torch.Tensor, length: int = 100, temperature: float = 0.8) -> torch.Tensor:
    model.eval()
    out = prompt.clone()
    for _ in range(length):
        logits = model(out[:, -256:])[:, -1] / temperature
        nxt = torch.multinomial(logits.softmax(-1), 1)
        out = torch.cat([out, nxt], dim=1)
    return out
