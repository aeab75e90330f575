import torch
import torch.nn as nn
import torch.nn.functional as F


class T2VEncoderLayer(nn.Module):
    """Video clips attend to the words of the query sentence (text-to-video cross attention)."""

    def __init__(self, d_model=256, nhead=8, dim_feedforward=1024, dropout=0.1):
        super().__init__()
        self.nhead = nhead
        self.cross_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.ffn = nn.Sequential(nn.Linear(d_model, dim_feedforward), nn.ReLU(), nn.Linear(dim_feedforward, d_model))
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, video, video_mask, text, text_mask):
        # video_mask / text_mask: (B, L) with 1 = valid
        Lv = video.size(1)
        blocked = ~text_mask.bool()[:, None, :].expand(-1, Lv, -1)  # (B, Lv, Lt)
        attn_mask = blocked.repeat(self.nhead, 1, 1)  # BUG
        out, _ = self.cross_attn(video, text, text, attn_mask=attn_mask, need_weights=False)
        video = self.norm1(video + out)
        video = self.norm2(video + self.ffn(video))
        return video * video_mask.unsqueeze(-1).to(video.dtype)


class MomentRetrievalModel(nn.Module):
    def __init__(self, v_dim=512, t_dim=512, d_model=256, nhead=8):
        super().__init__()
        self.v_proj = nn.Linear(v_dim, d_model)
        self.t_proj = nn.Linear(t_dim, d_model)
        self.t2v = T2VEncoderLayer(d_model, nhead)
        self.saliency_head = nn.Linear(d_model, 1)

    def forward(self, video_feats, video_mask, query_feats, query_mask):
        v = self.t2v(self.v_proj(video_feats), video_mask, self.t_proj(query_feats), query_mask)
        return self.saliency_head(v).squeeze(-1)


def training_step(model, batch, optimizer):
    scores = model(batch["video_feats"], batch["video_mask"], batch["query_feats"], batch["query_mask"])
    valid = batch["video_mask"].bool()
    loss = F.binary_cross_entropy_with_logits(scores[valid], batch["saliency"][valid].float())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
