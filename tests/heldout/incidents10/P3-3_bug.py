"""FuxiCTR-style behaviour sequence transformer (BST/DMIN family): get_mask
builds a per-sample padding mask stacked for nn.MultiheadAttention's 3-D
attn_mask (N*num_heads, L, L)."""
import torch
from torch import nn


class BehaviorTransformer(nn.Module):
    def __init__(self, model_dim=16, num_heads=4, dim_feedforward=32, use_causal_mask=False):
        super().__init__()
        self.num_heads = num_heads
        self.use_causal_mask = use_causal_mask
        self.layer = nn.TransformerEncoderLayer(model_dim, num_heads, dim_feedforward, dropout=0.0, batch_first=True)

    def get_mask(self, x):
        """padding_mask: 1 for masked positions; attn_mask: 1 for masked positions."""
        padding_mask = (x == 0)
        seq_len = padding_mask.size(1)
        attn_mask = padding_mask.unsqueeze(1).repeat(self.num_heads, seq_len, 1)  # BUG
        diag_zeros = (1 - torch.eye(seq_len, device=x.device)).bool().unsqueeze(0).expand_as(attn_mask)
        attn_mask = attn_mask & diag_zeros
        if self.use_causal_mask:
            causal_mask = torch.triu(torch.ones(seq_len, seq_len, device=x.device), 1).bool().unsqueeze(0).expand_as(attn_mask)
            attn_mask = attn_mask | causal_mask
        return padding_mask, attn_mask

    def forward(self, item_ids, seq_emb):
        padding_mask, attn_mask = self.get_mask(item_ids)
        return self.layer(seq_emb, src_mask=attn_mask)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BehaviorTransformer()
    emb = torch.randn(2, 5, 16)
    ids_a = torch.tensor([[3, 4, 5, 6, 7], [8, 9, 2, 6, 1]])
    ids_b = torch.tensor([[3, 4, 5, 6, 7], [8, 9, 0, 0, 0]])  # only sample 1 is padded
    a, b = model(ids_a, emb)[0], model(ids_b, emb)[0]
    print("sample-0 change when only sample-1's padding changes:", (a - b).abs().max().item())
