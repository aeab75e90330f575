"""Chat model on top of nn.TransformerEncoder with a cached causal mask."""
import torch
import torch.nn as nn


class ChatModel(nn.Module):
    def __init__(self, vocab_size=1000, d_model=64, nhead=4, num_layers=2, max_len=128, dropout=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        block = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout, batch_first=True, norm_first=True)
        self.stack = nn.TransformerEncoder(block, num_layers, enable_nested_tensor=False)
        self.lm_head = nn.Linear(d_model, vocab_size, bias=False)
        mask = torch.ones(max_len, max_len, dtype=torch.bool)
        mask.triu_(1)
        self.register_buffer("future", mask, persistent=False)

    def forward(self, input_ids):
        T = input_ids.size(1)
        h = self.tok(input_ids) + self.pos(torch.arange(T, device=input_ids.device))
        h = self.stack(h, mask=self.future[:T, :T], is_causal=True)
        return self.lm_head(h)

    @torch.no_grad()
    def reply(self, prompt_ids, max_new_tokens=20, eos_id=2):
        ids = prompt_ids
        for _ in range(max_new_tokens):
            nxt = self(ids[:, -self.pos.num_embeddings:])[:, -1].argmax(-1, keepdim=True)
            ids = torch.cat([ids, nxt], dim=1)
            if (nxt == eos_id).all():
                break
        return ids
