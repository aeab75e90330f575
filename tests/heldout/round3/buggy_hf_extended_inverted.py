"""BERT-style encoder with an SDPA self-attention, written in the layout of
Hugging Face modeling files (config object, *Embeddings / *Layer classes)."""
import torch
from torch import nn
import torch.nn.functional as F
from transformers import PretrainedConfig


class MiniBertConfig(PretrainedConfig):
    model_type = "mini-bert"

    def __init__(self, vocab_size=30522, hidden_size=384, num_attention_heads=6,
                 num_hidden_layers=6, intermediate_size=1536, max_position_embeddings=512,
                 attention_probs_dropout_prob=0.1, layer_norm_eps=1e-12, **kwargs):
        super().__init__(**kwargs)
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_attention_heads = num_attention_heads
        self.num_hidden_layers = num_hidden_layers
        self.intermediate_size = intermediate_size
        self.max_position_embeddings = max_position_embeddings
        self.attention_probs_dropout_prob = attention_probs_dropout_prob
        self.layer_norm_eps = layer_norm_eps


class MiniBertSdpaSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // config.num_attention_heads
        self.query = nn.Linear(config.hidden_size, config.hidden_size)
        self.key = nn.Linear(config.hidden_size, config.hidden_size)
        self.value = nn.Linear(config.hidden_size, config.hidden_size)
        self.dropout_prob = config.attention_probs_dropout_prob

    def _shape(self, x):
        b, s, _ = x.shape
        return x.view(b, s, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, hidden_states, attention_mask=None):
        """attention_mask: (batch, seq) with 1 for real tokens and 0 for padding."""
        q = self._shape(self.query(hidden_states))
        k = self._shape(self.key(hidden_states))
        v = self._shape(self.value(hidden_states))
        attn_bias = None
        if attention_mask is not None:
            attn_bias = attention_mask[:, None, None, :].to(q.dtype) * torch.finfo(q.dtype).min
        ctx = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=attn_bias,  # expect: ML103
            dropout_p=self.dropout_prob if self.training else 0.0,
        )
        return ctx.transpose(1, 2).flatten(2)


class MiniBertLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.attention = MiniBertSdpaSelfAttention(config)
        self.attn_out = nn.Linear(config.hidden_size, config.hidden_size)
        self.ln1 = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.intermediate = nn.Linear(config.hidden_size, config.intermediate_size)
        self.output = nn.Linear(config.intermediate_size, config.hidden_size)
        self.ln2 = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)

    def forward(self, hidden_states, attention_mask=None):
        h = self.ln1(hidden_states + self.attn_out(self.attention(hidden_states, attention_mask)))
        return self.ln2(h + self.output(F.gelu(self.intermediate(h))))


class MiniBertModel(nn.Module):
    def __init__(self, config: MiniBertConfig):
        super().__init__()
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.emb_ln = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.layer = nn.ModuleList(MiniBertLayer(config) for _ in range(config.num_hidden_layers))

    def forward(self, input_ids, attention_mask=None):
        pos = torch.arange(input_ids.size(1), device=input_ids.device)
        h = self.emb_ln(self.word_embeddings(input_ids) + self.position_embeddings(pos))
        for layer_module in self.layer:
            h = layer_module(h, attention_mask)
        return h
