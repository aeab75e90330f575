import torch
import torch.nn as nn
import torch.nn.functional as F


class TextDecoderHead(nn.Module):
    """Masked-token reconstruction head of a denoising pretraining setup (bidirectional by design)."""

    def __init__(self, vocab=1000, dim=64, heads=4, depth=2, mask_id=3, pad_id=0):
        super().__init__()
        self.mask_id, self.pad_id = mask_id, pad_id
        self.embed = nn.Embedding(vocab, dim, padding_idx=pad_id)
        self.pos = nn.Embedding(128, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, 0.1, batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, depth)
        self.to_logits = nn.Linear(dim, vocab)

    def forward(self, tokens):
        x = self.embed(tokens) + self.pos.weight[: tokens.size(1)]
        return self.to_logits(self.blocks(x, src_key_padding_mask=tokens == self.pad_id))

    def denoising_loss(self, tokens, p=0.15):
        corrupt = (torch.rand(tokens.shape) < p) & (tokens != self.pad_id)
        logits = self(tokens.masked_fill(corrupt, self.mask_id))
        return F.cross_entropy(logits[corrupt], tokens[corrupt])


if __name__ == "__main__":
    toks = torch.randint(4, 1000, (4, 32))
    toks[2:, 25:] = 0
    print(TextDecoderHead().denoising_loss(toks).item())
