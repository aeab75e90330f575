import torch
import torch.nn.functional as F
from torch import nn


class T2V_TransformerEncoderLayer(nn.Module):
    """Clip-level queries attend to text tokens, then a self-attention pass."""

    def __init__(self, d_model, nhead, dim_feedforward=128, dropout=0.1):
        super().__init__()
        self.nhead = nhead
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.dropout = nn.Dropout(dropout)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def with_pos_embed(self, tensor, pos):
        return tensor if pos is None else tensor + pos

    def forward(self, src, src_key_padding_mask=None, pos=None, video_length=None):
        assert video_length is not None
        pos_src = self.with_pos_embed(src, pos)
        q, k, v = pos_src[:video_length], pos_src[video_length:], src[video_length:]

        qmask = src_key_padding_mask[:, :video_length].unsqueeze(2)
        kmask = src_key_padding_mask[:, video_length:].unsqueeze(1)
        attn_mask = torch.matmul(qmask.float(), kmask.float()).bool()
        attn_mask = attn_mask.repeat(self.nhead, 1, 1)  # BUG
        src2 = self.self_attn(q, k, value=v, attn_mask=~attn_mask)[0]  # BUG

        src2 = src[:video_length] + F.dropout(src2, 0.1, self.training)
        src3 = self.norm1(src2)
        src3 = self.linear2(self.dropout(F.relu(self.linear1(src3))))
        src2 = self.norm2(src2 + src3)
        return torch.cat([src2, src[video_length:]])


if __name__ == "__main__":
    torch.manual_seed(0)
    d_model, L_vid, L_txt, bsz = 32, 10, 6, 3
    layer = T2V_TransformerEncoderLayer(d_model, nhead=4).eval()
    src = torch.randn(L_vid + L_txt, bsz, d_model)
    mask = torch.ones(bsz, L_vid + L_txt, dtype=torch.bool)
    mask[1, L_vid + 4:] = False
    mask[2, L_vid + 2:] = False
    with torch.no_grad():
        out = layer(src, src_key_padding_mask=mask, video_length=L_vid)
    print(out.shape)
