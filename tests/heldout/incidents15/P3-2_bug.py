import torch
import torch.nn.functional as F
from torch import nn


class T2V_TransformerEncoderLayer(nn.Module):
    def __init__(self, d_model, nhead, dim_feedforward=32, dropout=0.0):
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
        attn_mask = torch.matmul(qmask.float(), kmask.float()).bool().repeat(self.nhead, 1, 1)  # BUG
        attn_mask = ~attn_mask

        src2 = self.self_attn(q, k, value=v, attn_mask=attn_mask)[0]
        src2 = src[:video_length] + src2
        src2 = self.norm1(src2)
        src3 = self.linear2(F.relu(self.linear1(src2)))
        src2 = self.norm2(src2 + src3)
        return torch.cat([src2, src[video_length:]])


class CIM(nn.Module):
    def __init__(self, d_model=16, nhead=4):
        super().__init__()
        self.t2v = T2V_TransformerEncoderLayer(d_model, nhead)

    def forward(self, src_vid, src_vid_mask, src_txt, src_txt_mask, pos):
        src = torch.cat([src_vid, src_txt], dim=1).permute(1, 0, 2)  # (L, B, d)
        mask = torch.cat([src_vid_mask, src_txt_mask], dim=1).bool()  # (B, L), True = valid
        video_length = src_vid.shape[1]
        memory = self.t2v(src, mask, pos.permute(1, 0, 2), video_length)
        return memory[:video_length].transpose(0, 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CIM().eval()
    vid, txt = torch.randn(2, 4, 16), torch.randn(2, 5, 16)
    vid_mask = torch.ones(2, 4)
    txt_mask = torch.tensor([[1., 1., 1., 1., 1.], [1., 1., 0., 0., 0.]])
    pos = torch.zeros(2, 9, 16)
    with torch.no_grad():
        batched = model(vid, vid_mask, txt, txt_mask, pos)
        alone = model(vid[1:], vid_mask[1:], txt[1:], txt_mask[1:], pos[1:])
    print(f"sample 1: batched vs alone max diff: {(batched[1] - alone[0]).abs().max().item():.4f}")
