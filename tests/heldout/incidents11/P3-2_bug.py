import copy

import torch
import torch.nn.functional as F
from torch import nn


def build_t2v_attn_mask(video_valid, text_valid, nhead):
    qmask = video_valid.unsqueeze(2).float()
    kmask = text_valid.unsqueeze(1).float()
    attn_mask = torch.matmul(qmask, kmask).bool()
    attn_mask = ~attn_mask
    return attn_mask.repeat(nhead, 1, 1)  # BUG


class T2V_TransformerEncoderLayer(nn.Module):
    def __init__(self, d_model, nhead, dim_feedforward=64, dropout=0.0):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.nhead = nhead

    @staticmethod
    def with_pos_embed(tensor, pos):
        return tensor if pos is None else tensor + pos

    def forward(self, src, src_key_padding_mask, pos, video_length):
        pos_src = self.with_pos_embed(src, pos)
        q, k, v = pos_src[:video_length], pos_src[video_length:], src[video_length:]
        valid = ~src_key_padding_mask
        attn_mask = build_t2v_attn_mask(valid[:, :video_length], valid[:, video_length:], self.nhead)
        src2 = self.self_attn(q, k, value=v, attn_mask=attn_mask)[0]
        src2 = src[:video_length] + src2
        src3 = self.linear2(F.relu(self.linear1(self.norm1(src2))))
        src2 = self.norm2(src2 + src3)
        return torch.cat([src2, src[video_length:]])


class TransformerEncoder(nn.Module):
    def __init__(self, encoder_layer, num_layers):
        super().__init__()
        self.layers = nn.ModuleList([copy.deepcopy(encoder_layer) for _ in range(num_layers)])

    def forward(self, src, mask, pos, video_length):
        output = src
        for layer in self.layers:
            output = layer(output, src_key_padding_mask=mask, pos=pos, video_length=video_length)
        return output


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = TransformerEncoder(T2V_TransformerEncoderLayer(d_model=32, nhead=4), num_layers=2).eval()
    L_vid, L_txt, B = 5, 4, 3
    src = torch.randn(L_vid + L_txt, B, 32)
    pos = torch.randn(L_vid + L_txt, B, 32)
    vid_pad = torch.zeros(B, L_vid, dtype=torch.bool)
    txt_pad = torch.tensor([[False, False, False, False], [False, False, True, True], [False, True, True, True]])
    mask = torch.cat([vid_pad, txt_pad], dim=1)
    with torch.no_grad():
        batched = enc(src, mask, pos, L_vid)
        worst = 0.0
        for i in range(B):
            alone = enc(src[:, i:i + 1], mask[i:i + 1], pos[:, i:i + 1], L_vid)
            worst = max(worst, (batched[:L_vid, i] - alone[:L_vid, 0]).abs().max().item())
    print(f"batched vs per-sample video features: {worst:.3e}")
