import torch

from .recognizer import BOS, CHARSET, LineRecognizer


@torch.no_grad()
def read_lines(model, images, column_keep, max_chars=8):
    chars = torch.full((images.size(0), 1), BOS, dtype=torch.long)
    for _ in range(max_chars):
        logits = model(images, chars, column_keep)
        chars = torch.cat([chars, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
    return ["".join(CHARSET[c] if c < len(CHARSET) else "|" for c in row[1:]) for row in chars.tolist()]


def main():
    torch.manual_seed(0)
    model = LineRecognizer().eval()
    images = torch.randn(2, 1, 16, 48)
    column_keep = torch.ones(2, 24, dtype=torch.bool)
    column_keep[1, 18:] = False
    fp32 = read_lines(model, images, column_keep)
    fp16 = read_lines(model.half(), images.half(), column_keep)
    print(fp32, fp16)


if __name__ == "__main__":
    main()
