import torch
import torch.nn.functional as F
from torch import nn


class T2VEncoderLayer(nn.Module):
    """Clip tokens attend to the query (text) tokens; padded words are masked per sample."""

    def __init__(self, d_model, nhead, dim_feedforward=64, dropout=0.1):
        super().__init__()
        self.nhead = nhead
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)

    @staticmethod
    def with_pos_embed(tensor, pos):
        return tensor if pos is None else tensor + pos

    def forward(self, src_vid, src_txt, src_vid_mask, src_txt_mask, pos_vid=None):
        # src_vid: (Lv, bsz, d)  src_txt: (Lt, bsz, d); masks: (bsz, L), True = valid token
        # every clip (padded clips too, they are dropped later) sees only the real words
        attn_mask = ~src_txt_mask.unsqueeze(1).expand(-1, src_vid.size(0), -1)  # (bsz, Lv, Lt), True = blocked
        attn_mask = attn_mask.repeat_interleave(self.nhead, dim=0)
        src2 = self.self_attn(self.with_pos_embed(src_vid, pos_vid), src_txt, src_txt, attn_mask=attn_mask)[0]
        src = self.norm1(src_vid + self.dropout(src2))
        src2 = self.linear2(self.dropout(F.relu(self.linear1(src))))
        return self.norm2(src + self.dropout(src2))


class TransformerEncoderLayer(nn.Module):
    def __init__(self, d_model, nhead, dim_feedforward=64, dropout=0.1):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, src, src_key_padding_mask=None, pos=None):
        q = k = src if pos is None else src + pos
        src2 = self.self_attn(q, k, value=src, key_padding_mask=src_key_padding_mask)[0]
        src = self.norm1(src + self.dropout(src2))
        src2 = self.linear2(self.dropout(F.relu(self.linear1(src))))
        return self.norm2(src + self.dropout(src2))
