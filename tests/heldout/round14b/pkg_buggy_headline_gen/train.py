import torch
import torch.nn.functional as F

from .layers import subsequent_mask
from .model import HeadlineModel

PAD = 0


def make_masks(src, tgt):
    src_mask = (src != PAD).unsqueeze(-2)
    tgt_mask = (tgt != PAD).unsqueeze(-2) & subsequent_mask(tgt.size(-1))
    return src_mask, tgt_mask


def train_step(model, optimizer, scaler, src, tgt, device_type="cpu", amp_dtype=torch.float16):
    tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]
    src_mask, tgt_mask = make_masks(src, tgt_in)
    with torch.autocast(device_type=device_type, dtype=amp_dtype):
        logits = model(src, tgt_in, src_mask, tgt_mask)
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt_out.reshape(-1), ignore_index=PAD)
    optimizer.zero_grad(set_to_none=True)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    return loss.item()


def main():
    torch.manual_seed(0)
    model = HeadlineModel(vocab=500)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    scaler = torch.amp.GradScaler("cpu")
    src = torch.randint(1, 500, (4, 20))
    src[2:, 15:] = PAD
    tgt = torch.randint(1, 500, (4, 9))
    try:
        print("step loss", train_step(model, optimizer, scaler, src, tgt))
    except RuntimeError as err:
        print("mixed-precision step failed:", err)
