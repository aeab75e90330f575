import torch
import torch.nn as nn
import torch.nn.functional as F


def _prepare_4d_attention_mask_for_sdpa(mask, dtype, tgt_len):
    expanded = mask[:, None, None, :].expand(-1, 1, tgt_len, -1).to(dtype)
    return (1.0 - expanded).masked_fill((1.0 - expanded).bool(), torch.finfo(dtype).min)


class GPT2Attention(nn.Module):
    def __init__(self, embed_dim=16, num_heads=2, is_cross_attention=False):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, embed_dim // num_heads
        self.is_cross_attention = is_cross_attention
        if is_cross_attention:
            self.c_attn = nn.Linear(embed_dim, 2 * embed_dim)
            self.q_attn = nn.Linear(embed_dim, embed_dim)
        else:
            self.c_attn = nn.Linear(embed_dim, 3 * embed_dim)
        self.c_proj = nn.Linear(embed_dim, embed_dim)

    def _split(self, x):
        return x.view(x.shape[0], x.shape[1], self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, hidden_states, attention_mask=None, encoder_hidden_states=None):
        if encoder_hidden_states is not None:
            query = self._split(self.q_attn(hidden_states))
            key, value = (self._split(t) for t in self.c_attn(encoder_hidden_states).split(query.shape[1] * self.head_dim, dim=2))
            is_causal = False
        else:
            query, key, value = (self._split(t) for t in self.c_attn(hidden_states).split(self.num_heads * self.head_dim, dim=2))
            is_causal = attention_mask is None
        out = F.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask, is_causal=is_causal)
        return self.c_proj(out.transpose(1, 2).reshape(hidden_states.shape))


class GPT2Block(nn.Module):
    def __init__(self, embed_dim=16):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(embed_dim), nn.LayerNorm(embed_dim)
        self.attn = GPT2Attention(embed_dim)
        self.crossattention = GPT2Attention(embed_dim, is_cross_attention=True)

    def forward(self, hidden_states, attention_mask=None, encoder_hidden_states=None, encoder_attention_mask=None):
        hidden_states = hidden_states + self.attn(self.ln_1(hidden_states), attention_mask=attention_mask)
        hidden_states = hidden_states + self.crossattention(
            self.ln_2(hidden_states), attention_mask=encoder_attention_mask, encoder_hidden_states=encoder_hidden_states)
        return hidden_states


class GPT2Model(nn.Module):
    def __init__(self, vocab_size=40, n_embd=16, n_layer=2):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.h = nn.ModuleList(GPT2Block(n_embd) for _ in range(n_layer))

    def forward(self, input_ids, encoder_hidden_states=None, encoder_attention_mask=None):
        inputs_embeds = self.wte(input_ids)
        if encoder_hidden_states is not None and encoder_attention_mask is not None:
            encoder_attention_mask = _prepare_4d_attention_mask_for_sdpa(
                encoder_attention_mask, inputs_embeds.dtype, tgt_len=input_ids.shape[-1])
        hidden_states = inputs_embeds
        for block in self.h:
            hidden_states = block(hidden_states, encoder_hidden_states=encoder_hidden_states,
                                  encoder_attention_mask=encoder_attention_mask)  # BUG
        return hidden_states


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GPT2Model().eval()
    input_ids = torch.randint(0, 40, (2, 5))
    encoder_hidden_states = torch.randn(2, 7, 16)
    encoder_attention_mask = torch.tensor([[1, 1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        out = model(input_ids, encoder_hidden_states, encoder_attention_mask)
        changed = encoder_hidden_states.clone()
        changed[0, 4:] = torch.randn(3, 16)
        out2 = model(input_ids, changed, encoder_attention_mask)
    print(f"cross-attention: output change when encoder padding changes: {(out[0] - out2[0]).abs().max().item():.4f}")
