"""Fine-tuning script in the style of pacman100/LLM-Workshop: a Llama-like model whose
attention forward is monkey-patched with a fused-kernel replacement before training."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LlamaConfig:
    vocab_size = 100
    hidden_size = 32
    num_attention_heads = 4
    num_hidden_layers = 2


class LlamaAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // self.num_heads
        self.q_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.k_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.v_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        b, s, _ = hidden_states.shape
        q, k, v = (p(hidden_states).view(b, s, self.num_heads, -1).transpose(1, 2) for p in (self.q_proj, self.k_proj, self.v_proj))
        scores = q @ k.transpose(-1, -2) / self.head_dim ** 0.5
        causal = torch.ones(s, s, dtype=torch.bool).tril()
        keep = causal if attention_mask is None else causal & attention_mask.bool()[:, None, None, :]
        scores = scores.masked_fill(~keep, torch.finfo(scores.dtype).min)
        return self.o_proj((scores.softmax(-1) @ v).transpose(1, 2).reshape(b, s, -1))


def fused_llama_forward(self, hidden_states, attention_mask=None):
    """Replacement forward using the fused SDPA kernel."""
    b, s, _ = hidden_states.shape
    q, k, v = (p(hidden_states).view(b, s, self.num_heads, -1).transpose(1, 2) for p in (self.q_proj, self.k_proj, self.v_proj))
    out = F.scaled_dot_product_attention(q, k, v, is_causal=True)  # BUG
    return self.o_proj(out.transpose(1, 2).reshape(b, s, -1))


def replace_attn_with_fused_attn():
    LlamaAttention.forward = fused_llama_forward


class LlamaForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([LlamaAttention(config) for _ in range(config.num_hidden_layers)])
        self.norm = nn.RMSNorm(config.hidden_size)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None, labels=None):
        h = self.embed_tokens(input_ids)
        for layer in self.layers:
            h = h + layer(h, attention_mask=attention_mask)
        logits = self.lm_head(self.norm(h))
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), labels[:, 1:].reshape(-1), ignore_index=-100)
        return loss, logits


def data_collator(features, pad_id=0):
    L = max(len(f) for f in features)
    input_ids = torch.full((len(features), L), pad_id)
    attention_mask = torch.zeros(len(features), L, dtype=torch.long)
    for i, f in enumerate(features):
        input_ids[i, L - len(f):] = torch.tensor(f)
        attention_mask[i, L - len(f):] = 1
    labels = input_ids.masked_fill(attention_mask == 0, -100)
    return {"input_ids": input_ids, "attention_mask": attention_mask, "labels": labels}


if __name__ == "__main__":
    torch.manual_seed(0)
    replace_attn_with_fused_attn()
    model = LlamaForCausalLM(LlamaConfig())
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    batch = data_collator([[5, 6, 7, 8, 9, 10, 11], [12, 13, 14], [15, 16, 17, 18]])
    loss, _ = model(**batch)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("loss", loss.item())
