import torch

from . import Bert4Rec


def main():
    torch.manual_seed(0)
    n_items, max_len = 5000, 50
    hist = torch.randint(1, n_items + 1, (8, max_len))
    lengths = torch.randint(5, max_len + 1, (8,))
    for i, n in enumerate(lengths.tolist()):
        hist[i, : max_len - n] = 0  # left padding
    masked = hist.clone()
    cloze = (torch.rand(hist.shape) < 0.2) & (hist != 0)
    masked[cloze] = n_items + 1
    model = Bert4Rec(n_items=n_items, max_len=max_len)
    logits = model(masked)
    loss = torch.nn.functional.cross_entropy(logits[cloze], hist[cloze])
    loss.backward()
    print("cloze loss", round(loss.item(), 4))


if __name__ == "__main__":
    main()
