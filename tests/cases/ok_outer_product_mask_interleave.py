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
        pair = pair.repeat_interleave(self.nhead, dim=0)
        return self.cross(clips, words, words, attn_mask=~pair)[0]
