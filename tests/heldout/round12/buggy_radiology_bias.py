"""Multi-label finding extraction from chest X-ray reports (BERT-style encoder).

The tokenizer returns `attention_mask` with 1 for report tokens and 0 for
padding; the encoder turns it into an additive bias once per forward pass.
"""
import torch
import torch.nn.functional as F
from torch import nn

FINDINGS = ["cardiomegaly", "effusion", "pneumothorax", "consolidation", "edema", "no_finding"]


class ReportAttention(nn.Module):
    def __init__(self, hidden, heads, p_drop=0.1):
        super().__init__()
        self.heads, self.p_drop = heads, p_drop
        self.query, self.key, self.value = (nn.Linear(hidden, hidden) for _ in range(3))
        self.dense = nn.Linear(hidden, hidden)
        self.ln = nn.LayerNorm(hidden)

    def _shape(self, x):
        b, s, _ = x.shape
        return x.view(b, s, self.heads, -1).transpose(1, 2)

    def forward(self, hidden_states, extended_attention_mask):
        q, k, v = (self._shape(f(hidden_states)) for f in (self.query, self.key, self.value))
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=extended_attention_mask,  # expect: ML103
                                             dropout_p=self.p_drop if self.training else 0.0)
        ctx = ctx.transpose(1, 2).flatten(2)
        return self.ln(hidden_states + self.dense(ctx))


class ReportEncoder(nn.Module):
    def __init__(self, vocab=3000, hidden=32, heads=4, layers=2, max_pos=256):
        super().__init__()
        self.word = nn.Embedding(vocab, hidden, padding_idx=0)
        self.position = nn.Embedding(max_pos, hidden)
        self.layers = nn.ModuleList(ReportAttention(hidden, heads) for _ in range(layers))
        self.ffn = nn.ModuleList(nn.Sequential(nn.Linear(hidden, 4 * hidden), nn.GELU(), nn.Linear(4 * hidden, hidden))
                                 for _ in range(layers))
        self.classifier = nn.Linear(hidden, len(FINDINGS))

    def get_extended_attention_mask(self, attention_mask, dtype):
        extended = attention_mask[:, None, None, :].to(dtype)
        return extended * -10000.0

    def forward(self, input_ids, attention_mask):
        x = self.word(input_ids) + self.position(torch.arange(input_ids.size(1), device=input_ids.device))
        bias = self.get_extended_attention_mask(attention_mask, x.dtype)
        for attn, ffn in zip(self.layers, self.ffn):
            x = attn(x, bias)
            x = x + ffn(x)
        return self.classifier(x[:, 0])       # [CLS]


if __name__ == "__main__":
    torch.manual_seed(0)
    input_ids = torch.tensor([[101, 2003, 17, 845, 93, 1210, 102],
                              [101, 58, 2290, 102, 0, 0, 0]])
    attention_mask = (input_ids != 0).long()
    labels = torch.tensor([[1, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 1]], dtype=torch.float)
    model = ReportEncoder()
    loss = F.binary_cross_entropy_with_logits(model(input_ids, attention_mask), labels)
    loss.backward()
    print("bce", round(loss.item(), 4))
