import math
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


class VLMConfig:
    vocab_size = 80
    hidden_size = 32
    num_attention_heads = 4
    num_hidden_layers = 2
    flash_attn = True
    dropout = 0.0


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


class Attention(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.n_local_heads = args.num_attention_heads
        self.head_dim = args.hidden_size // args.num_attention_heads
        self.q_proj = nn.Linear(args.hidden_size, args.hidden_size, bias=False)
        self.k_proj = nn.Linear(args.hidden_size, args.hidden_size, bias=False)
        self.v_proj = nn.Linear(args.hidden_size, args.hidden_size, bias=False)
        self.o_proj = nn.Linear(args.hidden_size, args.hidden_size, bias=False)
        self.flash = args.flash_attn
        self.dropout = args.dropout

    @staticmethod
    def _padding_causal_mask(attention_mask, seq_len):
        causal = torch.ones(seq_len, seq_len, dtype=torch.bool, device=attention_mask.device).tril()
        keep = causal[None, None] & attention_mask[:, None, None, :].bool()
        return keep | ~keep.any(-1, keepdim=True)

    def forward(self, x, attention_mask: Optional[torch.Tensor] = None):
        bsz, seq_len, _ = x.shape
        xq = self.q_proj(x).view(bsz, seq_len, self.n_local_heads, self.head_dim).transpose(1, 2)
        xk = self.k_proj(x).view(bsz, seq_len, self.n_local_heads, self.head_dim).transpose(1, 2)
        xv = self.v_proj(x).view(bsz, seq_len, self.n_local_heads, self.head_dim).transpose(1, 2)
        if self.flash and seq_len != 1:
            dropout_p = self.dropout if self.training else 0.0
            attn_mask = None if attention_mask is None else self._padding_causal_mask(attention_mask, seq_len)
            output = F.scaled_dot_product_attention(xq, xk, xv, attn_mask=attn_mask, dropout_p=dropout_p, is_causal=attn_mask is None)
        else:
            scores = (xq @ xk.transpose(-2, -1)) / math.sqrt(self.head_dim)
            scores = scores + torch.triu(torch.full((seq_len, seq_len), float("-inf"), device=scores.device), diagonal=1)
            output = F.softmax(scores.float(), dim=-1).type_as(xq) @ xv
        output = output.transpose(1, 2).reshape(bsz, seq_len, -1)
        return self.o_proj(output)


class MiniMindBlock(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.self_attn = Attention(config)
        self.input_layernorm = RMSNorm(config.hidden_size)
        self.post_attention_layernorm = RMSNorm(config.hidden_size)
        self.mlp = nn.Sequential(nn.Linear(config.hidden_size, 4 * config.hidden_size), nn.SiLU(), nn.Linear(4 * config.hidden_size, config.hidden_size))

    def forward(self, hidden_states, attention_mask=None):
        hidden_states = hidden_states + self.self_attn(self.input_layernorm(hidden_states), attention_mask)
        return hidden_states + self.mlp(self.post_attention_layernorm(hidden_states))


class MiniMindVLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.vision_proj = nn.Linear(48, config.hidden_size)
        self.layers = nn.ModuleList([MiniMindBlock(config) for _ in range(config.num_hidden_layers)])
        self.norm = RMSNorm(config.hidden_size)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None, pixel_values=None, image_token_id=5):
        h = self.embed_tokens(input_ids)
        if pixel_values is not None:
            img = self.vision_proj(pixel_values)
            h = torch.where((input_ids == image_token_id)[..., None], img, h)
        for layer in self.layers:
            h = layer(h, attention_mask)
        return self.lm_head(self.norm(h))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MiniMindVLM(VLMConfig()).eval()
    prompt = torch.tensor([[1, 5, 5, 17, 33, 9]])
    pixels = torch.randn(1, 6, 48)
    batch_ids = torch.tensor([[0, 0, 0, 1, 5, 5, 17, 33, 9], [1, 5, 5, 21, 8, 14, 60, 2, 44]])
    batch_mask = torch.tensor([[0, 0, 0, 1, 1, 1, 1, 1, 1], [1] * 9])
    batch_pixels = torch.cat([torch.cat([torch.zeros(1, 3, 48), pixels], 1), torch.randn(1, 9, 48)])
    with torch.no_grad():
        alone = model(prompt, torch.ones_like(prompt), pixels)[0, -1]
        batched = model(batch_ids, batch_mask, batch_pixels)[0, -1]
    print(f"next-token logits, left-padded batch vs single prompt: {(alone - batched).abs().max().item():.3e}")
