import torch
import torch.nn as nn

PAD_IDX, SOS_IDX, EOS_IDX = 0, 1, 2


class MoleculeSeq2Seq(nn.Module):
    def __init__(self, vocab_size=40, d_model=32, nhead=4, num_layers=2, max_len=64):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=PAD_IDX)
        self.pos_embedding = nn.Embedding(max_len, d_model)
        self.transformer = nn.Transformer(
            d_model=d_model, nhead=nhead, num_encoder_layers=num_layers, num_decoder_layers=num_layers,
            dim_feedforward=64, dropout=0.1, batch_first=True,
        )
        self.fc_out = nn.Linear(d_model, vocab_size)

    def embed(self, tokens):
        pos = torch.arange(tokens.size(1), device=tokens.device).unsqueeze(0)
        return self.embedding(tokens) + self.pos_embedding(pos)

    def forward(self, src, tgt):
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.size(1)).to(src.device)
        src_key_padding_mask = src == PAD_IDX
        tgt_key_padding_mask = tgt == PAD_IDX
        out = self.transformer(
            self.embed(src), self.embed(tgt), tgt_mask=tgt_mask,
            src_key_padding_mask=src_key_padding_mask,
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=src_key_padding_mask,
        )
        return self.fc_out(out)


def collate(batch):
    src = nn.utils.rnn.pad_sequence([s for s, _ in batch], batch_first=True, padding_value=PAD_IDX)
    tgt = nn.utils.rnn.pad_sequence([t for _, t in batch], batch_first=True, padding_value=PAD_IDX)
    return src, tgt


if __name__ == "__main__":
    model = MoleculeSeq2Seq()
    batch = [
        (torch.randint(3, 40, (12,)), torch.cat([torch.tensor([SOS_IDX]), torch.randint(3, 40, (10,)), torch.tensor([EOS_IDX])])),
        (torch.randint(3, 40, (7,)), torch.cat([torch.tensor([SOS_IDX]), torch.randint(3, 40, (5,)), torch.tensor([EOS_IDX])])),
    ]
    src, tgt = collate(batch)
    logits = model(src, tgt[:, :-1])
    loss = nn.functional.cross_entropy(logits.reshape(-1, 40), tgt[:, 1:].reshape(-1), ignore_index=PAD_IDX)
    print(logits.shape, loss.item() > 0)
