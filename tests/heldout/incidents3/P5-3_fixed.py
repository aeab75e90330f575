import torch
import torch.nn as nn
import torch.nn.functional as F


class SdpaAttention(nn.Module):
    def __init__(self, dim, heads, is_cross=False):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, context, mask):
        b, t, d = x.shape
        q = self.q(x).view(b, t, self.heads, -1).transpose(1, 2)
        k, v = self.kv(context).view(b, context.size(1), 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.proj(out.transpose(1, 2).reshape(b, t, d))


class GPT2CrossBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln_1, self.ln_cross, self.ln_2 = nn.LayerNorm(dim), nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = SdpaAttention(dim, heads)
        self.crossattention = SdpaAttention(dim, heads, is_cross=True)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(approximate="tanh"), nn.Linear(4 * dim, dim))

    def forward(self, h, self_mask, encoder_hidden_states, encoder_attention_mask=None):
        x = self.ln_1(h)
        h = h + self.attn(x, x, self_mask)
        h = h + self.crossattention(self.ln_cross(h), encoder_hidden_states, encoder_attention_mask)
        return h + self.mlp(self.ln_2(h))


class SpeechCaptionDecoder(nn.Module):
    def __init__(self, vocab=500, dim=64, heads=4, layers=2, max_len=128):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocab, dim), nn.Embedding(max_len, dim)
        self.h = nn.ModuleList(GPT2CrossBlock(dim, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(dim)
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids, attention_mask, encoder_hidden_states, encoder_attention_mask=None):
        t = input_ids.size(1)
        h = self.wte(input_ids) + self.wpe(torch.arange(t, device=input_ids.device))
        causal = torch.ones(t, t, dtype=torch.bool, device=h.device).tril()
        self_mask = causal[None, None] & attention_mask.bool()[:, None, None, :]
        cross_mask = None
        if encoder_attention_mask is not None:
            cross_mask = encoder_attention_mask.bool()[:, None, None, :]
        for block in self.h:
            h = block(h, self_mask, encoder_hidden_states, encoder_attention_mask=cross_mask)
        return self.lm_head(self.ln_f(h))


def training_step(model, batch, optimizer):
    logits = model(batch["input_ids"], batch["attention_mask"],
                   batch["encoder_hidden_states"], batch["encoder_attention_mask"])
    labels = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, -100)
    loss = F.cross_entropy(logits[:, :-1].flatten(0, 1), labels[:, 1:].flatten(), ignore_index=-100)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.detach()
