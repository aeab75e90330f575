import torch
from torch import nn

from .transformer import T2VEncoderLayer, TransformerEncoderLayer


class MomentDETR(nn.Module):
    def __init__(self, d_model=32, nhead=4, v_feat_dim=24, t_feat_dim=16, num_queries=5, dropout=0.1):
        super().__init__()
        self.input_vid_proj = nn.Linear(v_feat_dim, d_model)
        self.input_txt_proj = nn.Linear(t_feat_dim, d_model)
        self.t2v = T2VEncoderLayer(d_model, nhead, dropout=dropout)
        self.encoder = TransformerEncoderLayer(d_model, nhead, dropout=dropout)
        self.saliency_proj = nn.Linear(d_model, 1)
        self.span_embed = nn.Linear(d_model, 2)
        self.num_queries = num_queries

    def forward(self, src_vid, src_vid_mask, src_txt, src_txt_mask):
        """src_vid: (bsz, Lv, Dv), src_txt: (bsz, Lt, Dt); masks are 1/True for valid positions."""
        vid = self.input_vid_proj(src_vid).permute(1, 0, 2)
        txt = self.input_txt_proj(src_txt).permute(1, 0, 2)
        vid_mask, txt_mask = src_vid_mask.bool(), src_txt_mask.bool()
        vid = self.t2v(vid, txt, vid_mask, txt_mask)
        memory = self.encoder(vid, src_key_padding_mask=~vid_mask)
        memory = memory.permute(1, 0, 2)  # (bsz, Lv, d)
        saliency = self.saliency_proj(memory).squeeze(-1)
        spans = self.span_embed(memory[:, : self.num_queries]).sigmoid()
        return {"saliency_scores": saliency, "pred_spans": spans}


def build_model(**kwargs):
    return MomentDETR(**kwargs)
