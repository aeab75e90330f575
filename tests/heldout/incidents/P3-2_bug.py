import torch
import torch.nn.functional as F
from torch import nn


class T2V_TransformerEncoderLayer(nn.Module):
    """Video clips (queries) attend to the text tokens of the same sample."""

    def __init__(self, d_model, nhead, dim_feedforward=16, dropout=0.1):
        super().__init__()
        self.nhead = nhead
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)

    def with_pos_embed(self, tensor, pos):
        return tensor if pos is None else tensor + pos

    def forward(self, vid, txt, vid_pos=None, txt_mask=None):
        # vid: (B, Lv, D), txt: (B, Lt, D), txt_mask: (B, Lt) with True for valid words
        B, Lv, _ = vid.shape
        attn_mask = ~txt_mask[:, None, :].expand(-1, Lv, -1)  # (B, Lv, Lt), True = do not attend
        attn_mask = attn_mask.repeat(self.nhead, 1, 1)  # BUG: (nhead * B) tiling instead of per-sample blocks
        src2 = self.self_attn(self.with_pos_embed(vid, vid_pos), txt, txt, attn_mask=attn_mask)[0]  # BUG: heads read another sample's mask
        src = self.norm1(vid + self.dropout(src2))
        src2 = self.linear2(self.dropout(F.relu(self.linear1(src))))
        return self.norm2(src + self.dropout(src2))


def run():
    layer = T2V_TransformerEncoderLayer(d_model=8, nhead=2)
    vid = torch.randn(2, 5, 8)
    txt = torch.randn(2, 4, 8)
    txt_mask = torch.tensor([[True, True, True, True], [True, True, False, False]])
    return layer(vid, txt, txt_mask=txt_mask)
