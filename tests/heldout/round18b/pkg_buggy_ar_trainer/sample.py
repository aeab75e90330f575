import torch


@torch.no_grad()
def sample_track(model, prefix, n_steps):
    model.eval()
    ctx = prefix
    confidence = []
    for _ in range(n_steps):
        logits = model(ctx)  # BUG: generation loop runs without the causal mask
        probs = logits[:, -1].softmax(-1)
        confidence.append(probs.max(-1).values)
        ctx = torch.cat([ctx, probs.argmax(-1, keepdim=True)], dim=1)
    return ctx[:, prefix.size(1):], torch.stack(confidence, 1)
