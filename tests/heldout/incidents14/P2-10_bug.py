import torch
import torch.nn as nn
import torch.nn.functional as F


def and_masks(*mask_functions):
    def and_mask(batch_idx, head_idx, q_idx, kv_idx):
        result = q_idx.new_ones((), dtype=torch.bool)
        for mask in mask_functions:
            result = result & mask(batch_idx, head_idx, q_idx, kv_idx)
        return result
    return and_mask


def causal_mask_function(batch_idx, head_idx, q_idx, kv_idx):
    return kv_idx <= q_idx


def padding_mask_function(padding_mask):
    def inner_mask(batch_idx, head_idx, q_idx, kv_idx):
        return padding_mask[batch_idx, kv_idx]
    return inner_mask


def create_causal_mask(attention_mask, batch_size, seq_len, is_causal=True):
    """Mimics transformers' masking utils: 4D masks are taken as given, 2D/3D masks are combined."""
    if attention_mask is not None and attention_mask.ndim == 4:
        return attention_mask
    mask_fn = causal_mask_function if is_causal else (lambda b, h, q, kv: kv >= 0)
    if attention_mask is not None:
        mask_fn = and_masks(mask_fn, padding_mask_function(attention_mask))
    b = torch.arange(batch_size)[:, None, None, None]
    q = torch.arange(seq_len)[None, None, :, None]
    kv = torch.arange(seq_len)[None, None, None, :]
    return mask_fn(b, torch.zeros(1), q, kv)


class TinyBackbone(nn.Module):
    def __init__(self, hidden_dim=16, num_heads=2):
        super().__init__()
        self.num_heads = num_heads
        self.qkv = nn.Linear(hidden_dim, 3 * hidden_dim)
        self.out = nn.Linear(hidden_dim, hidden_dim)
        self._attn_implementation = "sdpa"

    def forward(self, inputs_embeds, attention_mask=None):
        B, S, E = inputs_embeds.shape
        mask = create_causal_mask(attention_mask, B, S, is_causal=False)
        q, k, v = self.qkv(inputs_embeds).view(B, S, 3, self.num_heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.out(y.transpose(1, 2).reshape(B, S, E))


class StateTransitionPerturbationModel(nn.Module):
    def __init__(self, hidden_dim=16, n_heads=2, mask_attn=True):
        super().__init__()
        self.hparams = {"mask_attn": mask_attn}
        self.transformer_backbone = TinyBackbone(hidden_dim, n_heads)
        self.project_out = nn.Linear(hidden_dim, hidden_dim)

    def forward(self, seq_input):
        if self.hparams.get("mask_attn", False):
            batch_size, seq_length, _ = seq_input.shape
            device = seq_input.device
            self.transformer_backbone._attn_implementation = "eager"
            num_heads = self.transformer_backbone.num_heads

            base = torch.eye(seq_length, device=device).view(1, seq_length, seq_length)  # BUG

            attn_mask = base.repeat(batch_size, 1, 1)  # BUG

            transformer_output = self.transformer_backbone(inputs_embeds=seq_input, attention_mask=attn_mask)
        else:
            transformer_output = self.transformer_backbone(inputs_embeds=seq_input)
        return self.project_out(transformer_output)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = StateTransitionPerturbationModel()
    cells = torch.randn(2, 5, 16)
    other = cells.clone()
    other[:, 1:] = torch.randn(2, 4, 16)
    try:
        leak = (model(cells) - model(other))[:, 0].abs().max().item()
        print(f"cell 0 output change from other cells in the sentence: {leak:.4f}")
    except RuntimeError as exc:
        print(f"RuntimeError: {exc}")
