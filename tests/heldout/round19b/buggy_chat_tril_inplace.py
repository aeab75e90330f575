"""Small chat model: a decoder-only stack built from nn.TransformerEncoderLayer."""
import torch
import torch.nn as nn


class ChatModel(nn.Module):
    def __init__(self, vocab_size=1000, d_model=64, nhead=4, num_layers=2, max_len=128, dropout=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        layer = nn.TransformerEncoderLayer(
            d_model, nhead, dim_feedforward=4 * d_model, dropout=dropout, batch_first=True, norm_first=True
        )
        self.stack = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.lm_head = nn.Linear(d_model, vocab_size, bias=False)
        self.lm_head.weight = self.tok.weight
        self.register_buffer("_mask_cache", torch.empty(0, 0, dtype=torch.bool), persistent=False)

    def attention_mask(self, length: int) -> torch.Tensor:
        if self._mask_cache.size(0) < length:
            cache = torch.ones(length, length, dtype=torch.bool, device=self.tok.weight.device)
            cache.tril_()  # BUG: tril keeps True on the past, but TransformerEncoder masks True positions; needs triu_(1)
            self._mask_cache = cache
        return self._mask_cache[:length, :length]

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        T = input_ids.size(1)
        pos = torch.arange(T, device=input_ids.device)
        h = self.tok(input_ids) + self.pos(pos)
        h = self.stack(h, mask=self.attention_mask(T))
        return self.lm_head(h)

    @torch.no_grad()
    def reply(self, prompt_ids: torch.Tensor, max_new_tokens: int = 20, eos_id: int = 2) -> torch.Tensor:
        ids = prompt_ids
        for _ in range(max_new_tokens):
            logits = self(ids[:, -self.pos.num_embeddings:])[:, -1]
            nxt = logits.argmax(-1, keepdim=True)
            ids = torch.cat([ids, nxt], dim=1)
            if (nxt == eos_id).all():
                break
        return ids
