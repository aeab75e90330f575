from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn, Tensor


class T2V_TransformerEncoderLayer(nn.Module):
    def __init__(self, d_model, nhead, dim_feedforward=2048, dropout=0.1,
                 activation="relu", normalize_before=False):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout)
        # Implementation of Feedforward model
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.dropout = nn.Dropout(dropout)
        self.linear2 = nn.Linear(dim_feedforward, d_model)

        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.dropout1 = nn.Dropout(dropout)
        self.dropout2 = nn.Dropout(dropout)

        self.activation = F.relu
        self.normalize_before = normalize_before
        self.nhead = nhead

    def with_pos_embed(self, tensor, pos: Optional[Tensor]):
        return tensor if pos is None else tensor + pos

    def forward_post(self, src, src_mask: Optional[Tensor] = None,
                     src_key_padding_mask: Optional[Tensor] = None,
                     pos: Optional[Tensor] = None, video_length=None):
        assert video_length is not None
        pos_src = self.with_pos_embed(src, pos)
        q, k, v = pos_src[:video_length], pos_src[video_length:], src[video_length:]

        qmask, kmask = src_key_padding_mask[:, :video_length].unsqueeze(2), src_key_padding_mask[:,
                                                                                 video_length:].unsqueeze(1)
        attn_mask = torch.matmul(qmask.float(), kmask.float()).bool().repeat(self.nhead, 1, 1)  # BUG

        src2 = self.self_attn(q, k, value=v, attn_mask=attn_mask,
                              key_padding_mask=src_key_padding_mask[:, video_length:])[0]

        src2 = src[:video_length] + self.dropout1(src2)
        src3 = self.norm1(src2)
        src3 = self.linear2(self.dropout(self.activation(self.linear1(src3))))
        src2 = src2 + self.dropout2(src3)
        src2 = self.norm2(src2)

        src = torch.cat([src2, src[video_length:]])
        return src

    def forward(self, src, src_mask=None, src_key_padding_mask=None, pos=None, **kwargs):
        return self.forward_post(src, src_mask, src_key_padding_mask, pos, **kwargs)


def make_inputs(vid_len, txt_len, L_vid=6, L_txt=4, d=8):
    src_vid, src_txt = torch.randn(L_vid, d), torch.randn(L_txt, d)
    mask = torch.cat([torch.arange(L_vid) < vid_len, torch.arange(L_txt) < txt_len])
    return torch.cat([src_vid, src_txt]), ~mask


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = T2V_TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, dropout=0.0).eval()
    src0, pad0 = make_inputs(vid_len=6, txt_len=4)
    src1, pad1 = make_inputs(vid_len=3, txt_len=2)
    src = torch.stack([src0, src1], dim=1)
    pad = torch.stack([pad0, pad1])
    with torch.no_grad():
        batched = layer(src, src_key_padding_mask=pad, video_length=6)
        alone = layer(src0[:, None], src_key_padding_mask=pad0[None], video_length=6)
    print(f"sample-0 clip features change caused by batch neighbour: {(batched[:6, 0] - alone[:6, 0]).abs().max().item():.4f}")
