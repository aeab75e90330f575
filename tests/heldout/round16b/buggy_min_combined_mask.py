import torch
import torch.nn as nn


class DialogueStateTracker(nn.Module):
    """Left-to-right encoder over dialogue turns; each utterance token sees earlier non-pad tokens."""

    def __init__(self, vocab=1200, dim=64, heads=4, depth=2, n_slots=12, pad_id=0):
        super().__init__()
        self.heads, self.pad_id = heads, pad_id
        self.embed = nn.Embedding(vocab, dim, padding_idx=pad_id)
        self.speaker = nn.Embedding(2, dim)
        self.layers = nn.ModuleList(nn.MultiheadAttention(dim, heads, dropout=0.1, batch_first=True) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.slot_head = nn.Linear(dim, n_slots)

    def build_mask(self, input_ids, attention_mask):
        n = input_ids.size(1)
        causal = torch.tril(torch.ones(n, n, device=input_ids.device))
        keep = torch.minimum(causal[None], attention_mask[:, None, :].float())
        keep = torch.maximum(keep, torch.eye(n, device=input_ids.device)[None])
        return keep.bool().repeat_interleave(self.heads, dim=0)

    def forward(self, input_ids, speaker_ids, attention_mask):
        x = self.embed(input_ids) + self.speaker(speaker_ids)
        mask = self.build_mask(input_ids, attention_mask)
        for attn, norm in zip(self.layers, self.norms):
            h = norm(x)
            x = x + attn(h, h, h, attn_mask=mask, need_weights=False)[0]  # expect: ML101
        return self.slot_head(x)

    def training_step(self, batch):
        logits = self(batch["input_ids"], batch["speaker_ids"], batch["attention_mask"])
        labels = batch["slot_labels"].masked_fill(batch["attention_mask"] == 0, -100)
        return nn.functional.cross_entropy(logits.flatten(0, 1), labels.flatten(), ignore_index=-100)


if __name__ == "__main__":
    ids = torch.randint(1, 1200, (3, 14))
    am = torch.ones_like(ids)
    am[2, 10:] = 0
    batch = {"input_ids": ids * am, "speaker_ids": torch.randint(0, 2, (3, 14)), "attention_mask": am,
             "slot_labels": torch.randint(0, 12, (3, 14))}
    print(DialogueStateTracker().training_step(batch).item())
