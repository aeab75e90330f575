import torch
import torch.nn as nn

PAD_ITEM = 0


class SequenceEncoderBase(nn.Module):
    """Shared plumbing for item-sequence encoders.

    Subclasses implement ``attend(x, mask)``; the base class owns embeddings and
    the padding mask (item id 0 = padding, sequences are left-padded).
    """

    def __init__(self, n_items, dim, max_len):
        super().__init__()
        self.item_emb = nn.Embedding(n_items + 2, dim, padding_idx=PAD_ITEM)  # +mask token
        self.pos_emb = nn.Embedding(max_len, dim)
        self.norm = nn.LayerNorm(dim)

    def padding_mask(self, items):
        # (N, 1, 1, S), broadcast over heads and queries
        return (items == PAD_ITEM)[:, None, None, :]

    def embed(self, items):
        pos = torch.arange(items.size(1), device=items.device)
        return self.norm(self.item_emb(items) + self.pos_emb(pos))

    def attend(self, x, mask):
        raise NotImplementedError

    def forward(self, items):
        x = self.embed(items)
        return self.attend(x, self.padding_mask(items))
