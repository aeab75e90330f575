# %% [markdown]
# Attention from scratch (exported notebook): keep masks + torch.where

# %%
import torch

torch.manual_seed(0)
B, H, T, Dh = 2, 2, 6, 8
q, k, v = (torch.randn(B, H, T, Dh) for _ in range(3))

# %%
keep_causal = torch.arange(T)[:, None] >= torch.arange(T)[None, :]
lengths = torch.tensor([6, 4])
keep_keys = torch.arange(T)[None, :] < lengths[:, None]
keep = keep_causal[None, None] & keep_keys[:, None, None, :]

# %%
scores = torch.einsum("bhqd,bhkd->bhqk", q, k) / Dh ** 0.5
scores = torch.where(keep, scores, torch.tensor(float("-inf")))
out = torch.einsum("bhqk,bhkd->bhqd", scores.softmax(-1), v)

# %%
ref = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=keep)
print("matches SDPA:", torch.allclose(out, ref, atol=1e-5))

# %% [markdown]
# Rows of the padded sample that belong to padding still see their own causal prefix,
# so there is no all -inf row and no NaN.

# %%
print("finite:", torch.isfinite(out).all().item())
weights = scores.softmax(-1)
print("sample 1 never attends keys >= 4:", weights[1, :, :, 4:].abs().max().item() == 0.0)
