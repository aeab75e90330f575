"""flex_attention given a block_mask built from the padding (a closure over the padding mask, a
document mask whose pads carry a document id of their own): the padding is masked, so no ML505."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


class ChordTagger(nn.Module):
    def __init__(self, vocab=97, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, chords):
        pad = chords == 0
        x = self.emb(chords)
        B, S, D = x.shape

        def not_padding(b, h, q_idx, kv_idx):
            return ~pad[b, kv_idx]

        bm = create_block_mask(not_padding, B, None, S, S, device=chords.device)
        q, k, v = self.qkv(x).view(B, S, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        return flex_attention(q, k, v, block_mask=bm)


def document_causal(seg):
    def mask_mod(b, h, q_idx, kv_idx):
        return (seg[b, q_idx] == seg[b, kv_idx]) & (q_idx >= kv_idx)
    return mask_mod


class PackedLM(nn.Module):
    def __init__(self, vocab=64, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, ids, seg):
        B, L = ids.shape
        block_mask = create_block_mask(document_causal(seg), B, None, L, L, device=ids.device)
        q, k, v = self.qkv(self.emb(ids)).view(B, L, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        return flex_attention(q, k, v, block_mask=block_mask)


def run():
    ids = torch.tensor([[5, 6, 7, 0, 0], [8, 9, 4, 3, 2]])
    seg = torch.tensor([[0, 0, 1, -1, -1], [0, 0, 0, 1, 1]])
    return ChordTagger()(ids), PackedLM()(ids, seg)
