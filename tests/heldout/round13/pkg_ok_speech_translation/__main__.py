import torch

from .model import PAD, SpeechTranslator


def main():
    torch.manual_seed(0)
    fbank = torch.randn(3, 400, 80)
    lens = torch.tensor([400, 310, 123])
    tokens = torch.randint(4, 8000, (3, 30))
    tokens[1, 22:] = PAD
    tokens[2, 9:] = PAD
    model = SpeechTranslator()
    logits = model(fbank, lens, tokens[:, :-1])
    loss = torch.nn.functional.cross_entropy(logits.transpose(1, 2), tokens[:, 1:], ignore_index=PAD)
    loss.backward()
    print("st loss", round(loss.item(), 4))


if __name__ == "__main__":
    main()
