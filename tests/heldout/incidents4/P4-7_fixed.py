import torch
import torch.nn as nn


def document_ids_from_lengths(lengths, total_len):
    doc_ids = torch.repeat_interleave(torch.arange(len(lengths)), torch.as_tensor(lengths))[:total_len]
    pad = total_len - doc_ids.numel()
    return torch.cat([doc_ids, torch.full((pad,), len(lengths))])


def packed_causal_mask(doc_ids):
    n = doc_ids.numel()
    idx = torch.arange(n, device=doc_ids.device)
    causal = idx[None, :] > idx[:, None]
    other_doc = doc_ids[None, :] != doc_ids[:, None]
    return causal | other_doc


class PackedEncoderBlock(nn.Module):
    def __init__(self, d_model, nhead):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=4 * d_model, dropout=0.1, batch_first=True)

    def forward(self, x, attn_mask, causal_hint=True):
        return self.layer(x, src_mask=attn_mask, is_causal=causal_hint)


class PackedLM(nn.Module):
    def __init__(self, vocab, d_model=64, nhead=4, depth=2, causal_hint=False):
        super().__init__()
        self.causal_hint = causal_hint
        self.embed = nn.Embedding(vocab, d_model)
        self.blocks = nn.ModuleList([PackedEncoderBlock(d_model, nhead) for _ in range(depth)])
        self.head = nn.Linear(d_model, vocab)

    def forward(self, packed_ids, lengths):
        doc_ids = document_ids_from_lengths(lengths, packed_ids.size(1)).to(packed_ids.device)
        attn_mask = packed_causal_mask(doc_ids)
        x = self.embed(packed_ids)
        for block in self.blocks:
            x = block(x, attn_mask, causal_hint=self.causal_hint)
        return self.head(x)


def pack(sequences, total_len, pad_id=0):
    flat = torch.cat(sequences)[:total_len]
    out = torch.full((1, total_len), pad_id, dtype=torch.long)
    out[0, : flat.numel()] = flat
    return out, [len(s) for s in sequences]


def train_step(model, optimizer, sequences, total_len=64):
    packed, lengths = pack(sequences, total_len)
    logits = model(packed[:, :-1], lengths)
    loss = nn.functional.cross_entropy(logits.flatten(0, 1), packed[:, 1:].flatten())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
