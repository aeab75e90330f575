import torch
import torch.nn as nn


class Summarizer(nn.Module):
    def __init__(self, vocab, d_model=32, nhead=4, layers=2, pad_id=0, max_len=128):
        super().__init__()
        self.pad_id = pad_id
        self.embedding = nn.Embedding(vocab, d_model, padding_idx=pad_id)
        self.position = nn.Embedding(max_len, d_model)
        self.transformer = nn.Transformer(
            d_model, nhead, num_encoder_layers=layers, num_decoder_layers=layers,
            dim_feedforward=64, dropout=0.0, batch_first=True,
        )
        self.generator = nn.Linear(d_model, vocab)

    def embed(self, ids):
        return self.embedding(ids) + self.position(torch.arange(ids.size(1), device=ids.device))

    def forward(self, article, summary):
        article_pad = article == self.pad_id
        summary_pad = summary == self.pad_id
        causal = self.transformer.generate_square_subsequent_mask(summary.size(1), dtype=torch.bool)
        hidden = self.transformer(
            self.embed(article), self.embed(summary),
            tgt_mask=causal,
            src_key_padding_mask=article_pad,
            tgt_key_padding_mask=summary_pad,
            memory_key_padding_mask=summary_pad,  # expect: ML503
        )
        return self.generator(hidden)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Summarizer(vocab=60)
    article = torch.randint(1, 60, (2, 12))
    article[0, 9:] = 0
    summary = torch.tensor([[1, 14, 15, 0], [1, 16, 17, 18]])
    try:
        print(model(article, summary).shape)
    except (AssertionError, RuntimeError) as exc:
        print("forward failed:", exc)
