import torch


def left_pad(prompts, pad_id=0):
    width = max(len(p) for p in prompts)
    ids = torch.full((len(prompts), width), pad_id, dtype=torch.long)
    mask = torch.zeros(len(prompts), width, dtype=torch.long)
    for i, p in enumerate(prompts):
        ids[i, width - len(p):] = torch.tensor(p)
        mask[i, width - len(p):] = 1
    return ids, mask


@torch.inference_mode()
def generate(model, prompts, max_new_tokens=8):
    ids, mask = left_pad(prompts)
    for _ in range(max_new_tokens):
        logits = model(ids, mask)[:, -1].float()
        if not torch.isfinite(logits).all():
            raise FloatingPointError("non-finite logits during decoding")
        nxt = logits.argmax(-1, keepdim=True)
        ids = torch.cat([ids, nxt], dim=1)
        mask = torch.cat([mask, torch.ones_like(nxt)], dim=1)
    return ids
