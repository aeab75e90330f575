"""Bidirectional Llama encoder for sentence embeddings (LLM2Vec-style use of a decoder model),
with the `_expand_mask` helper of Hugging Face's 2023 Llama code for the non-causal case."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def _expand_mask(mask, dtype, tgt_len=None):
    """Expands attention_mask from [bsz, seq_len] to [bsz, 1, tgt_seq_len, src_seq_len]."""
    bsz, src_len = mask.size()
    tgt_len = tgt_len if tgt_len is not None else src_len
    expanded_mask = mask[:, None, :, None].expand(bsz, 1, src_len, tgt_len).to(dtype)  # BUG
    inverted_mask = 1.0 - expanded_mask
    return inverted_mask.masked_fill(inverted_mask.to(torch.bool), torch.finfo(torch.bfloat16).min)  # BUG


class LlamaRMSNorm(nn.Module):
    def __init__(self, hidden_size, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(hidden_size))
        self.eps = eps

    def forward(self, x):
        var = x.float().pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(var + self.eps)).to(x.dtype)


class LlamaBidirectionalAttention(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads = heads
        self.q_proj, self.k_proj, self.v_proj = (nn.Linear(hidden, hidden, bias=False) for _ in range(3))
        self.o_proj = nn.Linear(hidden, hidden, bias=False)

    def forward(self, hidden_states, attention_mask):
        b, s, d = hidden_states.shape
        q, k, v = (p(hidden_states).view(b, s, self.heads, -1).transpose(1, 2) for p in (self.q_proj, self.k_proj, self.v_proj))
        attn_weights = torch.matmul(q, k.transpose(2, 3)) / (d // self.heads) ** 0.5
        attn_weights = attn_weights + attention_mask
        attn_weights = F.softmax(attn_weights, dim=-1, dtype=torch.float32).to(q.dtype)
        return self.o_proj(torch.matmul(attn_weights, v).transpose(1, 2).reshape(b, s, d))


class LlamaEncoder(nn.Module):
    def __init__(self, vocab=100, hidden=32, layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList([LlamaBidirectionalAttention(hidden) for _ in range(layers)])
        self.norm = LlamaRMSNorm(hidden)

    def forward(self, input_ids, attention_mask):
        h = self.embed_tokens(input_ids)
        mask = _expand_mask(attention_mask, h.dtype, tgt_len=input_ids.shape[1])
        for layer in self.layers:
            h = h + layer(h, mask)
        h = self.norm(h)
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        return (h * m).sum(1) / m.sum(1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = LlamaEncoder()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    a = torch.tensor([[5, 6, 7, 8, 9], [10, 11, 12, 0, 0]])
    b = torch.tensor([[5, 6, 7, 9, 8], [13, 11, 12, 0, 0]])
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])
    ea, eb = model(a, mask), model(b, mask)
    sim = F.cosine_similarity(ea[:, None], eb[None], dim=-1) / 0.05
    loss = F.cross_entropy(sim, torch.arange(2))
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("contrastive loss", loss.item())
    with torch.no_grad():
        drift = (model(a[1:, :3], mask[1:, :3]) - model(a[1:], mask[1:])).abs().max().item()
    print("padded vs unpadded embedding drift", drift)
