"""Small decoder-only code-completion model built from
nn.TransformerEncoder layers, relying on the is_causal flag."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CodeLM(nn.Module):
    def __init__(self, vocab_size=16384, d_model=512, n_heads=8, n_layers=8, max_len=2048, dropout=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        layer = nn.TransformerEncoderLayer(
            d_model=d_model, nhead=n_heads, dim_feedforward=4 * d_model,
            dropout=dropout, activation="gelu", batch_first=True, norm_first=True,
        )
        self.blocks = nn.TransformerEncoder(layer, n_layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d_model)
        self.lm_head = nn.Linear(d_model, vocab_size, bias=False)

    def forward(self, input_ids):
        T = input_ids.size(1)
        x = self.tok(input_ids) + self.pos(torch.arange(T, device=input_ids.device))
        # causal self-attention: the flag tells torch to apply the triangular mask
        x = self.blocks(x, is_causal=True)  # expect: ML402
        return self.lm_head(self.norm(x))

    def loss(self, input_ids):
        logits = self(input_ids[:, :-1])
        return F.cross_entropy(logits.reshape(-1, logits.size(-1)), input_ids[:, 1:].reshape(-1))

    @torch.inference_mode()
    def complete(self, prompt_ids, max_new_tokens=64, top_k=40):
        self.eval()
        ids = prompt_ids
        for _ in range(max_new_tokens):
            logits = self(ids)[:, -1]
            v, _ = torch.topk(logits, top_k)
            logits[logits < v[:, [-1]]] = -float("inf")
            ids = torch.cat([ids, torch.multinomial(logits.softmax(-1), 1)], dim=1)
        return ids
