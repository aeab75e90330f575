import torch
import torch.nn.functional as F
from torch import nn


def _flash_attention_forward(query, key, value, attention_mask, query_length, is_causal, dropout=0.0, softmax_scale=None):
    q_len, k_len = query.shape[-2], key.shape[-2]
    causal = is_causal and query_length != 1
    if attention_mask is not None:
        keep = attention_mask[:, None, None, :].bool()
        if causal:
            keep = keep & torch.ones(q_len, k_len, dtype=torch.bool).tril(k_len - q_len)
        return F.scaled_dot_product_attention(query, key, value, attn_mask=keep, dropout_p=dropout, scale=softmax_scale)
    return F.scaled_dot_product_attention(query, key, value, dropout_p=dropout, is_causal=causal, scale=softmax_scale)


class GPT2Attention(nn.Module):
    def __init__(self, embed_dim=32, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.c_attn = nn.Linear(embed_dim, 3 * embed_dim)
        self.c_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.shape
        query, key, value = self.c_attn(hidden_states).split(self.num_heads * self.head_dim, dim=2)
        query, key, value = (t.view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2) for t in (query, key, value))
        is_causal = attention_mask is None and q_len > 1  # BUG
        attn_output = _flash_attention_forward(query, key, value, attention_mask, q_len, is_causal=is_causal)
        return self.c_proj(attn_output.transpose(1, 2).reshape(bsz, q_len, -1))


class GPT2LMHeadModel(nn.Module):
    def __init__(self, vocab_size=64, n_embd=32, n_layer=2):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.wpe = nn.Embedding(64, n_embd)
        self.h = nn.ModuleList([GPT2Attention(n_embd) for _ in range(n_layer)])
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0) if attention_mask is not None else torch.arange(input_ids.shape[1])
        x = self.wte(input_ids) + self.wpe(position_ids)
        for block in self.h:
            x = x + block(x, attention_mask)
        return self.lm_head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GPT2LMHeadModel().eval()
    ids = torch.randint(1, 64, (2, 8))
    attention_mask = torch.ones(2, 8, dtype=torch.long)
    attention_mask[1, :3] = 0
    edited = ids.clone()
    edited[:, 5:] = torch.randint(1, 64, (2, 3))
    with torch.no_grad():
        d = (model(ids, attention_mask)[:, 3:5] - model(edited, attention_mask)[:, 3:5]).abs().max().item()
    print(f"left-padded batch: max |d logits[:, 3:5]| after editing tokens 5.. = {d:.4f}")
