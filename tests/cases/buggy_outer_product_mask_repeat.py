import torch
from torch import nn


class ClipTextLayer(nn.Module):
    def __init__(self, d, nhead):
        super().__init__()
        self.nhead = nhead
        self.cross = nn.MultiheadAttention(d, nhead)

    def forward(self, clips, words, clip_len, word_len):
        clip_valid = torch.arange(clips.size(0))[None, :] < clip_len[:, None]
        word_valid = torch.arange(words.size(0))[None, :] < word_len[:, None]
        pair = (clip_valid.unsqueeze(-1).float() @ word_valid.unsqueeze(1).float()).bool()
        pair = pair.repeat(self.nhead, 1, 1)
        return self.cross(clips, words, words, attn_mask=~pair)[0]  # expect: ML302


def bmm_pairs(qv, kv, heads):
    pair = torch.bmm(qv[:, :, None].float(), kv[:, None, :].float()) > 0
    return (~pair).repeat(heads, 1, 1)


class Other(nn.Module):
    def __init__(self, d=16, heads=2):
        super().__init__()
        self.heads = heads
        self.mha = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x, lengths):
        valid = torch.arange(x.size(1))[None, :] < lengths[:, None]
        return self.mha(x, x, x, attn_mask=bmm_pairs(valid, valid, self.heads))[0]  # expect: ML302
