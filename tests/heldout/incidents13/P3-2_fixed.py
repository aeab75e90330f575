import torch
import torch.nn as nn
import torch.nn.functional as F


class T2V_TransformerEncoderLayer(nn.Module):
    """Video clips (queries) attend to the words of the text query (keys), seq-first tensors."""

    def __init__(self, d_model, nhead, dim_feedforward=64, dropout=0.0):
        super().__init__()
        self.nhead = nhead
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def with_pos_embed(self, tensor, pos):
        return tensor if pos is None else tensor + pos

    def forward(self, src, src_key_padding_mask, pos, video_length):
        pos_src = self.with_pos_embed(src, pos)
        q = pos_src[:video_length]
        k = pos_src[video_length:]
        v = src[video_length:]
        qmask = src_key_padding_mask[:, :video_length].unsqueeze(2)
        kmask = src_key_padding_mask[:, video_length:].unsqueeze(1)
        attn_mask = torch.matmul(qmask.float(), kmask.float()).bool()
        attn_mask = ~attn_mask
        attn_mask = attn_mask.repeat_interleave(self.nhead, dim=0)  # BUG
        src2 = self.self_attn(q, k, value=v, attn_mask=attn_mask)[0]
        src2 = src[:video_length] + src2
        src3 = self.norm1(src2)
        src3 = self.linear2(F.relu(self.linear1(src3)))
        src2 = self.norm2(src2 + src3)
        return torch.cat([src2, src[video_length:]])


def build_inputs(video, words, word_valid):
    """Concatenate clip and word features seq-first; key padding mask is True on valid tokens."""
    n, lv, d = video.shape
    src = torch.cat([video, words], dim=1).permute(1, 0, 2)
    mask = torch.cat([torch.ones(n, lv, dtype=torch.bool), word_valid], dim=1)
    return src, mask, lv


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = T2V_TransformerEncoderLayer(d_model=32, nhead=4).eval()
    video = torch.randn(2, 6, 32)
    words = torch.randn(2, 5, 32)
    word_valid = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 0, 0, 0]], dtype=torch.bool)
    with torch.no_grad():
        src, mask, lv = build_inputs(video, words, word_valid)
        batched = layer(src, mask, None, lv)
        gap = 0.0
        for i in range(2):
            s, m, _ = build_inputs(video[i:i + 1], words[i:i + 1], word_valid[i:i + 1])
            gap = max(gap, (layer(s, m, None, lv)[:lv, 0] - batched[:lv, i]).abs().max().item())
    print(f"clip features: max |batched - per-sample| = {gap:.4f}")
