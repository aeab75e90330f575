"""GPT-2 style LM with a varlen (unpadded) attention backend for batched left-padded generation."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def varlen_attention(q, k, v, attention_mask, causal):
    """Reference for a flash-style varlen kernel: runs each sample on its unpadded tokens.

    causal uses bottom-right alignment (queries are the last tokens of the kv sequence)."""
    out = torch.zeros_like(q)
    for b in range(q.shape[0]):
        keep = attention_mask[b].bool()
        kk, vv = k[b][:, keep], v[b][:, keep]
        q_keep = keep[-q.shape[2]:]
        qq = q[b][:, q_keep]
        Lq, Lk = qq.shape[1], kk.shape[1]
        mask = torch.ones(Lq, Lk, dtype=torch.bool).tril(Lk - Lq) if causal else None
        out[b][:, q_keep] = F.scaled_dot_product_attention(qq, kk, vv, attn_mask=mask)
    return out


class GPT2Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.c_attn = nn.Linear(dim, 3 * dim)
        self.c_proj = nn.Linear(dim, dim)
        self.is_causal = True

    def forward(self, x, attention_mask, layer_past=None):
        b, t, d = x.shape
        q, k, v = self.c_attn(x).view(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        if layer_past is not None:
            k, v = torch.cat([layer_past[0], k], 2), torch.cat([layer_past[1], v], 2)
        is_causal = self.is_causal and attention_mask is None and t > 1  # BUG
        if attention_mask is None:
            attention_mask = torch.ones(b, k.shape[2], dtype=torch.long)
        out = varlen_attention(q, k, v, attention_mask, causal=is_causal)  # BUG
        return self.c_proj(out.transpose(1, 2).reshape(b, t, d)), (k, v)


class GPT2LMHeadModel(nn.Module):
    def __init__(self, vocab=80, dim=32, heads=4, n_layer=2):
        super().__init__()
        self.wte = nn.Embedding(vocab, dim)
        self.h = nn.ModuleList(GPT2Attention(dim, heads) for _ in range(n_layer))
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids, attention_mask=None, past_key_values=None):
        x = self.wte(input_ids)
        presents = []
        for i, block in enumerate(self.h):
            a, kv = block(x, attention_mask, None if past_key_values is None else past_key_values[i])
            x = x + a
            presents.append(kv)
        return self.lm_head(x), presents

    @torch.no_grad()
    def generate(self, input_ids, attention_mask, max_new_tokens=4):
        logits, past = self(input_ids, attention_mask)
        out = input_ids
        for step in range(max_new_tokens):
            nxt = logits[:, -1:].argmax(-1)
            out = torch.cat([out, nxt], 1)
            attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], 1)
            logits, past = self(nxt, attention_mask, past)
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    m = GPT2LMHeadModel().eval()
    ids = torch.tensor([[0, 0, 5, 6, 7], [8, 9, 10, 11, 12]])
    am = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])
    padded = m(ids, am)[0]
    alone = m(ids[:1, 2:])[0]
    print("left-pad matches unpadded:", torch.allclose(padded[0, 2:], alone[0], atol=1e-5))
    print(m.generate(ids, am).shape)
