"""Workshop utilities: a small Llama-style model and a fused-attention patch for training."""
from .modeling_llama import LlamaAttention, LlamaForCausalLM
from .flash_attn_patch import replace_llama_attn_with_flash_attn

__all__ = ["LlamaAttention", "LlamaForCausalLM", "replace_llama_attn_with_flash_attn"]
