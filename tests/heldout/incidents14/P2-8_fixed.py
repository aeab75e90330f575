import torch
import torch.nn.functional as F


def _expand_mask(mask, dtype, tgt_len):
    bsz, src_len = mask.size()
    expanded_mask = mask[:, None, None, :].expand(bsz, 1, tgt_len, src_len).to(dtype)
    inverted_mask = 1.0 - expanded_mask
    return inverted_mask.masked_fill(inverted_mask.to(torch.bool), torch.finfo(dtype).min)


def _make_causal_mask(bsz, tgt_len, dtype, sliding_window=None):
    mask = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min)
    mask = torch.triu(mask, diagonal=1)
    if sliding_window is not None:
        mask = mask.masked_fill(torch.tril(torch.ones_like(mask), diagonal=-sliding_window).bool(), torch.finfo(dtype).min)
    return mask[None, None, :, :].expand(bsz, 1, tgt_len, tgt_len).to(dtype)


def _prepare_4d_causal_attention_mask_for_sdpa(attention_mask, input_shape, inputs_embeds, past_key_values_length, sliding_window=None):
    """2D padding mask (1 = attend, 0 = padding) -> 4D additive causal mask, as in transformers."""
    dtype = inputs_embeds.dtype
    causal_4d_mask = _make_causal_mask(input_shape[0], input_shape[-1], dtype, sliding_window)
    expanded_attn_mask = _expand_mask(attention_mask, dtype, tgt_len=input_shape[-1])
    return causal_4d_mask.masked_fill(expanded_attn_mask.bool(), torch.finfo(dtype).min)


class Gemma2Config:
    hidden_size = 16
    num_attention_heads = 2
    sliding_window = 3


def LlamaModel_fast_forward(self, inputs_embeds, attention_mask, past_key_values_length=0):
    batch_size, seq_length, _ = inputs_embeds.shape

    # Gemma2 has alternating SWA and global attn
    dynamic_SWA_mask = None
    dynamic_GA_mask  = None
    if attention_mask is not None:
        # Fixes https://github.com/unslothai/unsloth/issues/853
        # Unsloth needs a 2D mask, not a [2, 1, n, n] mask!
        pass  # BUG
        dynamic_SWA_mask = _prepare_4d_causal_attention_mask_for_sdpa(
            attention_mask,
            (batch_size, seq_length),
            inputs_embeds,
            past_key_values_length,
            sliding_window = self.config.sliding_window,
        )
        dynamic_GA_mask = _prepare_4d_causal_attention_mask_for_sdpa(
            attention_mask,
            (batch_size, seq_length),
            inputs_embeds,
            past_key_values_length,
            sliding_window = None,
        )
    pass

    hidden_states = inputs_embeds
    for idx, layer in enumerate(self.layers):
        use_swa = idx % 2 == 0
        mask = dynamic_SWA_mask if use_swa else dynamic_GA_mask
        hidden_states = hidden_states + layer(hidden_states, mask)
    pass
    return hidden_states
pass


class FastGemma2Attention(torch.nn.Module):
    def __init__(self, config):
        super().__init__()
        self.n_heads = config.num_attention_heads
        self.qkv = torch.nn.Linear(config.hidden_size, 3 * config.hidden_size, bias = False)
        self.o_proj = torch.nn.Linear(config.hidden_size, config.hidden_size, bias = False)

    def forward(self, X, attention_mask):
        bsz, q_len, hd = X.shape
        Q, K, V = self.qkv(X).view(bsz, q_len, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        A = F.scaled_dot_product_attention(Q, K, V, attn_mask = attention_mask)
        return self.o_proj(A.transpose(1, 2).reshape(bsz, q_len, hd))
pass


if __name__ == "__main__":
    torch.manual_seed(0)
    model = torch.nn.Module()
    model.config = Gemma2Config()
    model.layers = torch.nn.ModuleList([FastGemma2Attention(model.config) for _ in range(2)])
    x = torch.randn(2, 6, 16)
    attention_mask = torch.tensor([[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1]])
    y = x.clone()
    y[:, 4:] = torch.randn(2, 2, 16)
    with torch.no_grad():
        leak = (LlamaModel_fast_forward(model, x, attention_mask) - LlamaModel_fast_forward(model, y, attention_mask))
    print(f"change in positions 2-3 after editing tokens 4-5: {leak[:, 2:4].abs().max().item():.4f}")
