"""Variable-length token lists padded with pad_sequence, attended with SDPA."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pad_sequence

PAD_ID = 0


class Pooler(nn.Module):
    def __init__(self, vocab=100, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, dim, padding_idx=PAD_ID)
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, seqs: list[torch.Tensor]):
        ids = pad_sequence(seqs, batch_first=True, padding_value=PAD_ID)
        B, T = ids.shape
        x = self.emb(ids)
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        is_pad = (ids == PAD_ID).unsqueeze(1).unsqueeze(2)
        y = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=is_pad,  # expect: ML102
        )
        y = y.transpose(1, 2).reshape(B, T, -1)
        keep = (~is_pad[:, 0, 0]).unsqueeze(-1).float()
        return (y * keep).sum(1) / keep.sum(1)


if __name__ == "__main__":
    torch.manual_seed(0)
    p = Pooler()
    s = [torch.tensor([4, 5, 6]), torch.tensor([7, 8, 9, 10, 11])]
    both = p(s)
    alone = p(s[:1])
    print("short sample agrees with itself alone:", torch.allclose(both[0], alone[0], atol=1e-5))
