"""Extractive QA: span pointer head + set-prediction (DETR-style) answer-slot decoder."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SpanPointer(nn.Module):
    """Scores every (start, end) pair; only end >= start and length <= max_span are valid spans."""

    def __init__(self, dim, max_span=8):
        super().__init__()
        self.start = nn.Linear(dim, dim)
        self.end = nn.Linear(dim, dim)
        self.max_span = max_span

    def forward(self, h, token_mask):
        L = h.size(1)
        logits = torch.einsum("bid,bjd->bij", self.start(h), self.end(h)) / h.size(-1) ** 0.5
        valid = torch.ones(L, L, dtype=torch.bool, device=h.device).triu()
        valid = valid & ~torch.ones(L, L, dtype=torch.bool, device=h.device).triu(self.max_span)
        valid = valid[None] & token_mask[:, :, None] & token_mask[:, None, :]
        return logits.masked_fill(~valid, float("-inf"))


class AnswerSlotDecoder(nn.Module):
    """A fixed set of learned slot queries reads the passage; slots are unordered, so no causal mask."""

    def __init__(self, dim, heads, n_slots=4, layers=2):
        super().__init__()
        self.slots = nn.Parameter(torch.randn(n_slots, dim) * 0.02)
        layer = nn.TransformerDecoderLayer(dim, heads, 2 * dim, dropout=0.1, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, layers)
        self.has_answer = nn.Linear(dim, 1)

    def forward(self, memory, memory_pad):
        q = self.slots.unsqueeze(0).expand(memory.size(0), -1, -1)
        out = self.decoder(q, memory, memory_key_padding_mask=memory_pad)
        return self.has_answer(out).squeeze(-1)


class ExtractiveReader(nn.Module):
    def __init__(self, vocab=5000, dim=64, heads=4, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=0)
        self.pos = nn.Embedding(256, dim)
        enc_layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, layers, enable_nested_tensor=False)
        self.pointer = SpanPointer(dim)
        self.slots = AnswerSlotDecoder(dim, heads)

    def forward(self, input_ids):
        pad = input_ids == 0
        x = self.embed(input_ids) + self.pos(torch.arange(input_ids.size(1), device=input_ids.device))
        h = self.encoder(x, src_key_padding_mask=pad)
        return self.pointer(h, ~pad), self.slots(h, pad)


def best_span(span_logits):
    B, L, _ = span_logits.shape
    flat = span_logits.view(B, -1).argmax(-1)
    return torch.stack([flat // L, flat % L], dim=-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    reader = ExtractiveReader()
    ids = torch.randint(1, 5000, (2, 20))
    ids[1, 14:] = 0
    span_logits, slot_logits = reader(ids)
    gold = torch.tensor([3 * 20 + 5, 7 * 20 + 7])
    loss = F.cross_entropy(span_logits.view(2, -1), gold) + F.binary_cross_entropy_with_logits(
        slot_logits[:, 0], torch.ones(2))
    loss.backward()
    print("loss", round(loss.item(), 3), "spans", best_span(span_logits.detach()).tolist())
