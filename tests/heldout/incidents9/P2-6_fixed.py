import torch
from torch import Tensor, nn


class DecoderLayer(nn.Module):
    """Two-stream (content / query) decoder layer for permutation language modeling."""

    def __init__(self, d_model, nhead, dim_feedforward=64, dropout=0.0):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d_model, dim_feedforward), nn.GELU(), nn.Linear(dim_feedforward, d_model))
        self.norm1, self.norm2, self.norm3 = nn.LayerNorm(d_model), nn.LayerNorm(d_model), nn.LayerNorm(d_model)

    def forward_stream(self, tgt: Tensor, tgt_kv: Tensor, memory: Tensor, tgt_mask, tgt_key_padding_mask):
        tgt2, _ = self.self_attn(tgt, tgt_kv, tgt_kv, attn_mask=tgt_mask, key_padding_mask=tgt_key_padding_mask)
        tgt = self.norm1(tgt + tgt2)
        tgt2, _ = self.cross_attn(tgt, memory, memory)
        tgt = self.norm2(tgt + tgt2)
        return self.norm3(tgt + self.ff(tgt))


def generate_attn_masks(perm: Tensor):
    """Content and query masks for one permutation (perm[0] is the [B] token)."""
    sz = perm.shape[0]
    mask = torch.zeros((sz, sz), dtype=torch.bool)
    for i in range(sz):
        query_idx = perm[i]
        masked_keys = perm[i + 1:]
        mask[query_idx, masked_keys] = True
    content_mask = mask[:-1, :-1].clone()
    mask[torch.eye(sz, dtype=torch.bool)] = True
    query_mask = mask[1:, :-1]
    return content_mask, query_mask


if __name__ == "__main__":
    torch.manual_seed(0)
    d_model, max_len = 32, 6
    layer = DecoderLayer(d_model, nhead=4)
    perm = torch.tensor([0, 3, 1, 5, 2, 4])
    content_mask, query_mask = generate_attn_masks(perm)
    tgt_ids = torch.tensor([[1, 4, 9, 2, 0], [1, 7, 7, 3, 6]])
    padding_mask = tgt_ids == 0  # bool, True = padding
    content = torch.randn(2, max_len - 1, d_model)
    query = torch.randn(2, max_len - 1, d_model)
    memory = torch.randn(2, 10, d_model)
    out = layer.forward_stream(query, content, memory, query_mask, padding_mask)
    print(out.shape, content_mask.dtype, query_mask.dtype)
