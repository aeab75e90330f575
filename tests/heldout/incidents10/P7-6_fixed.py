"""masking_utils.py style mask construction for a Gemma-4-like model: the
mask is composed from and_masks(causal, padding) mask functions and
materialised for SDPA.  Left-padded rows are entirely False; the project's fix
re-enables those rows (allow_torch_fix) so kernels do not corrupt logits.
Kernel-dependent: CPU SDPA gives 0 for such rows, the smoke run counts them."""
import torch
import torch.nn.functional as F


def causal_mask_function(batch_idx, head_idx, q_idx, kv_idx):
    return kv_idx <= q_idx


def padding_mask_function(padding_mask):
    def inner(batch_idx, head_idx, q_idx, kv_idx):
        return padding_mask[batch_idx, kv_idx]
    return inner


def and_masks(*fns):
    def inner(b, h, q, kv):
        out = torch.ones_like(q, dtype=torch.bool) if torch.is_tensor(q) else True
        for f in fns:
            out = out & f(b, h, q, kv)
        return out
    return inner


def sdpa_mask(batch_size, q_len, kv_len, mask_function, allow_torch_fix=True):
    b = torch.arange(batch_size)[:, None, None, None]
    q = torch.arange(q_len)[None, None, :, None]
    kv = torch.arange(kv_len)[None, None, None, :]
    causal_mask = mask_function(b, None, q, kv)
    causal_mask = causal_mask.expand(batch_size, 1, q_len, kv_len)
    if allow_torch_fix:
        causal_mask = causal_mask | torch.all(~causal_mask, dim=-1, keepdim=True)
    return causal_mask


def create_causal_mask(attention_mask, q_len):
    mask_factory = and_masks(causal_mask_function, padding_mask_function(attention_mask.bool()))
    return sdpa_mask(attention_mask.shape[0], q_len, attention_mask.shape[1], mask_factory)


if __name__ == "__main__":
    torch.manual_seed(0)
    am = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    mask = create_causal_mask(am, 6)
    q = torch.randn(2, 2, 6, 8)
    out = F.scaled_dot_product_attention(q, q, q, attn_mask=mask)
    print("fully-False query rows:", int((~mask.any(-1)).sum()), "| NaN on this kernel:", bool(out.isnan().any()))
