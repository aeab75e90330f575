"""FlexAttention masks for packed documents with a causal sliding window."""
import torch
from torch.nn.attention.flex_attention import create_block_mask, create_mask, flex_attention


def make_mask_mod(document_ids: torch.Tensor, window: int):
    def doc_window_causal(b, h, q_idx, kv_idx):
        causal = q_idx >= kv_idx
        near = q_idx - kv_idx < window
        same_doc = document_ids[b, q_idx] == document_ids[b, kv_idx]
        return causal & near & same_doc

    return doc_window_causal


def prefix_lm_mod(prefix_len: int):
    def mod(b, h, q_idx, kv_idx):
        return (kv_idx < prefix_len) | (q_idx >= kv_idx)

    return mod


def run(q, k, v, document_ids, window=128):
    B, H, T, _ = q.shape
    block_mask = create_block_mask(
        make_mask_mod(document_ids, window), B=B, H=None, Q_LEN=T, KV_LEN=T, device=q.device
    )
    return flex_attention(q, k, v, block_mask=block_mask)


def reference(q, k, v, document_ids, window=128):
    B, H, T, _ = q.shape
    dense = create_mask(make_mask_mod(document_ids, window), B, 1, T, T, device=q.device)
    return torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=dense)


if __name__ == "__main__":
    torch.manual_seed(0)
    B, H, T, E = 2, 4, 256, 32
    q, k, v = (torch.randn(B, H, T, E) for _ in range(3))
    doc = torch.cat([torch.zeros(B, 100, dtype=torch.long), torch.ones(B, T - 100, dtype=torch.long)], 1)
    print(torch.allclose(run(q, k, v, doc, 64), reference(q, k, v, doc, 64), atol=1e-4))
    pm = create_block_mask(prefix_lm_mod(32), B=None, H=None, Q_LEN=T, KV_LEN=T, device="cpu")
    print(flex_attention(q, k, v, block_mask=pm).shape)
