import torch
import torch.nn.functional as F

from .batching import BOS, EOS, PAD, make_masks, pad_right
from .network import DocstringModel


@torch.no_grad()
def summarize(model, code, max_len=6):
    code_pad = code == PAD
    memory = model.encode(code, code_pad)
    text = torch.full((code.size(0), 1), BOS, dtype=torch.long)
    for _ in range(max_len):
        T = text.size(1)
        text_mask = torch.ones(T, T, dtype=torch.bool).triu(1)
        nxt = model.step(text, memory, text_mask, code_pad).argmax(-1, keepdim=True)
        text = torch.cat([text, nxt], dim=1)
    return text


def main():
    torch.manual_seed(0)
    code = pad_right([[5, 9, 11, 40, 7], [5, 12, 13, 14, 15, 16, 17, 30]], 8)
    text = pad_right([[BOS, 4, 8, 15, EOS], [BOS, 16, 23, 42, 9, 3, EOS]], 8)
    model = DocstringModel(64, 64)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    text_in, text_out = text[:, :-1], text[:, 1:]
    text_mask, code_pad, text_pad = make_masks(code, text_in)
    for _ in range(3):
        logits = model(code, text_in, None, text_mask, None, code_pad, text_pad, code_pad)
        loss = F.cross_entropy(logits.transpose(1, 2), text_out, ignore_index=PAD)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    print("loss", round(loss.item(), 5), "summary", summarize(model, code).tolist())


if __name__ == "__main__":
    main()
