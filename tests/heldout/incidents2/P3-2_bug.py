import torch
import torch.nn as nn
import torch.nn.functional as F


class T2VEncoderLayer(nn.Module):
    """Video clips attend to query words."""

    def __init__(self, d_model=256, nhead=8, dim_feedforward=1024, dropout=0.1):
        super().__init__()
        self.nhead = nhead
        self.cross_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, src_vid, src_txt, vid_mask, txt_mask, pos_vid=None):
        # vid_mask / txt_mask: (N, L) bool, True = valid token
        pair_valid = vid_mask[:, :, None] & txt_mask[:, None, :]   # (N, Lv, Lt)
        attn_mask = ~pair_valid
        attn_mask = attn_mask.repeat(self.nhead, 1, 1)  # BUG: [M0, M1, ..., M0, M1] instead of [M0, M0, ..., M1, M1]

        q = src_vid if pos_vid is None else src_vid + pos_vid
        src2 = self.cross_attn(q, src_txt, src_txt, attn_mask=attn_mask)[0]
        src = self.norm1(src_vid + self.dropout(src2))
        src2 = self.linear2(self.dropout(F.relu(self.linear1(src))))
        return self.norm2(src + self.dropout(src2))


class CrossModalEncoder(nn.Module):
    def __init__(self, num_layers=2, **kwargs):
        super().__init__()
        self.layers = nn.ModuleList([T2VEncoderLayer(**kwargs) for _ in range(num_layers)])

    def forward(self, vid, txt, vid_mask, txt_mask):
        for layer in self.layers:
            vid = layer(vid, txt, vid_mask, txt_mask)
        return vid


if __name__ == "__main__":
    enc = CrossModalEncoder()
    vid = torch.randn(4, 75, 256)
    txt = torch.randn(4, 32, 256)
    vid_mask = torch.ones(4, 75, dtype=torch.bool)
    txt_lens = torch.tensor([32, 9, 17, 5])
    txt_mask = torch.arange(32)[None, :] < txt_lens[:, None]
    print(enc(vid, txt, vid_mask, txt_mask).shape)
