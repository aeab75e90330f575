import torch
import torch.nn as nn


def tokenize(batch_of_ids, max_len):
    input_ids = torch.zeros(len(batch_of_ids), max_len, dtype=torch.long)
    attention_mask = torch.zeros(len(batch_of_ids), max_len, dtype=torch.long)
    for i, ids in enumerate(batch_of_ids):
        input_ids[i, : len(ids)] = torch.tensor(ids)
        attention_mask[i, : len(ids)] = 1
    return {"input_ids": input_ids, "attention_mask": attention_mask}


class Encoder(nn.Module):
    def __init__(self, vocab=40, d_model=16, nhead=2, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=32, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, batch):
        src_key_padding_mask = batch["attention_mask"] == 0
        return self.encoder(self.emb(batch["input_ids"]), src_key_padding_mask=src_key_padding_mask)


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = Encoder()
    batch = tokenize([[3, 7], [5, 9, 11, 2]], max_len=4)
    try:
        enc.train()
        out_train = enc(batch)
        enc.eval()
        with torch.no_grad():
            out_eval = enc(batch)
        real = batch["attention_mask"].bool()
        print(f"train vs eval disagreement on real tokens: {(out_train[real] - out_eval[real]).abs().max().item():.3e}")
    except (AssertionError, RuntimeError) as e:
        print(f"raised {type(e).__name__}: {e}")
