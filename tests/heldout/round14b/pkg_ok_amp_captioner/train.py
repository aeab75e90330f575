import torch
import torch.nn.functional as F

from .model import Captioner


def step(model, opt, scaler, images, captions, amp_dtype=torch.float16):
    inp, tgt = captions[:, :-1], captions[:, 1:]
    with torch.autocast(device_type="cpu", dtype=amp_dtype):
        logits = model(images, inp)
        loss = F.cross_entropy(logits.float().transpose(1, 2), tgt, ignore_index=0)
    opt.zero_grad(set_to_none=True)
    scaler.scale(loss).backward()
    scaler.step(opt)
    scaler.update()
    return loss.item()


def main():
    torch.manual_seed(0)
    model = Captioner()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-4)
    scaler = torch.amp.GradScaler("cpu")
    images = torch.randn(3, 3, 32, 32)
    captions = torch.randint(1, 600, (3, 12))
    captions[1, 8:] = 0
    captions[2, 5:] = 0
    for i in range(2):
        print("step", i, "loss", round(step(model, opt, scaler, images, captions), 3))
