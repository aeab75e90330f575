"""A causal LM that reads its left-padded attention_mask (for positions, or nowhere) but never
hands it to the layers that take one (minimind, P5-7; a flash-attention monkey patch, P5-8): the
causal flag hides the future, not the pads before the prompt."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, d=16, heads=2):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, attention_mask=None):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if attention_mask is None:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            keep = attention_mask[:, None, None, :].bool() & torch.ones(t, t, dtype=torch.bool).tril()
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return y.transpose(1, 2).reshape(b, t, d)


class PositionsOnlyLM(nn.Module):
    def __init__(self, vocab=40, d=16, n_layers=2, max_len=32):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        self.layers = nn.ModuleList([Attention(d) for _ in range(n_layers)])
        self.out = nn.Linear(d, vocab)

    def forward(self, input_ids, attention_mask=None):
        pos = (attention_mask.cumsum(-1) - 1).clamp(min=0) if attention_mask is not None else torch.arange(input_ids.shape[1])
        h = self.tok(input_ids) + self.pos(pos)
        for layer in self.layers:
            h = h + layer(h)  # expect: ML504
        return self.out(h)


def batched_prompts():
    model = PositionsOnlyLM().eval()
    prompts = torch.tensor([[0, 0, 0, 5, 9, 3], [7, 2, 8, 4, 6, 1]])
    attention_mask = (prompts != 0).long()
    return model(prompts, attention_mask=attention_mask)


class LoraLlamaAttention(nn.Module):
    def __init__(self, d=16, heads=2):
        super().__init__()
        self.heads = heads
        self.q_proj, self.k_proj, self.v_proj = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)


class LoraLlama(nn.Module):
    def __init__(self, vocab=40, d=16):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList([LoraLlamaAttention(d) for _ in range(2)])

    def forward(self, input_ids, attention_mask):
        h = self.embed(input_ids)
        for layer in self.layers:
            h = h + layer(h, attention_mask=attention_mask)
        return h


def patched_forward(self, hidden_states, attention_mask=None, position_ids=None):
    b, t, d = hidden_states.shape
    q, k, v = (p(hidden_states).view(b, t, self.heads, -1).transpose(1, 2)
               for p in (self.q_proj, self.k_proj, self.v_proj))
    out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    return out.transpose(1, 2).reshape(b, t, d)


def replace_attention():
    LoraLlamaAttention.forward = patched_forward


def generate_left_padded():
    replace_attention()
    model = LoraLlama().eval()
    ids = torch.tensor([[0, 0, 4, 5, 9], [3, 7, 2, 8, 6]])
    return model(ids, (ids != 0).long())  # expect: ML504
