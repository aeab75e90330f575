import torch
import torch.nn as nn


def build_cross_mask(src_vid_mask, src_txt_mask):
    """(B, Lv) and (B, Lt) keep masks -> (B, Lv, Lt) mask with True at positions to ignore."""
    txt_pad = ~src_txt_mask.bool()
    return txt_pad[:, None, :].expand(-1, src_vid_mask.shape[1], -1)


class T2VCrossAttentionLayer(nn.Module):
    def __init__(self, d_model, nhead, dropout=0.1):
        super().__init__()
        self.nhead = nhead
        self.cross_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout)
        self.norm = nn.LayerNorm(d_model)
        self.ffn = nn.Sequential(nn.Linear(d_model, 2 * d_model), nn.ReLU(), nn.Linear(2 * d_model, d_model))
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, vid, txt, cross_mask, txt_pos=None):
        key = txt if txt_pos is None else txt + txt_pos
        mask = cross_mask.repeat(self.nhead, 1, 1)  # BUG
        out = self.cross_attn(vid, key, txt, attn_mask=mask)[0]  # BUG
        vid = self.norm(vid + out)
        return self.norm2(vid + self.ffn(vid))


class CrossInteractionModule(nn.Module):
    def __init__(self, d_model, nhead, num_layers):
        super().__init__()
        self.layers = nn.ModuleList([T2VCrossAttentionLayer(d_model, nhead) for _ in range(num_layers)])

    def forward(self, vid, txt, cross_mask, txt_pos=None):
        for layer in self.layers:
            vid = layer(vid, txt, cross_mask, txt_pos)
        return vid


class TaskWeaveCIM(CrossInteractionModule):
    def forward(self, vid, txt, cross_mask, txt_pos=None):
        vid = super().forward(vid, txt, cross_mask, txt_pos)
        return vid + txt.mean(0, keepdim=True)


CIM_REGISTRY = {"qd_detr": CrossInteractionModule, "cg_detr": CrossInteractionModule, "taskweave": TaskWeaveCIM}


class MomentDETRStem(nn.Module):
    def __init__(self, model_name, vid_dim, txt_dim, d_model=64, nhead=4, num_layers=2):
        super().__init__()
        self.input_vid_proj = nn.Linear(vid_dim, d_model)
        self.input_txt_proj = nn.Linear(txt_dim, d_model)
        self.cim = CIM_REGISTRY[model_name](d_model, nhead, num_layers)
        self.saliency_proj = nn.Linear(d_model, 1)

    def forward(self, src_vid, src_vid_mask, src_txt, src_txt_mask):
        vid = self.input_vid_proj(src_vid).permute(1, 0, 2)
        txt = self.input_txt_proj(src_txt).permute(1, 0, 2)
        cross_mask = build_cross_mask(src_vid_mask, src_txt_mask)
        vid = self.cim(vid, txt, cross_mask).permute(1, 0, 2)
        scores = self.saliency_proj(vid).squeeze(-1)
        return scores.masked_fill(~src_vid_mask.bool(), float("-inf"))
