"""Unsloth-style fast inference for a Llama-like model: the single-token
decode step skips the attention mask, so for a left-padded batch the
shorter prompts attend their pad tokens' cached keys (garbage generations)."""
import torch
import torch.nn.functional as F
from torch import nn


class FastAttention(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)

    def forward(self, x, past_kv=None, attention_mask=None):
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if past_kv is not None:
            k, v = torch.cat([past_kv[0], k], 2), torch.cat([past_kv[1], v], 2)
        kv_len = k.shape[2]
        if s > 1:
            mask = torch.ones(s, kv_len, dtype=torch.bool).tril(kv_len - s)[None, None]
            if attention_mask is not None:
                mask = mask & attention_mask.bool()[:, None, None, :kv_len]
            o = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        else:
            step_mask = None if attention_mask is None else attention_mask.bool()[:, None, None, :kv_len]
            o = F.scaled_dot_product_attention(q, k, v, attn_mask=step_mask)
        return self.o(o.transpose(1, 2).reshape(b, s, d)), (k, v)


@torch.no_grad()
def greedy_step(embed, attn, head, input_ids, attention_mask):
    h, cache = attn(embed(input_ids), attention_mask=attention_mask)
    nxt = head(h[:, -1:]).argmax(-1)
    attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], 1)
    h2, _ = attn(embed(nxt), past_kv=cache, attention_mask=attention_mask)
    return head(h2[:, -1])


if __name__ == "__main__":
    torch.manual_seed(0)
    embed, attn, head = nn.Embedding(50, 32), FastAttention(), nn.Linear(32, 50)
    ids = torch.tensor([[0, 0, 0, 7, 8], [3, 4, 5, 6, 7]])
    am = (ids != 0).long()
    ids2 = ids.clone(); ids2[0, :3] = torch.tensor([30, 31, 32])
    a = greedy_step(embed, attn, head, ids, am)
    b = greedy_step(embed, attn, head, ids2, am)
    print("decode-step logit change from left-pad content:", (a[0] - b[0]).abs().max().item())
