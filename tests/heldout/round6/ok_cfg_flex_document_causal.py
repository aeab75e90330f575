"""Packed-document causal attention with FlexAttention, configured from a nested dict."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

CFG = {"model": {"dim": 32, "heads": 4}, "attention": {"block_size": 128}}


class PackedAttention(nn.Module):
    def __init__(self, cfg=CFG):
        super().__init__()
        self.heads = cfg["model"]["heads"]
        self.block_size = cfg["attention"].get("block_size", 128)
        dim = cfg["model"]["dim"]
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, doc_ids):
        B, T, C = x.shape

        def doc_causal(b, h, q_idx, kv_idx):
            same_doc = doc_ids[b, q_idx] == doc_ids[b, kv_idx]
            return (q_idx >= kv_idx) & same_doc

        bm = create_block_mask(doc_causal, B=B, H=None, Q_LEN=T, KV_LEN=T,
                               device=x.device, BLOCK_SIZE=self.block_size)
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        return flex_attention(q, k, v, block_mask=bm).transpose(1, 2).reshape(B, T, C)


if __name__ == "__main__":
    import warnings
    warnings.simplefilter("ignore")
    torch.manual_seed(0)
    m = PackedAttention()
    x = torch.randn(1, 6, 32)
    docs = torch.tensor([[0, 0, 0, 1, 1, 1]])
    with torch.no_grad():
        y = m(x, docs)
        x2 = x.clone(); x2[:, 5] = torch.randn(32); x2[:, 3] = torch.randn(32)
        y2 = m(x2, docs)
    assert torch.allclose(y[:, :3], y2[:, :3], atol=1e-6)
    print("flex ok")
