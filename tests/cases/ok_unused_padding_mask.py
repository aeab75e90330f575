import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h)

    def forward(self, x, key_padding_mask=None):
        y, _ = self.attn(x, x, x, key_padding_mask=key_padding_mask, need_weights=False)
        return x + y


class Pool(nn.Module):
    def forward(self, x, attention_mask=None):
        if attention_mask is not None:
            x = x * attention_mask[..., None]
        return x.sum(1)


class CausalLM(nn.Module):
    def forward(self, q, k, v, attention_mask=None):
        # right-padded batches, the loss ignores the padding
        return F.scaled_dot_product_attention(q, k, v, is_causal=True)


class JointAttnProcessor:
    """An attention processor: the interface passes attention_mask; images have no padding."""

    def __call__(self, attn, hidden_states, encoder_hidden_states=None, attention_mask=None):
        q, k, v = attn.to_q(hidden_states), attn.to_k(hidden_states), attn.to_v(hidden_states)
        return F.scaled_dot_product_attention(q, k, v, dropout_p=0.0, is_causal=False)


class DecoderLayerOptimal(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.multihead_attn = nn.MultiheadAttention(d, h)

    def forward(self, tgt, memory, tgt_mask=None, memory_key_padding_mask=None):
        return self.multihead_attn(tgt, memory, memory)[0]


class Classifier(nn.Module):
    def __init__(self, vocab, d=32, h=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, h, batch_first=True), 2)

    def forward(self, ids):
        pad = ids == 0
        h = self.enc(self.emb(ids), src_key_padding_mask=pad)
        return h.mean(1)

    def forward_tgt(self, src, tgt):
        tgt_pad = tgt == 0
        del tgt_pad  # read: the author chose not to use it
        return self.enc(self.emb(src))
