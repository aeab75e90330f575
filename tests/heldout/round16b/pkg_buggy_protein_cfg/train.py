import torch
import torch.nn.functional as F

from .config import ModelConfig
from .model import ProteinTransformer


def next_residue_loss(model, seqs):
    logits = model(seqs[:, :-1])
    return F.cross_entropy(logits.reshape(-1, logits.size(-1)), seqs[:, 1:].reshape(-1))


@torch.no_grad()
def design(model, prefix, length):
    model.eval()
    for _ in range(length):
        probs = model(prefix)[:, -1].softmax(-1)
        prefix = torch.cat([prefix, torch.multinomial(probs, 1)], 1)
    return prefix


if __name__ == "__main__":
    model = ProteinTransformer(ModelConfig())
    opt = torch.optim.AdamW(model.parameters(), 1e-3)
    seqs = torch.randint(0, 25, (8, 64))
    loss = next_residue_loss(model, seqs)
    loss.backward()
    opt.step()
    print(loss.item(), design(model, seqs[:1, :5], 10).shape)
