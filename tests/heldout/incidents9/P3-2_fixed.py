import torch
import torch.nn.functional as F
from torch import nn


def build_cross_mask(video_mask, txt_mask, nhead):
    """(B * nhead, L_vid, L_txt) bool mask, True = text token must be ignored."""
    B, L_vid = video_mask.shape
    ignore = ~txt_mask.bool()  # (B, L_txt)
    mask = ignore[:, None, :].expand(B, L_vid, -1)
    return mask.repeat_interleave(nhead, dim=0)


class T2V_TransformerEncoderLayer(nn.Module):
    """Video clips attend to the query text (text-to-video cross-attention)."""

    def __init__(self, d_model, nhead, dim_feedforward=64, dropout=0.0):
        super().__init__()
        self.nhead = nhead
        self.cross_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, vid, txt, video_mask, txt_mask):
        attn_mask = build_cross_mask(video_mask, txt_mask, self.nhead)
        src2, _ = self.cross_attn(vid, txt, txt, attn_mask=attn_mask)
        src = self.norm1(vid + src2)
        return self.norm2(src + self.linear2(F.relu(self.linear1(src))))


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = T2V_TransformerEncoderLayer(d_model=32, nhead=4).eval()
    vid = torch.randn(2, 5, 32)
    txt = torch.randn(2, 7, 32)
    video_mask = torch.ones(2, 5)
    txt_mask = torch.tensor([[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0, 0]])
    with torch.no_grad():
        out = layer(vid, txt, video_mask, txt_mask)
        alone = layer(vid[1:], txt[1:], video_mask[1:], txt_mask[1:])
    print(out.shape)
    print("sample 1 depends on batch neighbour:", (out[1] - alone[0]).abs().max().item())
