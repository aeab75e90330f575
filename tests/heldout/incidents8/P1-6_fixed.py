import torch
import torch.nn as nn


def seq_len_to_mask(seq_len, max_len=None):
    """Convert lengths to a mask: mask[i, j] is True when j < seq_len[i]."""
    batch_size = seq_len.size(0)
    max_len = int(max_len) if max_len else int(seq_len.max().long())
    broad_cast_seq_len = torch.arange(max_len).expand(batch_size, -1).to(seq_len)
    return broad_cast_seq_len.lt(seq_len.unsqueeze(1))


class TransformerTagger(nn.Module):
    def __init__(self, vocab_size, num_tags, d_model=64, nhead=4, num_layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=0)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=128, dropout=0.1)
        self.encoder = nn.TransformerEncoder(layer, num_layers)
        self.fc = nn.Linear(d_model, num_tags)

    def forward(self, words, seq_len):
        mask = seq_len_to_mask(seq_len, max_len=words.size(1))
        x = self.embed(words).transpose(0, 1)
        x = self.encoder(x, src_key_padding_mask=mask.eq(False))
        x = x.transpose(0, 1)
        logits = self.fc(x)
        return logits.masked_fill(~mask.unsqueeze(-1), 0.0)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TransformerTagger(vocab_size=50, num_tags=7)
    words = torch.randint(1, 50, (3, 8))
    seq_len = torch.tensor([8, 5, 3])
    words[1, 5:] = 0
    words[2, 3:] = 0
    out = model(words, seq_len)
    print(out.shape, torch.isnan(out).any().item())
