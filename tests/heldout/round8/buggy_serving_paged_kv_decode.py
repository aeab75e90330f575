"""Decode step of a paged-attention LLM server (vLLM-style block tables).

K/V for every running sequence live in fixed-size physical blocks; a block table
maps logical block -> physical block.  For the decode step we gather each
sequence's blocks into a padded (B, H, max_ctx, hd) view and run SDPA with a
per-sequence context-length mask."""
import torch
import torch.nn.functional as F


class PagedKVCache:
    def __init__(self, num_blocks, block_size, heads, head_dim):
        self.block_size = block_size
        self.k = torch.randn(num_blocks, heads, block_size, head_dim)  # uninitialised slots hold junk
        self.v = torch.randn(num_blocks, heads, block_size, head_dim)
        self.free = list(range(num_blocks))[::-1]

    def allocate(self, n_tokens):
        n_blocks = (n_tokens + self.block_size - 1) // self.block_size
        return [self.free.pop() for _ in range(n_blocks)]

    def write(self, block_table, k, v):  # k, v: (H, T, hd)
        for t in range(k.size(1)):
            blk, off = block_table[t // self.block_size], t % self.block_size
            self.k[blk, :, off], self.v[blk, :, off] = k[:, t], v[:, t]

    def gather(self, block_tables, max_blocks):
        idx = torch.tensor([bt + [bt[-1]] * (max_blocks - len(bt)) for bt in block_tables])  # (B, nb)
        k = self.k[idx].permute(0, 2, 1, 3, 4).flatten(2, 3)  # (B, H, nb*bs, hd)
        v = self.v[idx].permute(0, 2, 1, 3, 4).flatten(2, 3)
        return k, v


def paged_decode_attention(q, cache, block_tables, context_lens):
    """q: (B, H, 1, hd) query of the newest token of each running sequence."""
    max_blocks = max(len(bt) for bt in block_tables)
    k, v = cache.gather(block_tables, max_blocks)
    max_ctx = k.size(2)
    beyond = torch.arange(max_ctx)[None, :] >= context_lens[:, None]
    return F.scaled_dot_product_attention(
        q, k, v,
        attn_mask=beyond[:, None, None, :],  # expect: ML102
    )


if __name__ == "__main__":
    torch.manual_seed(0)
    H, hd, bs = 4, 16, 8
    cache = PagedKVCache(num_blocks=16, block_size=bs, heads=H, head_dim=hd)
    lens = [13, 30, 5]
    tables, ks, vs = [], [], []
    for n in lens:
        bt = cache.allocate(n)
        k, v = torch.randn(H, n, hd), torch.randn(H, n, hd)
        cache.write(bt, k, v)
        tables.append(bt)
        ks.append(k)
        vs.append(v)
    q = torch.randn(3, H, 1, hd)
    out = paged_decode_attention(q, cache, tables, torch.tensor(lens))
    ref = torch.stack([F.scaled_dot_product_attention(q[i : i + 1], ks[i][None], vs[i][None])[0] for i in range(3)])
    err = (out - ref).abs().max().item()
    print("paged decode vs dense per-sequence reference, max abs err:", err)
    assert err > 1e-3
    print("FAILURE SHOWN: decode attends only to stale slots beyond each context length")
