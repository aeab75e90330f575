"""GPT-2 with cross-attention (encoder-decoder use, as in VisionEncoderDecoder) imitating
Hugging Face transformers: the model prepares an encoder attention mask for SDPA cross-attention."""
from dataclasses import dataclass
import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class GPT2Config:
    vocab_size: int = 70
    n_embd: int = 32
    n_head: int = 4
    n_layer: int = 2
    add_cross_attention: bool = True


class GPT2Attention(nn.Module):
    def __init__(self, config, is_cross_attention=False):
        super().__init__()
        self.n_head = config.n_head
        self.is_cross_attention = is_cross_attention
        if is_cross_attention:
            self.q_attn = nn.Linear(config.n_embd, config.n_embd)
            self.c_attn = nn.Linear(config.n_embd, 2 * config.n_embd)
        else:
            self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd)

    def forward(self, hidden_states, attention_mask=None, encoder_hidden_states=None):
        B, T, C = hidden_states.shape
        if self.is_cross_attention:
            q = self.q_attn(hidden_states)
            k, v = self.c_attn(encoder_hidden_states).split(C, dim=2)
        else:
            q, k, v = self.c_attn(hidden_states).split(C, dim=2)
        q, k, v = (t.view(B, t.shape[1], self.n_head, -1).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask, is_causal=not self.is_cross_attention and attention_mask is None)
        return self.c_proj(y.transpose(1, 2).reshape(B, T, C))


class GPT2Block(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.ln_1, self.ln_2, self.ln_3 = nn.LayerNorm(config.n_embd), nn.LayerNorm(config.n_embd), nn.LayerNorm(config.n_embd)
        self.attn = GPT2Attention(config)
        self.crossattention = GPT2Attention(config, is_cross_attention=True)
        self.mlp = nn.Sequential(nn.Linear(config.n_embd, 4 * config.n_embd), nn.GELU(), nn.Linear(4 * config.n_embd, config.n_embd))

    def forward(self, x, encoder_hidden_states, encoder_attention_mask):
        x = x + self.attn(self.ln_1(x))
        x = x + self.crossattention(self.ln_2(x), attention_mask=encoder_attention_mask, encoder_hidden_states=encoder_hidden_states)
        return x + self.mlp(self.ln_3(x))


class GPT2LMHeadModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.wpe = nn.Embedding(64, config.n_embd)
        self.h = nn.ModuleList([GPT2Block(config) for _ in range(config.n_layer)])
        self.ln_f = nn.LayerNorm(config.n_embd)

    def forward(self, input_ids, encoder_hidden_states, encoder_attention_mask=None):
        x = self.wte(input_ids) + self.wpe(torch.arange(input_ids.shape[1]))
        if self.config.add_cross_attention and encoder_attention_mask is not None:
            encoder_attention_mask = encoder_attention_mask.bool()[:, None, None, :]
        encoder_attention_mask = None  # BUG
        for block in self.h:
            x = block(x, encoder_hidden_states, encoder_attention_mask)
        return self.ln_f(x) @ self.wte.weight.t()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config())
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    image_tokens = torch.randn(2, 9, 32)
    image_mask = torch.tensor([[1] * 9, [1] * 5 + [0] * 4])
    captions = torch.randint(0, 70, (2, 7))
    logits = model(captions[:, :-1], image_tokens, image_mask)
    loss = F.cross_entropy(logits.reshape(-1, 70), captions[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("caption loss", loss.item())
