# EXPECT: clean
"""Imitates Hugging Face Llama's SDPA path with left padding
(_prepare_4d_causal_attention_mask_with_cache_position: a finfo.min causal bias,
`causal_mask + attention_mask[:, None, None, :]`, then `== 0` turned back into
finfo.min). Left-pad query rows end up with every key at finfo.min, which is
harmless because their outputs are never used (labels are -100 there)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def prepare_4d_causal_attention_mask(attention_mask, sequence_length, dtype):
    min_dtype = torch.finfo(dtype).min
    batch_size = attention_mask.shape[0]
    causal_mask = torch.full((sequence_length, sequence_length), fill_value=min_dtype, dtype=dtype)
    causal_mask = torch.triu(causal_mask, diagonal=1)
    causal_mask = causal_mask[None, None, :, :].expand(batch_size, 1, -1, -1).clone()
    mask_length = attention_mask.shape[-1]
    padding_mask = causal_mask[:, :, :, :mask_length] + attention_mask[:, None, None, :].to(dtype)
    padding_mask = padding_mask == 0
    causal_mask[:, :, :, :mask_length] = causal_mask[:, :, :, :mask_length].masked_fill(padding_mask, min_dtype)
    return causal_mask


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class RotaryEmbedding(nn.Module):
    def __init__(self, dim, base=10000.0):
        super().__init__()
        self.register_buffer("inv_freq", 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim)), persistent=False)

    def forward(self, position_ids):
        freqs = position_ids[..., None].float() * self.inv_freq
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos()[:, None], emb.sin()[:, None]


class LlamaAttention(nn.Module):
    def __init__(self, hidden, heads, kv_heads, dropout):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = heads, kv_heads, hidden // heads
        self.q_proj = nn.Linear(hidden, heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(hidden, kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(hidden, kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)
        self.attention_dropout = dropout

    def forward(self, x, cos, sin, causal_mask):
        B, T, _ = x.shape
        q = self.q_proj(x).view(B, T, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(B, T, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(B, T, self.kv_heads, self.head_dim).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        n_rep = self.heads // self.kv_heads
        k = k[:, :, None].expand(B, self.kv_heads, n_rep, T, self.head_dim).reshape(B, self.heads, T, self.head_dim)
        v = v[:, :, None].expand(B, self.kv_heads, n_rep, T, self.head_dim).reshape(B, self.heads, T, self.head_dim)
        out = F.scaled_dot_product_attention(
            q, k, v, attn_mask=causal_mask, dropout_p=self.attention_dropout if self.training else 0.0
        )
        return self.o_proj(out.transpose(1, 2).reshape(B, T, -1))


class DecoderLayer(nn.Module):
    def __init__(self, hidden, heads, kv_heads, dropout):
        super().__init__()
        self.input_layernorm = nn.RMSNorm(hidden, eps=1e-6)
        self.self_attn = LlamaAttention(hidden, heads, kv_heads, dropout)
        self.post_attention_layernorm = nn.RMSNorm(hidden, eps=1e-6)
        self.gate_proj = nn.Linear(hidden, 2 * hidden, bias=False)
        self.up_proj = nn.Linear(hidden, 2 * hidden, bias=False)
        self.down_proj = nn.Linear(2 * hidden, hidden, bias=False)

    def forward(self, x, cos, sin, mask):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, mask)
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class LlamaForCausalLM(nn.Module):
    def __init__(self, vocab=40, hidden=32, heads=4, kv_heads=2, layers=2, dropout=0.1):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, hidden)
        self.rotary_emb = RotaryEmbedding(hidden // heads)
        self.layers = nn.ModuleList([DecoderLayer(hidden, heads, kv_heads, dropout) for _ in range(layers)])
        self.norm = nn.RMSNorm(hidden, eps=1e-6)
        self.lm_head = nn.Linear(hidden, vocab, bias=False)

    def forward(self, input_ids, attention_mask):
        position_ids = attention_mask.long().cumsum(-1) - 1
        position_ids = position_ids.masked_fill(attention_mask == 0, 1)
        cos, sin = self.rotary_emb(position_ids)
        mask = prepare_4d_causal_attention_mask(attention_mask, input_ids.size(1), torch.float32)
        x = self.embed_tokens(input_ids)
        for layer in self.layers:
            x = layer(x, cos, sin, mask)
        return self.lm_head(self.norm(x))

    @torch.no_grad()
    def generate(self, input_ids, attention_mask, max_new_tokens=4):
        for _ in range(max_new_tokens):
            logits = self(input_ids, attention_mask)
            nxt = logits[:, -1:].argmax(-1)
            input_ids = torch.cat([input_ids, nxt], dim=-1)
            attention_mask = torch.cat([attention_mask, attention_mask.new_ones((attention_mask.size(0), 1))], dim=-1)
        return input_ids, logits[:, -1]


def left_pad(seqs, pad_token_id=0):
    n = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), n), pad_token_id, dtype=torch.long)
    mask = torch.zeros(len(seqs), n, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, n - len(s):] = s
        mask[i, n - len(s):] = 1
    return ids, mask


def run():
    torch.manual_seed(0)
    model = LlamaForCausalLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(101)
    ids, mask = left_pad([torch.randint(1, 40, (n,), generator=g) for n in (10, 4, 7, 2)])
    labels = ids.masked_fill(mask == 0, -100)

    model.train()
    logits = model(ids, mask)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 40), labels[:, 1:].reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    prompts, pmask = left_pad([torch.randint(1, 40, (n,), generator=g) for n in (6, 2, 4)])
    out_ids, last_logits = model.generate(prompts, pmask)
    return [loss.detach(), *grads, out_ids, last_logits]
