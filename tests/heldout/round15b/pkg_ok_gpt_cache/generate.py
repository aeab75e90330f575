import torch


@torch.no_grad()
def greedy(model, prompt, steps):
    logits, caches = model(prompt)
    out = [prompt]
    nxt = logits[:, -1:].argmax(-1)
    pos = prompt.size(1)
    for _ in range(steps):
        out.append(nxt)
        logits, caches = model(nxt, caches, start=pos)
        pos += 1
        nxt = logits[:, -1:].argmax(-1)
    return torch.cat(out, dim=1)


@torch.no_grad()
def greedy_uncached(model, prompt, steps):
    seq = prompt
    for _ in range(steps):
        logits, _ = model(seq)
        seq = torch.cat([seq, logits[:, -1:].argmax(-1)], dim=1)
    return seq
