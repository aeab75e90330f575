import torch
import torch.nn as nn

from .collate import collate_questions
from .vocab import PacketVocab


class AnswerLineWriter(nn.Module):
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
        memory = self.encoder(self._embed(batch["question"]), src_key_padding_mask=batch["question_pad"])
        L = batch["answer_in"].size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(L, device=memory.device)
        h = self.decoder(self._embed(batch["answer_in"]), memory, tgt_mask=causal, tgt_is_causal=True,
                         tgt_key_padding_mask=batch["answer_pad"], memory_key_padding_mask=batch["question_pad"])
        return self.lm(h)

    def loss(self, batch):
        return nn.functional.cross_entropy(self(batch).transpose(1, 2), batch["answer_out"], ignore_index=self.pad_id)


if __name__ == "__main__":
    torch.manual_seed(0)
    pairs = [
        ("this element named for a greek word for violet sublimes when heated", "iodine accept i"),
        ("name this author of the left hand of darkness", "ursula k le guin"),
        ("this river flows through khartoum", "nile prompt on blue or white"),
    ]
    vocab = PacketVocab([s for p in pairs for s in p])
    batch = collate_questions(pairs, vocab)
    model = AnswerLineWriter(len(vocab), vocab.pad_id)
    loss = model.loss(batch)
    loss.backward()
    print(float(loss))
