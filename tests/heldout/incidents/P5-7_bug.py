import torch
import torch.nn.functional as F
from torch import nn


class LMConfig:
    dim = 8
    n_heads = 2
    n_layers = 2
    vocab_size = 32
    max_seq_len = 32
    dropout = 0.0


class Attention(nn.Module):
    def __init__(self, args: LMConfig):
        super().__init__()
        self.n_heads, self.head_dim = args.n_heads, args.dim // args.n_heads
        self.wq = nn.Linear(args.dim, args.dim, bias=False)
        self.wk = nn.Linear(args.dim, args.dim, bias=False)
        self.wv = nn.Linear(args.dim, args.dim, bias=False)
        self.wo = nn.Linear(args.dim, args.dim, bias=False)
        self.dropout = args.dropout

    def forward(self, x, attention_mask=None):
        bsz, seq_len, _ = x.shape
        xq, xk, xv = (w(x).view(bsz, seq_len, self.n_heads, self.head_dim).transpose(1, 2) for w in (self.wq, self.wk, self.wv))
        output = F.scaled_dot_product_attention(xq, xk, xv, attn_mask=None,  # BUG: attention_mask ignored
                                                dropout_p=self.dropout if self.training else 0.0, is_causal=True)
        return self.wo(output.transpose(1, 2).reshape(bsz, seq_len, -1))


class MiniMindLM(nn.Module):
    def __init__(self, params: LMConfig = LMConfig()):
        super().__init__()
        self.tok_embeddings = nn.Embedding(params.vocab_size, params.dim)
        self.pos = nn.Embedding(params.max_seq_len, params.dim)
        self.layers = nn.ModuleList([Attention(params) for _ in range(params.n_layers)])
        self.norm = nn.LayerNorm(params.dim)
        self.output = nn.Linear(params.dim, params.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None, loss_mask=None, labels=None):
        h = self.tok_embeddings(input_ids) + self.pos(torch.arange(input_ids.shape[1], device=input_ids.device))
        for layer in self.layers:
            h = h + layer(h)  # BUG: padding mask not forwarded
        logits = self.output(self.norm(h))
        if labels is not None:
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), labels.view(-1), reduction="none")
            loss = (loss * loss_mask.view(-1)).sum() / loss_mask.sum()
            return logits, loss
        return logits


def run():
    model = MiniMindLM()
    input_ids = torch.tensor([[5, 6, 7, 8, 9], [0, 0, 11, 12, 13]])  # left padded batch for generation
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1]])
    with torch.no_grad():
        return model(input_ids, attention_mask=attention_mask)
