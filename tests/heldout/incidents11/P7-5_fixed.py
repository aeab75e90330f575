import torch
import torch.nn.functional as F
from torch import nn


class masking_utils:
    """Stand-in for transformers.masking_utils: boolean masks for SDPA, True = attend."""

    @staticmethod
    def causal_mask_function(batch_idx, head_idx, q_idx, kv_idx):
        return kv_idx <= q_idx

    @staticmethod
    def sdpa_mask(batch_size, cache_position, kv_length, attention_mask=None, allow_torch_fix=True, **kwargs):
        q_idx = cache_position[:, None]
        kv_idx = torch.arange(kv_length)[None, :]
        mask = masking_utils.causal_mask_function(None, None, q_idx, kv_idx)[None, None].expand(batch_size, 1, -1, -1)
        if attention_mask is not None:
            mask = mask & attention_mask[:, None, None, :].bool()
        return mask


_original_sdpa_mask = masking_utils.sdpa_mask


def unsloth_sdpa_mask(*args, **kwargs):
    mask = _original_sdpa_mask(*args, **kwargs)
    return mask | ~mask.any(dim=-1, keepdim=True)


masking_utils.sdpa_mask = staticmethod(unsloth_sdpa_mask)


class Gemma4TextAttention(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads = heads
        self.head_dim = hidden // heads
        self.qkv = nn.Linear(hidden, 3 * hidden, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)
        self.q_norm = nn.RMSNorm(self.head_dim)
        self.k_norm = nn.RMSNorm(self.head_dim)
        self.rows_without_keys = 0

    def forward(self, x, attention_mask):
        b, s, _ = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k = self.q_norm(q), self.k_norm(k)
        self.rows_without_keys = int((~attention_mask).all(-1).sum())
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask, scale=1.0)
        return self.o_proj(out.transpose(1, 2).reshape(b, s, -1))


class Gemma4ForCausalLM(nn.Module):
    def __init__(self, vocab=100, hidden=32, layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList(Gemma4TextAttention(hidden) for _ in range(layers))
        self.norms = nn.ModuleList(nn.RMSNorm(hidden) for _ in range(layers))
        self.lm_head = nn.Linear(hidden, vocab, bias=False)

    def forward(self, input_ids, attention_mask):
        x = self.embed_tokens(input_ids) * self.embed_tokens.embedding_dim ** 0.5
        mask = masking_utils.sdpa_mask(batch_size=input_ids.shape[0], cache_position=torch.arange(input_ids.shape[1]),
                                       kv_length=input_ids.shape[1], attention_mask=attention_mask)
        for norm, layer in zip(self.norms, self.layers):
            x = x + layer(norm(x), mask)
        return self.lm_head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Gemma4ForCausalLM().half().eval()
    input_ids = torch.tensor([[0, 0, 0, 2, 45, 17], [2, 8, 33, 61, 9, 12]])
    attention_mask = torch.tensor([[0, 0, 0, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        logits = model(input_ids, attention_mask)
    print(f"fully-masked query rows reaching SDPA (fp16): {model.layers[0].rows_without_keys}")
