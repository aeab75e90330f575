import torch
import torch.nn as nn

VOCAB = ["<pad>", "<sos>", "<eos>", "C", "c", "N", "O", "(", ")", "=", "1", "2", "F", "S", "#"]
PAD_IDX = 0


def collate_smiles(pairs, max_len=10):
    def enc(s):
        ids = [1] + [VOCAB.index(ch) for ch in s] + [2]
        return ids + [PAD_IDX] * (max_len - len(ids))
    src = torch.tensor([enc(a) for a, _ in pairs])
    tgt = torch.tensor([enc(b) for _, b in pairs])
    return src, tgt


class Seq2SeqMoleculeGenerator(nn.Module):
    def __init__(self, vocab_size=len(VOCAB), d_model=32, nhead=4, num_layers=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Parameter(torch.randn(1, 64, d_model) * 0.02)
        self.transformer = nn.Transformer(d_model, nhead, num_layers, num_layers, 64, dropout=0.0, batch_first=True)
        self.fc_out = nn.Linear(d_model, vocab_size)

    def forward(self, src, tgt):
        src_emb = self.embedding(src) + self.pos[:, : src.size(1)]
        tgt_emb = self.embedding(tgt) + self.pos[:, : tgt.size(1)]
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.size(1))
        src_pad, tgt_pad = src == PAD_IDX, tgt == PAD_IDX
        out = self.transformer(src_emb, tgt_emb, tgt_mask=tgt_mask, src_key_padding_mask=src_pad, tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=src_pad)
        return self.fc_out(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Seq2SeqMoleculeGenerator().train()
    src, tgt = collate_smiles([("CCO", "CC=O"), ("c1ccc1", "C1CC1")])
    real = tgt != PAD_IDX
    with torch.no_grad():
        a = model(src, tgt)
        model.embedding.weight[PAD_IDX] += 1.0
        b = model(src, tgt)
    print(f"logits at real tokens change when the <pad> embedding changes = {(a - b)[real].abs().max().item():.4f}")
