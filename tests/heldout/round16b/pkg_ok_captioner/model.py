import torch
import torch.nn as nn
import torch.nn.functional as F

from .decoder import CaptionHead
from .encoder import PatchEncoder


class ImageCaptioner(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = PatchEncoder()
        self.head = CaptionHead()

    def forward(self, patches, n_patches, captions):
        memory, pad = self.encoder(patches, n_patches)
        logits = self.head(captions[:, :-1], memory, pad)
        return F.cross_entropy(logits.transpose(1, 2), captions[:, 1:], ignore_index=0)


if __name__ == "__main__":
    print(ImageCaptioner()(torch.randn(2, 16, 48), torch.tensor([16, 9]), torch.randint(1, 400, (2, 10))).item())
