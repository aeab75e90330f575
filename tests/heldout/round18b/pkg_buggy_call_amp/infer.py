import argparse

import torch
import torch.nn.functional as F

from .model import HeadlineModel, subsequent_mask

PAD = 0


def greedy_headline(model, src, src_mask, max_len, start_symbol=1, amp=True):
    with torch.autocast(device_type="cpu", dtype=torch.float16, enabled=amp):
        memory = model.encode(src, src_mask)
        ys = torch.full((src.size(0), 1), start_symbol, dtype=torch.long)
        for _ in range(max_len - 1):
            out = model.decode(memory, src_mask, ys, subsequent_mask(ys.size(1)))
            prob = model.generator(out[:, -1])
            ys = torch.cat([ys, prob.argmax(-1, keepdim=True)], dim=1)
    return ys


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--amp", action="store_true")
    args = ap.parse_args(argv)
    torch.manual_seed(0)
    model = HeadlineModel().eval()
    src = torch.randint(1, 500, (2, 12))
    src[1, 8:] = PAD
    src_mask = (src != PAD).unsqueeze(-2)
    tgt = torch.randint(1, 500, (2, 6))
    logits = model(src, tgt[:, :-1], src_mask, subsequent_mask(5))
    loss = F.cross_entropy(logits.transpose(1, 2), tgt[:, 1:])
    print("loss", round(loss.item(), 5))
    with torch.no_grad():
        print("headline", greedy_headline(model, src, src_mask, 5, amp=args.amp).tolist())


if __name__ == "__main__":
    main()
