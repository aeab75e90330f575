import torch
import torch.nn as nn

from .collate import collate_hints
from .vocab import HintVocab


class HintGenerator(nn.Module):
    def __init__(self, vocab_size, pad_id, d=48, nhead=4, layers=2):
        super().__init__()
        self.pad_id = pad_id
        self.emb = nn.Embedding(vocab_size, d, padding_idx=pad_id)
        self.pos = nn.Embedding(128, d)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, nhead, 2 * d, 0.1, batch_first=True), layers, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, nhead, 2 * d, 0.1, batch_first=True), layers)
        self.lm = nn.Linear(d, vocab_size)

    def _embed(self, ids):
        return self.emb(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))

    def forward(self, batch):
        memory = self.encoder(self._embed(batch["clues"]), src_key_padding_mask=batch["clue_pad"])
        L = batch["hint_in"].size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(L, device=memory.device)
        h = self.decoder(self._embed(batch["hint_in"]), memory, tgt_mask=causal, tgt_key_padding_mask=batch["hint_pad"])  # BUG: hint decoder cross-attends to padded clue positions (no memory_key_padding_mask)
        return self.lm(h)

    def loss(self, batch):
        logits = self(batch)
        return nn.functional.cross_entropy(logits.transpose(1, 2), batch["hint_out"], ignore_index=self.pad_id)


if __name__ == "__main__":
    torch.manual_seed(0)
    pairs = [
        ("solved padlock three digits blacklight found", "look under the desk lamp"),
        ("nothing solved yet", "count the clocks in the hallway"),
        ("solved bookshelf cipher mirror still locked", "the mirror likes to be reflected twice"),
    ]
    vocab = HintVocab([s for p in pairs for s in p])
    batch = collate_hints(pairs, vocab)
    model = HintGenerator(len(vocab), vocab.pad_id)
    loss = model.loss(batch)
    loss.backward()
    print(float(loss))
