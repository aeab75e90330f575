"""CIM.py-style text-to-video cross-modal encoder layer (lighthouse)."""
import torch
from torch import nn


class T2V_TransformerEncoderLayer(nn.Module):
    def __init__(self, d_model=16, nhead=4, dim_feedforward=32, dropout=0.0, num_clips=6):
        super().__init__()
        self.nhead = nhead
        self.num_clips = num_clips
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    @staticmethod
    def with_pos_embed(tensor, pos):
        return tensor if pos is None else tensor + pos

    def forward(self, src, src_mask=None, src_key_padding_mask=None, pos=None, video_length=None):
        """src: (L, N, D) = clips then words; src_key_padding_mask: (N, L), True = pad."""
        pos_src = self.with_pos_embed(src, pos)
        q, k, v = pos_src[:video_length], pos_src[video_length:], src[video_length:]
        qmask = src_key_padding_mask[:, :video_length].unsqueeze(2)
        kmask = src_key_padding_mask[:, video_length:].unsqueeze(1)
        attn_mask = torch.matmul(qmask.float(), kmask.float()).bool()
        attn_mask = attn_mask | kmask.expand_as(attn_mask)
        attn_mask = attn_mask.repeat(self.nhead, 1, 1)  # BUG
        src2 = self.self_attn(q, k, value=v, attn_mask=attn_mask, key_padding_mask=None)[0]
        src2 = src[:video_length] + src2
        src3 = self.norm1(src2)
        src3 = src3 + self.linear2(torch.relu(self.linear1(src3)))
        return self.norm2(src3)


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = T2V_TransformerEncoderLayer().eval()
    vlen, tlen = 6, 5
    src = torch.randn(vlen + tlen, 2, 16)
    pad_a = torch.zeros(2, vlen + tlen, dtype=torch.bool)
    pad_b = pad_a.clone(); pad_b[1, vlen + 2:] = True  # only sample 1 gets padded words
    with torch.no_grad():
        a = layer(src, src_key_padding_mask=pad_a, video_length=vlen)[:, 0]
        b = layer(src, src_key_padding_mask=pad_b, video_length=vlen)[:, 0]
    print("sample-0 change when only sample-1's padding changes:", (a - b).abs().max().item())
