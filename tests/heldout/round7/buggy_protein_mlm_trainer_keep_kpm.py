"""Protein masked language model (ESM flavour) with a character-level amino
acid tokenizer that returns input_ids / attention_mask like HF tokenizers, and
a small training loop."""
import torch
import torch.nn as nn
import torch.nn.functional as F

AA = "ACDEFGHIKLMNPQRSTVWY"
PAD, CLS, EOS, MASK = 0, 1, 2, 3
VOCAB = {a: i + 4 for i, a in enumerate(AA)}


def tokenize(seqs):
    ids = [[CLS] + [VOCAB[c] for c in s] + [EOS] for s in seqs]
    L = max(map(len, ids))
    input_ids = torch.tensor([x + [PAD] * (L - len(x)) for x in ids])
    return {"input_ids": input_ids, "attention_mask": (input_ids != PAD).long()}


class ProteinMLM(nn.Module):
    def __init__(self, d=32, heads=4, layers=2, max_len=64):
        super().__init__()
        self.embed = nn.Embedding(len(VOCAB) + 4, d, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.0, batch_first=True, activation="gelu"), layers,
            enable_nested_tensor=False)
        self.lm_head = nn.Linear(d, len(VOCAB) + 4)

    def forward(self, input_ids, padding_mask):
        x = self.embed(input_ids) + self.pos(torch.arange(input_ids.size(1)))
        return self.lm_head(self.encoder(x, src_key_padding_mask=padding_mask))


def mask_tokens(input_ids, gen, p=0.15):
    labels = input_ids.clone()
    special = input_ids < 4
    chosen = (torch.rand(input_ids.shape, generator=gen) < p) & ~special
    labels[~chosen] = -100
    return input_ids.masked_fill(chosen, MASK), labels


class MLMTrainer:
    def __init__(self, lr=1e-3, seed=0, **model_kwargs):
        torch.manual_seed(seed)
        self.model = ProteinMLM(**model_kwargs)
        self.opt = torch.optim.AdamW(self.model.parameters(), lr)
        self.gen = torch.Generator().manual_seed(seed)

    def forward_batch(self, batch, input_ids=None):
        return self.model(
            batch["input_ids"] if input_ids is None else input_ids,
            batch["attention_mask"].bool(),  # expect: ML101
        )

    def train_step(self, batch):
        self.model.train()
        inputs, labels = mask_tokens(batch["input_ids"], self.gen)
        logits = self.forward_batch(batch, inputs)
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), labels.view(-1), ignore_index=-100)
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    trainer = MLMTrainer()
    model = trainer.model
    batch = tokenize(["MKTAYIAKQR", "MKV"])
    loss = trainer.train_step(batch)
    print("loss:", loss)
    model.eval()
    with torch.no_grad():
        out = trainer.forward_batch(batch)
    print("eval NaN for the unpadded protein:", torch.isnan(out[0]).any().item())
    assert torch.isnan(out[0]).any()
