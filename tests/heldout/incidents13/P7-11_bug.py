import torch
from torch import nn


def _make_causal_mask(bsz, tgt_len, dtype):
    mask = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min, dtype=dtype).triu(1)
    return mask[None, None].expand(bsz, 1, tgt_len, tgt_len)


def _expand_mask(mask, dtype, tgt_len=None):
    """[bsz, seq_len] -> [bsz, 1, tgt_seq_len, src_seq_len]"""
    bsz, src_len = mask.size()
    tgt_len = tgt_len if tgt_len is not None else src_len
    expanded_mask = mask[:, None, :, None].expand(bsz, 1, tgt_len, src_len).to(dtype)  # BUG
    inverted_mask = 1.0 - expanded_mask
    return inverted_mask.masked_fill(inverted_mask.to(torch.bool), torch.finfo(dtype).min)


class LlamaEncoderStyleAttention(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.q_proj = nn.Linear(hidden, hidden, bias=False)
        self.k_proj = nn.Linear(hidden, hidden, bias=False)
        self.v_proj = nn.Linear(hidden, hidden, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)

    def forward(self, x, attention_mask):
        b, s, _ = x.shape
        sh = lambda t: t.view(b, s, self.heads, self.head_dim).transpose(1, 2)
        q, k, v = sh(self.q_proj(x)), sh(self.k_proj(x)), sh(self.v_proj(x))
        attn_weights = q @ k.transpose(2, 3) / self.head_dim ** 0.5 + attention_mask
        attn_weights = attn_weights.softmax(-1, dtype=torch.float32).to(q.dtype)
        return self.o_proj((attn_weights @ v).transpose(1, 2).reshape(b, s, -1))


class LlamaEmbedder(nn.Module):
    """Bidirectional (non-causal) use of Llama blocks for sentence embeddings, run in bfloat16."""

    def __init__(self, vocab=64, hidden=32, causal=False):
        super().__init__()
        self.causal = causal
        self.embed = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList([LlamaEncoderStyleAttention(hidden) for _ in range(2)])

    def forward(self, ids, attention_mask):
        h = self.embed(ids)
        mask = _expand_mask(attention_mask, h.dtype, ids.shape[1])
        if self.causal:
            mask = (mask + _make_causal_mask(ids.shape[0], ids.shape[1], h.dtype)).clamp(min=torch.finfo(h.dtype).min)
        for layer in self.layers:
            h = h + layer(h, mask)
        keep = attention_mask[..., None].to(h.dtype)
        return (h * keep).sum(1) / keep.sum(1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = LlamaEmbedder().to(torch.bfloat16).eval()
    ids = torch.tensor([[5, 6, 7, 0, 0, 0], [9, 10, 11, 12, 13, 14]])
    attention_mask = torch.tensor([[1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        batched = model(ids, attention_mask)[0]
        alone = model(ids[:1, :3], attention_mask[:1, :3])[0]
    print(f"bf16 sentence embedding: |padded batch - alone| = {(batched - alone).abs().max().item():.4f}")
