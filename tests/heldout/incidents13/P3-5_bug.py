import torch
import torch.nn as nn


class Seq2SeqTransformer(nn.Module):
    def __init__(self, src_vocab=40, tgt_vocab=40, d_model=32, nhead=4):
        super().__init__()
        self.src_tok = nn.Embedding(src_vocab, d_model)
        self.tgt_tok = nn.Embedding(tgt_vocab, d_model)
        self.transformer = nn.Transformer(
            d_model=d_model, nhead=nhead, num_encoder_layers=1, num_decoder_layers=1,
            dim_feedforward=64, dropout=0.0, batch_first=True,
        )
        self.generator = nn.Linear(d_model, tgt_vocab)

    def forward(self, src, tgt):
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt.shape[0])  # BUG
        out = self.transformer(self.src_tok(src), self.tgt_tok(tgt), tgt_mask=tgt_mask)
        return self.generator(out)


def train_one_batch(model, optimizer, src, tgt):
    model.train()
    logits = model(src, tgt[:, :-1])
    loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt[:, 1:].reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


@torch.no_grad()
def evaluate(model, src, tgt):
    model.eval()
    logits = model(src, tgt[:, :-1])
    alt = tgt.clone()
    alt[:, 4:] = (alt[:, 4:] + 1) % 40
    leak = (model(src, alt[:, :-1])[:, :3] - logits[:, :3]).abs().max().item()
    return leak


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Seq2SeqTransformer()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    train_src = torch.randint(0, 40, (7, 9))
    train_tgt = torch.randint(0, 40, (7, 8))
    report = [f"train loss {train_one_batch(model, optimizer, train_src, train_tgt):.3f}"]
    try:
        leak = evaluate(model, torch.randint(0, 40, (3, 9)), torch.randint(0, 40, (3, 8)))
        report.append(f"eval ok, future leak {leak:.4f}")
    except RuntimeError as err:
        report.append(f"eval RuntimeError: {str(err)[:90]}")
    print("; ".join(report))
