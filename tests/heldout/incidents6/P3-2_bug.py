"""Moment-retrieval encoder: video clips attend to the query sentence (per-sample masks)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def expand_mask_for_heads(mask: torch.Tensor, nhead: int) -> torch.Tensor:
    """(B, Lq, Lk) -> (B * nhead, Lq, Lk) as expected by nn.MultiheadAttention."""
    return mask.repeat(nhead, 1, 1)  # BUG


class T2VEncoderLayer(nn.Module):
    def __init__(self, d_model, nhead, dim_feedforward=64, dropout=0.1):
        super().__init__()
        self.nhead = nhead
        self.cross_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.norm1 = nn.LayerNorm(d_model)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, vid, txt, vid_mask, txt_mask):
        Lv = vid.shape[1]
        allowed = txt_mask.bool()[:, None, :].expand(-1, Lv, -1)
        bias = torch.where(allowed, 0.0, float("-inf"))
        bias = expand_mask_for_heads(bias, self.nhead)
        out, _ = self.cross_attn(vid, txt, txt, attn_mask=bias)
        vid = self.norm1(vid + self.dropout(out))
        vid = self.norm2(vid + self.linear2(self.dropout(F.relu(self.linear1(vid)))))
        return vid * vid_mask[..., None]


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = T2VEncoderLayer(d_model=32, nhead=4)
    vid = torch.randn(3, 10, 32)
    txt = torch.randn(3, 7, 32)
    vid_mask = torch.ones(3, 10)
    txt_mask = torch.tensor([[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0, 0], [1, 1, 1, 1, 1, 0, 0]])
    print(layer(vid, txt, vid_mask, txt_mask).shape)
