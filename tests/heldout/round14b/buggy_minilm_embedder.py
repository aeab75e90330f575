"""Sentence-embedding encoder ported from an eager implementation to F.scaled_dot_product_attention."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MiniLMConfig:
    def __init__(self, vocab_size=5000, hidden_size=64, num_attention_heads=4, num_hidden_layers=2,
                 intermediate_size=128, max_position_embeddings=64, attention_probs_dropout_prob=0.1):
        self.__dict__.update(locals())
        del self.__dict__["self"]


def expand_mask(attention_mask: torch.Tensor, dtype: torch.dtype, tgt_len: int) -> torch.Tensor:
    """[bsz, src_len] -> [bsz, 1, tgt_len, src_len] additive mask."""
    bsz, src_len = attention_mask.shape
    expanded = attention_mask[:, None, None, :].expand(bsz, 1, tgt_len, src_len).to(dtype)
    return expanded * torch.finfo(dtype).min


class MiniLMSelfAttention(nn.Module):
    def __init__(self, config: MiniLMConfig):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // config.num_attention_heads
        self.query = nn.Linear(config.hidden_size, config.hidden_size)
        self.key = nn.Linear(config.hidden_size, config.hidden_size)
        self.value = nn.Linear(config.hidden_size, config.hidden_size)
        self.dropout_p = config.attention_probs_dropout_prob

    def _shape(self, x):
        return x.view(x.size(0), x.size(1), self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, hidden_states, attention_mask=None):
        q = self._shape(self.query(hidden_states))
        k = self._shape(self.key(hidden_states))
        v = self._shape(self.value(hidden_states))
        ctx = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=attention_mask,  # expect: ML103
            dropout_p=self.dropout_p if self.training else 0.0,
        )
        return ctx.transpose(1, 2).flatten(2)


class MiniLMLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.attention = MiniLMSelfAttention(config)
        self.attn_out = nn.Linear(config.hidden_size, config.hidden_size)
        self.ln1 = nn.LayerNorm(config.hidden_size)
        self.ffn = nn.Sequential(nn.Linear(config.hidden_size, config.intermediate_size), nn.GELU(),
                                 nn.Linear(config.intermediate_size, config.hidden_size))
        self.ln2 = nn.LayerNorm(config.hidden_size)

    def forward(self, hidden_states, attention_mask):
        h = self.ln1(hidden_states + self.attn_out(self.attention(hidden_states, attention_mask)))
        return self.ln2(h + self.ffn(h))


class SentenceEncoder(nn.Module):
    def __init__(self, config=None):
        super().__init__()
        self.config = config or MiniLMConfig()
        c = self.config
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size, padding_idx=0)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.layers = nn.ModuleList(MiniLMLayer(c) for _ in range(c.num_hidden_layers))

    def forward(self, input_ids, attention_mask):
        pos = torch.arange(input_ids.size(1), device=input_ids.device)
        h = self.word_embeddings(input_ids) + self.position_embeddings(pos)
        ext = expand_mask(attention_mask, h.dtype, input_ids.size(1))
        for layer in self.layers:
            h = layer(h, ext)
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        return F.normalize((h * m).sum(1) / m.sum(1), dim=-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = SentenceEncoder().eval()
    input_ids = torch.tensor([[101, 2054, 2003, 1996, 3007, 102, 0, 0], [101, 3007, 1997, 2605, 2003, 3000, 2605, 102]])
    attention_mask = (input_ids != 0).long()
    with torch.no_grad():
        emb = enc(input_ids, attention_mask)
    print("cosine similarity", (emb[0] @ emb[1]).item())
