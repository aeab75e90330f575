import torch
import torch.nn as nn
import torch.nn.functional as F


class FastAttention(nn.Module):
    def __init__(self, hidden_size=16, num_heads=2):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.qkv_proj = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, causal_mask=None):
        bsz, q_len, _ = hidden_states.size()
        Q, K, V = self.qkv_proj(hidden_states).view(bsz, q_len, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        if causal_mask is None:
            A = F.scaled_dot_product_attention(Q, K, V, is_causal=True)
        else:
            A = F.scaled_dot_product_attention(Q, K, V, attn_mask=causal_mask)
        return self.o_proj(A.transpose(1, 2).reshape(bsz, q_len, -1))


def _prepare_4d_mask(attention_mask, q_len):
    causal = torch.ones(q_len, q_len, dtype=torch.bool).tril()
    return attention_mask[:, None, None, :].bool() & causal


class FastLanguageModel(nn.Module):
    def __init__(self, vocab_size=40, hidden_size=16, num_layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList(FastAttention(hidden_size) for _ in range(num_layers))
        self.lm_head = nn.Linear(hidden_size, vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None, position_ids=None):
        hidden_states = self.embed_tokens(input_ids)
        causal_mask = None
        if attention_mask is not None:  # BUG
            causal_mask = _prepare_4d_mask(attention_mask, input_ids.shape[1])
        for layer in self.layers:
            hidden_states = hidden_states + layer(hidden_states, causal_mask)
        return self.lm_head(hidden_states)


@torch.no_grad()
def generate(model, input_ids, attention_mask, max_new_tokens=4):
    for _ in range(max_new_tokens):
        logits = model(input_ids, attention_mask=attention_mask)
        next_token = logits[:, -1].argmax(-1, keepdim=True)
        input_ids = torch.cat([input_ids, next_token], dim=1)
        attention_mask = torch.cat([attention_mask, torch.ones_like(next_token)], dim=1)
    return input_ids


if __name__ == "__main__":
    torch.manual_seed(0)
    model = FastLanguageModel().eval()
    batch = torch.tensor([[39, 39, 39, 5, 6], [1, 2, 3, 5, 6]])
    attention_mask = torch.tensor([[0, 0, 0, 1, 1], [1, 1, 1, 1, 1]])
    with torch.no_grad():
        batched = model(batch, attention_mask=attention_mask)
        single = model(batch[:1, 3:], attention_mask=attention_mask[:1, 3:])
    print(f"short prompt: prefill logits batched vs single diff: {(batched[0, 3:] - single[0]).abs().max().item():.4f}")
    generate(model, batch, attention_mask)
