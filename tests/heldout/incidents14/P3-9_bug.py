import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, vocab_size, emb_dim, hid_dim):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, emb_dim)
        self.rnn = nn.GRU(emb_dim, hid_dim)  # BUG

    def forward(self, src):
        # src: (batch, src_len)
        outputs, hidden = self.rnn(self.embedding(src))
        return outputs


class AttnDecoder(nn.Module):
    def __init__(self, vocab_size, emb_dim, hid_dim, n_heads):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, emb_dim)
        self.proj = nn.Linear(emb_dim, hid_dim)
        self.attention = nn.MultiheadAttention(hid_dim, n_heads, batch_first=True)
        self.fc_out = nn.Linear(2 * hid_dim, vocab_size)

    def forward(self, trg, encoder_outputs):
        # trg: (batch, trg_len)
        query = self.proj(self.embedding(trg))
        context, attn = self.attention(query, encoder_outputs, encoder_outputs)
        return self.fc_out(torch.cat([query, context], dim=-1)), attn


class Seq2Seq(nn.Module):
    def __init__(self, src_vocab=20, trg_vocab=20, emb_dim=16, hid_dim=16, n_heads=2):
        super().__init__()
        self.encoder = Encoder(src_vocab, emb_dim, hid_dim)
        self.decoder = AttnDecoder(trg_vocab, emb_dim, hid_dim, n_heads)

    def forward(self, src, trg):
        return self.decoder(trg, self.encoder(src))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Seq2Seq().eval()
    src = torch.randint(1, 20, (4, 4))
    trg = torch.randint(1, 20, (4, 3))
    src_other = src.clone()
    src_other[0] = torch.randint(1, 20, (4,))
    with torch.no_grad():
        a, _ = model(src, trg)
        b, _ = model(src_other, trg)
    print(f"samples 1-3 logits change when only sample 0's source changes: {(a[1:] - b[1:]).abs().max().item():.4f}")
