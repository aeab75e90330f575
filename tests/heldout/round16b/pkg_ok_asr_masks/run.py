import torch

from .encoder import ConformerLiteEncoder

if __name__ == "__main__":
    enc = ConformerLiteEncoder()
    out, olens = enc(torch.randn(3, 100, 80), torch.tensor([100, 70, 40]))
    print(out.shape, olens)
