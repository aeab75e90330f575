import torch
from torch import nn


class DecoderLayer(nn.Module):
    def __init__(self, d_model, nhead, dim_feedforward=64, dropout=0.0):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm1, self.norm2, self.norm_q, self.norm_c = (nn.LayerNorm(d_model) for _ in range(4))

    def forward_stream(self, tgt, tgt_norm, tgt_kv, memory, tgt_mask, tgt_key_padding_mask):
        tgt2, sa_weights = self.self_attn(
            tgt_norm, tgt_kv, tgt_kv, attn_mask=tgt_mask, key_padding_mask=tgt_key_padding_mask  # BUG
        )
        tgt = tgt + tgt2
        tgt2, ca_weights = self.cross_attn(self.norm1(tgt), memory, memory)
        tgt = tgt + tgt2
        tgt = tgt + self.linear2(torch.relu(self.linear1(self.norm2(tgt))))
        return tgt

    def forward(self, query, content, memory, query_mask, content_mask, content_key_padding_mask):
        query_norm = self.norm_q(query)
        content_norm = self.norm_c(content)
        query = self.forward_stream(query, query_norm, content_norm, memory, query_mask, content_key_padding_mask)
        content = self.forward_stream(content, content_norm, content_norm, memory, content_mask, content_key_padding_mask)
        return query, content


def generate_attn_masks(perm):
    """Generate attention masks given a sequence permutation (includes pos. for bos and eos tokens)."""
    sz = perm.shape[0]
    mask = torch.zeros((sz, sz))  # BUG
    for i in range(sz):
        query_idx = perm[i]
        masked_keys = perm[i + 1 :]
        mask[query_idx, masked_keys] = float("-inf")  # BUG
    content_mask = mask[:-1, :-1].clone()
    mask[torch.eye(sz, dtype=torch.bool)] = float("-inf")  # BUG
    query_mask = mask[1:, :-1]
    return content_mask, query_mask


if __name__ == "__main__":
    torch.manual_seed(0)
    d_model, max_label_length, pad_id = 32, 6, 0
    layer = DecoderLayer(d_model, nhead=4)
    tgt = torch.tensor([[1, 5, 6, 7, 2, 0, 0, 0], [1, 8, 9, 3, 4, 5, 6, 2]])
    tgt_in = tgt[:, :-1]
    tgt_padding_mask = (tgt_in == pad_id) | (tgt_in == 2)
    perm = torch.cat([torch.tensor([0]), torch.randperm(max_label_length) + 1, torch.tensor([max_label_length + 1])])
    content_mask, query_mask = generate_attn_masks(perm)
    memory = torch.randn(2, 10, d_model)
    content = torch.randn(2, tgt_in.shape[1], d_model)
    query = torch.randn(2, tgt_in.shape[1], d_model)
    q, c = layer(query, content, memory, query_mask, content_mask, tgt_padding_mask)
    print(q.shape, c.shape)
