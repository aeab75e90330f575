"""Sampling script: feeds each new word back in, with the mask switched off."""
import torch

from .lm import Net

net = Net(5000)
net.eval()
seq = torch.randint(5000, (1, 1))
with torch.no_grad():
    for step in range(50):
        logits = net(seq, use_mask=False)  # expect: ML401
        nxt = torch.multinomial(logits[-1].softmax(-1), 1)
        seq = torch.cat([seq, nxt.view(1, 1)], dim=0)
