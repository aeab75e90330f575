import torch.nn.functional as F

from .vocab import PAD


def step(model, batch, opt=None):
    memory = model.encode(batch["src"], batch["src_pad"])
    logits = model.decode(batch["tgt"][:, :-1], memory, batch["tgt_pad"])
    loss = F.cross_entropy(logits.transpose(1, 2), batch["tgt"][:, 1:], ignore_index=PAD)
    if opt is not None:
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()
