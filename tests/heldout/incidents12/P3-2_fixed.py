import torch
import torch.nn.functional as F
from torch import nn


class T2V_TransformerEncoderLayer(nn.Module):
    def __init__(self, d_model, nhead, dim_feedforward=64, dropout=0.0):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.nhead = nhead

    def with_pos_embed(self, tensor, pos):
        return tensor if pos is None else tensor + pos

    def forward(self, src, src_key_padding_mask, pos, video_length):
        pos_src = self.with_pos_embed(src, pos)
        q, k, v = pos_src[:video_length], pos_src[video_length:], src[video_length:]
        qmask = src_key_padding_mask[:, :video_length].unsqueeze(2)
        kmask = src_key_padding_mask[:, video_length:].unsqueeze(1)
        attn_mask = ~torch.matmul(qmask.float(), kmask.float()).bool()
        attn_mask = attn_mask | ~qmask
        attn_mask = attn_mask.repeat_interleave(self.nhead, dim=0)
        src2 = self.self_attn(q, k, value=v, attn_mask=attn_mask, need_weights=False)[0]
        src2 = src[:video_length] + src2
        src3 = self.norm1(src2)
        src3 = self.norm2(src3 + self.linear2(F.relu(self.linear1(src3))))
        return torch.cat([src3, src[video_length:]])


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = T2V_TransformerEncoderLayer(32, 4).train()
    video_length, text_length, bsz = 6, 5, 3
    src = torch.randn(video_length + text_length, bsz, 32)
    pos = torch.randn(video_length + text_length, bsz, 32)
    valid = torch.ones(bsz, video_length + text_length, dtype=torch.bool)
    valid[1, video_length + 2:] = False
    valid[2, video_length + 3:] = False
    valid[2, 4:video_length] = False
    with torch.no_grad():
        batched = layer(src, valid, pos, video_length)
        alone = layer(src[:, :1], valid[:1], pos[:, :1], video_length)
    print(f"video clip 0: batched vs alone max |diff| = {(batched[:video_length, 0] - alone[:video_length, 0]).abs().max().item():.4f}")
