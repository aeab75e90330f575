"""RoFormer causal LM imitating Hugging Face transformers: a config dataclass with
`is_decoder`, rotary position embeddings, masking_utils-style mask builders and SDPA."""
from dataclasses import dataclass
import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class RoFormerConfig:
    vocab_size: int = 90
    hidden_size: int = 32
    num_attention_heads: int = 4
    num_hidden_layers: int = 2
    is_decoder: bool = False


def create_bidirectional_mask(config, input_embeds, attention_mask):
    """(B, 1, Q, K) bool, True = attend; padding only."""
    B, Q, _ = input_embeds.shape
    return attention_mask.bool()[:, None, None, :].expand(B, 1, Q, attention_mask.shape[-1])


def create_causal_mask(config, input_embeds, attention_mask):
    """(B, 1, Q, K) bool, True = attend; padding and causality."""
    Q = input_embeds.shape[1]
    causal = torch.ones(Q, Q, dtype=torch.bool, device=input_embeds.device).tril()
    return create_bidirectional_mask(config, input_embeds, attention_mask) & causal


def apply_rotary(x):
    b, h, s, d = x.shape
    inv_freq = 1.0 / (10000 ** (torch.arange(0, d, 2).float() / d))
    freqs = torch.arange(s).float()[:, None] * inv_freq[None]
    sin, cos = freqs.sin().repeat_interleave(2, -1), freqs.cos().repeat_interleave(2, -1)
    x_rot = torch.stack([-x[..., 1::2], x[..., ::2]], dim=-1).reshape_as(x)
    return x * cos + x_rot * sin


class RoFormerSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.h = config.num_attention_heads
        self.query = nn.Linear(config.hidden_size, config.hidden_size)
        self.key = nn.Linear(config.hidden_size, config.hidden_size)
        self.value = nn.Linear(config.hidden_size, config.hidden_size)
        self.dense = nn.Linear(config.hidden_size, config.hidden_size)
        self.norm = nn.LayerNorm(config.hidden_size)

    def forward(self, hidden_states, attention_mask):
        b, s, d = hidden_states.shape
        split = lambda t: t.view(b, s, self.h, -1).transpose(1, 2)
        q, k = apply_rotary(split(self.query(hidden_states))), apply_rotary(split(self.key(hidden_states)))
        v = split(self.value(hidden_states))
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return self.norm(hidden_states + self.dense(ctx.transpose(1, 2).reshape(b, s, d)))


class RoFormerModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([RoFormerSelfAttention(config) for _ in range(config.num_hidden_layers)])

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        h = self.embeddings(input_ids)
        mask_fn = create_causal_mask if self.config.is_decoder else create_bidirectional_mask
        mask = mask_fn(config=self.config, input_embeds=h, attention_mask=attention_mask)
        for layer in self.layers:
            h = layer(h, mask)
        return h


class RoFormerForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        config.is_decoder = True
        self.roformer = RoFormerModel(config)
        self.cls = nn.Linear(config.hidden_size, config.vocab_size)

    def forward(self, input_ids, attention_mask=None, labels=None):
        logits = self.cls(self.roformer(input_ids, attention_mask))
        loss = None
        if labels is not None:
            loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), labels[:, 1:].reshape(-1), ignore_index=-100)
        return loss, logits


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RoFormerForCausalLM(RoFormerConfig())
    opt = torch.optim.AdamW(model.parameters(), lr=5e-4)
    input_ids = torch.randint(0, 90, (2, 11))
    attention_mask = torch.ones_like(input_ids)
    attention_mask[1, 9:] = 0
    labels = input_ids.masked_fill(attention_mask == 0, -100)
    loss, _ = model(input_ids, attention_mask, labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("clm loss", loss.item())
